import type { BacklogRow } from '@patchboard/shared/schemas/report';
import { PRIORITY_KEY, PRIORITY_LABELS, priorityKey } from './priorities';
import type { ReportQuery } from './query';

interface Row {
  /** PRIORITY_KEY, or -1 for the row of all priorities. */
  priority: number;
  /** A status, or 'all' for the row of every status. */
  status: string;
  findings: number;
  hosts: number;
}

export interface Backlog {
  readonly total: { findings: number; hosts: number };
  readonly byPriority: BacklogRow[];
}

/**
 * Unresolved findings by priority and status, each with its distinct hosts. Distinct hosts do not
 * add up across groups, so the priority totals and the grand total are groupings of their own.
 * `f.status <> 'resolved'` is written as the partial index findings_unresolved_by_tenant states it.
 */
export function backlogQuery(db: D1Database, tenantId: string): ReportQuery<Backlog> {
  const unresolved = `FROM findings f WHERE f.tenant_id = ?1 AND f.status <> 'resolved'`;
  const statement = db
    .prepare(
      `SELECT ${PRIORITY_KEY} AS priority, f.status AS status, count(*) AS findings, count(DISTINCT f.host_id) AS hosts
       ${unresolved} GROUP BY 1, 2
       UNION ALL
       SELECT ${PRIORITY_KEY}, 'all', count(*), count(DISTINCT f.host_id) ${unresolved} GROUP BY 1
       UNION ALL
       SELECT -1, 'all', count(*), count(DISTINCT f.host_id) ${unresolved}`,
    )
    .bind(tenantId);
  return { statement, read: (rows) => toBacklog(rows as Row[]) };
}

function toBacklog(rows: readonly Row[]): Backlog {
  const cell = (priority: number, status: string) => {
    const row = rows.find((r) => r.priority === priority && r.status === status);
    return { findings: row?.findings ?? 0, hosts: row?.hosts ?? 0 };
  };
  return {
    total: cell(-1, 'all'),
    byPriority: PRIORITY_LABELS.map((label) => {
      const key = priorityKey(label);
      return {
        priority: label,
        ...cell(key, 'all'),
        open: cell(key, 'open'),
        scheduled: cell(key, 'scheduled'),
        excepted: cell(key, 'excepted'),
      };
    }),
  };
}
