/**
 * Risk exceptions in D1: requesting, deciding, revoking, listing, and which findings an exception
 * covers (the SQL that worker/src/triage/exceptions.ts applies to findings).
 */
import type {
  ExceptionHosts,
  ExceptionStatus,
  ExceptionTarget,
  RiskException,
} from '@patchboard/shared/schemas/exception';
import { AUDIT_COLUMNS, type AuditActor } from './audit';
import { EVENT_COLUMNS } from './events';

export interface RiskExceptionRow {
  id: number;
  tenant_id: string;
  host_kind: ExceptionHosts['kind'];
  host_value: string;
  target_kind: ExceptionTarget['kind'];
  target_value: string;
  reason: string;
  compensating_control: string;
  status: ExceptionStatus;
  requested_by: string;
  requested_at: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_note: string | null;
  expires_at: string;
  ended_at: string | null;
}

const COLUMNS = `id, tenant_id, host_kind, host_value, target_kind, target_value, reason, compensating_control, status,
  requested_by, requested_at, decided_by, decided_at, decision_note, expires_at, ended_at`;

export function toRiskException(row: RiskExceptionRow, now: Date): RiskException {
  return {
    id: row.id,
    hosts: { kind: row.host_kind, value: row.host_kind === 'all' ? null : row.host_value },
    target: { kind: row.target_kind, value: row.target_value },
    reason: row.reason,
    compensatingControl: row.compensating_control,
    status: row.status,
    active: row.status === 'approved' && row.expires_at > now.toISOString(),
    requestedBy: row.requested_by,
    requestedAt: row.requested_at,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    decisionNote: row.decision_note,
    expiresAt: row.expires_at,
    endedAt: row.ended_at,
  };
}

/** `CVE-2024-0727 on ring prod`: how notifications and the audit log name an exception's scope. */
export function describeScope(
  row: Pick<RiskExceptionRow, 'host_kind' | 'host_value' | 'target_kind' | 'target_value'>,
) {
  const target = row.target_kind === 'package' ? `package ${row.target_value}` : row.target_value;
  const hosts = row.host_kind === 'all' ? 'all hosts' : `${row.host_kind} ${row.host_value}`;
  return `${target} on ${hosts}`;
}

/**
 * When exception `e` covers finding `f`: same tenant, approved, not expired at `now` (a parameter
 * such as `?1`), one of its hosts, one of its vulnerabilities. A CVE is matched through the
 * advisory's aliases, which hold its CVEs; an advisory by its id or any alias, in any case (no two
 * advisories differ by case alone, and people type `dsa-3029-1`); a package exactly as named, by
 * the advisory's package name (a Debian source) or any installed binary behind the finding.
 */
export function coversFinding(now: string): string {
  return `e.tenant_id = f.tenant_id AND e.status = 'approved' AND e.expires_at > ${now}
    AND (e.host_kind = 'all'
      OR (e.host_kind = 'hostname' AND EXISTS (SELECT 1 FROM hosts h WHERE h.id = f.host_id AND h.hostname = e.host_value))
      OR (e.host_kind = 'ring' AND EXISTS (SELECT 1 FROM hosts h WHERE h.id = f.host_id AND h.ring = e.host_value))
      OR (e.host_kind = 'tag' AND EXISTS (SELECT 1 FROM host_tags t WHERE t.host_id = f.host_id AND t.tag = e.host_value)))
    AND ((e.target_kind = 'package'
          AND (f.package = e.target_value OR instr(',' || f.binaries || ',', ',' || e.target_value || ',') > 0))
      OR (e.target_kind = 'advisory'
          AND (EXISTS (SELECT 1 FROM advisories a WHERE a.pk = f.advisory_pk AND a.id = e.target_value COLLATE NOCASE)
               OR EXISTS (SELECT 1 FROM advisory_aliases x
                          WHERE x.advisory_pk = f.advisory_pk AND x.alias = e.target_value COLLATE NOCASE)))
      OR (e.target_kind = 'cve'
          AND EXISTS (SELECT 1 FROM advisory_aliases x WHERE x.advisory_pk = f.advisory_pk AND x.alias = e.target_value)))`;
}

/**
 * Findings excepted by exception `exceptionId` that no other active exception covers at `now`:
 * those its end reopens. Read after its status changed, so it no longer counts as active itself.
 */
export function reopenedCountSql(exceptionId: string, now: string, coveredElsewhere: boolean): string {
  return `(SELECT count(*) FROM findings f WHERE f.exception_id = ${exceptionId} AND f.status = 'excepted'
    AND ${coveredElsewhere ? '' : 'NOT '}EXISTS (SELECT 1 FROM risk_exceptions e WHERE ${coversFinding(now)}))`;
}

export interface NewException {
  readonly hosts: ExceptionHosts;
  readonly target: ExceptionTarget;
  readonly reason: string;
  readonly compensatingControl: string;
  readonly expiresAt: string;
}

/** The id of the exception the batch just inserted: ids only grow, and a batch is one transaction. */
const INSERTED_ID = '(SELECT max(id) FROM risk_exceptions WHERE tenant_id = ?1)';

/**
 * A request, its audit entry and the toolbar's `approval.waiting` event, in one batch. The first
 * statement answers the stored row (RETURNING).
 */
export function requestExceptionStatements(
  db: D1Database,
  actor: AuditActor,
  request: NewException,
): D1PreparedStatement[] {
  const hostValue = request.hosts.kind === 'all' ? '' : request.hosts.value;
  const scope = describeScope({
    host_kind: request.hosts.kind,
    host_value: hostValue,
    target_kind: request.target.kind,
    target_value: request.target.value,
  });
  const summary = {
    hosts: request.hosts,
    target: request.target,
    reason: request.reason,
    compensatingControl: request.compensatingControl,
    expiresAt: request.expiresAt,
  };
  return [
    db
      .prepare(
        `INSERT INTO risk_exceptions (tenant_id, host_kind, host_value, target_kind, target_value, reason,
                                      compensating_control, status, requested_by, requested_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'requested', ?8, ?9, ?10) RETURNING ${COLUMNS}`,
      )
      .bind(
        actor.tenantId,
        request.hosts.kind,
        hostValue,
        request.target.kind,
        request.target.value,
        request.reason,
        request.compensatingControl,
        actor.actor,
        actor.at,
        request.expiresAt,
      ),
    db
      .prepare(
        `INSERT INTO ${AUDIT_COLUMNS}
         SELECT ?1, ?2, ?3, ?4, 'exception.request', 'exception:' || ${INSERTED_ID}, ?5`,
      )
      .bind(actor.tenantId, actor.at, actor.actor, actor.actorRole, JSON.stringify(summary)),
    db
      .prepare(
        `INSERT INTO ${EVENT_COLUMNS}
         SELECT ?1, ?2, 'approval.waiting', 'exception:' || ${INSERTED_ID},
                'Risk exception #' || ${INSERTED_ID} || ' waits for approval: ' || ?3,
                json_set(?4, '$.exception', ${INSERTED_ID}), 'approval.waiting:exception:' || ${INSERTED_ID}
         WHERE true
         ON CONFLICT (tenant_id, dedupe_key) DO NOTHING`,
      )
      .bind(
        actor.tenantId,
        actor.at,
        `${scope}, until ${request.expiresAt.slice(0, 10)}`,
        JSON.stringify({ requestedBy: actor.actor, ...summary }),
      ),
  ];
}

export async function findException(db: D1Database, tenantId: string, id: number): Promise<RiskExceptionRow | null> {
  return db
    .prepare(`SELECT ${COLUMNS} FROM risk_exceptions WHERE tenant_id = ?1 AND id = ?2`)
    .bind(tenantId, id)
    .first<RiskExceptionRow>();
}

export async function listExceptions(
  db: D1Database,
  tenantId: string,
  filter: { status?: ExceptionStatus | undefined; beforeId?: number | undefined; limit: number },
): Promise<RiskExceptionRow[]> {
  const { results } = await db
    .prepare(
      `SELECT ${COLUMNS} FROM risk_exceptions
       WHERE tenant_id = ?1 AND (?2 IS NULL OR status = ?2) AND (?3 IS NULL OR id < ?3)
       ORDER BY id DESC LIMIT ?4`,
    )
    .bind(tenantId, filter.status ?? null, filter.beforeId ?? null, filter.limit)
    .all<RiskExceptionRow>();
  return results;
}

export interface ExceptedFinding {
  id: number;
  hostname: string;
  advisory: string;
  package: string;
}

/** How many findings the exception excepts now, and the first `limit` of them by host. */
export async function exceptedFindings(
  db: D1Database,
  tenantId: string,
  exceptionId: number,
  limit: number,
): Promise<{ count: number; items: ExceptedFinding[] }> {
  const [count, items] = await db.batch<{ n: number } | ExceptedFinding>([
    db
      .prepare(`SELECT count(*) AS n FROM findings WHERE exception_id = ?2 AND tenant_id = ?1 AND status = 'excepted'`)
      .bind(tenantId, exceptionId),
    db
      .prepare(
        `SELECT f.id, h.hostname, a.id AS advisory, f.package
         FROM findings f JOIN hosts h ON h.id = f.host_id JOIN advisories a ON a.pk = f.advisory_pk
         WHERE f.exception_id = ?2 AND f.tenant_id = ?1 AND f.status = 'excepted'
         ORDER BY h.hostname, a.id, f.package LIMIT ?3`,
      )
      .bind(tenantId, exceptionId, limit),
  ]);
  return {
    count: (count?.results[0] as { n: number } | undefined)?.n ?? 0,
    items: (items?.results ?? []) as ExceptedFinding[],
  };
}

/*
 * Ids bound as parameters are cast where they become text: D1 binds JS numbers as REAL (`7.0`).
 */

/**
 * A decision (approve or reject) and its audit entry. The update applies only to a request that
 * is still waiting, by someone other than its requester, before its expiry; a lost race with
 * another approver changes nothing and leaves no entry. An approval's entry counts the open
 * findings it is about to except (the caller runs exceptionStatements right after).
 */
export function decideStatements(
  db: D1Database,
  actor: AuditActor,
  id: number,
  decision: 'approved' | 'rejected',
  note: string | null,
): D1PreparedStatement[] {
  const excepting =
    decision === 'approved'
      ? `json_set(?7, '$.findingsExcepted', (SELECT count(*) FROM findings f JOIN risk_exceptions e ON e.id = ?5
                                              WHERE f.tenant_id = ?1 AND f.status = 'open' AND ${coversFinding('?2')}))`
      : '?7';
  return [
    db
      .prepare(
        `UPDATE risk_exceptions SET status = ?5, decided_by = ?3, decided_at = ?2, decision_note = ?6
         WHERE tenant_id = ?1 AND id = ?4 AND status = 'requested' AND requested_by <> ?3 AND expires_at > ?2`,
      )
      .bind(actor.tenantId, actor.at, actor.actor, id, decision, note),
    db
      .prepare(
        `INSERT INTO ${AUDIT_COLUMNS}
         SELECT ?1, ?2, ?3, ?4, ?6, 'exception:' || CAST(?5 AS INTEGER), ${excepting} WHERE changes() > 0`,
      )
      .bind(
        actor.tenantId,
        actor.at,
        actor.actor,
        actor.actorRole,
        id,
        decision === 'approved' ? 'exception.approve' : 'exception.reject',
        JSON.stringify({ note }),
      ),
  ];
}

/**
 * Revoking an approved exception and its audit entry, which counts the findings that reopen and
 * those another active exception takes over (the caller runs exceptionStatements right after).
 */
export function revokeStatements(
  db: D1Database,
  actor: AuditActor,
  id: number,
  note: string | null,
): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `UPDATE risk_exceptions SET status = 'revoked', ended_at = ?2
         WHERE tenant_id = ?1 AND id = ?3 AND status = 'approved'`,
      )
      .bind(actor.tenantId, actor.at, id),
    db
      .prepare(
        `INSERT INTO ${AUDIT_COLUMNS}
         SELECT ?1, ?2, ?3, ?4, 'exception.revoke', 'exception:' || CAST(?5 AS INTEGER),
                json_set(?6, '$.findingsReopened', ${reopenedCountSql('?5', '?2', false)},
                             '$.findingsExceptedByAnother', ${reopenedCountSql('?5', '?2', true)})
         WHERE changes() > 0`,
      )
      .bind(actor.tenantId, actor.at, actor.actor, actor.actorRole, id, JSON.stringify({ note })),
  ];
}

/** One finding under an active exception, as the VEX export states it. */
export interface VexFindingRow {
  finding_id: number;
  exception_id: number;
  hostname: string;
  os_family: string;
  os_release: string;
  advisory: string;
  cves: string;
  ecosystem: string;
  package: string;
  installed_version: string;
}

/** An installed package behind a finding of the export. */
export interface VexPackageRow {
  finding_id: number;
  name: string;
  version: string;
  arch: string;
  purl: string | null;
}

/**
 * What the VEX export states: the tenant's active exceptions, the findings each excepts now, and
 * the installed packages behind those findings (the binaries that carry the vulnerable version).
 */
export async function vexRows(
  db: D1Database,
  tenantId: string,
  now: string,
): Promise<{ exceptions: RiskExceptionRow[]; findings: VexFindingRow[]; packages: VexPackageRow[] }> {
  const active = `SELECT id FROM risk_exceptions WHERE tenant_id = ?1 AND status = 'approved' AND expires_at > ?2`;
  const [exceptions, findings, packages] = await db.batch([
    db.prepare(`SELECT ${COLUMNS} FROM risk_exceptions WHERE id IN (${active}) ORDER BY id`).bind(tenantId, now),
    db
      .prepare(
        `SELECT f.id AS finding_id, f.exception_id, h.hostname, h.os_family, h.os_release, a.id AS advisory, a.cves,
                f.ecosystem, f.package, f.installed_version
         FROM findings f JOIN hosts h ON h.id = f.host_id JOIN advisories a ON a.pk = f.advisory_pk
         WHERE f.exception_id IN (${active}) AND f.tenant_id = ?1 AND f.status = 'excepted'
         ORDER BY f.exception_id, h.hostname, a.id, f.package`,
      )
      .bind(tenantId, now),
    db
      .prepare(
        `SELECT f.id AS finding_id, i.name, i.version, i.arch, i.purl
         FROM findings f JOIN installed_packages i
           ON i.host_id = f.host_id AND i.ecosystem = f.ecosystem AND i.match_name = f.package
          AND i.match_version = f.installed_version AND instr(',' || f.binaries || ',', ',' || i.name || ',') > 0
         WHERE f.exception_id IN (${active}) AND f.tenant_id = ?1 AND f.status = 'excepted'
         ORDER BY f.id, i.name, i.arch`,
      )
      .bind(tenantId, now),
  ]);
  return {
    exceptions: (exceptions?.results ?? []) as RiskExceptionRow[],
    findings: (findings?.results ?? []) as VexFindingRow[],
    packages: (packages?.results ?? []) as VexPackageRow[],
  };
}
