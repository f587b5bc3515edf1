/**
 * Marks the ids the scanner found: each one's text is wrapped, as it stands, in
 * `<span data-patchboard-id="CVE-...">` (the page keeps its text, selection and links), and the
 * caller's badge is inserted right after it. Page text is only ever moved, never parsed as HTML.
 */
import { type Occurrence, OWN_UI_ATTRIBUTE } from './scan';

/** The attribute of the span around a marked id; its value is the canonical id. */
export const MARK_ATTRIBUTE = 'data-patchboard-id';

/**
 * Makes the badge for a marked id, or null for none. It is inserted after the span, and is given
 * `data-patchboard` (our own UI, which the scanner and the watcher ignore) if it lacks it.
 */
export type BadgeFor = (id: string, span: HTMLSpanElement) => Element | null | undefined;

/**
 * Wraps each occurrence (as `scan` returned them, for the text nodes as they still are) and attaches
 * its badge. Occurrences already marked, or whose text changed since the scan, are left alone.
 * Answers the new spans, in document order.
 */
export function mark(occurrences: readonly Occurrence[], badgeFor?: BadgeFor): HTMLSpanElement[] {
  // Within one text node, wrap from the last occurrence back: earlier offsets stay valid as the node is split.
  const byNode = new Map<Text, Occurrence[]>();
  for (const occurrence of occurrences) {
    const list = byNode.get(occurrence.node);
    if (list) list.push(occurrence);
    else byNode.set(occurrence.node, [occurrence]);
  }
  const spans: HTMLSpanElement[] = [];
  for (const [node, list] of byNode) {
    const parent = node.parentNode;
    if (!parent || node.parentElement?.hasAttribute(MARK_ATTRIBUTE)) continue;
    const document = node.ownerDocument;
    const wrapped: HTMLSpanElement[] = [];
    const ordered = [...list].sort((a, b) => b.start - a.start);
    let limit = node.data.length;
    for (const { id, start, end } of ordered) {
      // Overlapping or stale occurrences (the text changed after the scan) are skipped, not guessed at.
      if (start < 0 || end > limit || start >= end) continue;
      const idText = node.splitText(start);
      idText.splitText(end - start);
      const span = document.createElement('span');
      span.setAttribute(MARK_ATTRIBUTE, id);
      parent.insertBefore(span, idText);
      span.appendChild(idText);
      const badge = badgeFor?.(id, span);
      if (badge) {
        if (!badge.hasAttribute(OWN_UI_ATTRIBUTE)) badge.setAttribute(OWN_UI_ATTRIBUTE, 'badge');
        span.after(badge);
      }
      wrapped.push(span);
      limit = start;
    }
    spans.push(...wrapped.reverse());
  }
  // byNode keeps the scan's first-seen order of nodes, which is document order.
  return spans;
}
