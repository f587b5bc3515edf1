/**
 * The SQL of the lookup: one statement answers every id of a request, so 500 ids cost one round
 * trip and one read of each index entry they need, never one query per id. It resolves all ids at
 * once (json_each of the keys against the advisory id and alias indexes, and range_kbs for KBs),
 * keeps the advisories the tenant can see, then computes each id's facts in correlated subqueries
 * over its advisories. Findings are read from two indexes of (advisory, tenant): findings_for_lookup
 * (status, priority, host_id) for counts and hosts, findings_due_for_lookup (priority, due_at, of
 * unresolved findings) for the most urgent one. Facts come back as JSON per id.
 */
import { MAX_LOOKUP_ADVISORIES, MAX_LOOKUP_FIXED_VERSIONS } from '@patchboard/shared/schemas/lookup';
import type { Wanted } from './wanted';

/** The statuses of a finding that still needs work (or a decision) on its host. */
const UNRESOLVED = "('open', 'scheduled', 'excepted')";

/** Each requested id and the advisories its keys name, whoever they belong to. */
const RESOLVE = `
  requests AS (SELECT value ->> 0 AS idx, value ->> 1 AS cve, value -> 2 AS keys FROM json_each(?2)),
  wanted AS (SELECT r.idx, k.value ->> 0 AS key, k.value ->> 1 AS mode FROM requests r, json_each(r.keys) k),
  -- CROSS JOIN keeps SQLite's join order: from the few requested keys into the indexes, never the reverse.
  hits AS (
    SELECT w.idx, a.pk FROM wanted w CROSS JOIN advisories a ON a.id = w.key WHERE w.mode = 'name'
    UNION
    SELECT w.idx, x.advisory_pk FROM wanted w CROSS JOIN advisory_aliases x ON x.alias = w.key WHERE w.mode = 'name'
    UNION
    SELECT w.idx, a.pk FROM wanted w CROSS JOIN advisories a ON a.id > w.key || '-' AND a.id < w.key || '.'
    WHERE w.mode = 'revisions'
    UNION
    SELECT w.idx, x.advisory_pk FROM wanted w CROSS JOIN advisory_aliases x ON x.alias > w.key || '-' AND x.alias < w.key || '.'
    WHERE w.mode = 'revisions'
    UNION
    SELECT w.idx, r.advisory_pk FROM wanted w CROSS JOIN range_kbs k ON k.kb = w.key CROSS JOIN affected_ranges r ON r.id = k.range_id
    WHERE w.mode = 'fix'
  )`;

/**
 * The advisories each id names as the tenant sees them: its own imports, and global advisories it
 * has no copy of (a tenant's copy of an id shadows the global one). Withdrawn ones still count: the
 * id is known, and says it was withdrawn.
 */
const VISIBLE = `
  visible AS (
    SELECT h.idx, json_group_array(a.pk) AS pks FROM hits h CROSS JOIN advisories a ON a.pk = h.pk
    WHERE a.scope = ?1 OR (a.scope = '' AND NOT EXISTS (SELECT 1 FROM advisories own WHERE own.id = a.id AND own.scope = ?1))
    GROUP BY h.idx
  ),
  ids AS MATERIALIZED (
    SELECT r.idx, r.cve, coalesce(v.pks, '[]') AS pks FROM requests r LEFT JOIN visible v ON v.idx = r.idx
  )`;

/** The ecosystems of the tenant's hosts, read once per lookup (a skip over hosts_by_ecosystem). */
const TENANT_ECOSYSTEMS = `
  tenant_ecosystems AS MATERIALIZED (SELECT DISTINCT ecosystem FROM hosts WHERE tenant_id = ?1)`;

/** The CVEs an id stands for: a CVE itself; any other id, the CVEs its advisories name. */
const CVES_OF_ID = `CASE WHEN i.cve IS NOT NULL THEN json_array(i.cve) ELSE (
    SELECT json_group_array(DISTINCT c.value) FROM json_each(i.pks) p CROSS JOIN advisories a ON a.pk = p.value CROSS JOIN json_each(a.cves) c
  ) END`;

/**
 * The most urgent priority of the id's unresolved findings: per advisory, min() over the partial
 * index findings_due_for_lookup (advisory_pk, tenant_id, priority, due_at) is one seek, whatever
 * the number of findings.
 */
const BEST_PRIORITY = `(
    SELECT min((SELECT min(f.priority) FROM findings f
                WHERE f.advisory_pk = p.value AND f.tenant_id = ?1 AND f.status <> 'resolved'))
    FROM json_each(i.pks) p
  )`;

const FACTS = `
  facts AS MATERIALIZED (SELECT i.idx, i.cve, i.pks, ${CVES_OF_ID} AS cves, ${BEST_PRIORITY} AS best FROM ids i)`;

/** The id's advisories, newest first, at most the cap (the count is the length of `pks`). */
const ADVISORIES = `(
    SELECT json_group_array(json_array(id, source, summary, published, withdrawn)) FROM (
      SELECT a.id, a.source, a.summary, a.published, a.withdrawn FROM json_each(x.pks) p CROSS JOIN advisories a ON a.pk = p.value
      ORDER BY a.published IS NULL, a.published DESC, a.id LIMIT ?4
    )
  )`;

/** Finding counts per status: count(*) over one index prefix each, no sorting. */
const count = (status: string) =>
  `(SELECT count(*) FROM findings f WHERE f.advisory_pk = p.value AND f.tenant_id = ?1 AND f.status = '${status}')`;
const STATUSES = `(
    SELECT json_array(sum(${count('open')}), sum(${count('scheduled')}), sum(${count('excepted')}), sum(${count('resolved')}))
    FROM json_each(x.pks) p
  )`;

/**
 * Distinct hosts with an unresolved finding of any of the id's advisories, per ring (a host has one
 * ring), from findings_for_lookup alone: the triage pass keeps the host's ring on each unresolved
 * finding. A finding not triaged yet (written by a rematch a moment ago) has none and reads its host.
 */
const RINGS = `(
    SELECT json_group_object(ring, n) FROM (
      SELECT ring, count(DISTINCT host_id) AS n FROM (
        SELECT coalesce(f.ring, (SELECT h.ring FROM hosts h WHERE h.id = f.host_id)) AS ring, f.host_id
        FROM json_each(x.pks) p
        CROSS JOIN findings f ON f.advisory_pk = p.value AND f.tenant_id = ?1 AND f.status IN ${UNRESOLVED}
      )
      GROUP BY ring
    )
  )`;

/**
 * At the most urgent priority, the finding due first (undated ones last): per advisory, the first
 * dated entry of findings_due_for_lookup at that priority, else an undated one, as `due|id` (ISO
 * dates sort as text, and '~' after any of them); the smallest over the advisories names the
 * finding whose due date and explanation are answered.
 */
const AT_BEST = "f.advisory_pk = p.value AND f.tenant_id = ?1 AND f.status <> 'resolved' AND f.priority = x.best";
const DATED_AT_BEST = `(SELECT f.due_at || '|' || f.id FROM findings f
    WHERE ${AT_BEST} AND f.due_at IS NOT NULL ORDER BY f.due_at LIMIT 1)`;
const UNDATED_AT_BEST = `(SELECT '~|' || f.id FROM findings f WHERE ${AT_BEST} AND f.due_at IS NULL LIMIT 1)`;
const PRIORITY = `CASE WHEN x.best IS NOT NULL THEN (
    SELECT json_array(f.priority, f.due_at, f.priority_reason) FROM findings f
    WHERE f.id = (
      SELECT CAST(substr(k, instr(k, '|') + 1) AS INTEGER)
      FROM (SELECT min(coalesce(${DATED_AT_BEST}, ${UNDATED_AT_BEST})) AS k FROM json_each(x.pks) p)
    )
  ) END`;

/**
 * Fixed versions only where they can matter to this tenant: the ecosystem of one of its hosts, or a
 * language package it has installed (SBOM components keep their own ecosystem: npm, PyPI, ...).
 */
const FIXES = `(
    SELECT json_group_array(json_array(ecosystem, package, fixed)) FROM (
      SELECT r.ecosystem, r.package, r.fixed, min(r.upper_key) AS upper_key
      FROM json_each(x.pks) p CROSS JOIN advisories a ON a.pk = p.value AND a.withdrawn IS NULL
      CROSS JOIN affected_ranges r ON r.advisory_pk = a.pk
      WHERE r.fixed IS NOT NULL
        AND (r.ecosystem IN tenant_ecosystems
          OR EXISTS (SELECT 1 FROM installed_packages ip
                     WHERE ip.ecosystem = r.ecosystem AND ip.match_name = r.package AND ip.tenant_id = ?1))
      GROUP BY r.ecosystem, r.package, r.fixed
      ORDER BY r.ecosystem, r.package, upper_key, r.fixed
      LIMIT ?3
    )
  )`;

/** The KEV entry due first (the most pressing) and the highest EPSS score, over the id's CVEs. */
const KEV = `(
    SELECT json_array(k.cve, k.date_added, k.due_date, k.ransomware)
    FROM json_each(x.cves) c CROSS JOIN kev_entries k ON k.cve = c.value ORDER BY k.due_date, k.cve LIMIT 1
  )`;
const EPSS = `(
    SELECT json_array(e.cve, e.score, e.percentile, e.score_date)
    FROM json_each(x.cves) c CROSS JOIN epss_scores e ON e.cve = c.value ORDER BY e.score DESC, e.cve LIMIT 1
  )`;
const NVD = '(x.cve IS NOT NULL AND EXISTS (SELECT 1 FROM cve_records c WHERE c.cve = x.cve))';

/**
 * The first deployment not yet ended whose items close one of the id's advisories, with the ring
 * it is at. Only active deployments are read (a partial index): few at any time.
 */
const NEXT_DEPLOYMENT = `(
    SELECT json_array(d.id, d.title, d.status,
             (SELECT r.ring FROM deployment_rings r WHERE r.deployment_id = d.id AND r.status NOT IN ('passed', 'skipped')
              ORDER BY r.position LIMIT 1))
    FROM deployments d
    WHERE d.tenant_id = ?1 AND d.status IN ('awaiting_approval', 'approved', 'running')
      AND EXISTS (SELECT 1 FROM deployment_items i, json_each(i.advisory_ids) a
                  WHERE i.deployment_id = d.id AND a.value IN (SELECT adv.id FROM json_each(x.pks) p JOIN advisories adv ON adv.pk = p.value))
    ORDER BY d.id LIMIT 1
  )`;

const LOOKUP_SQL = `WITH ${RESOLVE}, ${VISIBLE}, ${TENANT_ECOSYSTEMS}, ${FACTS}
  SELECT x.idx, x.cves, json_array_length(x.pks) AS advisory_count, ${ADVISORIES} AS advisories, ${STATUSES} AS statuses, ${RINGS} AS rings,
         ${PRIORITY} AS priority, ${FIXES} AS fixes, ${KEV} AS kev, ${EPSS} AS epss, ${NVD} AS nvd,
         ${NEXT_DEPLOYMENT} AS next_deployment
  FROM facts x`;

/** What the statement answers per recognised id; JSON columns as SQLite wrote them. */
export interface LookupRow {
  readonly idx: number;
  /** JSON array of the CVEs the id stands for. */
  readonly cves: string;
  /** How many advisories the id names (`advisories` lists at most MAX_LOOKUP_ADVISORIES). */
  readonly advisory_count: number;
  /** JSON array of [id, source, summary, published, withdrawn], newest first, capped; null for none. */
  readonly advisories: string | null;
  /** JSON [open, scheduled, excepted, resolved] (nulls when the id has no advisory). */
  readonly statuses: string;
  /** JSON object ring -> distinct affected hosts, or null when none. */
  readonly rings: string | null;
  /** JSON [priority, due_at, priority_reason] of the most urgent finding, or null. */
  readonly priority: string | null;
  /** JSON array of [ecosystem, package, fixed], or null. */
  readonly fixes: string | null;
  /** JSON [cve, date_added, due_date, ransomware], or null. */
  readonly kev: string | null;
  /** JSON [cve, score, percentile, score_date], or null. */
  readonly epss: string | null;
  /** 1 when the id is a CVE with an NVD record. */
  readonly nvd: number;
  /** JSON [id, title, status, ring] of the first active deployment that fixes it, or null. */
  readonly next_deployment: string | null;
}

/** Everything the lookup says about each recognised id, in one statement (one round trip). */
export function lookupStatement(db: D1Database, tenantId: string, wanted: readonly Wanted[]): D1PreparedStatement {
  return db
    .prepare(LOOKUP_SQL)
    .bind(tenantId, JSON.stringify(wanted), MAX_LOOKUP_FIXED_VERSIONS, MAX_LOOKUP_ADVISORIES);
}

/**
 * Only the resolution: the advisories each id names as the tenant sees them. The bench's baseline
 * (the least any lookup must do); the route runs lookupStatement.
 */
export function resolveStatement(db: D1Database, tenantId: string, wanted: readonly Wanted[]): D1PreparedStatement {
  return db.prepare(`WITH ${RESOLVE}, ${VISIBLE} SELECT idx, pks FROM ids`).bind(tenantId, JSON.stringify(wanted));
}

export async function lookupRows(db: D1Database, tenantId: string, wanted: readonly Wanted[]): Promise<LookupRow[]> {
  if (wanted.length === 0) return [];
  const { results } = await lookupStatement(db, tenantId, wanted).all<LookupRow>();
  return results;
}
