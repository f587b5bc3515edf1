// @ts-check
/**
 * Debian's Chromium with the built extension loaded, as GUIDE.md §1 describes: playwright-core's
 * persistent context (extensions need one), headless, the MV3 service worker found in
 * `context.serviceWorkers()`. The vendors' host names resolve to the local HTTPS fixture server and
 * nothing else resolves at all, so no page or fetch reaches the internet.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { repoRoot } from './worker.mjs';

export const CHROMIUM = process.env.PATCHBOARD_CHROMIUM ?? '/usr/bin/chromium';
export const BUILT_EXTENSION = path.join(repoRoot, 'extension/.output/chrome-mv3');

/** The vendor host names the tests serve pages for. */
export const VENDOR_HOSTS = ['nvd.nist.gov', 'msrc.microsoft.com', 'osv.dev'];

/** `npm run build:ext`: the Chrome MV3 and Firefox builds (WXT). Throws with the build's output when it fails. */
export function buildExtension() {
  try {
    execFileSync('npm', ['run', '-s', 'build:ext'], { cwd: repoRoot, stdio: 'pipe', encoding: 'utf8' });
  } catch (err) {
    const e = /** @type {{ stdout?: string, stderr?: string, message: string }} */ (err);
    throw new Error(`npm run build:ext failed:\n${e.stdout ?? ''}\n${e.stderr ?? e.message}`);
  }
}

/**
 * A private copy of the built extension (a rebuild by someone else during the run cannot change it
 * under the browser). When the backend is not at the origin the manifest was built for
 * (http://127.0.0.1:8787), the copy also gets a host permission for it, as a user granting the
 * permission on the options page would: Chromium's service worker may fetch only origins it holds.
 * @param {string} backendUrl
 */
export function copyExtension(backendUrl) {
  if (!existsSync(path.join(BUILT_EXTENSION, 'manifest.json')))
    throw new Error(`no built extension in ${BUILT_EXTENSION}`);
  const dir = mkdtempSync(path.join(tmpdir(), 'patchboard-ext-e2e-extension-'));
  cpSync(BUILT_EXTENSION, dir, { recursive: true });
  const manifestPath = path.join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const wanted = `${new URL(backendUrl).origin}/*`;
  const granted = /** @type {string[]} */ (manifest.host_permissions ?? []);
  if (!granted.includes(wanted)) {
    manifest.host_permissions = [...granted, wanted];
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  }
  return { dir, manifest, patched: !granted.includes(wanted) };
}

/**
 * Launches Chromium with the extension in `extensionDir`, the vendor hosts mapped to `vendorPort`.
 * @param {{ extensionDir: string, vendorPort: number }} options
 */
export async function launchBrowser({ extensionDir, vendorPort }) {
  const profile = mkdtempSync(path.join(tmpdir(), 'patchboard-ext-e2e-profile-'));
  const rules = [
    ...VENDOR_HOSTS.map((host) => `MAP ${host} 127.0.0.1:${vendorPort}`),
    'MAP * ~NOTFOUND',
    'EXCLUDE 127.0.0.1',
  ].join(', ');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      `--host-resolver-rules=${rules}`,
      '--ignore-certificate-errors',
    ],
  });
  const serviceWorker =
    context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
  const extensionId = new URL(serviceWorker.url()).host;
  return {
    context,
    extensionId,
    /** The extension's service worker now (Chromium may stop an idle one and start another). */
    async serviceWorker() {
      const current = context.serviceWorkers().find((w) => w.url().startsWith(`chrome-extension://${extensionId}/`));
      return current ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
