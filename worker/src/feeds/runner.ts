/**
 * Runs feeds: takes a feed's lease, reads its adapter's batches, stores each one and only then
 * saves the cursor after it, files refused documents in the quarantine, and ends with the next run
 * time: the feed's interval after success, sooner when the run stopped at its budget, and an
 * exponential backoff after failures (or the source's Retry-After when it asked for longer).
 * An upstream failure never advances the cursor and never deletes anything.
 */
import type { FeedStats } from '@patchboard/shared/schemas/feed';
import {
  ensureCatalog,
  type FeedRow,
  fileQuarantineStatement,
  finishRun,
  leaseFeed,
  nextDueFeed,
  saveCursorStatement,
  zeroStats,
} from '../db/feeds';
import { catalog } from './catalog';
import { FeedError } from './errors';
import type { FeedRun, FeedState } from './feed';
import { digestHex } from './http';
import { adapters } from './registry';
import { storeRecords } from './store';

export interface RunOptions {
  readonly fetch: typeof fetch;
  readonly clock: () => Date;
  /** Wall-clock budget of one run; a long sync resumes from its cursor in the next one. */
  readonly budgetMs: number;
  readonly nvdApiKey?: string | undefined;
}

export type RunResult =
  | { readonly status: 'busy' }
  | { readonly status: 'ok' | 'partial'; readonly run: FeedStats; readonly nextRunAt: string }
  | { readonly status: 'failed'; readonly error: string; readonly run: FeedStats; readonly nextRunAt: string };

/** A run that stopped at its budget is continued this soon. */
const CONTINUE_AFTER_MS = 60_000;
/** The first retry after a failure; it doubles with each further failure, up to a day. */
const FIRST_RETRY_MS = 5 * 60_000;
const MAX_RETRY_MS = 24 * 3_600_000;
/** A lease outlives the budget, so a crashed run frees the feed soon, and a live one is never doubled. */
const LEASE_GRACE_MS = 60_000;

export function backoffMs(failures: number, intervalSeconds: number, retryAfterSeconds?: number): number {
  const exponential = Math.min(
    MAX_RETRY_MS,
    Math.min(FIRST_RETRY_MS, intervalSeconds * 1000) * 2 ** Math.max(0, failures - 1),
  );
  return Math.max(exponential, (retryAfterSeconds ?? 0) * 1000);
}

function stateOf(row: FeedRow): FeedState {
  return {
    id: row.id,
    kind: row.kind,
    url: row.url,
    config: JSON.parse(row.config) as Record<string, unknown>,
    cursor: row.cursor === null ? null : (JSON.parse(row.cursor) as unknown),
    etag: row.etag,
    lastModified: row.last_modified,
  };
}

/** Runs one feed now; `busy` when another run holds it. */
export async function runFeed(db: D1Database, feedId: string, options: RunOptions): Promise<RunResult> {
  const now = options.clock();
  const started = Date.now();
  const lease = await leaseFeed(db, feedId, now, new Date(now.getTime() + options.budgetMs + LEASE_GRACE_MS));
  if (!lease) return { status: 'busy' };

  const run: FeedRun = {
    feed: stateOf(lease),
    fetch: options.fetch,
    now,
    deadline: started + options.budgetMs,
    db,
    secrets: { nvdApiKey: options.nvdApiKey },
  };
  // Feed changes are audited under the feed's name; global ones in the provider's log (tenant '').
  const actor = { tenantId: lease.scope, at: now.toISOString(), actor: `feed:${lease.id}`, actorRole: 'feed' };
  const stats = zeroStats();
  let partial = false;
  try {
    for await (const batch of adapters[lease.kind].sync(run)) {
      const { counts, quarantined } = await storeRecords(db, batch.records, { scope: lease.scope, actor });
      const files = await Promise.all(
        quarantined.map(async (q) =>
          fileQuarantineStatement(
            db,
            lease.id,
            {
              document: q.document,
              reason: q.reason,
              contentHash: await digestHex('SHA-256', q.content),
              excerpt: q.content.slice(0, 2048),
            },
            actor.at,
          ),
        ),
      );
      // The batch is stored: now, and only now, its position is saved (with its quarantine entries).
      await db.batch([...files, saveCursorStatement(db, lease.id, batch)]);
      stats.imported += counts.imported;
      stats.unchanged += counts.unchanged;
      stats.deleted += counts.deleted;
      stats.quarantined += quarantined.length;
      stats.enrichment += counts.kev + counts.epss + counts.cves;
      stats.findingsOpened += counts.findingsOpened;
      stats.findingsResolved += counts.findingsResolved;
      if (batch.more) partial = true;
      if (Date.now() >= run.deadline) {
        partial = true;
        break;
      }
    }
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    const failures = lease.consecutive_failures + 1;
    const retryAfter = err instanceof FeedError ? err.retryAfterSeconds : undefined;
    const nextRunAt = new Date(now.getTime() + backoffMs(failures, lease.interval_seconds, retryAfter));
    await finishRun(db, lease.id, { now, nextRunAt, error: error.slice(0, 1000), lastRun: stats });
    return { status: 'failed', error, run: stats, nextRunAt: nextRunAt.toISOString() };
  }
  const nextRunAt = new Date(now.getTime() + (partial ? CONTINUE_AFTER_MS : lease.interval_seconds * 1000));
  await finishRun(db, lease.id, { now, nextRunAt, error: null, lastRun: stats });
  return { status: partial ? 'partial' : 'ok', run: stats, nextRunAt: nextRunAt.toISOString() };
}

/** The cron entry: runs the feeds that are due, one after another, while the budget lasts. */
export async function runDueFeeds(db: D1Database, options: RunOptions): Promise<{ id: string; result: RunResult }[]> {
  const started = Date.now();
  await ensureCatalog(db, catalog, options.clock());
  const ran: { id: string; result: RunResult }[] = [];
  while (Date.now() - started < options.budgetMs) {
    const due = await nextDueFeed(db, options.clock());
    if (!due) break;
    const remaining = options.budgetMs - (Date.now() - started);
    ran.push({ id: due.id, result: await runFeed(db, due.id, { ...options, budgetMs: remaining }) });
  }
  return ran;
}
