import { Host } from '@patchboard/shared/schemas/host';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { call, debian12, dpkgQuery, expectStatus, newTenant, newToken, putHost, putSoftware } from './helpers';

describe('hosts', () => {
  it('registers a host with its ecosystem and defaults, and keeps omitted fields on update', async () => {
    const { adminToken } = await newTenant();
    const created = await putHost(adminToken, 'Web-01.Example.COM', {
      os: { family: 'Ubuntu', release: '22.04' },
      ring: 'pilot',
      tags: ['web', 'dmz', 'web'],
      owner: 'web-team@example.com',
    });
    expect(v.parse(Host, created)).toMatchObject({
      hostname: 'web-01.example.com',
      os: { family: 'ubuntu', release: '22.04' },
      ecosystem: 'Ubuntu:22.04',
      ring: 'pilot',
      criticality: 3,
      internetFacing: false,
      tags: ['dmz', 'web'],
      owner: 'web-team@example.com',
      lastSeenAt: null,
      packageCount: 0,
    });
    // An agent-style refresh of the OS release keeps what the admin set.
    const updated = await putHost(adminToken, 'web-01.example.com', {
      os: { family: 'ubuntu', release: '22.04.4' },
      criticality: 1,
    });
    expect(updated).toMatchObject({
      ring: 'pilot',
      criticality: 1,
      tags: ['dmz', 'web'],
      owner: 'web-team@example.com',
    });
    const cleared = await putHost(adminToken, 'web-01.example.com', {
      os: { family: 'ubuntu', release: '22.04' },
      tags: [],
      owner: null,
    });
    expect(cleared).toMatchObject({ tags: [], owner: null, criticality: 1 });
  });

  it.each([
    [{ family: 'debian', release: '12.5' }, 'Debian:12'],
    [{ family: 'rhel', release: '9.4' }, 'Red Hat:9'],
    [{ family: 'alpine', release: '3.20.3' }, 'Alpine:v3.20'],
    [{ family: 'windows', release: '10.0.20348.2402' }, 'Windows:10.0.20348'],
    [{ family: 'almalinux', release: '9.3' }, 'AlmaLinux:9'],
    [{ family: 'sles', release: '15.5' }, 'SUSE:Linux Enterprise Server 15 SP5'],
  ])('maps %o to %s', async (os, ecosystem) => {
    const { adminToken } = await newTenant();
    expect(await putHost(adminToken, 'h1', { os })).toMatchObject({ ecosystem });
  });

  it.each([
    ['bad hostname', 'bad..name', { os: { family: 'debian', release: '12' } }, ''],
    ['unknown family', 'h1', { os: { family: 'beos', release: '5' } }, 'os.family'],
    ['release of another family', 'h1', { os: { family: 'ubuntu', release: '12' } }, 'os.release'],
    ['criticality 5', 'h1', { os: { family: 'debian', release: '12' }, criticality: 5 }, 'criticality'],
    ['criticality as text', 'h1', { os: { family: 'debian', release: '12' }, criticality: '1' }, 'criticality'],
    [
      'a typo in a field name',
      'h1',
      { os: { family: 'debian', release: '12' }, internet_facing: true },
      'internet_facing',
    ],
    ['an upper-case ring', 'h1', { os: { family: 'debian', release: '12' }, ring: 'PROD' }, 'ring'],
    ['no os', 'h1', { ring: 'prod' }, 'os'],
  ])('refuses %s with a 400 naming the field, and writes nothing', async (_, hostname, body, path) => {
    const { adminToken } = await newTenant();
    const res = await expectStatus<{ error: { code: string; details?: { path?: string }[] } }>(
      call('PUT', `/v1/hosts/${hostname}`, { token: adminToken, json: body }),
      400,
    );
    expect(res.error.code).toBe('validation_failed');
    if (path) expect(res.error.details?.map((d) => d.path)).toContain(path);
    const list = await expectStatus<{ items: unknown[] }>(call('GET', '/v1/hosts', { token: adminToken }), 200);
    expect(list.items).toEqual([]);
  });

  it('lists with ring, tag and ecosystem filters and cursor pagination', async () => {
    const { adminToken } = await newTenant();
    for (let i = 0; i < 7; i++) {
      await putHost(adminToken, `host-${i}`, {
        os: i % 2 ? { family: 'debian', release: '12' } : { family: 'alpine', release: '3.20' },
        ring: i < 2 ? 'test' : 'prod',
        tags: i % 3 === 0 ? ['db'] : [],
      });
    }
    const names = async (query: string) => {
      const page = await expectStatus<{ items: { hostname: string }[] }>(
        call('GET', `/v1/hosts?${query}`, { token: adminToken }),
        200,
      );
      return page.items.map((h) => h.hostname);
    };
    expect(await names('ring=test')).toEqual(['host-0', 'host-1']);
    expect(await names('tag=db')).toEqual(['host-0', 'host-3', 'host-6']);
    expect(await names('ecosystem=Alpine:v3.20&ring=prod')).toEqual(['host-2', 'host-4', 'host-6']);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const page: { items: { hostname: string }[]; nextCursor: string | null } = await expectStatus(
        call('GET', `/v1/hosts?${query}`, { token: adminToken }),
        200,
      );
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((h) => h.hostname));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['host-0', 'host-1', 'host-2', 'host-3', 'host-4', 'host-5', 'host-6']);

    await expectStatus(call('GET', '/v1/hosts?limit=0', { token: adminToken }), 400);
    await expectStatus(call('GET', '/v1/hosts?limit=501', { token: adminToken }), 400);
    await expectStatus(call('GET', '/v1/hosts?cursor=bm90LWEtY3Vyc29y', { token: adminToken }), 400);
    await expectStatus(call('GET', '/v1/hosts?colour=blue', { token: adminToken }), 400);
  });

  it('deletes a host with its software and history, revokes its agent tokens, and audits it', async () => {
    const { adminToken } = await newTenant();
    await putHost(adminToken, 'old-01');
    await putSoftware(adminToken, 'old-01', dpkgQuery([['bash', '5.2.15-2+b7']]));
    const agent = await newToken(adminToken, 'agent', 'old-01');
    const operator = await newToken(adminToken, 'operator');
    await expectStatus(call('DELETE', '/v1/hosts/old-01', { token: operator }), 403);
    await expectStatus(call('DELETE', '/v1/hosts/old-01', { token: adminToken }), 204);
    await expectStatus(call('GET', '/v1/hosts/old-01', { token: adminToken }), 404);
    await expectStatus(call('GET', '/v1/hosts/old-01', { token: agent }), 401);
    const tokens = await expectStatus<{
      items: { prefix: string; revokedAt: string | null; hostname: string | null }[];
    }>(call('GET', '/v1/tokens', { token: adminToken }), 200);
    expect(tokens.items.find((t) => t.prefix === agent.slice(0, 11))).toMatchObject({
      hostname: 'old-01',
      revokedAt: expect.any(String),
    });
    const audit = await expectStatus<{ items: { action: string; summary: Record<string, unknown> }[] }>(
      call('GET', '/v1/audit?action=host.delete', { token: adminToken }),
      200,
    );
    expect(audit.items[0]?.summary).toMatchObject({ packages: 1, revokedTokens: [agent.slice(0, 11)] });
    // A host of the same name can be registered again, starting empty.
    expect(await putHost(adminToken, 'old-01')).toMatchObject({ packageCount: 0 });
  });

  it('audits each upsert with the before-image', async () => {
    const { adminToken } = await newTenant();
    await putHost(adminToken, 'h1', { os: { family: 'debian', release: '12' }, ring: 'test' });
    await putHost(adminToken, 'h1', { os: { family: 'debian', release: '12' }, ring: 'prod' });
    const audit = await expectStatus<{ items: { action: string; target: string; summary: Record<string, unknown> }[] }>(
      call('GET', '/v1/audit?action=host.upsert', { token: adminToken }),
      200,
    );
    expect(audit.items.map((e) => e.summary)).toEqual([
      { created: false, before: expect.objectContaining({ ring: 'test' }), set: { os: 'debian 12', ring: 'prod' } },
      { created: true, before: null, set: { os: 'debian 12', ring: 'test' } },
    ]);
  });

  it('drops software of the old ecosystem when a host is reinstalled with another OS', async () => {
    const { adminToken } = await newTenant();
    await putHost(adminToken, 'h1');
    await putSoftware(adminToken, 'h1', dpkgQuery([['bash', '5.2.15-2+b7']]));
    expect(await putHost(adminToken, 'h1', { os: { family: 'debian', release: '12.6' } })).toMatchObject({
      packageCount: 1,
    });
    expect(await putHost(adminToken, 'h1', { os: { family: 'ubuntu', release: '24.04' } })).toMatchObject({
      packageCount: 0,
    });
  });
});

describe('hosts on admin consoles', () => {
  it('matches names, first labels and addresses to hosts, with their open P1/P2 and pending deployment', async () => {
    const { adminToken: admin } = await newTenant('console-match');
    await expectStatus(
      call('PUT', '/v1/hosts/web-01.example.com', {
        token: admin,
        json: { ...debian12, addresses: ['10.0.0.5', '2001:DB8:0:0::1'] },
      }),
      200,
    );
    await expectStatus(call('PUT', '/v1/hosts/db-01', { token: admin, json: debian12 }), 200);
    const host = await expectStatus<{ addresses: string[] }>(
      call('GET', '/v1/hosts/web-01.example.com', { token: admin }),
      200,
    );
    expect(host.addresses).toEqual(['10.0.0.5', '2001:db8::1']);
    const matched = await expectStatus<{
      items: { name: string; hostname: string; p1: number; pendingDeployment: unknown }[];
    }>(
      call('POST', '/v1/hosts/match', {
        token: admin,
        json: { names: ['WEB-01', '10.0.0.5', '2001:db8::1', 'db-01', 'unknown-99', '10.9.9.9'] },
      }),
      200,
    );
    expect(matched.items.map((m) => [m.name, m.hostname])).toEqual([
      ['10.0.0.5', 'web-01.example.com'],
      ['2001:db8::1', 'web-01.example.com'],
      ['db-01', 'db-01'],
      ['web-01', 'web-01.example.com'],
    ]);
    expect(matched.items.every((m) => m.p1 === 0 && m.pendingDeployment === null)).toBe(true);
    const bad = await expectStatus<{ error: { message: string } }>(
      call('PUT', '/v1/hosts/db-01', { token: admin, json: { ...debian12, addresses: ['10.0.0.300'] } }),
      400,
    );
    expect(bad.error.message).toMatch(/IPv4 or IPv6/);
    // Another tenant's console sees none of them.
    const { adminToken: other } = await newTenant('console-match-other');
    const none = await expectStatus<{ items: unknown[] }>(
      call('POST', '/v1/hosts/match', { token: other, json: { names: ['web-01', '10.0.0.5'] } }),
      200,
    );
    expect(none.items).toEqual([]);
  });
});
