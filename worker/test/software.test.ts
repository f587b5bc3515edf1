import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, dpkgQuery, expectStatus, newTenant, putHost, putSoftware } from './helpers';

interface Summary {
  packages: number;
  hotfixes: number;
  added: number;
  removed: number;
  changed: number;
}
interface Change {
  change: string;
  kind: string;
  name: string;
  oldVersion: string | null;
  newVersion: string | null;
}

async function installed(token: string, hostname: string): Promise<string[]> {
  const page = await expectStatus<{ items: { name: string; version: string }[] }>(
    call('GET', `/v1/hosts/${hostname}/software?limit=500`, { token }),
    200,
  );
  return page.items.map((p) => `${p.name}=${p.version}`);
}

async function historyOf(token: string, hostname: string) {
  return expectStatus<{ items: (Summary & { changes: Change[] })[] }>(
    call('GET', `/v1/hosts/${hostname}/history`, { token }),
    200,
  );
}

describe('software reports', () => {
  it('replaces the installed set and records exactly what changed', async () => {
    const { adminToken } = await newTenant();
    await putHost(adminToken, 'web-01');
    const first = await putSoftware(
      adminToken,
      'web-01',
      dpkgQuery([
        ['openssl', '3.0.11-1~deb12u2'],
        ['bash', '5.2.15-2+b2'],
        ['curl', '7.88.1-10+deb12u5'],
      ]),
    );
    expect(first).toMatchObject({ packages: 3, added: 3, removed: 0, changed: 0, format: 'dpkg-query' });
    const bashId = await env.DB.prepare(
      "SELECT id FROM installed_packages WHERE name = 'bash' AND host_id = (SELECT id FROM hosts WHERE hostname = 'web-01' AND tenant_id = (SELECT tenant_id FROM api_tokens WHERE prefix = ?))",
    )
      .bind(adminToken.slice(0, 11))
      .first<{ id: number }>();

    const second = await putSoftware(
      adminToken,
      'web-01',
      dpkgQuery([
        ['openssl', '3.0.13-1~deb12u1'],
        ['bash', '5.2.15-2+b2'],
        ['sudo', '1.9.13p3-1+deb12u1'],
      ]),
    );
    expect(second).toMatchObject({ packages: 3, added: 1, removed: 1, changed: 1 });
    expect(await installed(adminToken, 'web-01')).toEqual([
      'bash=5.2.15-2+b2',
      'openssl=3.0.13-1~deb12u1',
      'sudo=1.9.13p3-1+deb12u1',
    ]);

    // Unchanged rows are not rewritten.
    const bashAfter = await env.DB.prepare('SELECT id FROM installed_packages WHERE id = ?').bind(bashId?.id).first();
    expect(bashAfter).not.toBeNull();

    const history = await historyOf(adminToken, 'web-01');
    expect(history.items).toHaveLength(2);
    expect(history.items[0]?.changes).toEqual([
      {
        change: 'removed',
        kind: 'package',
        ecosystem: 'Debian:12',
        name: 'curl',
        arch: 'amd64',
        oldVersion: '7.88.1-10+deb12u5',
        newVersion: null,
      },
      {
        change: 'changed',
        kind: 'package',
        ecosystem: 'Debian:12',
        name: 'openssl',
        arch: 'amd64',
        oldVersion: '3.0.11-1~deb12u2',
        newVersion: '3.0.13-1~deb12u1',
      },
      {
        change: 'added',
        kind: 'package',
        ecosystem: 'Debian:12',
        name: 'sudo',
        arch: 'amd64',
        oldVersion: null,
        newVersion: '1.9.13p3-1+deb12u1',
      },
    ]);
    const host = await expectStatus<{ lastSeenAt: string | null; packageCount: number }>(
      call('GET', '/v1/hosts/web-01', { token: adminToken }),
      200,
    );
    expect(host).toMatchObject({ packageCount: 3, lastSeenAt: expect.any(String) });

    // Same report again: a report with no change.
    expect(
      await putSoftware(
        adminToken,
        'web-01',
        dpkgQuery([
          ['openssl', '3.0.13-1~deb12u1'],
          ['bash', '5.2.15-2+b2'],
          ['sudo', '1.9.13p3-1+deb12u1'],
        ]),
      ),
    ).toMatchObject({
      added: 0,
      removed: 0,
      changed: 0,
    });
  });

  it('keeps several installed versions of one package apart (kernels)', async () => {
    const { adminToken } = await newTenant();
    await putHost(adminToken, 'rh-01', { os: { family: 'rhel', release: '9.4' } });
    const rpm = (versions: string[]) =>
      versions.map((v) => `kernel\t${v}\tx86_64\tkernel-${v}.src.rpm\n`).join('') +
      'bash\t0:5.1.8-9.el9\tx86_64\tbash-5.1.8-9.el9.src.rpm\n';
    await putSoftware(
      adminToken,
      'rh-01',
      rpm(['0:5.14.0-427.13.1.el9_4', '0:5.14.0-427.16.1.el9_4']),
      'text/x-rpm-qa',
    );
    expect(await installed(adminToken, 'rh-01')).toEqual([
      'bash=5.1.8-9.el9',
      'kernel=5.14.0-427.13.1.el9_4',
      'kernel=5.14.0-427.16.1.el9_4',
    ]);
    const summary = await putSoftware(
      adminToken,
      'rh-01',
      rpm(['0:5.14.0-427.16.1.el9_4', '0:5.14.0-427.18.1.el9_4']),
      'text/x-rpm-qa',
    );
    expect(summary).toMatchObject({ added: 0, removed: 0, changed: 1 });
    const history = await historyOf(adminToken, 'rh-01');
    expect(history.items[0]?.changes).toEqual([
      expect.objectContaining({
        change: 'changed',
        name: 'kernel',
        oldVersion: '5.14.0-427.13.1.el9_4 5.14.0-427.16.1.el9_4',
        newVersion: '5.14.0-427.16.1.el9_4 5.14.0-427.18.1.el9_4',
      }),
    ]);
  });

  it('records Windows hotfixes added and removed', async () => {
    const { adminToken } = await newTenant();
    await putHost(adminToken, 'dc-01', { os: { family: 'windows', release: '10.0.20348.2402' } });
    const hotfixes = (ids: string[]) => JSON.stringify({ packages: [], hotfixes: ids });
    await putSoftware(adminToken, 'dc-01', hotfixes(['KB5034129', 'kb5034439']), 'application/json');
    const second = await putSoftware(adminToken, 'dc-01', hotfixes(['KB5034439', 'KB5035857']), 'application/json');
    expect(second).toMatchObject({ hotfixes: 2, added: 1, removed: 1 });
    const software = await expectStatus<{ hotfixes: { kb: string }[] }>(
      call('GET', '/v1/hosts/dc-01/software', { token: adminToken }),
      200,
    );
    expect(software.hotfixes.map((h) => h.kb)).toEqual(['KB5034439', 'KB5035857']);
  });

  describe('a rejected report changes nothing', () => {
    async function snapshot(token: string) {
      const host = await expectStatus<Record<string, unknown>>(call('GET', '/v1/hosts/web-01', { token }), 200);
      const history = await historyOf(token, 'web-01');
      const audit = await expectStatus<{ items: unknown[] }>(call('GET', '/v1/audit?limit=500', { token }), 200);
      return {
        host,
        history: history.items.length,
        audit: audit.items.length,
        software: await installed(token, 'web-01'),
      };
    }

    async function seeded() {
      const { adminToken } = await newTenant();
      await putHost(adminToken, 'web-01');
      await putSoftware(adminToken, 'web-01', dpkgQuery([['openssl', '3.0.11-1~deb12u2']]));
      return { adminToken, before: await snapshot(adminToken) };
    }

    it.each([
      ['a malformed line', 'text/x-dpkg-query', 'bash\t5.2.15\n', 400, 'malformed_inventory', 1],
      ['malformed JSON', 'application/json', '{"packages": [', 400, 'malformed_inventory', undefined],
      [
        'an rpm database on a Debian host',
        'text/x-rpm-qa',
        'bash\t0:5.1.8-9.el9\tx86_64\tbash-5.1.8-9.el9.src.rpm\n',
        400,
        'malformed_inventory',
        undefined,
      ],
      [
        'hotfixes on a Linux host',
        'application/json',
        '{"packages":[],"hotfixes":["KB5034441"]}',
        400,
        'malformed_inventory',
        undefined,
      ],
      ['an unknown format', 'text/csv', 'name,version\nbash,5\n', 415, 'unsupported_media_type', undefined],
      ['an empty body', 'text/x-dpkg-query', '', 400, 'malformed_inventory', undefined],
    ])('%s', async (_, contentType, body, status, code, line) => {
      const { adminToken, before } = await seeded();
      const res = await expectStatus<{ error: { code: string; details?: { line?: number }[] } }>(
        call('PUT', '/v1/hosts/web-01/software', { token: adminToken, body, contentType }),
        status,
      );
      expect(res.error.code).toBe(code);
      if (line !== undefined) expect(res.error.details?.[0]?.line).toBe(line);
      expect(await snapshot(adminToken)).toEqual(before);
    });

    it('a body that is not UTF-8', async () => {
      const { adminToken, before } = await seeded();
      const body = new Uint8Array([0x62, 0x61, 0x73, 0x68, 0x09, 0xff, 0xfe, 0x0a]);
      await expectStatus(
        call('PUT', '/v1/hosts/web-01/software', { token: adminToken, body, contentType: 'text/x-dpkg-query' }),
        400,
      );
      expect(await snapshot(adminToken)).toEqual(before);
    });

    it('a body over 8 MiB, with or without Content-Length', async () => {
      const { adminToken, before } = await seeded();
      const line = 'libexample\t1.0-1\tamd64\tlibexample\t1.0-1\n';
      const big = line.repeat(Math.ceil((8 * 1024 * 1024 + 1) / line.length));
      const res = await expectStatus<{ error: { code: string } }>(
        call('PUT', '/v1/hosts/web-01/software', { token: adminToken, body: big, contentType: 'text/x-dpkg-query' }),
        413,
      );
      expect(res.error.code).toBe('payload_too_large');
      const stream = new Blob([big]).stream();
      const chunked = await call('PUT', '/v1/hosts/web-01/software', {
        token: adminToken,
        body: stream,
        contentType: 'text/x-dpkg-query',
      });
      expect(chunked.status).toBe(413);
      expect(await snapshot(adminToken)).toEqual(before);
    });
  });

  it('serialises concurrent identical reports: one records the change, none loses or duplicates a row', async () => {
    const { adminToken } = await newTenant();
    await putHost(adminToken, 'web-01');
    const body = dpkgQuery(Array.from({ length: 300 }, (_, i) => [`pkg-${i}`, `1.${i}-1`] as [string, string]));
    const results = await Promise.all(Array.from({ length: 6 }, () => putSoftware(adminToken, 'web-01', body)));
    expect(results.map((r) => r.added).sort()).toEqual([0, 0, 0, 0, 0, 300]);
    expect(await installed(adminToken, 'web-01')).toHaveLength(300);
    const audit = await expectStatus<{ items: unknown[] }>(
      call('GET', '/v1/audit?action=inventory.report', { token: adminToken }),
      200,
    );
    expect(audit.items).toHaveLength(6);
    const staging = await env.DB.prepare('SELECT count(*) AS n FROM inventory_staging').first<{ n: number }>();
    expect(staging?.n).toBe(0);
  });

  it('pages through a large installed set', async () => {
    const { adminToken } = await newTenant();
    await putHost(adminToken, 'big-01');
    await putSoftware(
      adminToken,
      'big-01',
      dpkgQuery(
        Array.from({ length: 1_234 }, (_, i) => [`lib-${String(i).padStart(4, '0')}`, '1.0-1'] as [string, string]),
      ),
    );
    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { name: string }[]; nextCursor: string | null } = await expectStatus(
        call('GET', `/v1/hosts/big-01/software?limit=500${cursor ? `&cursor=${cursor}` : ''}`, { token: adminToken }),
        200,
      );
      names.push(...page.items.map((p) => p.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(names).toHaveLength(1_234);
    expect(new Set(names).size).toBe(1_234);
    const one = await expectStatus<{ items: { name: string }[] }>(
      call('GET', '/v1/hosts/big-01/software?name=lib-0042', { token: adminToken }),
      200,
    );
    expect(one.items.map((p) => p.name)).toEqual(['lib-0042']);
  });
});
