import { routes } from '@patchboard/shared/api';
import type { Hono } from 'hono';
import { issueToken } from '../auth/issue-token';
import { auditStatement } from '../db/audit';
import { findHost } from '../db/hosts';
import { findTenantToken, listTokens, revokeTokenStatement } from '../db/tokens';
import { badRequest, notFound } from '../http/errors';
import { type AppEnv, auditActor, mount } from '../http/routing';

export function mountTokens(app: Hono<AppEnv>): void {
  mount(app, routes.createToken, async (c, { body, principal, now }) => {
    if ((body.role === 'agent') !== (body.hostname !== undefined)) {
      throw badRequest(
        body.role === 'agent'
          ? 'an agent token needs the "hostname" of the one host it reports for'
          : `"hostname" scopes agent tokens only; a ${body.role} token acts for the whole tenant`,
      );
    }
    let host: { id: number; hostname: string } | null = null;
    if (body.hostname !== undefined) {
      host = await findHost(c.env.DB, principal.tenantId, body.hostname);
      if (!host) throw notFound(`host "${body.hostname}" (register it with PUT /v1/hosts/{hostname} first)`);
    }
    const issued = await issueToken(c.env.DB, auditActor(principal, now), {
      role: body.role,
      host: host && { id: host.id, hostname: host.hostname },
      label: body.label ?? null,
    });
    await c.env.DB.batch(issued.statements);
    return { token: issued.token, prefix: issued.prefix };
  });

  mount(app, routes.listTokens, async (c, { principal }) => ({
    items: (await listTokens(c.env.DB, principal.tenantId)).map((t) => ({
      prefix: t.prefix,
      role: t.role,
      hostname: t.hostname,
      label: t.label,
      createdAt: t.created_at,
      createdBy: t.created_by,
      lastUsedAt: t.last_used_at,
      revokedAt: t.revoked_at,
    })),
  }));

  // Revoking is idempotent: revoking a revoked token answers 204 again without a second audit entry.
  mount(app, routes.revokeToken, async (c, { params, principal, now }) => {
    const token = await findTenantToken(c.env.DB, principal.tenantId, params.prefix);
    if (!token) throw notFound(`token "${params.prefix}"`);
    if (token.revoked_at) return undefined;
    const actor = auditActor(principal, now);
    await c.env.DB.batch([
      revokeTokenStatement(c.env.DB, principal.tenantId, params.prefix, actor.at),
      auditStatement(
        c.env.DB,
        {
          ...actor,
          action: 'token.revoke',
          target: `token:${params.prefix}`,
          summary: { role: token.role, hostname: token.hostname, label: token.label },
        },
        { onlyIfChanged: true },
      ),
    ]);
    return undefined;
  });
}
