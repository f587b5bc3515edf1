/**
 * Runs a callback again when a single-page app changes the page: debounced (the first change
 * schedules one run `delay` ms later; changes until then join it, so a page that never stops
 * changing is still handled every `delay` ms), and blind to our own UI (`[data-patchboard]`) and to
 * what the callback itself changes (its marks and badges).
 */
import { OWN_UI_ATTRIBUTE } from './scan';

export interface WatchOptions {
  /** Milliseconds from the first change to the run; 100 by default. */
  readonly delay?: number;
}

function isOwn(node: Node): boolean {
  const element = node.nodeType === 1 ? (node as Element) : node.parentElement;
  return element?.closest(`[${OWN_UI_ATTRIBUTE}]`) != null;
}

/** Whether a record is a change of the page, not of our own UI. */
function isPageChange(record: MutationRecord): boolean {
  if (isOwn(record.target)) return false;
  if (record.type !== 'childList') return true;
  const nodes = [...record.addedNodes, ...record.removedNodes];
  // A removed node is detached: it is ours when it carries the attribute itself.
  return nodes.length === 0 || nodes.some((node) => !isOwnElement(node));
}

function isOwnElement(node: Node): boolean {
  return node.nodeType === 1 && (node as Element).hasAttribute(OWN_UI_ATTRIBUTE);
}

/**
 * Calls `callback` after DOM changes under `root` (child lists and text, in the whole subtree).
 * Answers the function that stops watching (and cancels a pending run).
 */
export function watch(root: Node, callback: () => void, options: WatchOptions = {}): () => void {
  const delay = options.delay ?? 100;
  const view = (root.ownerDocument ?? (root as Document)).defaultView ?? globalThis;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const run = () => {
    timer = undefined;
    if (stopped) return;
    try {
      callback();
    } finally {
      // What the callback changed (marks, badges) is not a change of the page: drop its records.
      observer.takeRecords();
    }
  };
  const observer = new view.MutationObserver((records) => {
    if (timer === undefined && !stopped && records.some(isPageChange)) timer = view.setTimeout(run, delay);
  });
  observer.observe(root, { childList: true, subtree: true, characterData: true });
  return () => {
    stopped = true;
    observer.disconnect();
    if (timer !== undefined) view.clearTimeout(timer);
  };
}
