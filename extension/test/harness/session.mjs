// @ts-check
/**
 * One test file's world: the backend the global set-up started (through `inject`), a local HTTPS
 * server for the vendor pages, and Chromium with a private copy of the built extension.
 */
import { rmSync } from 'node:fs';
import { inject } from 'vitest';
import { copyExtension, launchBrowser, VENDOR_HOSTS } from './browser.mjs';
import { startVendorServer } from './https.mjs';
import { apiClient } from './worker.mjs';

export async function openSession() {
  const backend = inject('backend');
  if (!backend) throw new Error('the global set-up provided no backend (is Chromium installed?)');
  const vendor = await startVendorServer({ hosts: VENDOR_HOSTS });
  const extension = copyExtension(backend.baseUrl);
  /** @type {Awaited<ReturnType<typeof launchBrowser>> | undefined} */
  let browser;
  try {
    browser = await launchBrowser({ extensionDir: extension.dir, vendorPort: vendor.port });
  } catch (err) {
    await vendor.close();
    rmSync(extension.dir, { recursive: true, force: true });
    throw err;
  }
  const opened = browser;
  return {
    backend,
    api: apiClient(backend.baseUrl),
    vendor,
    extension,
    browser: opened,
    async close() {
      await opened.close().catch(() => {});
      await vendor.close();
      rmSync(extension.dir, { recursive: true, force: true });
    },
  };
}
