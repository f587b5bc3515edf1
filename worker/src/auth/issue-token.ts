import type { Role } from '@patchboard/shared/schemas/common';
import { type AuditActor, auditStatement } from '../db/audit';
import { insertTokenStatement } from '../db/tokens';
import { generateToken, sha256Hex } from './secrets';

export interface TokenSpec {
  readonly role: Role;
  /** The agent's host; null for every other role. */
  readonly host: { readonly id: number; readonly hostname: string } | null;
  readonly label: string | null;
}

/**
 * Mints a token for the actor's tenant: the secret to show once, and the statements that store
 * its hash and audit its creation (run them in the caller's batch, with whatever else it writes).
 */
export async function issueToken(
  db: D1Database,
  actor: AuditActor,
  spec: TokenSpec,
): Promise<{ token: string; prefix: string; statements: D1PreparedStatement[] }> {
  const { token, prefix } = generateToken();
  const statements = [
    insertTokenStatement(db, {
      prefix,
      tenant_id: actor.tenantId,
      token_hash: await sha256Hex(token),
      role: spec.role,
      host_id: spec.host?.id ?? null,
      hostname: spec.host?.hostname ?? null,
      label: spec.label,
      created_at: actor.at,
      created_by: actor.actor,
    }),
    auditStatement(db, {
      ...actor,
      action: 'token.create',
      target: `token:${prefix}`,
      summary: { role: spec.role, hostname: spec.host?.hostname ?? null, label: spec.label },
    }),
  ];
  return { token, prefix, statements };
}
