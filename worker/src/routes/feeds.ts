import { routes } from '@patchboard/shared/api';
import type { Hono } from 'hono';
import { auditStatement } from '../db/audit';
import { ensureCatalog, findVisibleFeed, listFeeds, listQuarantine, toFeed } from '../db/feeds';
import { catalog } from '../feeds/catalog';
import { runFeed } from '../feeds/runner';
import { DEFAULT_PAGE_SIZE, decodeCursor, pageOf } from '../http/cursor';
import { ApiError, forbidden, notFound } from '../http/errors';
import { type AppEnv, auditActor, mount, scopeOf } from '../http/routing';

/** How long a sync asked for over the API may run before it answers (it resumes on schedule). */
const SYNC_BUDGET_MS = 20_000;

const catalogIds = new Set(catalog.map((f) => f.id));

/** A feed id for a provider: readable, unique per scope, and never one of the catalog's. */
function feedId(scope: string, name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);
  return scope === '' ? `csaf-${slug || 'provider'}` : `t-${scope.slice(3, 11).toLowerCase()}-${slug || 'provider'}`;
}

export function mountFeeds(app: Hono<AppEnv>): void {
  mount(app, routes.listFeeds, async (c, { principal, now }) => {
    await ensureCatalog(c.env.DB, catalog, now);
    return { items: (await listFeeds(c.env.DB, scopeOf(principal))).map((row) => toFeed(row, now)) };
  });

  mount(app, routes.createFeed, async (c, { body, principal, now }) => {
    const scope = scopeOf(principal);
    const id = feedId(scope, body.name);
    const actor = auditActor(principal, now);
    const results = await c.env.DB.batch([
      c.env.DB.prepare(
        `INSERT INTO feeds (id, scope, kind, name, url, config, interval_seconds, next_run_at)
         VALUES (?1, ?2, ?3, ?4, ?5, '{}', ?6, ?7) ON CONFLICT (id) DO NOTHING`,
      ).bind(id, scope, body.kind, body.name, body.url, body.intervalSeconds ?? 3_600, now.toISOString()),
      auditStatement(
        c.env.DB,
        { ...actor, action: 'feed.create', target: `feed:${id}`, summary: { kind: body.kind, url: body.url } },
        { onlyIfChanged: true },
      ),
    ]);
    if ((results[0]?.meta.changes ?? 0) === 0) throw new ApiError(409, 'conflict', `a feed "${id}" exists already`);
    const row = await findVisibleFeed(c.env.DB, scope, id);
    if (!row) throw notFound(`feed "${id}"`);
    return toFeed(row, now);
  });

  mount(app, routes.deleteFeed, async (c, { params, principal, now }) => {
    const scope = scopeOf(principal);
    const row = await findVisibleFeed(c.env.DB, scope, params.id);
    if (!row) throw notFound(`feed "${params.id}"`);
    if (catalogIds.has(row.id)) throw forbidden(`"${row.id}" is one of the preconfigured feeds; it cannot be deleted`);
    if (row.scope !== scope) throw forbidden('a global feed is removed with the root token');
    await c.env.DB.batch([
      c.env.DB.prepare('DELETE FROM feeds WHERE id = ?1 AND scope = ?2').bind(row.id, scope),
      auditStatement(
        c.env.DB,
        { ...auditActor(principal, now), action: 'feed.delete', target: `feed:${row.id}`, summary: { url: row.url } },
        { onlyIfChanged: true },
      ),
    ]);
    return undefined;
  });

  mount(app, routes.syncFeed, async (c, { params, principal, now }) => {
    await ensureCatalog(c.env.DB, catalog, now);
    const row = await findVisibleFeed(c.env.DB, scopeOf(principal), params.id);
    if (!row) throw notFound(`feed "${params.id}"`);
    if (row.enabled !== 1) return { status: 'disabled' as const, error: null, run: null, nextRunAt: null };
    const result = await runFeed(c.env.DB, row.id, {
      fetch: c.var.upstream,
      clock: c.var.clock,
      budgetMs: SYNC_BUDGET_MS,
      nvdApiKey: c.env.NVD_API_KEY,
    });
    if (result.status === 'busy') throw new ApiError(409, 'conflict', `feed "${row.id}" is running already`);
    return {
      status: result.status,
      error: result.status === 'failed' ? result.error : null,
      run: result.run,
      nextRunAt: result.nextRunAt,
    };
  });

  mount(app, routes.listQuarantine, async (c, { params, query, principal }) => {
    const row = await findVisibleFeed(c.env.DB, scopeOf(principal), params.id);
    if (!row) throw notFound(`feed "${params.id}"`);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const [beforeId] = decodeCursor(query.cursor, ['number']) ?? [];
    const rows = await listQuarantine(c.env.DB, row.id, { beforeId, limit: limit + 1 });
    return pageOf(
      rows,
      limit,
      (q) => ({
        id: q.id,
        document: q.document,
        reason: q.reason,
        contentHash: q.content_hash,
        excerpt: q.excerpt,
        receivedAt: q.received_at,
      }),
      (q) => [q.id],
    );
  });
}
