import type { Role } from '@patchboard/shared/schemas/common';

export interface TokenRow {
  prefix: string;
  tenant_id: string;
  token_hash: string;
  role: Role;
  host_id: number | null;
  hostname: string | null;
  label: string | null;
  created_at: string;
  created_by: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

export type NewToken = Omit<TokenRow, 'last_used_at' | 'revoked_at'>;

export function insertTokenStatement(db: D1Database, token: NewToken): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO api_tokens (prefix, tenant_id, token_hash, role, host_id, hostname, label, created_at, created_by)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)`,
    )
    .bind(
      token.prefix,
      token.tenant_id,
      token.token_hash,
      token.role,
      token.host_id,
      token.hostname,
      token.label,
      token.created_at,
      token.created_by,
    );
}

/** The token with the current name of its host (an agent's scope). Not tenant-scoped: the prefix is what identifies the tenant. */
export async function findTokenByPrefix(db: D1Database, prefix: string): Promise<TokenRow | null> {
  return db
    .prepare(
      `SELECT t.prefix, t.tenant_id, t.token_hash, t.role, t.host_id, coalesce(h.hostname, t.hostname) AS hostname,
              t.label, t.created_at, t.created_by, t.last_used_at, t.revoked_at
       FROM api_tokens t LEFT JOIN hosts h ON h.id = t.host_id WHERE t.prefix = ?1`,
    )
    .bind(prefix)
    .first<TokenRow>();
}

export async function findTenantToken(db: D1Database, tenantId: string, prefix: string): Promise<TokenRow | null> {
  const row = await findTokenByPrefix(db, prefix);
  return row && row.tenant_id === tenantId ? row : null;
}

export async function listTokens(db: D1Database, tenantId: string): Promise<TokenRow[]> {
  const { results } = await db
    .prepare(
      `SELECT prefix, tenant_id, token_hash, role, host_id, hostname, label, created_at, created_by, last_used_at, revoked_at
       FROM api_tokens WHERE tenant_id = ?1 ORDER BY created_at, prefix`,
    )
    .bind(tenantId)
    .all<TokenRow>();
  return results;
}

export function revokeTokenStatement(
  db: D1Database,
  tenantId: string,
  prefix: string,
  at: string,
): D1PreparedStatement {
  return db
    .prepare('UPDATE api_tokens SET revoked_at = ?3 WHERE tenant_id = ?1 AND prefix = ?2 AND revoked_at IS NULL')
    .bind(tenantId, prefix, at);
}

export async function touchToken(db: D1Database, prefix: string, at: string): Promise<void> {
  await db.prepare('UPDATE api_tokens SET last_used_at = ?2 WHERE prefix = ?1').bind(prefix, at).run();
}
