/**
 * Puts Patchboard's UI into a page, isolated from it: a hyphenated host element (`customElements`
 * is null in content scripts, so it is never defined: it is an unknown element that only carries a
 * shadow root), an open shadow root (tests read it), the styles inside that root (a constructed
 * stylesheet, shared by every root of the page, or a `<style>` where adoption fails), and a Preact
 * tree in it. Page CSS stops at the host (`:host { all: initial }`); ours never leaves the root.
 */
import { type ComponentChild, render } from 'preact';
import { OVERLAY_CSS } from '@/components/overlay/styles';

/** The overlay's host element. */
export const OVERLAY_TAG = 'patchboard-overlay';
/** The attribute of every host element of ours (the scanner and the watcher ignore them). */
export const OWN_ATTRIBUTE = 'data-patchboard';

export interface ShadowHost {
  readonly host: HTMLElement;
  readonly root: ShadowRoot;
  /** Where the Preact tree renders. */
  readonly container: HTMLElement;
}

const sheets = new WeakMap<Document, Map<string, CSSStyleSheet>>();

/** Adopts `css` as a constructed stylesheet (one per document and text), else adds a `<style>`. */
function addStyles(root: ShadowRoot, css: string): void {
  const document = root.ownerDocument;
  try {
    const Sheet = document.defaultView?.CSSStyleSheet;
    if (Sheet && 'replaceSync' in Sheet.prototype && 'adoptedStyleSheets' in root) {
      const byText = sheets.get(document) ?? new Map<string, CSSStyleSheet>();
      sheets.set(document, byText);
      let sheet = byText.get(css);
      if (!sheet) {
        sheet = new Sheet();
        sheet.replaceSync(css);
        byText.set(css, sheet);
      }
      root.adoptedStyleSheets = [sheet];
      if (root.adoptedStyleSheets.length === 1) return;
    }
  } catch {
    // Some engines refuse a sheet made in the content script's world: fall back to a <style>.
  }
  const style = document.createElement('style');
  style.textContent = css;
  root.append(style);
}

/** Keys typed in our UI are ours: the page's shortcuts (`s` for search, `j`/`k`) must not see them. */
const KEY_EVENTS = ['keydown', 'keyup', 'keypress'] as const;

/**
 * A detached host element `<tag data-patchboard="kind">` with an open shadow root holding `css`
 * and an empty container. The caller inserts the host and renders into the container.
 */
export function createShadowHost(document: Document, tag: string, kind: string, css: string): ShadowHost {
  const host = document.createElement(tag);
  host.setAttribute(OWN_ATTRIBUTE, kind);
  const root = host.attachShadow({ mode: 'open' });
  addStyles(root, css);
  const container = document.createElement('div');
  root.append(container);
  for (const type of KEY_EVENTS) host.addEventListener(type, (event) => event.stopPropagation());
  return { host, root, container };
}

/** The overlay on a page. */
export interface MountedOverlay extends ShadowHost {
  /** The id it shows. */
  readonly id: string;
  /** Removes it from the page and unmounts its tree. */
  unmount(): void;
}

const overlays = new WeakMap<Document, MountedOverlay>();

/** The overlay now on the page, if any (and still in it). */
export function currentOverlay(document: Document): MountedOverlay | null {
  const mounted = overlays.get(document);
  return mounted?.host.isConnected ? mounted : null;
}

/** Removes the page's overlay, if any. */
export function unmountOverlay(document: Document): void {
  overlays.get(document)?.unmount();
  for (const stray of document.querySelectorAll(`${OVERLAY_TAG}[${OWN_ATTRIBUTE}]`)) stray.remove();
}

function insertAfter(anchor: Element, host: Element): void {
  const document = anchor.ownerDocument;
  // After <body> or <html> would leave the body: the top of the body instead.
  if (anchor === document.body || anchor === document.documentElement || !anchor.parentNode) {
    document.body.prepend(host);
  } else if (anchor.nextSibling !== host) {
    anchor.after(host);
  }
}

/**
 * Shows `content` in the page's overlay for `id`, right after `anchor`. Idempotent: one overlay
 * per page. The same id re-renders the same tree (its state, such as an open form, is kept) and
 * moves it after the anchor if the page re-rendered; another id (a single-page app navigated)
 * replaces it.
 */
export function mountOverlay(anchor: Element, id: string, content: ComponentChild): MountedOverlay {
  const document = anchor.ownerDocument;
  const existing = overlays.get(document);
  if (existing && existing.id === id) {
    insertAfter(anchor, existing.host);
    render(content, existing.container);
    return existing;
  }
  unmountOverlay(document);
  const shadow = createShadowHost(document, OVERLAY_TAG, 'overlay', OVERLAY_CSS);
  shadow.host.setAttribute('data-id', id);
  const mounted: MountedOverlay = {
    ...shadow,
    id,
    unmount() {
      render(null, shadow.container);
      shadow.host.remove();
      if (overlays.get(document) === mounted) overlays.delete(document);
    },
  };
  overlays.set(document, mounted);
  insertAfter(anchor, shadow.host);
  render(content, shadow.container);
  return mounted;
}
