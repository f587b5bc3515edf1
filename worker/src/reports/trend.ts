import type { TrendDay } from '@patchboard/shared/schemas/report';
import type { Period } from './period';
import type { ReportQuery } from './query';

/**
 * The trend over the period, one row per UTC day: findings first seen that day (new), resolved
 * that day for any reason, remediated (resolved as fixed) that day, and unresolved at its end.
 *
 * Findings keep no history of their states, so the unresolved count is reconstructed from
 * first_seen_at and resolved_at, counting back from the unresolved findings of now: at the end of
 * day d, unresolved = unresolved now - first seen after d + resolved after d. (Equivalently, a
 * finding counts from its first sighting until its resolution, or until now.) Only the days' own
 * aggregates are read, never the findings one by one. What this cannot know:
 * - a finding resolved and reopened is one row: it counts as unresolved from its first sighting,
 *   through the days it was resolved, and its earlier resolution shows on no day;
 * - a finding fixed and later reopened no longer counts as remediated on the day of that fix;
 * - findings of hosts since deleted are gone with them;
 * - findings of advisories imported late start on their import, not on the advisory's date.
 */
export function trendQuery(db: D1Database, tenantId: string, period: Period): ReportQuery<TrendDay[]> {
  const statement = db
    .prepare(
      `WITH RECURSIVE days(day) AS (
         SELECT ?4 UNION ALL SELECT date(day, '+1 day') FROM days WHERE day < ?5
       ),
       first_seen AS (
         SELECT substr(f.first_seen_at, 1, 10) AS day, count(*) AS n FROM findings f
         WHERE f.tenant_id = ?1 AND f.first_seen_at >= ?2 AND f.first_seen_at <= ?3 GROUP BY 1
       ),
       resolved AS (
         SELECT substr(f.resolved_at, 1, 10) AS day, count(*) AS n, count(CASE WHEN f.resolution = 'fixed' THEN 1 END) AS fixed
         FROM findings f
         WHERE f.tenant_id = ?1 AND f.resolved_at >= ?2 AND f.resolved_at <= ?3 GROUP BY 1
       ),
       daily AS (
         SELECT d.day, coalesce(s.n, 0) AS new, coalesce(r.n, 0) AS resolved, coalesce(r.fixed, 0) AS remediated
         FROM days d LEFT JOIN first_seen s ON s.day = d.day LEFT JOIN resolved r ON r.day = d.day
       )
       SELECT day AS date, new, resolved, remediated,
              (SELECT count(*) FROM findings f WHERE f.tenant_id = ?1 AND f.status <> 'resolved')
                - coalesce(sum(new) OVER later, 0) + coalesce(sum(resolved) OVER later, 0) AS unresolved
       FROM daily
       WINDOW later AS (ORDER BY day ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)
       ORDER BY day`,
    )
    .bind(tenantId, period.from, period.to, period.firstDay, period.lastDay);
  return {
    statement,
    read: (rows) =>
      (rows as TrendDay[]).map((row) => ({
        date: row.date,
        unresolved: row.unresolved,
        new: row.new,
        resolved: row.resolved,
        remediated: row.remediated,
      })),
  };
}
