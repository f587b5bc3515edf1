// @vitest-environment happy-dom
import type { LookupItem } from '@patchboard/shared/schemas/lookup';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { fakeSend, scheduled, unknownItem, xzItem } from '@/components/overlay/fixtures';
import type { SiteAdapter } from '@/sites/types';
import { disabledSitesItem, scanWholePageItem } from '@/utils/settings';
import { OVERLAY_TAG } from './mount';
import { BADGE_TAG, SCANNED_ATTRIBUTE, scanPageOnce, startVendor, type VendorScript } from './vendor';

/** A vendor family whose pages put their id in `<h1 class="id">`; `/list` pages are lists. */
const adapter: SiteAdapter = {
  name: 'fake',
  label: 'Fake vendor',
  matches: ['https://vendor.example/*'],
  primary(document) {
    const anchor = document.querySelector('h1.id');
    const id = anchor?.textContent?.trim();
    return anchor && id ? { id, anchor } : null;
  },
  isListPage: (url) => url.pathname === '/list',
};

/** Answers each id: CVE-2024-3094 and CVE-2024-1xxx are known (affecting), the rest unknown. */
function answer(ids: readonly string[]): LookupItem[] {
  return ids.map((id) =>
    id === 'CVE-2024-3094' || id.startsWith('CVE-2024-1') ? { ...xzItem, id, canonical: id } : unknownItem(id),
  );
}

function lookupFake() {
  return fakeSend({
    'patchboard:lookup': (message: { ids: string[] }) => ({ ok: true, data: { items: answer(message.ids) } }),
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let script: VendorScript | undefined;
async function settle() {
  await sleep(40);
  await script?.idle();
}

function start(path: string, send: ReturnType<typeof fakeSend>['send'], scanWholePage = false) {
  script = startVendor({
    document,
    url: () => new URL(`https://vendor.example${path}`),
    adapterFor: (url) => (url.hostname === 'vendor.example' ? adapter : null),
    send,
    setting: async () => ({ enabled: true, scanAllPages: scanWholePage }),
    delay: 10,
  });
  return script;
}

const overlayRoot = () => document.querySelector(OVERLAY_TAG)?.shadowRoot ?? null;
const inOverlay = (testId: string) => overlayRoot()?.querySelector(`[data-testid="${testId}"]`)?.textContent ?? null;

/** `count` distinct ids in a table, as a list page shows them. */
function idTable(count: number): string {
  const rows = Array.from({ length: count }, (_, i) => `<tr><td>CVE-2024-${10000 + i}</td><td>text</td></tr>`);
  return `<table>${rows.join('')}</table>`;
}

beforeEach(() => {
  fakeBrowser.reset();
  document.body.innerHTML = '';
});
afterEach(() => {
  script?.stop();
  script = undefined;
});

describe('vendor content script', () => {
  it('looks up the page id once and shows the overlay after the anchor', async () => {
    document.body.innerHTML = '<h1 class="id">CVE-2024-3094</h1><p>Mentions CVE-2024-1111.</p>';
    const { send, messages } = lookupFake();
    start('/vuln/CVE-2024-3094', send);
    await settle();
    expect(messages).toEqual([{ type: 'patchboard:lookup', ids: ['CVE-2024-3094'] }]);
    const host = document.querySelector('h1')?.nextElementSibling;
    expect(host?.localName).toBe(OVERLAY_TAG);
    expect(host?.getAttribute('data-patchboard')).toBe('overlay');
    expect(host?.shadowRoot?.mode).toBe('open');
    expect(inOverlay('pb-hosts-total')).toBe('12');
    // Not asked to scan the whole page: no badges.
    expect(document.querySelector(BADGE_TAG)).toBeNull();
  });

  it('looks the id up again after a schedule from the overlay, and shows its deployment', async () => {
    document.body.innerHTML = '<h1 class="id">CVE-2024-3094</h1>';
    let lookups = 0;
    const { send, messages } = fakeSend({
      'patchboard:lookup': (message: { ids: string[] }) => {
        const [item] = answer(message.ids);
        const after = {
          ...(item as LookupItem),
          nextDeployment: { id: 13, title: 'Fix', status: 'awaiting_approval' as const, ring: 'test' },
        };
        return {
          ok: true,
          data: { items: [++lookups === 1 ? { ...(item as LookupItem), nextDeployment: null } : after] },
        };
      },
      'patchboard:schedule': () => ({ ok: true, data: scheduled }),
    });
    start('/vuln/CVE-2024-3094', send);
    await settle();
    expect(inOverlay('pb-next-deployment')).toBe('none scheduled');
    const button = overlayRoot()?.querySelector<HTMLButtonElement>('[data-testid="pb-schedule"]');
    button?.click();
    await settle();
    expect(messages.map((message) => message.type)).toEqual([
      'patchboard:lookup',
      'patchboard:schedule',
      'patchboard:lookup',
    ]);
    expect(inOverlay('pb-next-deployment')).toBe('#13');
    expect(inOverlay('pb-created-deployment')).toBe('#13');
  });

  it('shows the error when the lookup fails', async () => {
    document.body.innerHTML = '<h1 class="id">CVE-2024-3094</h1>';
    const { send } = fakeSend({ 'patchboard:lookup': () => ({ ok: false, error: 'no token set' }) });
    start('/vuln/CVE-2024-3094', send);
    await settle();
    expect(inOverlay('pb-error')).toBe('no token set');
  });

  it('waits for a single-page app to render the id, and follows it to another id', async () => {
    document.body.innerHTML = '<div id="app">Loading…</div>';
    const { send, messages } = lookupFake();
    start('/vuln/CVE-2024-3094', send);
    await settle();
    expect(messages).toEqual([]);
    expect(document.querySelector(OVERLAY_TAG)).toBeNull();

    (document.getElementById('app') as HTMLElement).innerHTML = '<h1 class="id">CVE-2024-3094</h1>';
    await settle();
    expect(messages).toEqual([{ type: 'patchboard:lookup', ids: ['CVE-2024-3094'] }]);
    expect(overlayRoot()?.querySelector('[data-testid="pb-id"]')?.textContent).toBe('CVE-2024-3094');

    // A change that is not a navigation asks nothing again.
    document.body.append(document.createElement('footer'));
    await settle();
    expect(messages.length).toBe(1);

    (document.getElementById('app') as HTMLElement).innerHTML = '<h1 class="id">CVE-2024-1234</h1>';
    await settle();
    expect(messages[1]).toEqual({ type: 'patchboard:lookup', ids: ['CVE-2024-1234'] });
    expect(document.querySelectorAll(OVERLAY_TAG).length).toBe(1);
    expect(inOverlay('pb-id')).toBe('CVE-2024-1234');
    expect(document.querySelector('h1')?.nextElementSibling?.localName).toBe(OVERLAY_TAG);
  });

  it('badges every id of a list page with ONE lookup for hundreds of ids', async () => {
    document.body.innerHTML = `<h2>Known exploited</h2>${idTable(300)}<p>Again: CVE-2024-10000, and CVE-2023-99999.</p>`;
    const { send, messages } = lookupFake();
    start('/list', send);
    await settle();
    expect(messages.length).toBe(1);
    const ids = messages[0]?.ids as string[];
    expect(ids.length).toBe(301);
    expect(new Set(ids).size).toBe(301);
    // Known ids get a badge after their mark; unknown ones none.
    const badges = document.querySelectorAll(BADGE_TAG);
    expect(badges.length).toBe(301);
    const first = document.querySelector('[data-patchboard-id="CVE-2024-10000"]');
    const badge = first?.nextElementSibling;
    expect(badge?.localName).toBe(BADGE_TAG);
    expect(badge?.getAttribute('data-patchboard')).toBe('badge');
    expect(badge?.shadowRoot?.querySelector('[data-testid="pb-badge"]')?.textContent).toBe('P1 · 12');
    expect(document.querySelector('[data-patchboard-id="CVE-2023-99999"]')?.nextElementSibling?.localName).not.toBe(
      BADGE_TAG,
    );
    expect(document.querySelector(OVERLAY_TAG)).toBeNull();

    // More rows (infinite scroll): only the new id is asked.
    document.body.insertAdjacentHTML('beforeend', '<p>CVE-2024-19999 and CVE-2024-10001</p>');
    await settle();
    expect(messages.length).toBe(2);
    expect(messages[1]).toEqual({ type: 'patchboard:lookup', ids: ['CVE-2024-19999'] });
    expect(document.querySelectorAll(BADGE_TAG).length).toBe(303);
  });

  it('splits more than 500 ids into lookups of 500', async () => {
    document.body.innerHTML = idTable(1200);
    const { send, messages } = lookupFake();
    start('/list', send);
    await settle();
    expect(messages.map((message) => (message.ids as string[]).length)).toEqual([500, 500, 200]);
  });

  it('scans the whole page of a family the admin chose, with one lookup for all its ids', async () => {
    document.body.innerHTML = `<h1 class="id">CVE-2024-3094</h1>${idTable(250)}`;
    const { send, messages } = lookupFake();
    await scanWholePageItem.setValue(['other', 'fake']);
    script = startVendor({
      document,
      url: () => new URL('https://vendor.example/vuln/CVE-2024-3094'),
      adapterFor: () => adapter,
      send,
      delay: 10,
    });
    await settle();
    const lookups = messages.map((message) => (message.ids as string[]).length).sort((a, b) => a - b);
    expect(lookups).toEqual([1, 251]);
    expect(document.querySelectorAll(BADGE_TAG).length).toBe(251);
    expect(document.querySelectorAll(OVERLAY_TAG).length).toBe(1);
  });

  it('does nothing on a family the admin turned off', async () => {
    document.body.innerHTML = `<h1 class="id">CVE-2024-3094</h1>${idTable(5)}`;
    const { send, messages } = lookupFake();
    await disabledSitesItem.setValue(['fake']);
    await scanWholePageItem.setValue(['fake']);
    script = startVendor({
      document,
      url: () => new URL('https://vendor.example/list'),
      adapterFor: () => adapter,
      send,
    });
    await settle();
    expect(messages).toEqual([]);
    expect(document.querySelector(OVERLAY_TAG)).toBeNull();
  });

  it('does nothing on pages of no family, and removes its overlay when stopped', async () => {
    document.body.innerHTML = '<h1 class="id">CVE-2024-3094</h1>';
    const { send, messages } = lookupFake();
    script = startVendor({ document, url: () => new URL('https://elsewhere.example/'), adapterFor: () => null, send });
    await settle();
    expect(messages).toEqual([]);
    script.stop();
    start('/vuln', send);
    await settle();
    expect(document.querySelector(OVERLAY_TAG)).not.toBeNull();
    script.stop();
    expect(document.querySelector(OVERLAY_TAG)).toBeNull();
  });
});

describe('scanPageOnce (the context menu)', () => {
  it('badges every id with one lookup, and only once per page', async () => {
    document.body.innerHTML = idTable(120);
    const { send, messages } = lookupFake();
    await scanPageOnce(document, send);
    await scanPageOnce(document, send);
    expect(messages.length).toBe(1);
    expect((messages[0]?.ids as string[] | undefined)?.length).toBe(120);
    expect(document.querySelectorAll(BADGE_TAG).length).toBe(120);
    expect(document.documentElement.hasAttribute(SCANNED_ATTRIBUTE)).toBe(true);
    document.documentElement.removeAttribute(SCANNED_ATTRIBUTE);
  });

  it('keeps hostile text from the answer out of the page as HTML', async () => {
    document.body.innerHTML = '<p>CVE-2024-3094</p>';
    const hostile = '<img src=x onerror=alert(1)>';
    const { send } = fakeSend({
      'patchboard:lookup': () => ({
        ok: true,
        data: { items: [{ ...xzItem, priority: { highest: 1, explanation: hostile, dueAt: null } }] },
      }),
    });
    await scanPageOnce(document, send);
    const badge = document.querySelector(BADGE_TAG)?.shadowRoot?.querySelector('[data-testid="pb-badge"]');
    expect(badge?.getAttribute('title')).toContain(hostile);
    expect(document.querySelector('img')).toBeNull();
    expect(document.querySelector(BADGE_TAG)?.shadowRoot?.querySelector('img')).toBeNull();
    document.documentElement.removeAttribute(SCANNED_ATTRIBUTE);
  });
});
