import { isAdvisoryId, parseAdvisoryId } from '@patchboard/shared/ids';
import type { LookupItem } from '@patchboard/shared/schemas/lookup';
import { assemble, type Requested } from './assemble';
import { lookupRows } from './queries';
import { wantedFor } from './wanted';

/**
 * What Patchboard knows of each id, for one tenant, in request order: one statement whatever the
 * number of ids. Ids that are not recognised are answered as such and never queried.
 */
export async function lookupIds(db: D1Database, tenantId: string, ids: readonly string[]): Promise<LookupItem[]> {
  const requested: Requested[] = ids.map((id) => ({ id, ...parseAdvisoryId(id) }));
  const wanted = requested.flatMap((r, idx) => (isAdvisoryId(r) ? [wantedFor(idx, r)] : []));
  return assemble(requested, await lookupRows(db, tenantId, wanted));
}
