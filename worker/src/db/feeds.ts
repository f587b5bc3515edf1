import type { Feed, FeedStats } from '@patchboard/shared/schemas/feed';
import type { CatalogFeed } from '../feeds/catalog';
import type { FeedKind } from '../feeds/feed';

export interface FeedRow {
  id: string;
  scope: string;
  kind: FeedKind;
  name: string;
  url: string;
  config: string;
  enabled: number;
  interval_seconds: number;
  cursor: string | null;
  etag: string | null;
  last_modified: string | null;
  next_run_at: string;
  running_until: string | null;
  last_attempt_at: string | null;
  last_success_at: string | null;
  last_error: string | null;
  consecutive_failures: number;
  stats: string;
}

const ZERO: FeedStats = {
  imported: 0,
  unchanged: 0,
  deleted: 0,
  quarantined: 0,
  enrichment: 0,
  findingsOpened: 0,
  findingsResolved: 0,
};

export function zeroStats(): FeedStats {
  return { ...ZERO };
}

export function toFeed(row: FeedRow, now: Date): Feed {
  const stats = JSON.parse(row.stats) as { lastRun?: FeedStats; total?: FeedStats };
  return {
    id: row.id,
    scope: row.scope === '' ? 'global' : 'tenant',
    kind: row.kind,
    name: row.name,
    url: row.url,
    enabled: row.enabled === 1,
    intervalSeconds: row.interval_seconds,
    cursor: row.cursor === null ? null : (JSON.parse(row.cursor) as unknown),
    etag: row.etag,
    nextRunAt: row.next_run_at,
    running: row.running_until !== null && row.running_until > now.toISOString(),
    lastAttemptAt: row.last_attempt_at,
    lastSuccessAt: row.last_success_at,
    lastError: row.last_error,
    consecutiveFailures: row.consecutive_failures,
    lastRun: stats.lastRun ?? null,
    total: stats.total ?? zeroStats(),
  };
}

/** Creates the catalog's feeds that do not exist yet; existing ones keep their state (and a changed URL is taken over). */
export async function ensureCatalog(db: D1Database, catalog: readonly CatalogFeed[], now: Date): Promise<void> {
  await db
    .prepare(
      `INSERT INTO feeds (id, scope, kind, name, url, config, interval_seconds, enabled, next_run_at)
       SELECT value ->> 'id', '', value ->> 'kind', value ->> 'name', value ->> 'url', value ->> 'config',
              value ->> 'intervalSeconds', CASE WHEN value ->> 'disabled' THEN 0 ELSE 1 END, ?2
       FROM json_each(?1) WHERE true
       ON CONFLICT (id) DO UPDATE SET url = excluded.url, name = excluded.name, config = excluded.config
       WHERE (feeds.url, feeds.name, feeds.config) IS NOT (excluded.url, excluded.name, excluded.config)`,
    )
    .bind(JSON.stringify(catalog.map((f) => ({ ...f, config: JSON.stringify(f.config) }))), now.toISOString())
    .run();
}

/** The feeds a scope sees: the global ones and, for a tenant, its own. */
export async function listFeeds(db: D1Database, scope: string): Promise<FeedRow[]> {
  const { results } = await db
    .prepare("SELECT * FROM feeds WHERE scope = '' OR scope = ?1 ORDER BY scope <> '', id")
    .bind(scope)
    .all<FeedRow>();
  return results;
}

export async function findVisibleFeed(db: D1Database, scope: string, id: string): Promise<FeedRow | null> {
  return db
    .prepare("SELECT * FROM feeds WHERE id = ?1 AND (scope = '' OR scope = ?2)")
    .bind(id, scope)
    .first<FeedRow>();
}

/** The next feed due to run whose lease is free, or null. */
export async function nextDueFeed(db: D1Database, now: Date): Promise<FeedRow | null> {
  const at = now.toISOString();
  return db
    .prepare(
      `SELECT * FROM feeds WHERE enabled = 1 AND next_run_at <= ?1 AND (running_until IS NULL OR running_until < ?1)
       ORDER BY next_run_at LIMIT 1`,
    )
    .bind(at)
    .first<FeedRow>();
}

/**
 * Takes the feed's lease (until `until`), or answers null when another run holds it. One UPDATE,
 * so two invocations racing for the same feed cannot both win.
 */
export async function leaseFeed(db: D1Database, id: string, now: Date, until: Date): Promise<FeedRow | null> {
  return db
    .prepare(
      `UPDATE feeds SET running_until = ?3, last_attempt_at = ?2
       WHERE id = ?1 AND (running_until IS NULL OR running_until < ?2) RETURNING *`,
    )
    .bind(id, now.toISOString(), until.toISOString())
    .first<FeedRow>();
}

export function saveCursorStatement(
  db: D1Database,
  id: string,
  position: { cursor: unknown; etag?: string | null | undefined; lastModified?: string | null | undefined },
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE feeds SET cursor = ?2, etag = CASE WHEN ?5 THEN ?3 ELSE etag END,
         last_modified = CASE WHEN ?6 THEN ?4 ELSE last_modified END WHERE id = ?1`,
    )
    .bind(
      id,
      JSON.stringify(position.cursor ?? null),
      position.etag ?? null,
      position.lastModified ?? null,
      position.etag !== undefined ? 1 : 0,
      position.lastModified !== undefined ? 1 : 0,
    );
}

export function fileQuarantineStatement(
  db: D1Database,
  feedId: string,
  entry: { document: string; reason: string; contentHash: string; excerpt: string },
  at: string,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO feed_quarantine (feed_id, document, reason, content_hash, excerpt, received_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6)
       ON CONFLICT (feed_id, document, content_hash) DO UPDATE SET reason = excluded.reason, received_at = excluded.received_at`,
    )
    .bind(feedId, entry.document, entry.reason, entry.contentHash, entry.excerpt, at);
}

/** Ends a run: releases the lease and records its outcome and when to run next. */
export async function finishRun(
  db: D1Database,
  id: string,
  outcome: {
    readonly now: Date;
    readonly nextRunAt: Date;
    readonly error: string | null;
    readonly lastRun: FeedStats;
  },
): Promise<void> {
  const at = outcome.now.toISOString();
  await db
    .prepare(
      `UPDATE feeds SET running_until = NULL, next_run_at = ?2,
         last_success_at = CASE WHEN ?3 IS NULL THEN ?4 ELSE last_success_at END,
         last_error = ?3,
         consecutive_failures = CASE WHEN ?3 IS NULL THEN 0 ELSE consecutive_failures + 1 END,
         stats = json_object('lastRun', json(?5), 'total', (
           SELECT json_group_object(key, coalesce(stats -> '$.total' ->> key, 0) + value) FROM json_each(?5)))
       WHERE id = ?1`,
    )
    .bind(id, outcome.nextRunAt.toISOString(), outcome.error, at, JSON.stringify(outcome.lastRun))
    .run();
}

export interface QuarantineRow {
  id: number;
  document: string;
  reason: string;
  content_hash: string;
  excerpt: string;
  received_at: string;
}

export async function listQuarantine(
  db: D1Database,
  feedId: string,
  page: { beforeId?: number | undefined; limit: number },
): Promise<QuarantineRow[]> {
  const { results } = await db
    .prepare(
      `SELECT id, document, reason, content_hash, excerpt, received_at FROM feed_quarantine
       WHERE feed_id = ?1 AND (?2 IS NULL OR id < ?2) ORDER BY id DESC LIMIT ?3`,
    )
    .bind(feedId, page.beforeId ?? null, page.limit)
    .all<QuarantineRow>();
  return results;
}
