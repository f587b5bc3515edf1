import type { ExceptionCounts } from '@patchboard/shared/schemas/report';
import type { ReportQuery } from './query';

/**
 * An exception is active while approved and not past its expiry: the expiry job may not have run
 * yet, but a report as of `now` must not count an exception that has already ended.
 */
const ACTIVE = `e.tenant_id = ?1 AND e.status = 'approved' AND e.expires_at > ?2`;

export function exceptionCountsQuery(
  db: D1Database,
  tenantId: string,
  now: string,
  expiringBy: string,
): ReportQuery<ExceptionCounts> {
  const statement = db
    .prepare(
      `SELECT count(*) AS active, count(CASE WHEN e.expires_at <= ?3 THEN 1 END) AS expiring
       FROM risk_exceptions e WHERE ${ACTIVE}`,
    )
    .bind(tenantId, now, expiringBy);
  return {
    statement,
    read: (rows) => {
      const row = rows[0] as { active: number; expiring: number } | undefined;
      return { active: row?.active ?? 0, expiringWithin7Days: row?.expiring ?? 0 };
    },
  };
}

/** An active exception as an auditor reads it. */
export interface ActiveException {
  readonly id: number;
  /** Which hosts: `hostname web-01`, `tag pci`, `ring prod` or `all hosts`. */
  readonly hosts: string;
  /** Which vulnerabilities: `advisory DSA-5678-1`, `cve CVE-2024-0727`, `package openssl`. */
  readonly target: string;
  readonly reason: string;
  readonly compensatingControl: string;
  readonly requestedBy: string;
  readonly approvedBy: string;
  readonly approvedAt: string | null;
  readonly expiresAt: string;
}

interface Row {
  id: number;
  host_kind: string;
  host_value: string;
  target_kind: string;
  target_value: string;
  reason: string;
  compensating_control: string;
  requested_by: string;
  decided_by: string | null;
  decided_at: string | null;
  expires_at: string;
}

/** Active exceptions, those expiring first first, at most `limit` (the counts say how many in all). */
export function activeExceptionsQuery(
  db: D1Database,
  tenantId: string,
  now: string,
  limit: number,
): ReportQuery<ActiveException[]> {
  const statement = db
    .prepare(
      `SELECT e.id, e.host_kind, e.host_value, e.target_kind, e.target_value, e.reason, e.compensating_control,
              e.requested_by, e.decided_by, e.decided_at, e.expires_at
       FROM risk_exceptions e WHERE ${ACTIVE} ORDER BY e.expires_at, e.id LIMIT ?3`,
    )
    .bind(tenantId, now, limit);
  return {
    statement,
    read: (rows) =>
      (rows as Row[]).map((row) => ({
        id: row.id,
        hosts: row.host_kind === 'all' ? 'all hosts' : `${row.host_kind} ${row.host_value}`,
        target: `${row.target_kind} ${row.target_value}`,
        reason: row.reason,
        compensatingControl: row.compensating_control,
        requestedBy: row.requested_by,
        // An approved exception always names its approver (a CHECK of risk_exceptions).
        approvedBy: row.decided_by ?? '',
        approvedAt: row.decided_at,
        expiresAt: row.expires_at,
      })),
  };
}
