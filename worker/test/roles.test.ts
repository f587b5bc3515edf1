import { env } from 'cloudflare:workers';
import { routes as contractRoutes, type RouteContract } from '@patchboard/shared/api';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, debian12, dpkgQuery, newTenant, newToken, putHost } from './helpers';

const tenantRoles = ['admin', 'approver', 'operator', 'viewer'] as const;

/** A request for a route with placeholder parameters and a body that would be valid for an allowed role. */
function requestFor(
  contract: RouteContract,
  hostname: string,
): { path: string; json?: unknown; body?: string; contentType?: string } {
  const values: Record<string, string> = { hostname, prefix: 'pb_AAAAAAAA', tenantId: 'tn_AAAAAAAAAAAAAAAA' };
  const path = contract.path.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? 'x');
  if (contract.operationId === 'putSoftware')
    return { path, body: dpkgQuery([['bash', '5.2.15-2+b7']]), contentType: 'text/x-dpkg-query' };
  if (contract.operationId === 'putHost') return { path, json: debian12 };
  if (contract.operationId === 'createToken') return { path, json: { role: 'viewer' } };
  if (contract.operationId === 'createTenant') return { path, json: { name: 'role-probe' } };
  return contract.body ? { path, json: {} } : { path };
}

async function auditCount(): Promise<number> {
  const row = await env.DB.prepare('SELECT count(*) AS n FROM audit_log').first<{ n: number }>();
  return row?.n ?? 0;
}

// Widened to the contract type, so each route's access list is read as data.
const routes: Record<string, RouteContract> = contractRoutes;

describe('roles', () => {
  const tokens: Record<string, string> = {};
  let agentOfOther = '';

  beforeAll(async () => {
    const { adminToken } = await newTenant('roles');
    tokens.admin = adminToken;
    await putHost(adminToken, 'web-01');
    await putHost(adminToken, 'db-01');
    for (const role of tenantRoles.slice(1)) tokens[role] = await newToken(adminToken, role);
    tokens.agent = await newToken(adminToken, 'agent', 'web-01');
    agentOfOther = await newToken(adminToken, 'agent', 'db-01');
  });

  it('gives viewers 403 on every route that changes state, and changes nothing', async () => {
    // POST /v1/lookup reads (a POST only because 500 ids do not fit every URL): it lists viewers.
    const mutating = Object.values(routes).filter(
      (r) => r.method !== 'GET' && r.access !== 'public' && !(Array.isArray(r.access) && r.access.includes('viewer')),
    );
    expect(mutating.length).toBeGreaterThanOrEqual(7);
    const before = await auditCount();
    for (const contract of mutating) {
      const req = requestFor(contract, 'web-01');
      const res = await call(contract.method, req.path, { token: tokens.viewer, ...req });
      expect(res.status, `${contract.method} ${contract.path}`).toBe(403);
      expect(await res.json()).toMatchObject({ error: { code: 'forbidden' } });
    }
    expect(await auditCount()).toBe(before);
  });

  it('lets each tenant role use exactly the routes that list it', async () => {
    for (const contract of Object.values(routes)) {
      if (contract.access === 'public' || contract.access === 'root') continue;
      for (const role of tenantRoles) {
        // Deleting is probed on a missing host, so the allowed admin gets 404 and web-01 stays.
        const req = requestFor(contract, contract.operationId === 'deleteHost' ? 'not-there' : 'web-01');
        const res = await call(contract.method, req.path, { token: tokens[role], ...req });
        const allowed = contract.access.includes(role);
        expect(res.status === 403, `${role} ${contract.method} ${contract.path} -> ${res.status}`).toBe(!allowed);
        expect(res.status, `${role} ${contract.method} ${contract.path}`).toBeLessThan(500);
      }
    }
  });

  it('lets an agent act only for its own host: 403 elsewhere, 404 for other hosts', async () => {
    for (const contract of Object.values(routes)) {
      if (contract.access === 'public') continue;
      const own = requestFor(contract, 'web-01');
      const res = await call(contract.method, own.path, { token: tokens.agent, ...own });
      const allowed = contract.access !== 'root' && contract.access.includes('agent');
      expect(res.status === 403, `agent ${contract.method} ${contract.path} -> ${res.status}`).toBe(!allowed);
      expect(res.status, `agent ${contract.method} ${contract.path}`).toBeLessThan(500);
      // The agent protocol's routes (/v1/agent/...) act on the token's own host and name none.
      if (allowed && contract.path.includes('{hostname}')) {
        expect(res.status, `agent own ${contract.path}`).toBe(200);
        const other = requestFor(contract, 'db-01');
        const denied = await call(contract.method, other.path, { token: tokens.agent, ...other });
        expect(denied.status, `agent other ${contract.path}`).toBe(404);
        const mirrored = await call(contract.method, own.path, { token: agentOfOther, ...own });
        expect(mirrored.status, `other agent ${contract.path}`).toBe(404);
      }
    }
  });

  it('records who did what: the agent report lands in the audit log under its prefix', async () => {
    const res = await call('GET', '/v1/audit?action=inventory.report', { token: tokens.admin });
    const audit = (await res.json()) as { items: { actor: string; actorRole: string; target: string }[] };
    expect(audit.items).toContainEqual(
      expect.objectContaining({ actor: tokens.agent?.slice(0, 11), actorRole: 'agent', target: 'host:web-01' }),
    );
  });
});
