// @ts-check
/**
 * The production bundle, run in plain workerd. The test pool (vitest-pool-workers) lets code call
 * eval and new Function, which deployed Workers refuse, so a dependency that compiles code at
 * run time (ajv, for one) would pass every other test and fail in production. This builds the
 * worker as `wrangler deploy` would and runs it in Miniflare with production's rules.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const outdir = mkdtempSync(path.join(tmpdir(), 'patchboard-bundle-'));
const KEV_URL = 'https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json';
const kevCatalog = readFileSync(path.join(root, 'worker/src/feeds/kev/testdata/vunnel-valid-catalog-1.json'), 'utf8');
/** Every request the worker makes to the outside, for the cron test: never the real internet. */
/** @type {string[]} */
const outbound = [];
/** @type {Miniflare} */
let mf;

beforeAll(async () => {
  execFileSync(path.join(root, 'node_modules/.bin/wrangler'), ['deploy', '--dry-run', '--outdir', outdir], {
    cwd: root,
    env: {
      ...process.env,
      WRANGLER_SEND_METRICS: 'false',
      CLOUDFLARE_CF_FETCH_ENABLED: 'false',
      WRANGLER_HIDE_BANNER: 'true',
    },
    stdio: 'pipe',
  });
  const script = readdirSync(outdir).find((name) => name.endsWith('.js'));
  if (!script) throw new Error(`no bundle in ${outdir}`);
  mf = new Miniflare({
    modulesRoot: outdir,
    modules: [{ type: 'ESModule', path: path.join(outdir, script) }],
    compatibilityDate: '2026-04-20',
    d1Databases: { DB: 'bundle-test' },
    bindings: { PATCHBOARD_ROOT_TOKEN: 'bundle-test-root-token-0123456789' },
    // The feed sources, recorded: CISA's KEV answers its real catalog excerpt, every other source is down.
    outboundService: (request) => {
      outbound.push(request.url);
      if (request.url === KEV_URL) return new Response(kevCatalog, { headers: { 'content-type': 'application/json' } });
      return new Response('recorded: unavailable', { status: 503 });
    },
  });
  const db = await mf.getD1Database('DB');
  for (const migration of await readD1Migrations(path.join(root, 'worker/migrations'))) {
    for (const query of migration.queries) await db.prepare(query).run();
  }
}, 120_000);

afterAll(async () => {
  await mf?.dispose();
  rmSync(outdir, { recursive: true, force: true });
});

describe('the production bundle in workerd', () => {
  it('runs the feeds from the cron trigger: a source that answers is stored, the others back off', async () => {
    const worker = await mf.getWorker();
    await worker.scheduled({ cron: '*/10 * * * *' });
    expect(outbound).toContain(KEV_URL);
    const res = await mf.dispatchFetch('http://localhost/v1/feeds', {
      headers: { authorization: 'Bearer bundle-test-root-token-0123456789' },
    });
    /** @type {{ items: { id: string, enabled: boolean, lastSuccessAt: string | null, lastError: string | null, consecutiveFailures: number, lastRun: { enrichment: number } | null }[] }} */
    const feeds = /** @type {any} */ (await res.json());
    const kev = feeds.items.find((f) => f.id === 'kev');
    expect(kev).toMatchObject({ lastError: null, lastRun: { enrichment: 3 } });
    expect(kev?.lastSuccessAt).not.toBeNull();
    const nvd = feeds.items.find((f) => f.id === 'nvd');
    expect(nvd).toMatchObject({ consecutiveFailures: 1, lastError: expect.stringContaining('503') });
  });

  it('serves /health and the OpenAPI document', async () => {
    const health = await mf.dispatchFetch('http://localhost/health');
    expect(await health.json()).toMatchObject({ ok: true });
    const doc = await mf.dispatchFetch('http://localhost/v1/openapi.json');
    expect(doc.status).toBe(200);
  });

  it('runs a tenant, a host, a software report and an advisory import end to end', async () => {
    const call = async (
      /** @type {string} */ method,
      /** @type {string} */ url,
      /** @type {string} */ token,
      /** @type {unknown} */ body,
      contentType = 'application/json',
    ) => {
      const res = await mf.dispatchFetch(`http://localhost${url}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: res.status, body: /** @type {any} */ (await res.json()) };
    };
    const tenant = await call('POST', '/v1/tenants', 'bundle-test-root-token-0123456789', { name: 'bundle' });
    expect(tenant.status).toBe(201);
    const admin = tenant.body.adminToken;
    expect((await call('PUT', '/v1/hosts/web-01', admin, { os: { family: 'debian', release: '12' } })).status).toBe(
      200,
    );
    const report = await call(
      'PUT',
      '/v1/hosts/web-01/software',
      admin,
      'openssl\t3.0.11-1~deb12u2\tamd64\topenssl\t3.0.11-1~deb12u2\n',
      'text/x-dpkg-query',
    );
    expect(report.status).toBe(200);
    const imported = await call('POST', '/v1/advisories/import', admin, {
      id: 'DSA-9999-1',
      modified: '2026-01-01T00:00:00Z',
      affected: [
        {
          package: { ecosystem: 'Debian:12', name: 'openssl' },
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.0.13-1~deb12u1' }] }],
        },
      ],
    });
    expect(imported.body).toMatchObject({ imported: 1, findings: { opened: 1 } });
  });
});
