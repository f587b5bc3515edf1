import { routes } from '@patchboard/shared/api';
import type { Hono } from 'hono';
import { issueToken } from '../auth/issue-token';
import { randomChars } from '../auth/secrets';
import { type AuditActor, auditStatement } from '../db/audit';
import { findTenant, findTenantByName, insertTenantStatement, listTenants } from '../db/tenants';
import { ApiError, notFound } from '../http/errors';
import { type AppEnv, mount } from '../http/routing';

const rootActor = (tenantId: string, now: Date): AuditActor => ({
  tenantId,
  at: now.toISOString(),
  actor: 'root',
  actorRole: 'root',
});

/**
 * Tenants are the service provider's customers, managed with the root token. Tenant creation
 * answers with the first admin token, once; the provider can issue another when a customer has
 * lost theirs. Both land in the tenant's own audit log.
 */
export function mountTenants(app: Hono<AppEnv>): void {
  mount(app, routes.createTenant, async (c, { body, now }) => {
    if (await findTenantByName(c.env.DB, body.name)) {
      throw new ApiError(409, 'conflict', `a tenant named "${body.name}" exists already`);
    }
    const tenant = { id: `tn_${randomChars(16)}`, name: body.name, created_at: now.toISOString() };
    const actor = rootActor(tenant.id, now);
    const admin = await issueToken(c.env.DB, actor, { role: 'admin', host: null, label: 'first admin token' });
    await c.env.DB.batch([
      insertTenantStatement(c.env.DB, tenant),
      auditStatement(c.env.DB, {
        ...actor,
        action: 'tenant.create',
        target: `tenant:${tenant.id}`,
        summary: { name: tenant.name },
      }),
      ...admin.statements,
    ]);
    return { id: tenant.id, name: tenant.name, adminToken: admin.token };
  });

  mount(app, routes.listTenants, async (c) => ({
    items: (await listTenants(c.env.DB)).map((t) => ({ id: t.id, name: t.name, createdAt: t.created_at })),
  }));

  mount(app, routes.createTenantAdminToken, async (c, { params, body, now }) => {
    const tenant = await findTenant(c.env.DB, params.tenantId);
    if (!tenant) throw notFound(`tenant "${params.tenantId}"`);
    const admin = await issueToken(c.env.DB, rootActor(tenant.id, now), {
      role: 'admin',
      host: null,
      label: body.label ?? 'issued by the service provider',
    });
    await c.env.DB.batch(admin.statements);
    return { token: admin.token, prefix: admin.prefix };
  });
}
