/**
 * Finds every advisory id in the text of a DOM subtree: the generic scanner for list pages (the KEV
 * catalog, release notes) and for any page through the context menu. Walks text nodes with one
 * TreeWalker, skipping what is not page text (scripts, styles, form fields, editable areas) and our
 * own UI (anything inside `[data-patchboard]`). An id split across elements
 * (`CVE-2024-<b>3094</b>`) is not found: ids are matched within one text node.
 */
import { idsInText } from './ids';

/** One occurrence of an id: `node.data.slice(start, end)` is its text. */
export interface Occurrence {
  readonly id: string;
  readonly node: Text;
  readonly start: number;
  readonly end: number;
}

export interface ScanResult {
  /** Each id once, in order of first appearance: what one batched lookup asks for. */
  readonly ids: readonly string[];
  /** Every occurrence, in document order. */
  readonly occurrences: readonly Occurrence[];
}

/** Elements whose text is not page text, or cannot hold our marks (lower-case local names). */
const SKIPPED = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'textarea',
  'input',
  'select',
  'option',
  'title',
  'svg',
  'math',
  'iframe',
  'object',
]);

/** The attribute of every element of our own UI (overlays, badges): never scanned, never watched. */
export const OWN_UI_ATTRIBUTE = 'data-patchboard';

// NodeFilter's and Node's constants, written out: the scanner also runs where they are not globals (the bench).
const SHOW_ELEMENT = 0x1;
const SHOW_TEXT = 0x4;
const FILTER_ACCEPT = 1;
const FILTER_REJECT = 2;
const FILTER_SKIP = 3;
const ELEMENT_NODE = 1;
/** The shortest id (`DSA-1`): shorter text nodes are not searched. */
const SHORTEST_ID = 5;

/** Whether the element and its subtree are skipped (also elements carrying one of `alsoSkipped`). */
function isSkipped(element: Element, alsoSkipped: readonly string[] = []): boolean {
  return (
    SKIPPED.has(element.localName) ||
    element.hasAttribute(OWN_UI_ATTRIBUTE) ||
    element.hasAttribute('contenteditable') ||
    alsoSkipped.some((attribute) => element.hasAttribute(attribute))
  );
}

/**
 * A walker over the page text under `root`: text nodes only, never inside scripts, form fields,
 * editable regions, our own UI, or elements carrying one of `alsoSkipped` (the console's host marks).
 */
export function pageTextWalker(root: Node, alsoSkipped: readonly string[] = []): TreeWalker {
  const document = root.ownerDocument ?? (root as Document);
  return document.createTreeWalker(root, SHOW_ELEMENT | SHOW_TEXT, (node) => {
    if (node.nodeType === ELEMENT_NODE) return isSkipped(node as Element, alsoSkipped) ? FILTER_REJECT : FILTER_SKIP;
    return FILTER_ACCEPT;
  });
}

/** Whether `root` lies inside a skipped element (then nothing under it is scanned). */
function insideSkipped(root: Node): boolean {
  for (let element = root.nodeType === ELEMENT_NODE ? (root as Element) : root.parentElement; element; ) {
    if (isSkipped(element)) return true;
    element = element.parentElement;
  }
  return false;
}

/**
 * Joins the text nodes' data for one pass of the pattern: no id spans a line break (none of the
 * families' forms contains one, and it is no token character), so matching the joined text finds
 * exactly what matching each node on its own would, without a call per node.
 */
const SEPARATOR = '\n';

/** Every id in the text under `root` (an element, or a document: then its body and head are walked). */
export function scan(root: Node): ScanResult {
  const ids: string[] = [];
  const occurrences: Occurrence[] = [];
  if (insideSkipped(root)) return { ids, occurrences };
  const nodes: Text[] = [];
  const starts: number[] = [];
  const parts: string[] = [];
  let offset = 0;
  const walker = pageTextWalker(root);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const data = (node as Text).data;
    if (data.length < SHORTEST_ID) continue;
    nodes.push(node as Text);
    starts.push(offset);
    parts.push(data);
    offset += data.length + SEPARATOR.length;
  }
  const seen = new Set<string>();
  // Matches come in order of their offsets: the node of each is found by moving forward, never back.
  let k = 0;
  for (const { id, start, end } of idsInText(parts.join(SEPARATOR))) {
    while (k + 1 < starts.length && (starts[k + 1] as number) <= start) k++;
    const base = starts[k] as number;
    occurrences.push({ id, node: nodes[k] as Text, start: start - base, end: end - base });
    if (!seen.has(id)) {
      seen.add(id);
      ids.push(id);
    }
  }
  return { ids, occurrences };
}
