import { explainInterval, keyInterval } from '@patchboard/shared/ranges';
import type { AdvisoryDocument } from '@patchboard/shared/schemas/advisory';
import { isInvalid } from '@patchboard/shared/versions/index';
import { AUDIT_COLUMNS, type AuditActor } from './audit';
import { chunks } from './chunks';

export interface AdvisoryRow {
  pk: number;
  scope: string;
  id: string;
  content_hash: string;
  document: string;
}

export async function findAdvisory(db: D1Database, scope: string, id: string): Promise<AdvisoryRow | null> {
  return db
    .prepare('SELECT pk, scope, id, content_hash, document FROM advisories WHERE scope = ?1 AND id = ?2')
    .bind(scope, id)
    .first<AdvisoryRow>();
}

/** The advisory a tenant sees under an id: its own import if it has one, else the global one. */
export async function findVisibleAdvisory(db: D1Database, tenantId: string, id: string): Promise<AdvisoryRow | null> {
  return db
    .prepare(
      `SELECT pk, scope, id, content_hash, document FROM advisories
       WHERE id = ?2 AND (scope = ?1 OR scope = '') ORDER BY scope = ?1 DESC LIMIT 1`,
    )
    .bind(tenantId, id)
    .first<AdvisoryRow>();
}

interface RangeRow {
  readonly ecosystem: string;
  readonly package: string;
  readonly lowerKey: string;
  readonly lowerInclusive: number;
  readonly upperKey: string | null;
  readonly upperInclusive: number;
  readonly introduced: string | null;
  readonly fixed: string | null;
  readonly lastAffected: string | null;
  readonly explanation: string;
  /** 1 when the package names fixing KBs: a host with one of them (or a newer one) installed is not affected. */
  readonly kbGated: number;
}

/** The matchable projection of an advisory: one row per affected interval, with keys and the reason text. */
export function rangeRows(advisory: AdvisoryDocument): RangeRow[] | { error: string } {
  const rows: RangeRow[] = [];
  for (const affected of advisory.affected) {
    for (const interval of affected.intervals) {
      const keyed = keyInterval(affected.ecosystem, interval);
      if (isInvalid(keyed)) return { error: `${affected.package}: ${keyed.reason}` };
      rows.push({
        ecosystem: affected.ecosystem,
        package: affected.package,
        lowerKey: keyed.lowerKey,
        lowerInclusive: keyed.lowerInclusive ? 1 : 0,
        upperKey: keyed.upperKey,
        upperInclusive: keyed.upperInclusive ? 1 : 0,
        introduced: interval.introduced ?? null,
        fixed: interval.fixed ?? null,
        lastAffected: interval.lastAffected ?? null,
        explanation: explainInterval(interval, advisory.id, affected.ecosystem),
        kbGated: affected.fixedBy?.kbs.length ? 1 : 0,
      });
    }
  }
  return rows;
}

const advisoryPk = '(SELECT pk FROM advisories WHERE scope = ?1 AND id = ?2)';

/**
 * Stores an advisory (new or changed) with its aliases and affected ranges, replacing what the
 * same scope held under that id, and audits it. The caller checked the content hash (the same
 * document again is not written) and adds the advisory's rematch to the same batch.
 */
export function upsertAdvisoryStatements(
  db: D1Database,
  actor: AuditActor,
  scope: string,
  advisory: AdvisoryDocument,
  ranges: readonly RangeRow[],
  contentHash: string,
): D1PreparedStatement[] {
  const statements = [
    db
      .prepare(
        `INSERT INTO ${AUDIT_COLUMNS}
         SELECT ?3, ?4, ?5, ?6, 'advisory.import', 'advisory:' || ?2, json_object(
           'scope', CASE ?1 WHEN '' THEN 'global' ELSE 'tenant' END, 'source', ?7, 'modified', ?8,
           'created', json(CASE WHEN ${advisoryPk} IS NULL THEN 'true' ELSE 'false' END),
           'withdrawn', ?9, 'ranges', ?10)`,
      )
      .bind(
        scope,
        advisory.id,
        actor.tenantId,
        actor.at,
        actor.actor,
        actor.actorRole,
        advisory.source,
        advisory.modified,
        advisory.withdrawn,
        ranges.length,
      ),
    db
      .prepare(
        `INSERT INTO advisories (scope, id, source, summary, details, published, modified, withdrawn, cves, document,
                                 content_hash, imported_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)
         ON CONFLICT (scope, id) DO UPDATE SET
           source = excluded.source, summary = excluded.summary, details = excluded.details, published = excluded.published,
           modified = excluded.modified, withdrawn = excluded.withdrawn, cves = excluded.cves, document = excluded.document,
           content_hash = excluded.content_hash, updated_at = excluded.updated_at`,
      )
      .bind(
        scope,
        advisory.id,
        advisory.source,
        advisory.summary,
        advisory.details,
        advisory.published,
        advisory.modified,
        advisory.withdrawn,
        JSON.stringify(advisory.cves),
        JSON.stringify(advisory),
        contentHash,
        actor.at,
      ),
    db.prepare(`DELETE FROM advisory_aliases WHERE advisory_pk = ${advisoryPk}`).bind(scope, advisory.id),
    db
      .prepare(
        `INSERT OR IGNORE INTO advisory_aliases (advisory_pk, alias) SELECT ${advisoryPk}, value FROM json_each(?3)`,
      )
      // Every other name of the advisory, its CVEs included: lookups by any id go through this index.
      .bind(scope, advisory.id, JSON.stringify([...new Set([...advisory.aliases, ...advisory.cves])])),
    db.prepare(`DELETE FROM affected_ranges WHERE advisory_pk = ${advisoryPk}`).bind(scope, advisory.id),
  ];
  for (const chunk of chunks(ranges)) {
    statements.push(
      db
        .prepare(
          `INSERT INTO affected_ranges (advisory_pk, ecosystem, package, lower_key, lower_inclusive, upper_key, upper_inclusive,
                                        introduced, fixed, last_affected, explanation, kb_gated)
           SELECT ${advisoryPk}, value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5,
                  value ->> 6, value ->> 7, value ->> 8, value ->> 9, value ->> 10
           FROM json_each(?3)`,
        )
        .bind(
          scope,
          advisory.id,
          JSON.stringify(
            chunk.map((r) => [
              r.ecosystem,
              r.package,
              r.lowerKey,
              r.lowerInclusive,
              r.upperKey,
              r.upperInclusive,
              r.introduced,
              r.fixed,
              r.lastAffected,
              r.explanation,
              r.kbGated,
            ]),
          ),
        ),
    );
  }
  const kbs = advisory.affected
    .filter((a) => a.fixedBy?.kbs.length)
    .map((a) => [a.ecosystem, a.package, a.fixedBy?.kbs]);
  if (kbs.length > 0) {
    statements.push(
      db
        .prepare(
          `INSERT OR IGNORE INTO range_kbs (range_id, kb)
           SELECT r.id, k.value FROM json_each(?3) t
           JOIN affected_ranges r ON r.advisory_pk = ${advisoryPk} AND r.ecosystem = t.value ->> 0 AND r.package = t.value ->> 1
           JOIN json_each(t.value -> 2) k`,
        )
        .bind(scope, advisory.id, JSON.stringify(kbs)),
    );
  }
  return statements;
}

/** Open and resolved finding counts of one advisory in one tenant. */
export async function advisoryFindingCounts(
  db: D1Database,
  tenantId: string,
  advisoryPk: number,
): Promise<{ open: number; resolved: number }> {
  const row = await db
    .prepare(
      `SELECT count(*) FILTER (WHERE status <> 'resolved') AS open, count(*) FILTER (WHERE status = 'resolved') AS resolved
       FROM findings WHERE tenant_id = ?1 AND advisory_pk = ?2`,
    )
    .bind(tenantId, advisoryPk)
    .first<{ open: number; resolved: number }>();
  return { open: row?.open ?? 0, resolved: row?.resolved ?? 0 };
}
