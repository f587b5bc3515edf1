/**
 * Syncing an OSV feed: `{ "mode": "bulk", "ecosystem": "Debian" }` follows one distribution's
 * records in the OSV bucket (bulk.ts); `{ "mode": "inventory" }` asks the OSV API about the language
 * packages installed in the fleet (inventory.ts).
 */
import * as v from 'valibot';
import type { FeedBatch, FeedRun } from '../feed';
import { syncBulk } from './bulk';
import { BulkCursor, cursorOf, InventoryCursor, OsvFeedConfig } from './config';
import { syncInventory } from './inventory';
import { DEFAULT_LIMITS, type OsvLimits } from './source';

export async function* syncOsv(
  run: FeedRun,
  limits: OsvLimits = DEFAULT_LIMITS,
): AsyncGenerator<FeedBatch, void, void> {
  const config = v.safeParse(OsvFeedConfig, run.feed.config);
  if (!config.success) {
    // A configuration mistake, not an upstream failure: the run fails and says what to fix.
    throw new Error(
      `feed ${run.feed.id}: config must be {"mode":"bulk","ecosystem":"<OSV ecosystem>"} or {"mode":"inventory"}: ${config.issues[0]?.message}`,
    );
  }
  if (config.output.mode === 'bulk') {
    yield* syncBulk(run, config.output.ecosystem, cursorOf(BulkCursor, run.feed.cursor), limits);
  } else {
    yield* syncInventory(run, cursorOf(InventoryCursor, run.feed.cursor), limits);
  }
}
