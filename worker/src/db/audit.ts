/** The append-only audit log: every state change inserts one entry in the same batch as the change. */

export interface AuditActor {
  readonly tenantId: string;
  readonly at: string;
  readonly actor: string;
  readonly actorRole: string;
}

export interface AuditEntryInput extends AuditActor {
  readonly action: string;
  readonly target: string;
  readonly summary: Readonly<Record<string, unknown>>;
}

/**
 * Column list of an audit insert. Statements whose summary must describe the database as the
 * transaction sees it (a before-image, counts of what a report changed) build the summary in SQL
 * with `INSERT INTO audit_log (...) SELECT ...` using this list.
 */
export const AUDIT_COLUMNS = 'audit_log (tenant_id, at, actor, actor_role, action, target, summary)';

/**
 * An audit insert. With `onlyIfChanged`, it must directly follow the statement it audits in the
 * batch and is written only when that statement changed a row (SQLite's `changes()` on the batch's
 * connection): a revoke that lost a race to an identical one leaves no second entry.
 */
export function auditStatement(
  db: D1Database,
  entry: AuditEntryInput,
  options: { onlyIfChanged?: boolean } = {},
): D1PreparedStatement {
  const condition = options.onlyIfChanged ? ' WHERE changes() > 0' : '';
  return db
    .prepare(`INSERT INTO ${AUDIT_COLUMNS} SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7${condition}`)
    .bind(
      entry.tenantId,
      entry.at,
      entry.actor,
      entry.actorRole,
      entry.action,
      entry.target,
      JSON.stringify(entry.summary),
    );
}

export interface AuditRow {
  id: number;
  at: string;
  actor: string;
  actor_role: string;
  action: string;
  target: string;
  summary: string;
}

export async function listAudit(
  db: D1Database,
  tenantId: string,
  filter: { action?: string | undefined; target?: string | undefined; beforeId?: number | undefined; limit: number },
): Promise<AuditRow[]> {
  const { results } = await db
    .prepare(
      `SELECT id, at, actor, actor_role, action, target, summary FROM audit_log
       WHERE tenant_id = ?1 AND (?2 IS NULL OR action = ?2) AND (?3 IS NULL OR target = ?3) AND (?4 IS NULL OR id < ?4)
       ORDER BY id DESC LIMIT ?5`,
    )
    .bind(tenantId, filter.action ?? null, filter.target ?? null, filter.beforeId ?? null, filter.limit)
    .all<AuditRow>();
  return results;
}
