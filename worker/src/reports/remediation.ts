import type { RemediationRow } from '@patchboard/shared/schemas/report';
import type { Period } from './period';
import { PRIORITY_KEY, perPriority } from './priorities';
import type { ReportQuery } from './query';

interface Row {
  priority: number;
  remediated: number;
  mean_days: number;
  median_days: number;
  with_due_date: number;
  within_sla: number;
}

/**
 * Remediation per priority over the period: findings resolved as `fixed` (a later software report
 * showed a fixed version; removed packages, withdrawn advisories and the like are not remediation),
 * their mean and median time to remediate in days, from first seen or the last reopening to the
 * fix, and how many were fixed by their due date.
 *
 * SQLite has no median(): rows are numbered per priority in order of their time, and the median is
 * the mean of the middle one or two. A finding fixed and then reopened is unresolved again and not
 * counted; when it is fixed again, it counts from its reopening.
 */
export function remediationQuery(db: D1Database, tenantId: string, period: Period): ReportQuery<RemediationRow[]> {
  const statement = db
    .prepare(
      `WITH fixed AS (
         SELECT ${PRIORITY_KEY} AS priority, f.due_at, f.resolved_at,
                julianday(f.resolved_at) - julianday(coalesce(f.reopened_at, f.first_seen_at)) AS days
         FROM findings f
         -- A resolution is only ever set on a resolved finding (a reopening clears it), so status
         -- need not be read: findings_resolved_by_tenant covers this scan.
         WHERE f.tenant_id = ?1 AND f.resolved_at >= ?2 AND f.resolved_at <= ?3 AND f.resolution = 'fixed'
       ),
       ranked AS (
         SELECT priority, days, row_number() OVER (PARTITION BY priority ORDER BY days) AS position,
                count(*) OVER (PARTITION BY priority) AS total
         FROM fixed
       ),
       medians AS (
         SELECT priority, avg(days) AS median_days FROM ranked
         WHERE position IN ((total + 1) / 2, (total + 2) / 2) GROUP BY priority
       )
       SELECT x.priority, count(*) AS remediated, avg(x.days) AS mean_days, m.median_days,
              count(x.due_at) AS with_due_date,
              count(CASE WHEN julianday(x.resolved_at) <= julianday(x.due_at) THEN 1 END) AS within_sla
       FROM fixed x JOIN medians m ON m.priority = x.priority
       GROUP BY x.priority`,
    )
    .bind(tenantId, period.from, period.to);
  return { statement, read: (rows) => perPriority(rows as Row[], toRemediation) };
}

/** Days to a tenth, shares to a thousandth: what a reader compares, without float noise. */
const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

function toRemediation(priority: RemediationRow['priority'], row: Row | undefined): RemediationRow {
  if (!row) {
    return {
      priority,
      remediated: 0,
      meanDays: null,
      medianDays: null,
      withDueDate: 0,
      withinSla: 0,
      withinSlaShare: null,
    };
  }
  return {
    priority,
    remediated: row.remediated,
    meanDays: round(row.mean_days, 1),
    medianDays: round(row.median_days, 1),
    withDueDate: row.with_due_date,
    withinSla: row.within_sla,
    withinSlaShare: row.with_due_date === 0 ? null : round(row.within_sla / row.with_due_date, 3),
  };
}
