import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import { call, expectStatus, newTenant, ROOT_TOKEN } from './helpers';

describe('tenants (service provider root token)', () => {
  it('creates a tenant with a first admin token that works', async () => {
    const tenant = await newTenant('acme');
    expect(tenant.id).toMatch(/^tn_[A-Za-z0-9]{16}$/);
    expect(tenant.adminToken).toMatch(/^pb_[A-Za-z0-9]{48}$/);
    const tokens = await expectStatus<{ items: { prefix: string; role: string }[] }>(
      call('GET', '/v1/tokens', { token: tenant.adminToken }),
      200,
    );
    expect(tokens.items).toEqual([expect.objectContaining({ prefix: tenant.adminToken.slice(0, 11), role: 'admin' })]);
    const list = await expectStatus<{ items: { id: string }[] }>(
      call('GET', '/v1/tenants', { token: ROOT_TOKEN }),
      200,
    );
    expect(list.items.map((t) => t.id)).toContain(tenant.id);
  });

  it('refuses a second tenant of the same name, whatever its case', async () => {
    const tenant = await newTenant('dup');
    const body = await expectStatus(
      call('POST', '/v1/tenants', { token: ROOT_TOKEN, json: { name: tenant.name.toUpperCase() } }),
      409,
    );
    expect(body).toMatchObject({ error: { code: 'conflict' } });
  });

  it('validates the name and rejects unknown fields', async () => {
    const bad = await expectStatus<{ error: { code: string; details: { path: string }[] } }>(
      call('POST', '/v1/tenants', { token: ROOT_TOKEN, json: { name: '<script>' } }),
      400,
    );
    expect(bad.error.code).toBe('validation_failed');
    expect(bad.error.details[0]?.path).toBe('name');
    await expectStatus(call('POST', '/v1/tenants', { token: ROOT_TOKEN, json: { name: 'ok', plan: 'gold' } }), 400);
    await expectStatus(
      call('POST', '/v1/tenants', {
        token: ROOT_TOKEN,
        body: 'name=x',
        contentType: 'application/x-www-form-urlencoded',
      }),
      415,
    );
    await expectStatus(
      call('POST', '/v1/tenants', { token: ROOT_TOKEN, body: '{"name":', contentType: 'application/json' }),
      400,
    );
  });

  it('is root only: tenant admins get 403, nobody else gets in', async () => {
    const tenant = await newTenant();
    await expectStatus(call('POST', '/v1/tenants', { token: tenant.adminToken, json: { name: 'x' } }), 403);
    await expectStatus(call('GET', '/v1/tenants', { token: tenant.adminToken }), 403);
    await expectStatus(call('GET', '/v1/tenants'), 401);
    await expectStatus(call('GET', '/v1/tenants', { token: `${ROOT_TOKEN}x` }), 401);
    // The root token is not a tenant token.
    await expectStatus(call('GET', '/v1/hosts', { token: ROOT_TOKEN }), 403);
  });

  it('lets root issue a new admin token for a tenant, audited in that tenant', async () => {
    const tenant = await newTenant();
    const issued = await expectStatus<{ token: string; prefix: string }>(
      call('POST', `/v1/tenants/${tenant.id}/tokens`, { token: ROOT_TOKEN, json: { label: 'recovery' } }),
      201,
    );
    await expectStatus(call('GET', '/v1/hosts', { token: issued.token }), 200);
    const audit = await expectStatus<{ items: { action: string; actor: string; target: string }[] }>(
      call('GET', '/v1/audit', { token: issued.token }),
      200,
    );
    expect(audit.items.map((e) => `${e.actor} ${e.action} ${e.target}`)).toEqual([
      `root token.create token:${issued.prefix}`,
      `root token.create token:${tenant.adminToken.slice(0, 11)}`,
      `root tenant.create tenant:${tenant.id}`,
    ]);
    await expectStatus(call('POST', '/v1/tenants/tn_0000000000000000/tokens', { token: ROOT_TOKEN, json: {} }), 404);
  });

  it('has no root access at all when the secret is unset or too short', async () => {
    for (const rootToken of [undefined, 'short']) {
      const app = createApp();
      const res = await app.fetch(
        new Request('http://patchboard.test/v1/tenants', {
          headers: { authorization: `Bearer ${rootToken ?? 'anything-long-enough'}` },
        }),
        { DB: env.DB, PATCHBOARD_ROOT_TOKEN: rootToken },
        { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext,
      );
      expect(res.status).toBe(401);
    }
  });
});
