// @ts-check
/**
 * The real worker for the extension's end-to-end tests, as agent/test/e2e.test.mjs runs it: the
 * production bundle (built as `wrangler deploy` builds it) in workerd through Miniflare, a fresh
 * in-memory D1 with the migrations applied, a root token, and nothing reaching the internet. Then
 * the demo tenant exactly as `npm start` seeds it (worker/dev/start.mjs): the demo fleet, its
 * deployment setup and the offline feed snapshot.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { Miniflare } from 'miniflare';
import { demoFleet } from '../../../worker/dev/demo/fleet.mjs';
import { importSnapshot, seedDemo, seedDeploymentSetup } from '../../../worker/dev/seed.mjs';

export const repoRoot = path.resolve(import.meta.dirname, '../../..');

/** The port of `npm start`, the one backend origin the built manifest has a host permission for. */
export const DEFAULT_PORT = 8787;

const WRANGLER_ENV = {
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  WRANGLER_HIDE_BANNER: 'true',
};

/**
 * @typedef {{ status: number, body: any, text: string }} ApiAnswer
 * @typedef {(method: string, url: string, token: string, body?: unknown) => Promise<ApiAnswer>} Api
 */

/** Whether nothing listens on 127.0.0.1:`port`. @param {number} port */
function portIsFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * One API call as JSON.
 * @param {string} baseUrl
 * @returns {Api}
 */
export function apiClient(baseUrl) {
  return async (method, url, token, body) => {
    const res = await fetch(`${baseUrl}${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed = null;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, body: parsed, text };
  };
}

/**
 * Builds the production bundle and starts it on 127.0.0.1: on `npm start`'s port 8787 when it is free
 * (the built extension may then talk to it as shipped), else on a free port.
 * @param {{ rootToken: string }} options
 */
export async function startWorker({ rootToken }) {
  const outdir = mkdtempSync(path.join(tmpdir(), 'patchboard-ext-e2e-worker-'));
  execFileSync(path.join(repoRoot, 'node_modules/.bin/wrangler'), ['deploy', '--dry-run', '--outdir', outdir], {
    cwd: repoRoot,
    env: { ...process.env, ...WRANGLER_ENV },
    stdio: 'pipe',
  });
  const script = readdirSync(outdir).find((name) => name.endsWith('.js'));
  if (!script) throw new Error(`no bundle in ${outdir}`);
  /** @param {number} port */
  const make = (port) =>
    new Miniflare({
      host: '127.0.0.1',
      port,
      modulesRoot: outdir,
      modules: [{ type: 'ESModule', path: path.join(outdir, script) }],
      compatibilityDate: '2026-04-20',
      d1Databases: { DB: 'extension-e2e' },
      bindings: { PATCHBOARD_ROOT_TOKEN: rootToken },
      // Nothing reaches the internet: feeds run by the cron find every source down.
      outboundService: () => new Response('offline test', { status: 503 }),
    });
  /** @type {Miniflare | undefined} */
  let mf;
  /** @type {URL | undefined} */
  let url;
  if (await portIsFree(DEFAULT_PORT)) {
    try {
      mf = make(DEFAULT_PORT);
      url = await mf.ready;
    } catch {
      // taken in the meantime
      await mf?.dispose().catch(() => {});
      mf = undefined;
    }
  }
  if (!mf || !url) {
    mf = make(0);
    url = await mf.ready;
  }
  const db = await mf.getD1Database('DB');
  for (const migration of await readD1Migrations(path.join(repoRoot, 'worker/migrations'))) {
    for (const query of migration.queries) await db.prepare(query).run();
  }
  const worker = mf;
  return {
    baseUrl: url.origin,
    port: Number(url.port),
    api: apiClient(url.origin),
    async dispose() {
      await worker.dispose();
      rmSync(outdir, { recursive: true, force: true });
    },
  };
}

/**
 * The demo tenant as `npm start` makes it (worker/dev/start.mjs), with its state file in `stateDir`.
 * @param {{ baseUrl: string, rootToken: string, stateDir: string }} options
 */
export async function seedDemoTenant({ baseUrl, rootToken, stateDir }) {
  const stateFile = path.join(stateDir, 'patchboard-demo.json');
  const seeded = await seedDemo({ baseUrl, rootToken, stateFile, fleet: demoFleet() });
  const setup = await seedDeploymentSetup({ baseUrl, stateFile, adminToken: seeded.token });
  const snapshot = await importSnapshot({ baseUrl, rootToken, dir: path.join(repoRoot, 'worker/dev/demo/feeds') });
  return { tenantId: seeded.tenantId, adminToken: seeded.token, approverToken: setup.approverToken, snapshot };
}
