/**
 * Enrolment tokens and enrolment: a host presents an enrolment token and receives its own agent
 * token. Enrolment tokens are `pbe_` + 8 prefix characters + 40 secret ones; only the SHA-256 of
 * the whole token is stored, as for API tokens (worker/src/auth/secrets.ts says why SHA-256 suffices).
 */
import { randomChars } from '../auth/secrets';
import { AUDIT_COLUMNS, type AuditActor, auditStatement } from './audit';

export interface EnrolmentTokenRow {
  prefix: string;
  tenant_id: string;
  token_hash: string;
  label: string | null;
  ring: string;
  tags: string;
  uses_left: number | null;
  expires_at: string;
  created_at: string;
  created_by: string;
  revoked_at: string | null;
}

export const ENROLMENT_TOKEN_PATTERN = /^pbe_[A-Za-z0-9]{48}$/;

export function generateEnrolmentToken(): { token: string; prefix: string } {
  const prefix = `pbe_${randomChars(8)}`;
  return { token: `${prefix}${randomChars(40)}`, prefix };
}

export const enrolmentPrefix = (token: string): string => token.slice(0, 12);

export function toEnrolmentToken(row: EnrolmentTokenRow) {
  return {
    prefix: row.prefix,
    label: row.label,
    ring: row.ring,
    tags: JSON.parse(row.tags) as string[],
    usesLeft: row.uses_left,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    createdBy: row.created_by,
    revokedAt: row.revoked_at,
  };
}

export function insertEnrolmentTokenStatements(
  db: D1Database,
  actor: AuditActor,
  row: Omit<EnrolmentTokenRow, 'revoked_at' | 'created_at' | 'created_by' | 'tenant_id'>,
): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `INSERT INTO enrolment_tokens (prefix, tenant_id, token_hash, label, ring, tags, uses_left, expires_at, created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING *`,
      )
      .bind(
        row.prefix,
        actor.tenantId,
        row.token_hash,
        row.label,
        row.ring,
        row.tags,
        row.uses_left,
        row.expires_at,
        actor.at,
        actor.actor,
      ),
    auditStatement(db, {
      ...actor,
      action: 'enrolment_token.create',
      target: `enrolment_token:${row.prefix}`,
      summary: {
        label: row.label,
        ring: row.ring,
        tags: JSON.parse(row.tags),
        uses: row.uses_left,
        expiresAt: row.expires_at,
      },
    }),
  ];
}

export async function listEnrolmentTokens(db: D1Database, tenantId: string): Promise<EnrolmentTokenRow[]> {
  const { results } = await db
    .prepare('SELECT * FROM enrolment_tokens WHERE tenant_id = ?1 ORDER BY created_at DESC, prefix')
    .bind(tenantId)
    .all<EnrolmentTokenRow>();
  return results;
}

export async function findEnrolmentToken(db: D1Database, prefix: string): Promise<EnrolmentTokenRow | null> {
  return db.prepare('SELECT * FROM enrolment_tokens WHERE prefix = ?1').bind(prefix).first<EnrolmentTokenRow>();
}

export function revokeEnrolmentTokenStatements(
  db: D1Database,
  actor: AuditActor,
  prefix: string,
): D1PreparedStatement[] {
  return [
    db
      .prepare(
        'UPDATE enrolment_tokens SET revoked_at = ?3 WHERE tenant_id = ?1 AND prefix = ?2 AND revoked_at IS NULL',
      )
      .bind(actor.tenantId, prefix, actor.at),
    auditStatement(
      db,
      { ...actor, action: 'enrolment_token.revoke', target: `enrolment_token:${prefix}`, summary: {} },
      { onlyIfChanged: true },
    ),
  ];
}

export interface Enrolment {
  readonly prefix: string;
  readonly tenantId: string;
  readonly hostname: string;
  readonly osFamily: string;
  readonly osRelease: string;
  readonly ecosystem: string;
  readonly ring: string;
  readonly tags: readonly string[];
  /** The new agent token's prefix and hash. */
  readonly agentPrefix: string;
  readonly agentHash: string;
  readonly at: string;
}

/**
 * One enrolment, all or nothing: the first statement takes one use of the enrolment token (if it
 * is still valid at this instant) and marks it with this enrolment's own token; every other
 * statement runs only where that mark is theirs. So a token with one use left enrols one of two
 * concurrent hosts, and the other's batch changes nothing. A host that exists keeps its ring and
 * tags and gets its OS updated; its earlier agent tokens are revoked (re-enrolling rotates).
 */
export function enrolStatements(db: D1Database, enrolment: Enrolment): D1PreparedStatement[] {
  const mark = crypto.randomUUID();
  const guard = 'EXISTS (SELECT 1 FROM enrolment_tokens WHERE prefix = ?1 AND last_use = ?2)';
  const host = '(SELECT id FROM hosts WHERE tenant_id = ?3 AND hostname = ?4)';
  const e = enrolment;
  return [
    db
      .prepare(
        `UPDATE enrolment_tokens SET uses_left = uses_left - 1, last_use = ?2
         WHERE prefix = ?1 AND revoked_at IS NULL AND expires_at > ?3 AND (uses_left IS NULL OR uses_left > 0) RETURNING prefix`,
      )
      .bind(e.prefix, mark, e.at),
    db
      .prepare(
        `INSERT INTO ${AUDIT_COLUMNS}
         SELECT ?3, ?5, 'enrolment:' || ?1, 'agent', 'agent.enrol', 'host:' || ?4,
                json_object('created', json(CASE WHEN ${host} IS NULL THEN 'true' ELSE 'false' END), 'os', ?6 || ' ' || ?7,
                            'agentToken', ?8)
         WHERE ${guard}`,
      )
      .bind(e.prefix, mark, e.tenantId, e.hostname, e.at, e.osFamily, e.osRelease, e.agentPrefix),
    // Software reported for another ecosystem cannot describe a reinstalled host (see upsertHostStatements).
    db
      .prepare(`DELETE FROM installed_packages WHERE host_id = ${host} AND ${guard} AND
                (SELECT ecosystem FROM hosts WHERE id = ${host}) <> ?5`)
      .bind(e.prefix, mark, e.tenantId, e.hostname, e.ecosystem),
    db
      .prepare(
        `INSERT INTO hosts (tenant_id, hostname, os_family, os_release, ecosystem, ring, created_at, updated_at)
         SELECT ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9 WHERE ${guard}
         ON CONFLICT (tenant_id, hostname) DO UPDATE SET
           os_family = excluded.os_family, os_release = excluded.os_release, ecosystem = excluded.ecosystem, updated_at = excluded.updated_at`,
      )
      .bind(e.prefix, mark, e.tenantId, e.hostname, e.osFamily, e.osRelease, e.ecosystem, e.ring, e.at),
    db
      .prepare(
        `INSERT OR IGNORE INTO host_tags (host_id, tag)
         SELECT ${host}, value FROM json_each(?5) WHERE ${guard} AND (SELECT created_at FROM hosts WHERE id = ${host}) = ?6`,
      )
      .bind(e.prefix, mark, e.tenantId, e.hostname, JSON.stringify(e.tags), e.at),
    db
      .prepare(
        `UPDATE api_tokens SET revoked_at = ?5 WHERE host_id = ${host} AND role = 'agent' AND revoked_at IS NULL AND ${guard}`,
      )
      .bind(e.prefix, mark, e.tenantId, e.hostname, e.at),
    db
      .prepare(
        `INSERT INTO api_tokens (prefix, tenant_id, token_hash, role, host_id, hostname, label, created_at, created_by)
         SELECT ?5, ?3, ?6, 'agent', ${host}, ?4, 'enrolled with ' || ?1, ?7, 'enrolment:' || ?1 WHERE ${guard}`,
      )
      .bind(e.prefix, mark, e.tenantId, e.hostname, e.agentPrefix, e.agentHash, e.at),
  ];
}
