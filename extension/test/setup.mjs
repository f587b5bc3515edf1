// @ts-check
/**
 * Global set-up of the `extension-e2e` project, once per run: builds the extension (`npm run
 * build:ext`), starts the real worker bundle in Miniflare with a fresh D1, and seeds the demo tenant
 * as `npm start` does. The test files get the backend's URL and tokens through `inject()`; each
 * launches its own Chromium with a private copy of the build.
 *
 * PATCHBOARD_E2E_SKIP_BUILD=1 reuses extension/.output as it is.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildExtension, CHROMIUM } from './harness/browser.mjs';
import { seedDemoTenant, startWorker } from './harness/worker.mjs';

/** Local only: the worker in Miniflare gets it as a binding. */
export const ROOT_TOKEN = 'patchboard-extension-e2e-root-token-local-only';

/** @param {import('vitest/node').TestProject} project */
export default async function setup(project) {
  // Without Chromium every test file skips itself; nothing to start.
  if (!existsSync(CHROMIUM)) return undefined;
  if (process.env.PATCHBOARD_E2E_SKIP_BUILD !== '1') buildExtension();
  const worker = await startWorker({ rootToken: ROOT_TOKEN });
  const stateDir = mkdtempSync(path.join(tmpdir(), 'patchboard-ext-e2e-state-'));
  try {
    const demo = await seedDemoTenant({ baseUrl: worker.baseUrl, rootToken: ROOT_TOKEN, stateDir });
    project.provide('backend', {
      baseUrl: worker.baseUrl,
      rootToken: ROOT_TOKEN,
      adminToken: demo.adminToken,
      approverToken: demo.approverToken,
      tenantId: demo.tenantId,
    });
  } catch (err) {
    await worker.dispose();
    throw err;
  }
  return async () => {
    await worker.dispose();
    rmSync(stateDir, { recursive: true, force: true });
  };
}
