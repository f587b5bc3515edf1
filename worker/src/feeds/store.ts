/**
 * Stores what feeds and imports deliver: advisories (each in one batch with its audit entry and its
 * rematch, so findings never lag), deletions, supersedence, and the per-CVE facts of KEV, EPSS and
 * NVD. Shared by the feed runner and POST /v1/advisories/import; quarantine records are handed back
 * to the caller, which files them (a feed's quarantine) or reports them (an import's rejections).
 */

import { findAdvisory, rangeRows, upsertAdvisoryStatements } from '../db/advisories';
import { type AuditActor, auditStatement } from '../db/audit';
import { chunks } from '../db/chunks';
import { rematchOutcome, rematchStatements } from '../match/rematch';
import { runTriageWork, TriageWork } from '../triage/follow-up';
import type { CveRecord, EpssScore, FeedRecord, KevEntry } from './feed';

export interface StoreContext {
  /** '' for global advisories, a tenant id for a tenant's own. */
  readonly scope: string;
  /** Who the audit log names: a token, or the feed (`feed:<id>`) with tenant '' for global changes. */
  readonly actor: AuditActor;
}

export interface StoreCounts {
  imported: number;
  unchanged: number;
  deleted: number;
  kev: number;
  epss: number;
  cves: number;
  findingsOpened: number;
  findingsResolved: number;
}

/** A refused record, with its position in the records stored (an import reports it by index). */
export type Quarantined = Extract<FeedRecord, { kind: 'quarantine' }> & { readonly index: number };

export function emptyCounts(): StoreCounts {
  return { imported: 0, unchanged: 0, deleted: 0, kev: 0, epss: 0, cves: 0, findingsOpened: 0, findingsResolved: 0 };
}

export function addCounts(into: StoreCounts, more: StoreCounts): void {
  for (const key of Object.keys(into) as (keyof StoreCounts)[]) into[key] += more[key];
}

/** Stores records in order; answers the counts and the records to quarantine. */
export async function storeRecords(
  db: D1Database,
  records: readonly FeedRecord[],
  context: StoreContext,
): Promise<{ counts: StoreCounts; quarantined: Quarantined[] }> {
  const counts = emptyCounts();
  const quarantined: Quarantined[] = [];
  const work = new TriageWork();
  for (const [index, record] of records.entries()) {
    switch (record.kind) {
      case 'advisory': {
        const outcome = await storeAdvisory(db, record, context, work);
        if ('reason' in outcome) {
          quarantined.push({
            kind: 'quarantine',
            index,
            document: record.advisory.id,
            reason: outcome.reason,
            content: JSON.stringify(record.advisory).slice(0, 2048),
          });
        } else {
          addCounts(counts, outcome);
        }
        break;
      }
      case 'deleted':
        addCounts(counts, await withdraw(db, context, [record.id], 'deleted by its source', work));
        break;
      case 'kev':
        counts.kev += await storeKev(db, context.actor, record.entries, work);
        break;
      case 'epss':
        counts.epss += await storeEpss(db, context.actor, record.scores, work);
        break;
      case 'cve':
        addCounts(counts, await storeCves(db, context, record.records, work));
        break;
      case 'quarantine':
        quarantined.push({ ...record, index });
        break;
    }
  }
  // Priorities follow what was stored; the stored records are committed whatever triage does, and
  // the cron's sweep catches findings a failed pass left unprioritised.
  await runTriageWork(db, work, new Date(context.actor.at));
  return { counts, quarantined };
}

async function storeAdvisory(
  db: D1Database,
  record: Extract<FeedRecord, { kind: 'advisory' }>,
  context: StoreContext,
  work: TriageWork,
): Promise<StoreCounts | { reason: string }> {
  const counts = emptyCounts();
  const { advisory, contentHash } = record;
  const existing = await findAdvisory(db, context.scope, advisory.id);
  if (existing?.content_hash === contentHash) {
    counts.unchanged = 1;
    return counts;
  }
  const ranges = rangeRows(advisory);
  if ('error' in ranges) return { reason: ranges.error };
  const results = await db.batch([
    ...supersedenceStatements(db, record.supersedence ?? []),
    ...upsertAdvisoryStatements(db, context.actor, context.scope, advisory, ranges, contentHash),
    ...rematchStatements(db, { kind: 'advisory', id: advisory.id, tenantId: context.scope || null }, context.actor.at),
  ]);
  const rematch = rematchOutcome(results);
  work.advisory(context.scope, advisory.id);
  counts.imported = 1;
  counts.findingsOpened = rematch.upserted;
  counts.findingsResolved = rematch.resolved;
  if (record.supersedence?.length) {
    const newer = [...new Set(record.supersedence.map(([kb]) => kb))];
    for (const other of await advisoriesFixedByImpliedKbs(db, newer)) {
      if (other.scope === context.scope && other.id === advisory.id) continue;
      work.advisory(other.scope, other.id);
      const outcome = rematchOutcome(
        await db.batch(
          rematchStatements(db, { kind: 'advisory', id: other.id, tenantId: other.scope || null }, context.actor.at),
        ),
      );
      counts.findingsOpened += outcome.upserted;
      counts.findingsResolved += outcome.resolved;
    }
  }
  return counts;
}

/**
 * Advisories fixed by a KB that one of these newer KBs now implies. A host that already had the
 * newer update when the older advisory was stored is fixed from the moment the supersedence is
 * known, so those advisories are rematched at once rather than at the host's next report.
 */
async function advisoriesFixedByImpliedKbs(
  db: D1Database,
  newer: readonly string[],
): Promise<{ scope: string; id: string }[]> {
  const { results } = await db
    .prepare(
      `SELECT DISTINCT a.scope, a.id FROM range_kbs rk
       JOIN affected_ranges r ON r.id = rk.range_id JOIN advisories a ON a.pk = r.advisory_pk
       WHERE rk.kb IN (SELECT implied FROM kb_implies WHERE kb IN (SELECT value FROM json_each(?1)))`,
    )
    .bind(JSON.stringify(newer))
    .all<{ scope: string; id: string }>();
  return results;
}

/**
 * New supersedence edges, and the transitive closure rebuilt when there are any: having KB `kb`
 * installed implies having every KB it replaces, directly or through a chain of cumulative updates.
 */
function supersedenceStatements(db: D1Database, edges: readonly (readonly [string, string])[]): D1PreparedStatement[] {
  if (edges.length === 0) return [];
  return [
    db
      .prepare(
        'INSERT OR IGNORE INTO kb_supersedence (kb, supersedes) SELECT value ->> 0, value ->> 1 FROM json_each(?1)',
      )
      .bind(JSON.stringify(edges)),
    db.prepare('DELETE FROM kb_implies'),
    db.prepare(
      `INSERT INTO kb_implies (implied, kb)
       WITH RECURSIVE closure(implied, kb) AS (
         SELECT supersedes, kb FROM kb_supersedence
         UNION SELECT s.supersedes, c.kb FROM closure c JOIN kb_supersedence s ON s.kb = c.implied)
       SELECT implied, kb FROM closure`,
    ),
  ];
}

/** Withdraws advisories of the scope by id (a source deleted them, or all their CVEs were rejected) and rematches each. */
async function withdraw(
  db: D1Database,
  context: StoreContext,
  ids: readonly string[],
  why: string,
  work: TriageWork,
): Promise<StoreCounts> {
  const counts = emptyCounts();
  for (const id of ids) {
    const results = await db.batch([
      db
        .prepare(
          `UPDATE advisories SET withdrawn = ?3, updated_at = ?3, document = json_set(document, '$.withdrawn', ?3)
           WHERE scope = ?1 AND id = ?2 AND withdrawn IS NULL`,
        )
        .bind(context.scope, id, context.actor.at),
      auditStatement(
        db,
        { ...context.actor, action: 'advisory.withdraw', target: `advisory:${id}`, summary: { why } },
        { onlyIfChanged: true },
      ),
      ...rematchStatements(db, { kind: 'advisory', id, tenantId: context.scope || null }, context.actor.at),
    ]);
    if ((results[0]?.meta.changes ?? 0) > 0) counts.deleted += 1;
    work.advisory(context.scope, id);
    const rematch = rematchOutcome(results);
    counts.findingsResolved += rematch.resolved;
  }
  return counts;
}

async function storeKev(
  db: D1Database,
  actor: AuditActor,
  entries: readonly KevEntry[],
  work: TriageWork,
): Promise<number> {
  let changed = 0;
  for (const chunk of chunks(entries)) {
    const [result] = await db.batch([
      db
        .prepare(
          `INSERT INTO kev_entries (cve, vendor, product, name, description, date_added, due_date, required_action, ransomware, notes, updated_at)
           SELECT value ->> 'cve', value ->> 'vendor', value ->> 'product', value ->> 'name', value ->> 'description',
                  value ->> 'dateAdded', value ->> 'dueDate', value ->> 'requiredAction', value ->> 'ransomware', value ->> 'notes', ?2
           FROM json_each(?1) WHERE true
           ON CONFLICT (cve) DO UPDATE SET vendor = excluded.vendor, product = excluded.product, name = excluded.name,
             description = excluded.description, date_added = excluded.date_added, due_date = excluded.due_date,
             required_action = excluded.required_action, ransomware = excluded.ransomware, notes = excluded.notes,
             updated_at = excluded.updated_at
           WHERE (kev_entries.vendor, kev_entries.product, kev_entries.name, kev_entries.description, kev_entries.date_added,
                  kev_entries.due_date, kev_entries.required_action, kev_entries.ransomware, kev_entries.notes)
             IS NOT (excluded.vendor, excluded.product, excluded.name, excluded.description, excluded.date_added,
                     excluded.due_date, excluded.required_action, excluded.ransomware, excluded.notes)
           RETURNING cve`,
        )
        .bind(JSON.stringify(chunk), actor.at),
      auditStatement(
        db,
        { ...actor, action: 'kev.update', target: 'kev', summary: { entries: chunk.length } },
        { onlyIfChanged: true },
      ),
    ]);
    changed += result?.meta.changes ?? 0;
    work.changedCves(changedCves(result));
  }
  return changed;
}

async function storeEpss(
  db: D1Database,
  actor: AuditActor,
  scores: readonly EpssScore[],
  work: TriageWork,
): Promise<number> {
  let changed = 0;
  for (const chunk of chunks(scores)) {
    const [result] = await db.batch([
      db
        .prepare(
          `INSERT INTO epss_scores (cve, score, percentile, score_date, model_version)
           SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4 FROM json_each(?1) WHERE true
           ON CONFLICT (cve) DO UPDATE SET score = excluded.score, percentile = excluded.percentile,
             score_date = excluded.score_date, model_version = excluded.model_version
           WHERE excluded.score_date >= epss_scores.score_date
             AND (epss_scores.score, epss_scores.percentile, epss_scores.score_date) IS NOT
                 (excluded.score, excluded.percentile, excluded.score_date)
           RETURNING cve`,
        )
        .bind(JSON.stringify(chunk.map((s) => [s.cve, s.score, s.percentile, s.scoreDate, s.modelVersion]))),
      auditStatement(
        db,
        {
          ...actor,
          action: 'epss.update',
          target: 'epss',
          summary: { scores: chunk.length, scoreDate: chunk[0]?.scoreDate },
        },
        { onlyIfChanged: true },
      ),
    ]);
    changed += result?.meta.changes ?? 0;
    work.changedCves(changedCves(result));
  }
  return changed;
}

/**
 * NVD's view of CVEs. A CVE NVD rejects drops out: every advisory whose CVEs are all rejected is
 * withdrawn, and its findings resolve.
 */
async function storeCves(
  db: D1Database,
  context: StoreContext,
  records: readonly CveRecord[],
  work: TriageWork,
): Promise<StoreCounts> {
  const counts = emptyCounts();
  for (const chunk of chunks(records)) {
    const [result] = await db.batch([
      db
        .prepare(
          `INSERT INTO cve_records (cve, status, published, modified, description, cvss3_vector, cvss3_score, cvss4_vector, cvss4_score, cwes, updated_at)
           SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7, value ->> 8,
                  value ->> 9, ?2
           FROM json_each(?1) WHERE true
           ON CONFLICT (cve) DO UPDATE SET status = excluded.status, published = excluded.published, modified = excluded.modified,
             description = excluded.description, cvss3_vector = excluded.cvss3_vector, cvss3_score = excluded.cvss3_score,
             cvss4_vector = excluded.cvss4_vector, cvss4_score = excluded.cvss4_score, cwes = excluded.cwes, updated_at = excluded.updated_at
           -- An older record never wins; the same one delivered again (NVD has no 304) changes nothing.
           WHERE excluded.modified > cve_records.modified
              OR (excluded.modified = cve_records.modified
                  AND (excluded.status, excluded.published, excluded.description, excluded.cvss3_vector, excluded.cvss3_score,
                       excluded.cvss4_vector, excluded.cvss4_score, excluded.cwes)
                      IS NOT (cve_records.status, cve_records.published, cve_records.description, cve_records.cvss3_vector,
                              cve_records.cvss3_score, cve_records.cvss4_vector, cve_records.cvss4_score, cve_records.cwes))
           RETURNING cve`,
        )
        .bind(
          JSON.stringify(
            chunk.map((r) => [
              r.cve,
              r.status,
              r.published,
              r.modified,
              r.description,
              r.cvss3?.vector ?? null,
              r.cvss3?.score ?? null,
              r.cvss4?.vector ?? null,
              r.cvss4?.score ?? null,
              JSON.stringify(r.cwes),
            ]),
          ),
          context.actor.at,
        ),
      auditStatement(
        db,
        { ...context.actor, action: 'nvd.update', target: 'nvd', summary: { records: chunk.length } },
        { onlyIfChanged: true },
      ),
    ]);
    counts.cves += result?.meta.changes ?? 0;
    work.changedCves(changedCves(result));
    const rejected = chunk.filter((r) => r.status === 'Rejected').map((r) => r.cve);
    if (rejected.length > 0) {
      for (const advisory of await advisoriesAllRejected(db, rejected)) {
        addCounts(
          counts,
          await withdraw(
            db,
            { ...context, scope: advisory.scope },
            [advisory.id],
            'all its CVEs are rejected by NVD',
            work,
          ),
        );
      }
    }
  }
  return counts;
}

/** Live advisories naming one of these CVEs whose CVEs are, all of them, rejected. */
async function advisoriesAllRejected(
  db: D1Database,
  cves: readonly string[],
): Promise<{ scope: string; id: string }[]> {
  const { results } = await db
    .prepare(
      `SELECT a.scope, a.id FROM advisories a
       WHERE a.withdrawn IS NULL
         AND (a.id IN (SELECT value FROM json_each(?1))
              OR a.pk IN (SELECT advisory_pk FROM advisory_aliases WHERE alias IN (SELECT value FROM json_each(?1))))
         AND json_array_length(a.cves) > 0
         AND NOT EXISTS (SELECT 1 FROM json_each(a.cves) c LEFT JOIN cve_records r ON r.cve = c.value
                         WHERE r.status IS NOT 'Rejected')`,
    )
    .bind(JSON.stringify(cves))
    .all<{ scope: string; id: string }>();
  return results;
}

/** The CVEs an upsert `... RETURNING cve` inserted or changed. */
function changedCves(result: D1Result | undefined): string[] {
  return ((result?.results ?? []) as { cve: string }[]).map((row) => row.cve);
}
