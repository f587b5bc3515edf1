/**
 * Applicability in SQL. A rematch finds, for its scope, every (host, advisory, package) whose
 * installed version lies in an affected interval, and applies that to the findings as a delta:
 * new ones inserted, changed ones refreshed, vanished ones resolved (with why), everything else
 * untouched. Version order is plain string order of the keys stored on both sides
 * (shared/src/versions), so the whole check is indexed comparisons, not a loop over hosts.
 *
 * Scopes: one host (after its software report: its packages are looked up in the ranges), one
 * advisory id (after it was imported or changed: its ranges are looked up in the fleet's packages,
 * so only hosts that have one of them are visited), or a range of advisories (a full rematch,
 * chunked so that no statement runs long, driven from the ranges like the advisory scope).
 */

export type MatchScope =
  | { readonly kind: 'host'; readonly hostId: number }
  /** An advisory id, global (tenantId null: every tenant) or imported by one tenant (its hosts only). */
  | { readonly kind: 'advisory'; readonly id: string; readonly tenantId: string | null }
  /** Advisories by primary key, for a full rematch in chunks. */
  | { readonly kind: 'advisories'; readonly fromPk: number; readonly toPk: number };

/**
 * When installed package `i` is affected through range `r` of advisory `a`. The bounds are two
 * plain comparisons so that an index on the key serves them as one range scan; char(127) sorts
 * above every key (keys are printable ASCII) and stands for "no upper bound". Withdrawn
 * advisories match nothing; a global advisory does not apply to a tenant that imported its own
 * copy of the same id. A NULL key (a version its scheme cannot read) matches nothing. A range
 * fixed by Windows updates (kb_gated) does not apply to a host that has one of them installed, or
 * a later update that supersedes one (kb_implies).
 */
const AFFECTED = `i.match_key >= r.lower_key AND i.match_key <= coalesce(r.upper_key, char(127))
  AND (r.lower_inclusive = 1 OR i.match_key <> r.lower_key)
  AND (r.upper_inclusive = 1 OR r.upper_key IS NULL OR i.match_key <> r.upper_key)
  AND a.withdrawn IS NULL
  AND (a.scope = i.tenant_id
       OR (a.scope = '' AND NOT EXISTS (SELECT 1 FROM advisories s WHERE s.scope = i.tenant_id AND s.id = a.id)))
  AND (r.kb_gated = 0 OR NOT EXISTS (
         SELECT 1 FROM range_kbs rk JOIN installed_hotfixes h ON h.host_id = i.host_id
         WHERE rk.range_id = r.id
           AND (h.kb = rk.kb OR EXISTS (SELECT 1 FROM kb_implies x WHERE x.implied = rk.kb AND x.kb = h.kb))))`;

/**
 * The join in the order that fits the scope: from the scope's side into the index of the other.
 * SQLite keeps the left table of a CROSS JOIN outermost; left to its statistics, the planner can
 * pick the other side at fleet scale and scan every host's packages for one host's report.
 */
const FROM_HOSTS = `installed_packages i
  CROSS JOIN affected_ranges r ON r.ecosystem = i.ecosystem AND r.package = i.match_name
  JOIN advisories a ON a.pk = r.advisory_pk`;
const FROM_RANGES = `affected_ranges r
  CROSS JOIN installed_packages i ON i.ecosystem = r.ecosystem AND i.match_name = r.package
  JOIN advisories a ON a.pk = r.advisory_pk`;

interface ScopeSql {
  readonly from: string;
  /**
   * The resolution of a finding whose package is still installed but no longer affected. Only a
   * host's own software report remediates (`fixed`); when an advisory changed its ranges instead,
   * the host was never fixed, the advisory says it is not affected.
   */
  readonly stillInstalled: 'fixed' | 'not_affected';
  /** Condition on installed_packages `i` and affected_ranges `r`. */
  readonly matches: string;
  /** Condition on findings `f`. */
  readonly findings: string;
  readonly binds: readonly (string | number | null)[];
}

function scopeSql(scope: MatchScope): ScopeSql {
  switch (scope.kind) {
    case 'host':
      return {
        from: FROM_HOSTS,
        matches: 'i.host_id = ?2',
        findings: 'f.host_id = ?2',
        binds: [scope.hostId],
        stillInstalled: 'fixed',
      };
    case 'advisory': {
      const pks = `(SELECT pk FROM advisories WHERE id = ?2 AND (scope = '' OR scope = ?3))`;
      return {
        from: FROM_RANGES,
        matches: `r.advisory_pk IN ${pks} AND (?3 IS NULL OR i.tenant_id = ?3)`,
        findings: `f.advisory_pk IN ${pks} AND (?3 IS NULL OR f.tenant_id = ?3)`,
        binds: [scope.id, scope.tenantId],
        stillInstalled: 'not_affected',
      };
    }
    case 'advisories':
      return {
        from: FROM_RANGES,
        matches: 'r.advisory_pk BETWEEN ?2 AND ?3',
        findings: 'f.advisory_pk BETWEEN ?2 AND ?3',
        binds: [scope.fromPk, scope.toPk],
        stillInstalled: 'not_affected',
      };
  }
}

/**
 * Inserts the scope's matches as findings, one per (host, advisory, package): the highest
 * affected installed version and the interval it falls in (SQLite takes the bare columns from the
 * row of max()). Existing findings are rewritten only when their version or reason changed; a
 * resolved one that matches again is reopened.
 */
function upsertStatement(db: D1Database, now: string, scope: ScopeSql): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO findings (tenant_id, host_id, advisory_pk, ecosystem, package, binaries, installed_version, fixed_version,
                             explanation, status, first_seen_at, updated_at)
       SELECT tenant_id, host_id, advisory_pk, ecosystem, package, binaries, installed_version, fixed,
              package || ' ' || installed_version || ' ' || explanation, 'open', ?1, ?1
       FROM (SELECT i.tenant_id, i.host_id, r.advisory_pk, r.ecosystem, r.package, group_concat(DISTINCT i.name) AS binaries,
                    max(i.match_key) AS top_key, i.match_version AS installed_version, r.fixed, r.explanation
             FROM ${scope.from}
             WHERE ${scope.matches} AND ${AFFECTED}
             GROUP BY i.host_id, r.advisory_pk, r.package)
       WHERE true
       ON CONFLICT (host_id, advisory_pk, package) DO UPDATE SET
         installed_version = excluded.installed_version, fixed_version = excluded.fixed_version,
         explanation = excluded.explanation, binaries = excluded.binaries,
         reopened_at = CASE WHEN findings.status = 'resolved' THEN excluded.updated_at ELSE findings.reopened_at END,
         status = CASE WHEN findings.status = 'resolved' THEN 'open' ELSE findings.status END,
         resolution = CASE WHEN findings.status = 'resolved' THEN NULL ELSE findings.resolution END,
         resolved_at = CASE WHEN findings.status = 'resolved' THEN NULL ELSE findings.resolved_at END,
         updated_at = excluded.updated_at
       WHERE findings.status = 'resolved' OR findings.installed_version IS NOT excluded.installed_version
          OR findings.explanation IS NOT excluded.explanation OR findings.binaries IS NOT excluded.binaries`,
    )
    .bind(now, ...scope.binds);
}

/**
 * Resolves the scope's findings that are not among its current matches, saying why. The matches
 * are the same join as the upsert's (SQLite builds them once into a temporary index for NOT IN,
 * and only when there is a finding to check), in the same transaction, so the two cannot disagree.
 */
function resolveStatement(db: D1Database, now: string, scope: ScopeSql): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE findings AS f SET status = 'resolved', resolved_at = ?1, updated_at = ?1, resolution = CASE
           WHEN (SELECT withdrawn FROM advisories WHERE pk = f.advisory_pk) IS NOT NULL THEN 'withdrawn'
           WHEN EXISTS (SELECT 1 FROM advisories g JOIN advisories t ON t.id = g.id AND t.scope = f.tenant_id
                        WHERE g.pk = f.advisory_pk AND g.scope = '') THEN 'superseded'
           WHEN NOT EXISTS (SELECT 1 FROM installed_packages i
                            WHERE i.host_id = f.host_id AND i.ecosystem = f.ecosystem AND i.match_name = f.package) THEN 'removed'
           ELSE '${scope.stillInstalled}' END
       WHERE ${scope.findings} AND f.status <> 'resolved'
         AND (f.host_id, f.advisory_pk, f.package) NOT IN (
           SELECT i.host_id, r.advisory_pk, r.package FROM ${scope.from} WHERE ${scope.matches} AND ${AFFECTED})`,
    )
    .bind(now, ...scope.binds);
}

/**
 * The statements of one rematch, to run in one batch (one transaction), on their own or after the
 * change that caused them (a software report, an advisory import) so findings never lag the data.
 */
export function rematchStatements(db: D1Database, scope: MatchScope, now: string): D1PreparedStatement[] {
  const sql = scopeSql(scope);
  // Resolve first: it then only visits findings that existed before this run (none at all on a
  // first match), and the upsert cannot be undone by it. Keep in step with rematchOutcome.
  return [resolveStatement(db, now, sql), upsertStatement(db, now, sql)];
}

/**
 * What a rematch did, read from the results of a batch that ends with rematchStatements: findings
 * opened, reopened or refreshed (the upsert's changes) and findings resolved.
 */
export function rematchOutcome(results: readonly D1Result[]): { upserted: number; resolved: number } {
  const [resolve, upsert] = results.slice(-2);
  return { upserted: upsert?.meta.changes ?? 0, resolved: resolve?.meta.changes ?? 0 };
}
