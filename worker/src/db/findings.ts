import type { Finding } from '@patchboard/shared/schemas/advisory';

export interface FindingRow {
  id: number;
  hostname: string;
  advisory: string;
  cves: string;
  ecosystem: string;
  package: string;
  binaries: string;
  installed_version: string;
  fixed_version: string | null;
  status: 'open' | 'scheduled' | 'excepted' | 'resolved';
  resolution: string | null;
  explanation: string;
  priority: number | null;
  priority_reason: string | null;
  ssvc: string | null;
  kev: number;
  due_at: string | null;
  exception_id: number | null;
  first_seen_at: string;
  resolved_at: string | null;
  reopened_at: string | null;
}

/**
 * Past due: unresolved (and not accepted by an exception) after the due date, or resolved after it.
 * Timestamps are ISO 8601 in UTC, so their string order is time order.
 */
export function slaBreached(row: Pick<FindingRow, 'status' | 'due_at' | 'resolved_at'>, now: Date): boolean {
  if (row.due_at === null || row.status === 'excepted') return false;
  const until = row.status === 'resolved' ? (row.resolved_at ?? now.toISOString()) : now.toISOString();
  return until > row.due_at;
}

export function toFinding(row: FindingRow, now: Date): Finding {
  return {
    id: row.id,
    hostname: row.hostname,
    advisory: row.advisory,
    cves: JSON.parse(row.cves) as string[],
    ecosystem: row.ecosystem,
    package: row.package,
    binaries: row.binaries === '' ? [] : row.binaries.split(','),
    installedVersion: row.installed_version,
    fixedVersion: row.fixed_version,
    status: row.status,
    resolution: row.resolution,
    explanation: row.explanation,
    priority: row.priority,
    priorityReason: row.priority_reason,
    ssvc: row.ssvc,
    kev: row.kev === 1,
    dueAt: row.due_at,
    slaBreached: slaBreached(row, now),
    exceptionId: row.exception_id,
    firstSeenAt: row.first_seen_at,
    resolvedAt: row.resolved_at,
    reopenedAt: row.reopened_at,
  };
}

export interface FindingFilter {
  readonly hostId?: number | undefined;
  readonly advisory?: string | undefined;
  readonly cve?: string | undefined;
  /** A status, or `unresolved` for every status but resolved. */
  readonly status?: string | undefined;
  readonly priority?: string | undefined;
  /** 'true': past due and neither resolved nor excepted, as of `now`. */
  readonly breached?: string | undefined;
  readonly now: Date;
  /** Findings with a smaller id than this (the cursor): newest first. */
  readonly beforeId?: number | undefined;
  readonly limit: number;
}

export async function listFindings(db: D1Database, tenantId: string, filter: FindingFilter): Promise<FindingRow[]> {
  const { results } = await db
    .prepare(
      `SELECT f.id, h.hostname, a.id AS advisory, a.cves, f.ecosystem, f.package, f.binaries, f.installed_version,
              f.fixed_version, f.status, f.resolution, f.explanation, f.priority, f.priority_reason, f.ssvc, f.kev,
              f.due_at, f.exception_id, f.first_seen_at, f.resolved_at, f.reopened_at
       FROM findings f JOIN hosts h ON h.id = f.host_id JOIN advisories a ON a.pk = f.advisory_pk
       WHERE f.tenant_id = ?1
         AND (?2 IS NULL OR f.host_id = ?2)
         AND (?3 IS NULL OR a.id = ?3)
         AND (?4 IS NULL OR a.id = ?4 OR EXISTS (SELECT 1 FROM advisory_aliases x WHERE x.advisory_pk = a.pk AND x.alias = ?4))
         AND (?5 IS NULL OR f.status = ?5 OR (?5 = 'unresolved' AND f.status <> 'resolved'))
         AND (?6 IS NULL OR f.id < ?6)
         AND (?8 IS NULL OR f.priority = ?8)
         AND (?9 IS NULL OR (?9 = 'true') = (f.status IN ('open', 'scheduled') AND f.due_at < ?10))
       ORDER BY f.id DESC LIMIT ?7`,
    )
    .bind(
      tenantId,
      filter.hostId ?? null,
      filter.advisory ?? null,
      filter.cve ?? null,
      filter.status ?? null,
      filter.beforeId ?? null,
      filter.limit,
      filter.priority === undefined ? null : Number(filter.priority),
      filter.breached ?? null,
      filter.now.toISOString(),
    )
    .all<FindingRow>();
  return results;
}
