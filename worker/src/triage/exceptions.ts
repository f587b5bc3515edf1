/**
 * Applying risk exceptions to findings. An open finding that an approved, unexpired exception
 * covers is `excepted` (by the covering exception that expires last); an excepted finding whose
 * exception ended, or no longer covers it (the host left the ring, lost the tag), is open again.
 * Only status and exception_id change: an excepted finding keeps its priority and due date, so
 * when its exception ends it is as urgent as it was (and possibly past due, which is the point).
 *
 * Used by the triage pass (for whatever scope it runs on), by the exception routes (approve,
 * revoke: the tenant's findings) and by the cron's expiry below.
 */
import { AUDIT_COLUMNS } from '../db/audit';
import { chunks } from '../db/chunks';
import { EVENT_COLUMNS, eventStatement } from '../db/events';
import { coversFinding, describeScope, type RiskExceptionRow, reopenedCountSql } from '../db/exceptions';
import { loadPolicies } from './policy';
import { type TriageScopeSql, triageScopeSql } from './scope';

/**
 * The statements that bring the findings of `scope` in line with the exceptions at `now`, to run
 * in one batch. `scope` must come from `triageScopeSql(scope, 2)`: ?1 is the time. Reopening
 * comes first, so a finding whose exception ended can be taken over by another in the same batch.
 *
 * Cheap when nothing applies: each statement starts with a condition that reads no finding (SQLite
 * evaluates such a term once, before the scan) and skips the scan when no finding has an
 * exception at all, or no exception is active anywhere.
 */
export function exceptionStatements(db: D1Database, scope: TriageScopeSql, now: string): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `UPDATE findings AS f
         SET status = CASE WHEN f.status = 'excepted' THEN 'open' ELSE f.status END, exception_id = NULL, updated_at = ?1
         WHERE EXISTS (SELECT 1 FROM findings WHERE exception_id IS NOT NULL)
           AND f.exception_id IS NOT NULL AND f.status IN ('open', 'excepted') AND (${scope.where})
           AND NOT EXISTS (SELECT 1 FROM risk_exceptions e WHERE e.id = f.exception_id AND ${coversFinding('?1')})`,
      )
      .bind(now, ...scope.binds),
    db
      .prepare(
        `UPDATE findings AS f
         SET status = 'excepted', updated_at = ?1, exception_id = (
           SELECT e.id FROM risk_exceptions e WHERE ${coversFinding('?1')} ORDER BY e.expires_at DESC, e.id DESC LIMIT 1)
         WHERE EXISTS (SELECT 1 FROM risk_exceptions WHERE status = 'approved' AND expires_at > ?1)
           AND f.status = 'open' AND (${scope.where})
           AND EXISTS (SELECT 1 FROM risk_exceptions e WHERE ${coversFinding('?1')})`,
      )
      .bind(now, ...scope.binds),
  ];
}

/** The exceptions of one tenant, findings of one tenant. */
export function tenantExceptionStatements(db: D1Database, tenantId: string, now: string): D1PreparedStatement[] {
  return exceptionStatements(db, triageScopeSql({ kind: 'tenant', tenantId }, 2), now);
}

export interface ExpiryOutcome {
  /** Approved exceptions that reached their expiry and are now `expired`. */
  expired: number;
  /** Findings that left an ended exception (status open again, unless counted below). */
  findingsReleased: number;
  /** Open findings that an active exception took over in the same pass. */
  findingsExcepted: number;
  /** `exception.expiring` events stored (each exception is announced once). */
  expiringAnnounced: number;
}

const SYSTEM = 'system';
/** Expiries per batch: each is three statements, and the tenant's findings are re-checked after them. */
const EXPIRIES_PER_BATCH = 50;
const DAY_MS = 86_400_000;

type DueRow = Pick<
  RiskExceptionRow,
  'id' | 'tenant_id' | 'host_kind' | 'host_value' | 'target_kind' | 'target_value' | 'expires_at'
>;

/**
 * The cron's work on exceptions. Approved exceptions whose expiry has come become `expired`, with
 * one audit entry each (actor `system`, counting the findings that reopen) and one
 * `exception.expired` event, and their findings reopen (or pass to another active exception), all
 * in one batch per tenant. Approved exceptions that expire within the tenant's notice period
 * (policy `exceptionNoticeDays`) are announced once by an `exception.expiring` event.
 *
 * Idempotent and safe to run twice at once: the status change is conditional, the audit entry and
 * the event follow it only when it changed something, and events are deduplicated by key.
 */
export async function expireExceptions(db: D1Database, now: Date): Promise<ExpiryOutcome> {
  const at = now.toISOString();
  const outcome: ExpiryOutcome = { expired: 0, findingsReleased: 0, findingsExcepted: 0, expiringAnnounced: 0 };

  const { results: due } = await db
    .prepare(
      `SELECT id, tenant_id, host_kind, host_value, target_kind, target_value, expires_at FROM risk_exceptions
       WHERE status = 'approved' AND expires_at <= ?1 ORDER BY tenant_id, id`,
    )
    .bind(at)
    .all<DueRow>();
  for (const [tenantId, rows] of groupByTenant(due)) {
    for (const chunk of chunks(rows, EXPIRIES_PER_BATCH)) {
      const statements = chunk.flatMap((row) => expiryStatements(db, row, at));
      const results = await db.batch([...statements, ...tenantExceptionStatements(db, tenantId, at)]);
      for (let i = 0; i < chunk.length; i++) outcome.expired += results[i * 3]?.meta.changes ?? 0;
      const [release, except] = results.slice(-2);
      outcome.findingsReleased += release?.meta.changes ?? 0;
      outcome.findingsExcepted += except?.meta.changes ?? 0;
    }
  }

  outcome.expiringAnnounced = await announceExpiring(db, now);
  return outcome;
}

function groupByTenant(rows: readonly DueRow[]): Map<string, DueRow[]> {
  const byTenant = new Map<string, DueRow[]>();
  for (const row of rows) {
    const list = byTenant.get(row.tenant_id) ?? [];
    list.push(row);
    byTenant.set(row.tenant_id, list);
  }
  return byTenant;
}

/**
 * Three statements: the conditional status change, its audit entry (only if it changed the row;
 * the counts are read before the findings reopen), and the event (only if the entry was written).
 * D1 binds JS numbers as REAL, so the id is cast before it is written as text (`exception:7`, not `7.0`).
 */
function expiryStatements(db: D1Database, row: DueRow, at: string): D1PreparedStatement[] {
  const scope = describeScope(row);
  const reopened = reopenedCountSql('?3', '?2', false);
  const takenOver = reopenedCountSql('?3', '?2', true);
  return [
    db
      .prepare(
        `UPDATE risk_exceptions SET status = 'expired', ended_at = ?2
         WHERE tenant_id = ?1 AND id = ?3 AND status = 'approved' AND expires_at <= ?2`,
      )
      .bind(row.tenant_id, at, row.id),
    db
      .prepare(
        `INSERT INTO ${AUDIT_COLUMNS}
         SELECT ?1, ?2, '${SYSTEM}', '${SYSTEM}', 'exception.expire', 'exception:' || CAST(?3 AS INTEGER),
                json_object('scope', ?4, 'expiresAt', ?5, 'findingsReopened', ${reopened},
                            'findingsExceptedByAnother', ${takenOver})
         WHERE changes() > 0`,
      )
      .bind(row.tenant_id, at, row.id, scope, row.expires_at),
    db
      .prepare(
        `INSERT INTO ${EVENT_COLUMNS}
         SELECT ?1, ?2, 'exception.expired', 'exception:' || CAST(?3 AS INTEGER),
                'Risk exception #' || CAST(?3 AS INTEGER) || ' (' || ?4 || ') expired; findings reopened: ' || ${reopened},
                json_object('exception', CAST(?3 AS INTEGER), 'scope', ?4, 'expiresAt', ?5, 'findingsReopened', ${reopened}),
                'exception.expired:' || CAST(?3 AS INTEGER)
         WHERE changes() > 0
         ON CONFLICT (tenant_id, dedupe_key) DO NOTHING`,
      )
      .bind(row.tenant_id, at, row.id, scope, row.expires_at),
  ];
}

/** `exception.expiring` for approved exceptions within their tenant's notice period, each once. */
async function announceExpiring(db: D1Database, now: Date): Promise<number> {
  const at = now.toISOString();
  const { results: pending } = await db
    .prepare(
      `SELECT id, tenant_id, host_kind, host_value, target_kind, target_value, expires_at FROM risk_exceptions r
       WHERE status = 'approved' AND expires_at > ?1
         AND NOT EXISTS (SELECT 1 FROM events ev WHERE ev.tenant_id = r.tenant_id
                                                  AND ev.dedupe_key = 'exception.expiring:' || r.id)`,
    )
    .bind(at)
    .all<DueRow>();
  if (pending.length === 0) return 0;
  const policies = await loadPolicies(db, [...new Set(pending.map((row) => row.tenant_id))]);
  const statements = pending
    .filter((row) => {
      const days = policies.get(row.tenant_id)?.exceptionNoticeDays ?? 0;
      return Date.parse(row.expires_at) <= now.getTime() + days * DAY_MS;
    })
    .map((row) =>
      eventStatement(db, {
        tenantId: row.tenant_id,
        at,
        kind: 'exception.expiring',
        subject: `exception:${row.id}`,
        summary: `Risk exception #${row.id} (${describeScope(row)}) expires on ${row.expires_at.slice(0, 10)}`,
        payload: { exception: row.id, scope: describeScope(row), expiresAt: row.expires_at },
        dedupeKey: `exception.expiring:${row.id}`,
      }),
    );
  if (statements.length === 0) return 0;
  const results = await db.batch(statements);
  return results.reduce((sum, result) => sum + (result.meta.changes ?? 0), 0);
}
