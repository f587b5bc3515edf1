// @ts-check
/**
 * The harness itself: the built extension loads in Chromium, its service worker starts, it may
 * reach the backend, and the vendor host names lead to the local fixture server and nowhere else.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM } from './harness/browser.mjs';
import { openSession } from './harness/session.mjs';

describe.skipIf(!existsSync(CHROMIUM))('the built extension in Chromium', () => {
  /** @type {Awaited<ReturnType<typeof openSession>>} */
  let session;
  beforeAll(async () => {
    session = await openSession();
  });
  afterAll(async () => {
    await session?.close();
  });

  it('loads, and its service worker runs and may fetch the backend', async () => {
    const worker = await session.browser.serviceWorker();
    expect(worker.url()).toBe(`chrome-extension://${session.browser.extensionId}/background.js`);
    const manifest = await worker.evaluate(() => /** @type {any} */ (globalThis).chrome.runtime.getManifest());
    expect(manifest.name).toBe('Patchboard');
    expect(manifest.manifest_version).toBe(3);
    const health = await worker.evaluate(async (url) => {
      const res = await fetch(`${url}/health`);
      return { status: res.status, body: await res.json() };
    }, session.backend.baseUrl);
    expect(health.status).toBe(200);
    expect(health.body).toHaveProperty('version');
  });

  it('serves vendor URLs from the fixture server, and resolves no other host', async () => {
    session.vendor.serve('https://nvd.nist.gov/vuln/detail/CVE-2000-0001', '<!doctype html><h1>fixture</h1>');
    const page = await session.browser.context.newPage();
    try {
      const res = await page.goto('https://nvd.nist.gov/vuln/detail/CVE-2000-0001');
      expect(res?.status()).toBe(200);
      expect(await page.textContent('h1')).toBe('fixture');
      expect(session.vendor.seen).toContainEqual(
        expect.objectContaining({ method: 'GET', host: 'nvd.nist.gov', path: '/vuln/detail/CVE-2000-0001' }),
      );
      await expect(page.goto('https://example.com/')).rejects.toThrow(/ERR_NAME_NOT_RESOLVED/);
    } finally {
      await page.close();
    }
  });
});
