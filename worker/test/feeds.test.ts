import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import { ensureCatalog } from '../src/db/feeds';
import { catalog } from '../src/feeds/catalog';
import catalogJson from '../src/feeds/kev/testdata/vunnel-valid-catalog-1.json?raw';
import { runDueFeeds, runFeed } from '../src/feeds/runner';
import { call, expectStatus, newTenant, newToken, ROOT_TOKEN } from './helpers';

const KEV_URL = 'https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json';

/** A recorded CISA endpoint: answers the real catalog excerpt, honours If-None-Match, or fails as told. */
function kevUpstream(mode: { fail?: number; retryAfter?: string } = {}) {
  const requests: { url: string; ifNoneMatch: string | null }[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    const headers = new Headers(init?.headers);
    requests.push({ url, ifNoneMatch: headers.get('if-none-match') });
    if (url !== KEV_URL) return new Response('not recorded', { status: 404 });
    if (mode.fail) {
      return new Response('upstream trouble', {
        status: mode.fail,
        headers: mode.retryAfter ? { 'retry-after': mode.retryAfter } : {},
      });
    }
    if (headers.get('if-none-match') === '"v1"') return new Response(null, { status: 304 });
    return new Response(catalogJson, { headers: { 'content-type': 'application/json', etag: '"v1"' } });
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}

let clockAt = Date.parse('2026-11-27T10:00:00Z');
const clock = () => new Date(clockAt);

async function feedRow(id: string) {
  return env.DB.prepare('SELECT * FROM feeds WHERE id = ?1').bind(id).first<Record<string, unknown>>();
}

async function kevCount(): Promise<number> {
  return (await env.DB.prepare('SELECT count(*) AS n FROM kev_entries').first<{ n: number }>())?.n ?? 0;
}

describe('feeds', () => {
  // Each test starts from the catalog's feeds in their initial state.
  beforeEach(async () => {
    await env.DB.prepare('DELETE FROM feeds').run();
    await env.DB.prepare('DELETE FROM kev_entries').run();
    await ensureCatalog(env.DB, catalog, clock());
  });

  it('lists the preconfigured feeds with their state, to every reader and to root', async () => {
    const { adminToken } = await newTenant();
    const viewer = await newToken(adminToken, 'viewer');
    const list = await expectStatus<{
      items: { id: string; kind: string; url: string; scope: string; enabled: boolean }[];
    }>(call('GET', '/v1/feeds', { token: viewer }), 200);
    const ids = list.items.map((f) => f.id);
    for (const id of [
      'csaf-redhat',
      'csaf-microsoft',
      'msrc-cvrf',
      'osv-ubuntu',
      'osv-inventory',
      'debian-tracker',
      'alpine-secdb',
      'kev',
      'epss',
      'nvd',
    ]) {
      expect(ids, id).toContain(id);
    }
    expect(list.items.find((f) => f.id === 'csaf-redhat')).toMatchObject({
      kind: 'csaf',
      scope: 'global',
      url: 'https://security.access.redhat.com/data/csaf/v2/provider-metadata.json',
      enabled: true,
    });
    await expectStatus(call('GET', '/v1/feeds', { token: ROOT_TOKEN }), 200);
  });

  it('lets an admin follow a CSAF provider for the tenant, root for everyone; others see neither', async () => {
    const a = await newTenant('feeds-a');
    const b = await newTenant('feeds-b');
    const created = await expectStatus<{ id: string; scope: string }>(
      call('POST', '/v1/feeds', {
        token: a.adminToken,
        json: {
          kind: 'csaf',
          name: 'Acme PSIRT',
          url: 'https://psirt.acme.example/.well-known/csaf/provider-metadata.json',
        },
      }),
      201,
    );
    expect(created.scope).toBe('tenant');
    const seenByB = await expectStatus<{ items: { id: string }[] }>(
      call('GET', '/v1/feeds', { token: b.adminToken }),
      200,
    );
    expect(seenByB.items.map((f) => f.id)).not.toContain(created.id);
    await expectStatus(call('POST', `/v1/feeds/${created.id}/sync`, { token: b.adminToken }), 404);
    await expectStatus(call('DELETE', `/v1/feeds/${created.id}`, { token: b.adminToken }), 404);

    for (const bad of [
      { kind: 'csaf', name: 'x', url: 'http://insecure.example/provider-metadata.json' },
      { kind: 'csaf', name: 'x', url: 'https://example.com/feed.json' },
      { kind: 'osv', name: 'x', url: 'https://example.com/provider-metadata.json' },
    ]) {
      await expectStatus(call('POST', '/v1/feeds', { token: a.adminToken, json: bad }), 400);
    }
    const operator = await newToken(a.adminToken, 'operator');
    await expectStatus(
      call('POST', '/v1/feeds', {
        token: operator,
        json: { kind: 'csaf', name: 'y', url: 'https://y.example/provider-metadata.json' },
      }),
      403,
    );

    const global = await expectStatus<{ id: string; scope: string }>(
      call('POST', '/v1/feeds', {
        token: ROOT_TOKEN,
        json: {
          kind: 'csaf',
          name: 'Siemens ProductCERT',
          url: 'https://cert-portal.siemens.com/productcert/csaf/provider-metadata.json',
        },
      }),
      201,
    );
    expect(global).toMatchObject({ id: 'csaf-siemens-productcert', scope: 'global' });
    await expectStatus(call('DELETE', `/v1/feeds/${global.id}`, { token: a.adminToken }), 403);
    await expectStatus(call('DELETE', '/v1/feeds/csaf-redhat', { token: ROOT_TOKEN }), 403);
    await expectStatus(call('DELETE', `/v1/feeds/${created.id}`, { token: a.adminToken }), 204);
    await expectStatus(call('DELETE', `/v1/feeds/${global.id}`, { token: ROOT_TOKEN }), 204);
    const audit = await expectStatus<{ items: { action: string }[] }>(
      call('GET', `/v1/audit?target=feed:${created.id}`, { token: a.adminToken }),
      200,
    );
    expect(audit.items.map((e) => e.action)).toEqual(['feed.delete', 'feed.create']);
  });

  it('stores a run, saves the cursor and validators, and asks conditionally next time', async () => {
    const upstream = kevUpstream();
    const first = await runFeed(env.DB, 'kev', { fetch: upstream.fetch, clock, budgetMs: 10_000 });
    expect(first).toMatchObject({ status: 'ok', run: { enrichment: 3 } });
    expect(await kevCount()).toBe(3);
    const row = await feedRow('kev');
    expect(row).toMatchObject({ etag: '"v1"', last_error: null, consecutive_failures: 0, running_until: null });
    expect(JSON.parse(String(row?.cursor))).toBeTruthy();
    expect(Date.parse(String(row?.next_run_at))).toBe(clockAt + 21_600_000);

    const again = await runFeed(env.DB, 'kev', { fetch: upstream.fetch, clock, budgetMs: 10_000 });
    expect(again).toMatchObject({ status: 'ok', run: { enrichment: 0 } });
    expect(upstream.requests.at(-1)?.ifNoneMatch).toBe('"v1"');
    expect(await kevCount()).toBe(3);

    const rootAudit = await expectStatus<{ items: { actor: string; action: string }[] }>(
      call('GET', '/v1/audit?action=kev.update', { token: ROOT_TOKEN }),
      200,
    );
    expect(rootAudit.items[0]).toMatchObject({ actor: 'feed:kev', action: 'kev.update' });
  });

  it('keeps the cursor and backs off exponentially after failures, honouring Retry-After', async () => {
    await env.DB.prepare("UPDATE feeds SET cursor = '\"kept\"', consecutive_failures = 0 WHERE id = 'kev'").run();
    const failures: number[] = [];
    for (let i = 0; i < 3; i++) {
      const result = await runFeed(env.DB, 'kev', { fetch: kevUpstream({ fail: 500 }).fetch, clock, budgetMs: 10_000 });
      expect(result).toMatchObject({ status: 'failed', error: expect.stringContaining('answered 500') });
      failures.push(Date.parse(String((await feedRow('kev'))?.next_run_at)) - clockAt);
    }
    expect(failures).toEqual([300_000, 600_000, 1_200_000]);
    expect(await feedRow('kev')).toMatchObject({
      cursor: '"kept"',
      consecutive_failures: 3,
      last_error: expect.stringContaining('500'),
    });

    const limited = await runFeed(env.DB, 'kev', {
      fetch: kevUpstream({ fail: 429, retryAfter: '7200' }).fetch,
      clock,
      budgetMs: 10_000,
    });
    expect(limited.status).toBe('failed');
    expect(Date.parse(String((await feedRow('kev'))?.next_run_at)) - clockAt).toBe(7_200_000);

    const recovered = await runFeed(env.DB, 'kev', { fetch: kevUpstream().fetch, clock, budgetMs: 10_000 });
    expect(recovered.status).toBe('ok');
    expect(await feedRow('kev')).toMatchObject({ consecutive_failures: 0, last_error: null });
  });

  it('files a refused document in the quarantine with why, stores the rest, and lists it to admins', async () => {
    const catalogWithBadEntry = JSON.parse(catalogJson) as { vulnerabilities: Record<string, unknown>[] };
    catalogWithBadEntry.vulnerabilities.push({ ...catalogWithBadEntry.vulnerabilities[0], cveID: 'not-a-cve' });
    const fetch = (async () =>
      new Response(JSON.stringify(catalogWithBadEntry), {
        headers: { 'content-type': 'application/json' },
      })) as typeof globalThis.fetch;
    const result = await runFeed(env.DB, 'kev', { fetch, clock, budgetMs: 10_000 });
    expect(result).toMatchObject({ status: 'ok', run: { enrichment: 3, quarantined: 1 } });
    const { adminToken } = await newTenant();
    const page = await expectStatus<{ items: { document: string; reason: string; excerpt: string }[] }>(
      call('GET', '/v1/feeds/kev/quarantine', { token: adminToken }),
      200,
    );
    expect(page.items).toHaveLength(1);
    expect(page.items[0]?.reason).toMatch(/cve/i);
    expect(page.items[0]?.excerpt).toContain('not-a-cve');
    // The same refusal again is not a second entry.
    await runFeed(env.DB, 'kev', { fetch, clock, budgetMs: 10_000 });
    const again = await expectStatus<{ items: unknown[] }>(
      call('GET', '/v1/feeds/kev/quarantine', { token: adminToken }),
      200,
    );
    expect(again.items).toHaveLength(1);
    const viewer = await newToken(adminToken, 'viewer');
    await expectStatus(call('GET', '/v1/feeds/kev/quarantine', { token: viewer }), 403);
  });

  it('never runs one feed twice at once', async () => {
    await env.DB.prepare("UPDATE feeds SET running_until = ?1 WHERE id = 'kev'")
      .bind(new Date(clockAt + 60_000).toISOString())
      .run();
    expect(await runFeed(env.DB, 'kev', { fetch: kevUpstream().fetch, clock, budgetMs: 10_000 })).toEqual({
      status: 'busy',
    });
    await env.DB.prepare("UPDATE feeds SET running_until = NULL WHERE id = 'kev'").run();
  });

  it('runs every due feed from the cron entry, each once, and none again until it is due', async () => {
    const upstream = kevUpstream();
    const ran = await runDueFeeds(env.DB, { fetch: upstream.fetch, clock, budgetMs: 20_000 });
    expect(new Set(ran.map((r) => r.id))).toEqual(new Set(catalog.filter((f) => !f.disabled).map((f) => f.id)));
    expect(ran.find((r) => r.id === 'kev')?.result.status).toBe('ok');
    // Without recorded answers, every other source that has something to ask fails, and waits for
    // its backoff (OSV's inventory mode asks nothing while no language package is installed).
    for (const { id, result } of ran.filter((r) => r.id !== 'kev' && r.id !== 'osv-inventory')) {
      expect(result.status, id).toBe('failed');
    }
    expect(await runDueFeeds(env.DB, { fetch: upstream.fetch, clock, budgetMs: 20_000 })).toEqual([]);
  });

  it('runs a feed on request through the API, with the upstream the app is given', async () => {
    clockAt += 86_400_000;
    const app = createApp({ clock, upstream: kevUpstream().fetch });
    const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;
    const { adminToken } = await newTenant();
    const response = await app.fetch(
      new Request('http://patchboard.test/v1/feeds/kev/sync', {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}` },
      }),
      env,
      ctx,
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', error: null, run: { quarantined: 0 } });
    const failing = createApp({ clock, upstream: kevUpstream({ fail: 502 }).fetch });
    const failed = await failing.fetch(
      new Request('http://patchboard.test/v1/feeds/kev/sync', {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}` },
      }),
      env,
      ctx,
    );
    expect(await failed.json()).toMatchObject({ status: 'failed', error: expect.stringContaining('502') });
    const viewer = await newToken(adminToken, 'viewer');
    await expectStatus(call('POST', '/v1/feeds/kev/sync', { token: viewer }), 403);
    await expectStatus(call('POST', '/v1/feeds/no-such-feed/sync', { token: adminToken }), 404);
  });
});
