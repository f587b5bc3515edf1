import type { Breach } from '@patchboard/shared/schemas/report';
import { PRIORITY_KEY, perPriority, priorityLabel } from './priorities';
import type { ReportQuery } from './query';

/**
 * A breach: an open or scheduled finding past its due date. Excepted findings are accepted risk
 * until their exception ends, so they are not breaches. julianday() compares instants whatever
 * precision a due date was written with; the partial index of unresolved findings covers the scan.
 */
const BREACHED = `f.tenant_id = ?1 AND f.status <> 'resolved' AND f.status <> 'excepted'
  AND f.due_at IS NOT NULL AND julianday(f.due_at) < julianday(?2)`;

export interface BreachCounts {
  readonly total: number;
  readonly byPriority: { priority: Breach['priority']; breaches: number }[];
}

export function breachCountsQuery(db: D1Database, tenantId: string, now: string): ReportQuery<BreachCounts> {
  const statement = db
    .prepare(`SELECT ${PRIORITY_KEY} AS priority, count(*) AS breaches FROM findings f WHERE ${BREACHED} GROUP BY 1`)
    .bind(tenantId, now);
  return {
    statement,
    read: (rows) => {
      const counts = rows as { priority: number; breaches: number }[];
      return {
        total: counts.reduce((sum, r) => sum + r.breaches, 0),
        byPriority: perPriority(counts, (priority, row) => ({ priority, breaches: row?.breaches ?? 0 })),
      };
    },
  };
}

interface BreachRow {
  hostname: string;
  advisory: string;
  package: string;
  priority: number;
  due_at: string;
  days_overdue: number;
}

/**
 * The most overdue breaches first (then by finding, so equal due dates list in a stable order).
 * The breaches are picked from the covering index of unresolved findings first, and only those
 * few are joined to their host and advisory: the planner cannot pick another index of the tenant's
 * findings for the scan, even without statistics.
 */
export function oldestBreachesQuery(
  db: D1Database,
  tenantId: string,
  now: string,
  limit: number,
): ReportQuery<Breach[]> {
  const statement = db
    .prepare(
      `WITH late AS (
         SELECT f.id, f.due_at FROM findings f WHERE ${BREACHED} ORDER BY julianday(f.due_at), f.id LIMIT ?3
       )
       SELECT h.hostname, a.id AS advisory, f.package, ${PRIORITY_KEY} AS priority, f.due_at,
              CAST(julianday(?2) - julianday(f.due_at) AS INTEGER) AS days_overdue
       FROM late JOIN findings f ON f.id = late.id
         JOIN hosts h ON h.id = f.host_id AND h.tenant_id = ?1 JOIN advisories a ON a.pk = f.advisory_pk
       ORDER BY julianday(late.due_at), late.id`,
    )
    .bind(tenantId, now, limit);
  return {
    statement,
    read: (rows) =>
      (rows as BreachRow[]).map((row) => ({
        hostname: row.hostname,
        advisory: row.advisory,
        package: row.package,
        priority: priorityLabel(row.priority),
        dueAt: row.due_at,
        daysOverdue: row.days_overdue,
      })),
  };
}
