import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, expectStatus, newTenant, newToken, putHost } from './helpers';

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

describe('API tokens', () => {
  it('stores only the SHA-256 of a token and never shows the secret again', async () => {
    const { adminToken } = await newTenant();
    const token = await newToken(adminToken, 'viewer');
    const prefix = token.slice(0, 11);
    const row = await env.DB.prepare('SELECT * FROM api_tokens WHERE prefix = ?')
      .bind(prefix)
      .first<Record<string, unknown>>();
    expect(row?.token_hash).toBe(await sha256Hex(token));
    expect(Object.values(row ?? {}).some((value) => String(value).includes(token.slice(11)))).toBe(false);
    const listed = await (await call('GET', '/v1/tokens', { token: adminToken })).text();
    expect(listed).toContain(prefix);
    expect(listed).not.toContain(token.slice(11));
    expect(listed).not.toContain('hash');
  });

  it('records last use, and a revoked token stops working at once', async () => {
    const { adminToken } = await newTenant();
    const token = await newToken(adminToken, 'operator');
    const prefix = token.slice(0, 11);
    await expectStatus(call('GET', '/v1/hosts', { token }), 200);
    const used = await env.DB.prepare('SELECT last_used_at FROM api_tokens WHERE prefix = ?')
      .bind(prefix)
      .first<{ last_used_at: string | null }>();
    expect(used?.last_used_at).not.toBeNull();
    await expectStatus(call('DELETE', `/v1/tokens/${prefix}`, { token: adminToken }), 204);
    const revoked = await expectStatus(call('GET', '/v1/hosts', { token }), 401);
    expect(revoked).toEqual({ error: { code: 'unauthorized', message: 'token revoked' } });
    // Idempotent, and audited once.
    await expectStatus(call('DELETE', `/v1/tokens/${prefix}`, { token: adminToken }), 204);
    const audit = await expectStatus<{ items: unknown[] }>(
      call('GET', `/v1/audit?action=token.revoke&target=token:${prefix}`, { token: adminToken }),
      200,
    );
    expect(audit.items).toHaveLength(1);
  });

  it('answers 401 alike for an unknown token and a wrong secret of a known prefix', async () => {
    const { adminToken } = await newTenant();
    const forged = `${adminToken.slice(0, 11)}${'A'.repeat(40)}`;
    const a = await expectStatus(call('GET', '/v1/hosts', { token: forged }), 401);
    const b = await expectStatus(call('GET', '/v1/hosts', { token: `pb_${'Z'.repeat(48)}` }), 401);
    expect(a).toEqual(b);
    await expectStatus(call('GET', '/v1/hosts', { headers: { authorization: `Basic ${btoa('a:b')}` } }), 401);
    await expectStatus(call('GET', '/v1/hosts', { headers: { authorization: 'Bearer' } }), 401);
  });

  it('scopes agent tokens to one existing host and other roles to none', async () => {
    const { adminToken } = await newTenant();
    await expectStatus(call('POST', '/v1/tokens', { token: adminToken, json: { role: 'agent' } }), 400);
    await expectStatus(
      call('POST', '/v1/tokens', { token: adminToken, json: { role: 'viewer', hostname: 'web-01' } }),
      400,
    );
    await expectStatus(
      call('POST', '/v1/tokens', { token: adminToken, json: { role: 'agent', hostname: 'web-01' } }),
      404,
    );
    await expectStatus(call('POST', '/v1/tokens', { token: adminToken, json: { role: 'root' } }), 400);
    await putHost(adminToken, 'web-01');
    const agent = await newToken(adminToken, 'agent', 'WEB-01');
    const listed = await expectStatus<{ items: { prefix: string; hostname: string | null }[] }>(
      call('GET', '/v1/tokens', { token: adminToken }),
      200,
    );
    expect(listed.items.find((t) => t.prefix === agent.slice(0, 11))?.hostname).toBe('web-01');
  });

  it('is admin only', async () => {
    const { adminToken } = await newTenant();
    for (const role of ['approver', 'operator', 'viewer']) {
      const token = await newToken(adminToken, role);
      await expectStatus(call('GET', '/v1/tokens', { token }), 403);
      await expectStatus(call('POST', '/v1/tokens', { token, json: { role: 'admin' } }), 403);
    }
  });
});
