import { describe, expect, it } from 'vitest';
import { call, dpkgQuery, expectStatus, newTenant, newToken, putHost, putSoftware } from './helpers';

describe('tenant isolation', () => {
  it('never shows one tenant another tenant’s objects: 404 exactly like a missing one', async () => {
    const a = await newTenant('iso-a');
    const b = await newTenant('iso-b');
    // Look-alike data: the same hostname in both tenants, and one host only B has.
    await putHost(a.adminToken, 'web-01', { os: { family: 'debian', release: '12' }, ring: 'test' });
    await putHost(b.adminToken, 'web-01', { os: { family: 'ubuntu', release: '22.04' }, ring: 'prod' });
    await putHost(b.adminToken, 'b-only');
    await putSoftware(b.adminToken, 'b-only', dpkgQuery([['openssl', '3.0.11-1~deb12u2']]));
    const bViewer = await newToken(b.adminToken, 'viewer');

    const own = await expectStatus<{ ring: string; ecosystem: string }>(
      call('GET', '/v1/hosts/web-01', { token: a.adminToken }),
      200,
    );
    expect(own).toMatchObject({ ring: 'test', ecosystem: 'Debian:12' });

    const missing = await expectStatus(call('GET', '/v1/hosts/never-existed', { token: a.adminToken }), 404);
    const foreign = await expectStatus(call('GET', '/v1/hosts/b-only', { token: a.adminToken }), 404);
    expect(foreign).toEqual({ error: { ...(missing as { error: object }).error, message: 'host "b-only" not found' } });
    for (const path of ['/v1/hosts/b-only/software', '/v1/hosts/b-only/history']) {
      await expectStatus(call('GET', path, { token: a.adminToken }), 404);
    }
    await expectStatus(
      call('PUT', '/v1/hosts/b-only/software', {
        token: a.adminToken,
        body: dpkgQuery([['x', '1']]),
        contentType: 'text/x-dpkg-query',
      }),
      404,
    );
    await expectStatus(call('DELETE', '/v1/hosts/b-only', { token: a.adminToken }), 404);
    await expectStatus(call('DELETE', `/v1/tokens/${bViewer.slice(0, 11)}`, { token: a.adminToken }), 404);
    await expectStatus(
      call('POST', '/v1/tokens', { token: a.adminToken, json: { role: 'agent', hostname: 'b-only' } }),
      404,
    );

    const list = await expectStatus<{ items: { hostname: string }[] }>(
      call('GET', '/v1/hosts', { token: a.adminToken }),
      200,
    );
    expect(list.items.map((h) => h.hostname)).toEqual(['web-01']);
    const tokens = await expectStatus<{ items: { prefix: string }[] }>(
      call('GET', '/v1/tokens', { token: a.adminToken }),
      200,
    );
    expect(tokens.items.map((t) => t.prefix)).toEqual([a.adminToken.slice(0, 11)]);
    const audit = await (await call('GET', '/v1/audit?limit=500', { token: a.adminToken })).text();
    expect(audit).not.toContain('b-only');
    expect(audit).not.toContain(b.id);

    // B's data is untouched by A's attempts.
    await expectStatus(call('GET', '/v1/hosts/b-only', { token: bViewer }), 200);
    const bHost = await expectStatus<{ ecosystem: string }>(call('GET', '/v1/hosts/web-01', { token: bViewer }), 200);
    expect(bHost.ecosystem).toBe('Ubuntu:22.04');
  });
});
