// @ts-check
/**
 * Issue #7 end to end: the built extension in Chromium, configured on its options page with the
 * demo admin token, against the real worker with the demo data (setup.mjs), on vendor pages served
 * under their real URLs by a local HTTPS server.
 *
 * The tests of this file share one browser and run in order: the overlay's numbers on an NVD page
 * and on Microsoft's single-page Security Update Guide equal the API's lookup; the toolbar badge
 * shows the open P1 findings; one click schedules a deployment and Undo cancels it; a feed's
 * hostile summary stays text; and, after all of it, the token is in no page's DOM, in no message a
 * content script sent or received, and in nothing a content script can read. One test leaves a
 * screenshot of the overlay in docs/overlay.png (shown in the README).
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM } from './harness/browser.mjs';
import { attachContentWorld } from './harness/content-world.mjs';
import { msrcSpaPage, nvdPage } from './harness/fixtures.mjs';
import { openSession } from './harness/session.mjs';
import { configureBackend, expectedOverlay, OVERLAY_HOST, readOverlay } from './harness/ui.mjs';
import { repoRoot } from './harness/worker.mjs';

const SCREENSHOT = path.join(repoRoot, 'docs/overlay.png');
/** A feed string that would run script if any part of the extension parsed it as HTML. */
const HOSTILE = '<img src=x onerror="window.__pwned=1">';
/** The hostile advisory's ids: a DSA (imported as OSV) and the CVE it names. */
const HOSTILE_ADVISORY = 'DSA-9999-1';
const HOSTILE_CVE = 'CVE-2099-0666';

/**
 * @typedef {Awaited<ReturnType<typeof openSession>>} Session
 * @typedef {Awaited<ReturnType<typeof attachContentWorld>>} ContentWorld
 * @typedef {import('playwright-core').Page} Page
 */

describe.skipIf(!existsSync(CHROMIUM))('the extension on vendor pages, against the demo backend', () => {
  /** @type {Session} */
  let session;
  /** @type {string} */
  let token;
  /** @type {import('./harness/worker.mjs').Api} */
  let api;
  /** The CVEs the pages are made for, chosen from the demo's findings. */
  const chosen = { nvd: '', msrc: '' };
  /**
   * The vendor pages opened, each with its content script's world.
   * @type {{ name: string, page: Page, world: ContentWorld }[]}
   */
  const vendorPages = [];
  /** @type {Page} */
  let optionsPage;

  /** @param {string} id */
  const lookup = async (id) => {
    const res = await api('GET', `/v1/lookup?ids=${encodeURIComponent(id)}`, token);
    expect(res.status, res.text).toBe(200);
    return res.body.items[0];
  };

  /**
   * Opens `url` in a new tab with its content-script world recorded.
   * @param {string} name
   * @param {string} url
   */
  const openVendorPage = async (name, url) => {
    const page = await session.browser.context.newPage();
    const world = await attachContentWorld(session.browser.context, page, session.browser.extensionId);
    vendorPages.push({ name, page, world });
    await page.goto(url);
    return { page, world };
  };

  beforeAll(async () => {
    session = await openSession();
    api = session.api;
    token = session.backend.adminToken;
    const picked = await chooseCves(api, token);
    chosen.nvd = picked.nvd;
    chosen.msrc = picked.msrc;
  });

  afterAll(async () => {
    for (const { world } of vendorPages) await world.detach();
    await session?.close();
  });

  it('connects on the options page with the backend URL and the demo admin token', async () => {
    const result = await configureBackend(session.browser.context, {
      extensionId: session.browser.extensionId,
      backendUrl: session.backend.baseUrl,
      token,
    });
    optionsPage = result.page;
    expect(result.state, result.text).toBe('ok');
    expect(result.text).toMatch(/^Connected to Patchboard /);
    // Only the visible prefix is ever shown again.
    expect(result.prefix).toBe(token.slice(0, 11));
    expect(await optionsPage.getByTestId('options-token').inputValue()).toBe('');
  });

  it('shows the API’s numbers on an NVD page', async () => {
    const { url, html } = nvdPage(chosen.nvd);
    session.vendor.serve(url, html);
    const { page, world } = await openVendorPage('nvd', url);
    const shown = await readOverlay(page);
    const item = await lookup(chosen.nvd);
    expect(item.hosts.affected).toBeGreaterThan(0);
    expect(Object.keys(item.hosts.byRing).length).toBeGreaterThan(1);
    expect(shown).toMatchObject(expectedOverlay(item));
    // After the page's title, as the adapter says; an open shadow root.
    expect(shown.previous).toMatch(/^<h2 data-testid="page-header"/);
    expect(await page.locator(OVERLAY_HOST).count()).toBe(1);
    expect(world.status()).toEqual({ installs: 1, problems: [] });
  });

  it('leaves a screenshot of the overlay on the NVD page in docs/overlay.png', async () => {
    const nvd = vendorPages.find((p) => p.name === 'nvd');
    if (!nvd) throw new Error('the NVD page test did not run');
    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    // The page's title and the overlay under it, as wide as the overlay: what a user sees.
    const title = await nvd.page.locator('[data-testid="page-header"]').boundingBox();
    const overlay = await nvd.page.locator(OVERLAY_HOST).locator('[data-testid="pb-overlay"]').boundingBox();
    if (!title || !overlay) throw new Error('the title or the overlay has no box');
    const margin = 12;
    const x = Math.max(0, Math.min(title.x, overlay.x) - margin);
    const y = Math.max(0, title.y - margin);
    await nvd.page.screenshot({
      path: SCREENSHOT,
      clip: {
        x,
        y,
        width: overlay.x + overlay.width + margin - x,
        height: overlay.y + overlay.height + margin - y,
      },
    });
    expect(existsSync(SCREENSHOT)).toBe(true);
  });

  it('shows the API’s numbers on Microsoft’s Security Update Guide once its title renders', async () => {
    const advisory = await lookup(chosen.msrc);
    const spa = msrcSpaPage({ cve: chosen.msrc, title: advisory.advisories[0]?.summary ?? 'Security Vulnerability' });
    session.vendor.serve(spa.url, spa.html);
    session.vendor.serve(spa.scriptUrl, spa.script, 'text/javascript');
    const { page, world } = await openVendorPage('msrc', spa.url);
    // The shell first: a spinner and no title. The content script runs, finds no primary id yet,
    // and shows nothing.
    await expect.poll(() => world.status().installs, { timeout: 15_000 }).toBe(1);
    await page.waitForLoadState('load');
    expect(await page.locator('main h1').count()).toBe(0);
    expect(await page.locator(OVERLAY_HOST).count()).toBe(0);
    // Then the app renders the vulnerability page.
    await page.evaluate((event) => window.dispatchEvent(new Event(event)), spa.renderEvent);
    const shown = await readOverlay(page);
    expect(await page.locator('main h1').count()).toBe(1);
    const item = await lookup(chosen.msrc);
    expect(item.hosts.affected).toBeGreaterThan(0);
    expect(shown).toMatchObject(expectedOverlay(item));
    expect(shown.previous).toMatch(/^<h1/);
  });

  it('shows the open P1 findings on the toolbar badge', async () => {
    let open = 0;
    let cursor = null;
    do {
      const res = await api(
        'GET',
        `/v1/findings?status=open&priority=1&limit=500${cursor ? `&cursor=${cursor}` : ''}`,
        token,
      );
      expect(res.status, res.text).toBe(200);
      open += res.body.items.length;
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(open).toBeGreaterThan(0);
    // The badge is painted after the token was saved; a service worker started since paints it again.
    await expect
      .poll(
        async () =>
          (await session.browser.serviceWorker()).evaluate(() =>
            /** @type {any} */ (globalThis).chrome.action.getBadgeText({}),
          ),
        {
          timeout: 15_000,
        },
      )
      .toBe(String(open));
  });

  it('schedules a deployment with one click, and Undo cancels it', async () => {
    const nvd = vendorPages.find((p) => p.name === 'nvd');
    if (!nvd) throw new Error('the NVD page test did not run');
    const { page } = nvd;
    const before = await lookup(chosen.nvd);
    const listed = await api('GET', '/v1/deployments?limit=500', token);
    expect(listed.status, listed.text).toBe(200);

    await page.locator(OVERLAY_HOST).getByTestId('pb-schedule').click();
    const result = page.locator(OVERLAY_HOST).getByTestId('pb-schedule-result');
    await result.waitFor({ timeout: 15_000 });
    const id = Number(await result.getAttribute('data-deployment-id'));
    expect(Number.isInteger(id) && id > 0).toBe(true);
    expect(await page.locator(OVERLAY_HOST).getByTestId('pb-created-status').getAttribute('data-status')).toBe(
      'awaiting_approval',
    );

    const created = await api('GET', `/v1/deployments/${id}`, token);
    expect(created.status, created.text).toBe(200);
    expect(created.body).toMatchObject({ id, status: 'awaiting_approval', createdBy: token.slice(0, 11) });
    expect(created.body.target).toMatchObject({ kind: 'advisories', ids: [chosen.nvd] });
    const hosts = created.body.rings.reduce((/** @type {number} */ n, /** @type {any} */ r) => n + r.hosts, 0);
    expect(Number(await page.locator(OVERLAY_HOST).getByTestId('pb-created-hosts').textContent())).toBe(hosts);
    // One click, one deployment.
    const after = await api('GET', '/v1/deployments?limit=500', token);
    expect(after.body.items.length).toBe(listed.body.items.length + 1);
    const scheduled = await lookup(chosen.nvd);
    expect(scheduled.nextDeployment).toMatchObject({ id, status: 'awaiting_approval' });

    await page.locator(OVERLAY_HOST).getByTestId('pb-undo').click();
    const undone = page.locator(OVERLAY_HOST).getByTestId('pb-undo-result');
    await undone.waitFor({ timeout: 15_000 });
    expect(await undone.getAttribute('data-status')).toBe('cancelled');
    const cancelled = await api('GET', `/v1/deployments/${id}`, token);
    expect(cancelled.body.status).toBe('cancelled');
    const back = await lookup(chosen.nvd);
    expect(back.nextDeployment).toBeNull();
    expect(back.findings).toEqual(before.findings);
  });

  it('shows a feed’s hostile summary as text', async () => {
    const name = await debianPackageOfTheDemo(api, token);
    const advisory = {
      schema_version: '1.6.0',
      id: HOSTILE_ADVISORY,
      modified: '2026-01-01T00:00:00Z',
      published: '2026-01-01T00:00:00Z',
      aliases: [HOSTILE_CVE],
      summary: `${HOSTILE} in ${name}`,
      details: `Details ${HOSTILE} <script>window.__pwned=2</script>`,
      affected: [
        {
          package: { ecosystem: 'Debian:12', name },
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '99:1.0-1' }] }],
        },
      ],
    };
    const imported = await api('POST', '/v1/advisories/import?format=osv', session.backend.rootToken, advisory);
    expect(imported.status, imported.text).toBe(200);
    const item = await lookup(HOSTILE_CVE);
    expect(item.advisories.map((/** @type {any} */ a) => a.summary)).toContain(`${HOSTILE} in ${name}`);
    expect(item.hosts.affected).toBeGreaterThan(0);

    const { url, html } = nvdPage(HOSTILE_CVE);
    session.vendor.serve(url, html);
    const { page } = await openVendorPage('hostile', url);
    const shown = await readOverlay(page);
    expect(shown).toMatchObject(expectedOverlay(item));
    expect(shown.advisories).toContainEqual({
      id: HOSTILE_ADVISORY,
      text: `${HOSTILE_ADVISORY} ${HOSTILE} in ${name}`,
    });
    expect(shown.text).toContain(HOSTILE);
    expect(shown.images).toBe(0);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => /** @type {any} */ (window).__pwned)).toBeUndefined();
  });

  it('never puts the token in a page, a content script’s messages, or where a content script can read', async () => {
    const secret = token.slice(11);
    expect(secret.length).toBeGreaterThanOrEqual(32);
    const leaks = (/** @type {string} */ text) => text.includes(token) || text.includes(secret);

    // Every tab: its DOM, every open shadow root in it, form values, and the main world's storage.
    const pages = session.browser.context.pages();
    expect(pages.length).toBeGreaterThanOrEqual(4);
    for (const page of pages) {
      const seen = await page.evaluate(() => {
        /** @type {string[]} */
        const parts = [document.documentElement.outerHTML];
        for (const element of document.querySelectorAll('*')) {
          if (element.shadowRoot) parts.push(element.shadowRoot.innerHTML);
          if ('value' in element && typeof element.value === 'string') parts.push(element.value);
        }
        const storage = (/** @type {Storage | undefined} */ area) => JSON.stringify(area ? { ...area } : {});
        let local = '';
        let session = '';
        let cookie = '';
        try {
          local = storage(window.localStorage);
          session = storage(window.sessionStorage);
          cookie = document.cookie;
        } catch {
          // about:blank has none
        }
        const chromeApi = /** @type {any} */ (globalThis).chrome;
        return {
          text: [...parts, local, session, cookie].join('\n'),
          shadowRoots: parts.length,
          extensionApi: Boolean(chromeApi?.runtime?.id),
          url: location.href,
        };
      });
      expect(leaks(seen.text), `the token in ${seen.url}`).toBe(false);
      // A web page's main world has no extension API to ask anything with.
      if (seen.url.startsWith('https://')) expect(seen.extensionApi, seen.url).toBe(false);
    }

    // Every message our content scripts sent, got as an answer, or received, since each page loaded.
    let lookups = 0;
    let schedules = 0;
    for (const { name, world } of vendorPages) {
      const messages = await world.messages();
      expect(messages, name).not.toBeNull();
      for (const message of messages) {
        expect(leaks(message.json), `${name}: ${message.json.slice(0, 200)}`).toBe(false);
        if (message.json.includes('"type":"patchboard:lookup"')) lookups += 1;
        if (message.json.includes('"type":"patchboard:schedule"') || message.json.includes('"type":"patchboard:undo"'))
          schedules += 1;
      }
      expect(messages.filter((m) => m.direction === 'answer').length, name).toBeGreaterThan(0);
      // What a content script could read, if a compromised page's renderer took it over.
      const reachable = await world.evaluate(`(async () => {
        const local = JSON.stringify(await chrome.storage.local.get(null));
        let session = '';
        try { session = JSON.stringify(await chrome.storage.session.get(null)); } catch (err) { session = 'refused: ' + err.message; }
        return { local, session };
      })()`);
      expect(leaks(reachable.local), `${name}: storage.local`).toBe(false);
      expect(leaks(reachable.session), `${name}: storage.session`).toBe(false);
    }
    expect(lookups).toBeGreaterThanOrEqual(vendorPages.length);
    expect(schedules).toBe(2);

    // Nothing went to the vendor sites but page loads: no Authorization header, no token in a URL.
    expect(session.vendor.seen.length).toBeGreaterThan(0);
    for (const request of session.vendor.seen) {
      expect(request.authorization, request.url).toBeNull();
      expect(leaks(request.url), request.url).toBe(false);
    }
  });
});

/**
 * The CVEs for the two pages, from the demo's open findings: for NVD the one with affected hosts
 * in the most rings (KEV-listed first, then the most hosts), for MSRC another one of the Windows
 * hosts, chosen the same way.
 * @param {import('./harness/worker.mjs').Api} api
 * @param {string} token
 */
async function chooseCves(api, token) {
  /** @type {Map<string, boolean>} CVE -> found on a Windows host */
  const cves = new Map();
  let cursor = null;
  do {
    const res = await api('GET', `/v1/findings?status=open&limit=500${cursor ? `&cursor=${cursor}` : ''}`, token);
    if (res.status !== 200) throw new Error(`GET /v1/findings: ${res.status} ${res.text}`);
    for (const finding of res.body.items) {
      for (const cve of finding.cves) cves.set(cve, cves.get(cve) || finding.ecosystem.startsWith('Windows:'));
    }
    cursor = res.body.nextCursor;
  } while (cursor);
  const ids = [...cves.keys()].slice(0, 500);
  const res = await api('POST', '/v1/lookup', token, { ids });
  if (res.status !== 200) throw new Error(`POST /v1/lookup: ${res.status} ${res.text}`);
  /** @param {any} item */
  const rank = (item) => [
    Object.keys(item.hosts.byRing).length > 1 ? 1 : 0,
    item.kev ? 1 : 0,
    item.epss ? 1 : 0,
    Object.keys(item.hosts.byRing).length,
    item.hosts.affected,
  ];
  /** @param {any} a @param {any} b */
  const byRank = (a, b) => {
    const [ra, rb] = [rank(a), rank(b)];
    for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return (rb[i] ?? 0) - (ra[i] ?? 0);
    return String(a.id).localeCompare(String(b.id));
  };
  const items = res.body.items.filter((/** @type {any} */ i) => i.known && i.hosts.affected > 0).sort(byRank);
  const nvd = items[0]?.id;
  const msrc = items.find((/** @type {any} */ i) => cves.get(i.id) && i.id !== nvd)?.id;
  if (!nvd || !msrc) throw new Error('the demo data has no CVE with findings for the NVD and MSRC pages');
  return { nvd, msrc };
}

/**
 * A Debian 12 package installed on a demo host (openssl when there), for the hostile advisory.
 * @param {import('./harness/worker.mjs').Api} api
 * @param {string} token
 */
async function debianPackageOfTheDemo(api, token) {
  const hosts = await api('GET', '/v1/hosts?limit=500&ecosystem=Debian:12', token);
  if (hosts.status !== 200) throw new Error(`GET /v1/hosts: ${hosts.status} ${hosts.text}`);
  for (const host of hosts.body.items) {
    const software = await api('GET', `/v1/hosts/${host.hostname}/software?limit=500`, token);
    if (software.status !== 200) continue;
    const debian = software.body.items.filter((/** @type {any} */ p) => p.ecosystem === 'Debian:12');
    const chosen =
      debian.find((/** @type {any} */ p) => p.name === 'openssl') ??
      debian.find((/** @type {any} */ p) => !p.source || p.source === p.name);
    if (chosen) return String(chosen.name);
  }
  throw new Error('no demo host has a Debian 12 package');
}
