/**
 * The vendor content script's logic: on an advisory page of a known vendor family, find the page's
 * primary id (waiting for single-page apps to render it), look it up, and show the overlay after
 * the adapter's anchor; on a list page (the KEV catalog, release notes), or on any page of a family
 * the admin chose to scan whole, badge every id found with ONE batched lookup for all of them.
 * Families the admin turned off (utils/settings.ts) get nothing.
 * Everything it needs from outside (the adapter, the URL, `send`) is passed in, so tests drive it
 * with fakes.
 */
import { type LookupItem, MAX_LOOKUP_IDS } from '@patchboard/shared/schemas/lookup';
import { h, render } from 'preact';
import { Badge } from '@/components/overlay/Badge';
import { findingsRoute } from '@/components/overlay/format';
import { Overlay, type OverlayState } from '@/components/overlay/Overlay';
import { BADGE_CSS } from '@/components/overlay/styles';
import { mark } from '@/scan/mark';
import { scan } from '@/scan/scan';
import { watch } from '@/scan/watch';
import type { SiteAdapter } from '@/sites/types';
import { DEFAULT_SITE_SETTING, type SiteSetting, siteSetting } from '@/utils/settings';
import type { Send } from './client';
import { createShadowHost, currentOverlay, mountOverlay, unmountOverlay } from './mount';

/** Most new ids looked up per pass over a page (MAX_LOOKUP_IDS per lookup). */
export const MAX_PAGE_IDS = 2000;

/** The inline badge's host element. */
export const BADGE_TAG = 'patchboard-badge';

/** A badge for a looked-up id: `<patchboard-badge data-patchboard="badge">` with the Badge in its shadow root. */
export function badgeElement(document: Document, id: string, item: LookupItem, send: Send): HTMLElement {
  const { host, container } = createShadowHost(document, BADGE_TAG, 'badge', BADGE_CSS);
  host.setAttribute('data-id', id);
  const route = findingsRoute(id);
  const onOpen = route ? () => void send({ type: 'patchboard:open', route }) : undefined;
  render(h(Badge, { id, item, onOpen }), container);
  return host;
}

export interface PageScanner {
  /** Scans the page, looks up the ids not seen before (one lookup for up to 500), badges them. */
  run(): Promise<void>;
  /** What each id looked up answered (null: the lookup failed). */
  readonly items: ReadonlyMap<string, LookupItem | null>;
}

/**
 * Badges the ids under `root`. Each id is looked up once per page; a pass asks ONE lookup for all
 * the new ids it found (more than MAX_LOOKUP_IDS: one per MAX_LOOKUP_IDS, at most MAX_PAGE_IDS).
 * Only ids Patchboard knows get a badge. A run while one is going joins it and runs once more.
 */
export function createPageScanner(root: Node, send: Send): PageScanner {
  const items = new Map<string, LookupItem | null>();
  const document = root.ownerDocument ?? (root as Document);
  let running: Promise<void> | null = null;
  let again = false;

  const pass = async () => {
    const missing = scan(root)
      .ids.filter((id) => !items.has(id))
      .slice(0, MAX_PAGE_IDS);
    for (let start = 0; start < missing.length; start += MAX_LOOKUP_IDS) {
      const ids = missing.slice(start, start + MAX_LOOKUP_IDS);
      const reply = await send({ type: 'patchboard:lookup', ids });
      // Answers come in request order; an id missing from the answer, or a failed lookup, is not retried.
      for (const id of ids) items.set(id, null);
      if (reply.ok) for (const item of reply.data.items) items.set(item.id, item);
    }
    // Scan again: the page may have changed while the lookup was under way.
    const occurrences = scan(root).occurrences.filter((occurrence) => items.get(occurrence.id)?.known);
    mark(occurrences, (id) => {
      const item = items.get(id);
      return item ? badgeElement(document, id, item, send) : null;
    });
  };

  const run = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await pass();
        } while (again);
      } finally {
        running = null;
      }
    })();
    return running;
  };
  return { run, items };
}

export interface VendorOptions {
  readonly document: Document;
  /** The page's URL now (single-page apps change it). */
  readonly url: () => URL;
  readonly adapterFor: (url: URL) => SiteAdapter | null;
  readonly send: Send;
  /**
   * The admin's setting of this family: overlay on or off, pages scanned whole or not. By default
   * read from extension storage (utils/settings.ts: disabledSitesItem, scanWholePageItem).
   */
  readonly setting?: (adapter: SiteAdapter) => Promise<SiteSetting>;
  /** The watcher's debounce, in ms. */
  readonly delay?: number;
  readonly now?: () => Date;
}

export interface VendorScript {
  /** Looks at the page again (the entrypoint calls it on `wxt:locationchange`). */
  check(): void;
  /** Stops watching and removes the overlay. */
  stop(): void;
  /** Settles when the lookups started so far have been answered and shown (for tests). */
  idle(): Promise<void>;
}

/** Runs the vendor content script on `document`; answers how to stop it. */
export function startVendor(options: VendorOptions): VendorScript {
  const { document, send } = options;
  const root = document.body ?? document.documentElement;
  const scanner = createPageScanner(root, send);
  const pending = new Set<Promise<unknown>>();
  const track = (promise: Promise<unknown>) => {
    pending.add(promise);
    void promise.finally(() => pending.delete(promise));
  };
  let stopped = false;
  let scanWhole = false;
  let shown: { id: string; anchor: Element; state: OverlayState } | null = null;

  const show = () => {
    if (!shown || stopped) return;
    const { id, anchor, state } = shown;
    const onChanged = () => track(lookUp(id));
    mountOverlay(anchor, id, h(Overlay, { id, state, send, now: options.now, onChanged }));
  };

  const lookUp = async (id: string) => {
    const reply = await send({ type: 'patchboard:lookup', ids: [id] });
    if (stopped || shown?.id !== id) return;
    const item = reply.ok ? reply.data.items[0] : undefined;
    shown = {
      ...shown,
      state: item
        ? { status: 'ready', item }
        : { status: 'error', error: reply.ok ? 'Patchboard gave no answer for this id.' : reply.error },
    };
    show();
  };

  const check = () => {
    if (stopped) return;
    const url = options.url();
    const adapter = options.adapterFor(url);
    if (!adapter) {
      shown = null;
      unmountOverlay(document);
      return;
    }
    const listPage = adapter.isListPage?.(url) ?? false;
    if (listPage || scanWhole) track(scanner.run());
    if (listPage) {
      shown = null;
      unmountOverlay(document);
      return;
    }
    const primary = adapter.primary(document, url);
    // Not rendered yet (or not an advisory page): the watcher calls again when the page changes.
    if (!primary) return;
    if (shown?.id === primary.id) {
      // The page re-rendered: put the overlay back after the (new) anchor, keeping its state.
      const overlay = currentOverlay(document);
      if (!overlay || shown.anchor !== primary.anchor) {
        shown = { ...shown, anchor: primary.anchor };
        show();
      }
      return;
    }
    shown = { id: primary.id, anchor: primary.anchor, state: { status: 'loading' } };
    show();
    track(lookUp(primary.id));
  };

  let unwatch = () => {};
  const adapter = options.adapterFor(options.url());
  if (adapter) {
    track(
      (options.setting ?? ((family: SiteAdapter) => siteSetting(family.name)))(adapter)
        .catch(() => DEFAULT_SITE_SETTING)
        .then((setting) => {
          // The admin turned this family off: nothing on its pages.
          if (stopped || !setting.enabled) return;
          scanWhole = setting.scanAllPages;
          unwatch = watch(root, check, { delay: options.delay });
          check();
        }),
    );
  }

  return {
    check,
    stop() {
      stopped = true;
      unwatch();
      unmountOverlay(document);
    },
    async idle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}

/** Marks a document scanned by the context menu's scan, so a second injection does nothing. */
export const SCANNED_ATTRIBUTE = 'data-patchboard-scanned';

/** The context menu's scan: badges every id on the page with one batched lookup, once per page. */
export async function scanPageOnce(document: Document, send: Send): Promise<void> {
  const root = document.documentElement;
  if (root.hasAttribute(SCANNED_ATTRIBUTE)) return;
  root.setAttribute(SCANNED_ATTRIBUTE, '');
  await createPageScanner(document.body ?? root, send).run();
}
