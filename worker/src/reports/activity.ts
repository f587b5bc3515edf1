import type { Period } from './period';
import type { ReportQuery } from './query';

export interface ActionCount {
  readonly action: string;
  readonly count: number;
}

/** How often each audited action happened in the period (the entries themselves are at GET /v1/audit). */
export function auditActivityQuery(db: D1Database, tenantId: string, period: Period): ReportQuery<ActionCount[]> {
  const statement = db
    .prepare(
      `SELECT action, count(*) AS count FROM audit_log
       WHERE tenant_id = ?1 AND at >= ?2 AND at <= ?3 GROUP BY action ORDER BY action`,
    )
    .bind(tenantId, period.from, period.to);
  return { statement, read: (rows) => rows as ActionCount[] };
}
