import type { CoverageRow } from '@patchboard/shared/schemas/report';
import type { ReportQuery } from './query';

interface Row {
  ring: string;
  hosts: number;
  reported: number;
  without_urgent: number;
  without_findings: number;
  unresolved: number;
}

/**
 * Per ring: its hosts, those that reported software since `reportedSince` (the others' findings
 * may be stale), those without an unresolved P1 or P2, those without any unresolved finding, and
 * the unresolved findings. Findings are aggregated per host first (one pass over the partial index
 * of unresolved findings), then joined to the hosts. Rings list in the default plan's order.
 */
export function coverageQuery(db: D1Database, tenantId: string, reportedSince: string): ReportQuery<CoverageRow[]> {
  const statement = db
    .prepare(
      `WITH per_host AS (
         SELECT f.host_id, count(*) AS unresolved, count(CASE WHEN f.priority <= 2 THEN 1 END) AS urgent
         FROM findings f WHERE f.tenant_id = ?1 AND f.status <> 'resolved' GROUP BY f.host_id
       )
       SELECT h.ring, count(*) AS hosts,
              count(CASE WHEN h.last_seen_at >= ?2 THEN 1 END) AS reported,
              count(CASE WHEN coalesce(p.urgent, 0) = 0 THEN 1 END) AS without_urgent,
              count(CASE WHEN p.host_id IS NULL THEN 1 END) AS without_findings,
              coalesce(sum(p.unresolved), 0) AS unresolved
       FROM hosts h LEFT JOIN per_host p ON p.host_id = h.id
       WHERE h.tenant_id = ?1
       GROUP BY h.ring
       ORDER BY CASE h.ring WHEN 'test' THEN 0 WHEN 'pilot' THEN 1 WHEN 'prod' THEN 2 ELSE 3 END, h.ring`,
    )
    .bind(tenantId, reportedSince);
  return {
    statement,
    read: (rows) =>
      (rows as Row[]).map((row) => ({
        ring: row.ring,
        hosts: row.hosts,
        reportedLast7Days: row.reported,
        withoutP1OrP2: row.without_urgent,
        withoutFindings: row.without_findings,
        unresolvedFindings: row.unresolved,
      })),
  };
}
