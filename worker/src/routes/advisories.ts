import { routes } from '@patchboard/shared/api';
import type { AdvisoryDocument } from '@patchboard/shared/schemas/advisory';
import type { Hono } from 'hono';
import { readImport } from '../advisories/import';
import {
  advisoryFindingCounts,
  findAdvisory,
  findVisibleAdvisory,
  rangeRows,
  upsertAdvisoryStatements,
} from '../db/advisories';
import { ApiError, notFound } from '../http/errors';
import { type AppEnv, auditActor, mount } from '../http/routing';
import { rematchOutcome, rematchStatements } from '../match/rematch';

/** Most documents one import takes; larger sets go through the feeds (or several imports). */
const MAX_DOCUMENTS = 5_000;

export function mountAdvisories(app: Hono<AppEnv>): void {
  mount(app, routes.importAdvisories, async (c, { body, principal, now }) => {
    if (body.contentType !== 'application/json') {
      throw new ApiError(
        415,
        'unsupported_media_type',
        `send advisories as application/json (got "${body.contentType || 'none'}")`,
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.text);
    } catch (err) {
      throw new ApiError(400, 'bad_request', `body is not valid JSON: ${(err as Error).message}`);
    }
    if (Array.isArray(parsed) && parsed.length > MAX_DOCUMENTS) {
      throw new ApiError(400, 'bad_request', `at most ${MAX_DOCUMENTS} advisories per import (got ${parsed.length})`);
    }
    const actor = auditActor(principal, now);
    const result = {
      imported: 0,
      unchanged: 0,
      rejected: [] as { index: number; id: string | null; reason: string }[],
    };
    const opened: number[] = [];
    const resolved: number[] = [];
    for (const [index, document] of (await readImport(parsed)).entries()) {
      if (!document.ok) {
        result.rejected.push({ index, id: document.id, reason: document.reason });
        continue;
      }
      const { advisory, contentHash } = document;
      const existing = await findAdvisory(c.env.DB, principal.tenantId, advisory.id);
      if (existing?.content_hash === contentHash) {
        result.unchanged += 1;
        continue;
      }
      const ranges = rangeRows(advisory);
      if ('error' in ranges) {
        result.rejected.push({ index, id: advisory.id, reason: ranges.error });
        continue;
      }
      // The advisory, its ranges, its audit entry and the findings it causes land together.
      const outcome = await c.env.DB.batch([
        ...upsertAdvisoryStatements(c.env.DB, actor, principal.tenantId, advisory, ranges, contentHash),
        ...rematchStatements(c.env.DB, { kind: 'advisory', id: advisory.id, tenantId: principal.tenantId }, actor.at),
      ]);
      const changes = rematchOutcome(outcome);
      opened.push(changes.upserted);
      resolved.push(changes.resolved);
      result.imported += 1;
    }
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    return { ...result, findings: { opened: sum(opened), resolved: sum(resolved) } };
  });

  mount(app, routes.getAdvisory, async (c, { params, principal }) => {
    const row = await findVisibleAdvisory(c.env.DB, principal.tenantId, params.id);
    if (!row) throw notFound(`advisory "${params.id}"`);
    const document = JSON.parse(row.document) as AdvisoryDocument;
    return {
      ...document,
      scope: row.scope === '' ? ('global' as const) : ('tenant' as const),
      findings: await advisoryFindingCounts(c.env.DB, principal.tenantId, row.pk),
    };
  });
}
