import { HostDetail } from '@patchboard/shared/schemas/host';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import alsa from '../src/feeds/osv/testdata/ALSA-2024_2433.json?raw';
import withdrawnGhsa from '../src/feeds/osv/testdata/GHSA-35c4-f3rq-f9g3.withdrawn.json?raw';
import rhsaAus from '../src/feeds/osv/testdata/RHSA-2024_4546.osv.json?raw';
import usn from '../src/feeds/osv/testdata/USN-5614-1.json?raw';
import { call, expectStatus, newTenant, newToken, putHost, putSoftware } from './helpers';

interface FindingItem {
  hostname: string;
  advisory: string;
  cves: string[];
  package: string;
  binaries: string[];
  installedVersion: string;
  fixedVersion: string | null;
  status: string;
  resolution: string | null;
  explanation: string;
  reopenedAt: string | null;
}

/** A hand-made OSV record: one package in one ecosystem with the given events. */
function osv(id: string, ecosystem: string, name: string, events: object[], extra: object = {}) {
  return {
    id,
    modified: '2024-05-01T00:00:00Z',
    aliases: ['CVE-2024-0727'],
    affected: [{ package: { ecosystem, name }, ranges: [{ type: 'ECOSYSTEM', events }] }],
    ...extra,
  };
}

async function importAdvisories(token: string, body: unknown) {
  return expectStatus<{
    imported: number;
    unchanged: number;
    rejected: { index: number; id: string | null; reason: string }[];
    findings: { opened: number; resolved: number };
  }>(call('POST', '/v1/advisories/import', { token, json: body }), 200);
}

async function findings(token: string, query = ''): Promise<FindingItem[]> {
  const page = await expectStatus<{ items: FindingItem[] }>(
    call('GET', `/v1/findings?limit=500${query}`, { token }),
    200,
  );
  return page.items;
}

const dpkg = (rows: [name: string, version: string, source: string, sourceVersion: string][]) =>
  rows.map(([n, ver, s, sv]) => `${n}\t${ver}\tamd64\t${s}\t${sv}\n`).join('');

describe('matching', () => {
  it('matches a Debian advisory through the source package, explains why, and only on its release', async () => {
    const { adminToken } = await newTenant();
    await putHost(adminToken, 'deb12', { os: { family: 'debian', release: '12.5' } });
    await putHost(adminToken, 'deb11', { os: { family: 'debian', release: '11.9' } });
    await putHost(adminToken, 'jammy', { os: { family: 'ubuntu', release: '22.04' } });
    const openssl = dpkg([
      ['libssl3', '3.0.11-1~deb12u2', 'openssl', '3.0.11-1~deb12u2'],
      ['openssl', '3.0.11-1~deb12u2', 'openssl', '3.0.11-1~deb12u2'],
      ['bash', '5.2.15-2+b2', 'bash', '5.2.15-2'],
    ]);
    for (const host of ['deb12', 'deb11', 'jammy']) await putSoftware(adminToken, host, openssl);

    const result = await importAdvisories(
      adminToken,
      osv('DSA-5678-1', 'Debian:12', 'openssl', [{ introduced: '0' }, { fixed: '3.0.13-1~deb12u1' }]),
    );
    expect(result).toEqual({
      format: 'osv',
      imported: 1,
      unchanged: 0,
      withdrawn: 0,
      rejected: [],
      findings: { opened: 1, resolved: 0 },
      enrichment: 0,
    });

    const found = await findings(adminToken);
    expect(found).toEqual([
      expect.objectContaining({
        hostname: 'deb12',
        advisory: 'DSA-5678-1',
        cves: ['CVE-2024-0727'],
        package: 'openssl',
        binaries: ['libssl3', 'openssl'],
        installedVersion: '3.0.11-1~deb12u2',
        fixedVersion: '3.0.13-1~deb12u1',
        status: 'open',
        explanation: 'openssl 3.0.11-1~deb12u2 < 3.0.13-1~deb12u1 (fixed in DSA-5678-1 for Debian:12)',
      }),
    ]);
    const host = v.parse(HostDetail, await expectStatus(call('GET', '/v1/hosts/deb12', { token: adminToken }), 200));
    expect(host.openFindings).toBe(1);
    expect(host.findings.map((f) => f.explanation)).toEqual([found[0]?.explanation]);
  });

  it('compares the source version, so a binNMU (+b1) of an unfixed source stays affected', async () => {
    const { adminToken } = await newTenant();
    await putHost(adminToken, 'h');
    await putSoftware(adminToken, 'h', dpkg([['util-linux-extra', '2.38.1-5+b1', 'util-linux', '2.38.1-5']]));
    await importAdvisories(
      adminToken,
      osv('DSA-5600-1', 'Debian:12', 'util-linux', [{ introduced: '0' }, { fixed: '2.38.1-5+deb12u1' }]),
    );
    expect((await findings(adminToken)).map((f) => f.explanation)).toEqual([
      'util-linux 2.38.1-5 < 2.38.1-5+deb12u1 (fixed in DSA-5600-1 for Debian:12)',
    ]);
  });

  it('counts RHEL epochs, and keeps extended-support streams apart', async () => {
    const { adminToken } = await newTenant();
    const rpm = (version: string) =>
      `openssl-libs\t${version}\tx86_64\topenssl-${version.replace(/^\d+:/, '')}.src.rpm\n`;
    for (const [host, version] of [
      ['old', '1:3.0.7-27.el9'],
      ['no-epoch', '0:3.0.8-1.el9'],
      ['fixed', '1:3.0.7-28.el9_4'],
    ] as const) {
      await putHost(adminToken, host, { os: { family: 'rhel', release: '9.4' } });
      await putSoftware(adminToken, host, rpm(version), 'text/x-rpm-qa');
    }
    await importAdvisories(
      adminToken,
      osv('RHSA-2024:3501', 'Red Hat:enterprise_linux:9::baseos', 'openssl-libs', [
        { introduced: '0' },
        { fixed: '1:3.0.7-28.el9_4' },
      ]),
    );
    expect((await findings(adminToken)).map((f) => `${f.hostname} ${f.explanation}`).sort()).toEqual([
      'no-epoch openssl-libs 3.0.8-1.el9 < 1:3.0.7-28.el9_4 (fixed in RHSA-2024:3501 for Red Hat:9)',
      'old openssl-libs 1:3.0.7-27.el9 < 1:3.0.7-28.el9_4 (fixed in RHSA-2024:3501 for Red Hat:9)',
    ]);
    // The real RHSA-2024:4546 is for RHEL 8.6 AUS/E4S/TUS only: no RHEL 9 host is touched.
    const aus = await importAdvisories(adminToken, JSON.parse(rhsaAus));
    expect(aus).toMatchObject({ imported: 1, findings: { opened: 0 } });
  });

  it('treats last_affected as inclusive and fixed as exclusive', async () => {
    const { adminToken } = await newTenant();
    const apk = (version: string) => `P:busybox\nV:${version}\nA:x86_64\no:busybox\n\n`;
    for (const version of ['1.36.1-r27', '1.36.1-r28', '1.36.1-r29']) {
      const host = `alp-${version.slice(-3)}`;
      await putHost(adminToken, host, { os: { family: 'alpine', release: '3.20.3' } });
      await putSoftware(adminToken, host, apk(version), 'text/x-apk-installed');
    }
    await importAdvisories(adminToken, [
      osv('ALPINE-LAST', 'Alpine:v3.20', 'busybox', [{ introduced: '0' }, { last_affected: '1.36.1-r28' }]),
      osv('ALPINE-FIXED', 'Alpine:v3.20', 'busybox', [{ introduced: '0' }, { fixed: '1.36.1-r28' }]),
    ]);
    const byAdvisory = (id: string, list: FindingItem[]) =>
      list
        .filter((f) => f.advisory === id)
        .map((f) => f.hostname)
        .sort();
    const all = await findings(adminToken);
    expect(byAdvisory('ALPINE-LAST', all)).toEqual(['alp-r27', 'alp-r28']);
    expect(byAdvisory('ALPINE-FIXED', all)).toEqual(['alp-r27']);
    expect(all.find((f) => f.advisory === 'ALPINE-LAST')?.explanation).toContain(
      '<= 1.36.1-r28 (last affected version in ALPINE-LAST',
    );
  });

  it('matches a real Ubuntu advisory (explicit versions and a fix) on its release only', async () => {
    const { adminToken } = await newTenant();
    const wayland = dpkg([['libwayland-client0', '1.20.0-1', 'wayland', '1.20.0-1']]);
    await putHost(adminToken, 'jammy', { os: { family: 'ubuntu', release: '22.04' } });
    await putHost(adminToken, 'noble', { os: { family: 'ubuntu', release: '24.04' } });
    await putHost(adminToken, 'jammy-fixed', { os: { family: 'ubuntu', release: '22.04' } });
    await putSoftware(adminToken, 'jammy', wayland);
    await putSoftware(adminToken, 'noble', wayland);
    await putSoftware(
      adminToken,
      'jammy-fixed',
      dpkg([['libwayland-client0', '1.20.0-1ubuntu0.1', 'wayland', '1.20.0-1ubuntu0.1']]),
    );
    await importAdvisories(adminToken, JSON.parse(usn));
    const found = await findings(adminToken);
    expect(found.map((f) => `${f.hostname}: ${f.explanation}`)).toEqual([
      'jammy: wayland 1.20.0-1 < 1.20.0-1ubuntu0.1 (fixed in USN-5614-1 for Ubuntu:22.04)',
    ]);
  });

  it('resolves findings when the host is fixed or the package removed, and reopens them when it comes back', async () => {
    const { adminToken } = await newTenant();
    await putHost(adminToken, 'alma', { os: { family: 'almalinux', release: '9.3' } });
    const avahi = (version: string) => `avahi-libs\t0:${version}\tx86_64\tavahi-${version}.src.rpm\n`;
    await putSoftware(adminToken, 'alma', avahi('0.8-15.el9'), 'text/x-rpm-qa');
    await importAdvisories(adminToken, JSON.parse(alsa));
    expect((await findings(adminToken, '&status=open')).map((f) => f.explanation)).toEqual([
      'avahi-libs 0.8-15.el9 < 0.8-20.el9 (fixed in ALSA-2024:2433 for AlmaLinux:9)',
    ]);

    const upgraded = await putSoftware(adminToken, 'alma', avahi('0.8-20.el9'), 'text/x-rpm-qa');
    expect(upgraded).toMatchObject({ changed: 1 });
    expect(await findings(adminToken)).toEqual([expect.objectContaining({ status: 'resolved', resolution: 'fixed' })]);

    await putSoftware(adminToken, 'alma', avahi('0.8-12.el9'), 'text/x-rpm-qa');
    const reopened = await findings(adminToken);
    expect(reopened).toEqual([
      expect.objectContaining({
        status: 'open',
        resolution: null,
        installedVersion: '0.8-12.el9',
        reopenedAt: expect.any(String),
      }),
    ]);

    await putSoftware(adminToken, 'alma', 'bash\t0:5.1.8-9.el9\tx86_64\tbash-5.1.8-9.el9.src.rpm\n', 'text/x-rpm-qa');
    expect(await findings(adminToken)).toEqual([
      expect.objectContaining({ status: 'resolved', resolution: 'removed' }),
    ]);

    const audit = await expectStatus<{ items: { summary: Record<string, unknown> }[] }>(
      call('GET', '/v1/audit?action=inventory.report&limit=3', { token: adminToken }),
      200,
    );
    expect(audit.items.map((e) => [e.summary.findingsOpened, e.summary.findingsResolved])).toEqual([
      [0, 1],
      [1, 0],
      [0, 1],
    ]);
  });

  it('remediates only on a software report: an advisory that narrows its range says not affected', async () => {
    const { adminToken } = await newTenant();
    await putHost(adminToken, 'h');
    await putSoftware(adminToken, 'h', dpkg([['libssl3', '3.0.11-1~deb12u2', 'openssl', '3.0.11-1~deb12u2']]));
    const advisory = (fixed: string, modified: string) =>
      osv('DSA-5678-1', 'Debian:12', 'openssl', [{ introduced: '0' }, { fixed }], { modified });
    await importAdvisories(adminToken, advisory('3.0.13-1~deb12u1', '2024-05-01T00:00:00Z'));
    expect(await findings(adminToken)).toEqual([expect.objectContaining({ status: 'open' })]);
    // The vendor corrects its advisory: the installed version was never affected. Nothing was patched.
    await importAdvisories(adminToken, advisory('3.0.11-1~deb12u1', '2024-05-02T00:00:00Z'));
    expect(await findings(adminToken)).toEqual([
      expect.objectContaining({ status: 'resolved', resolution: 'not_affected' }),
    ]);
  });

  it('resolves the findings of an advisory once it is withdrawn, and ignores a document sent twice', async () => {
    const { adminToken } = await newTenant();
    await putHost(adminToken, 'h');
    await putSoftware(adminToken, 'h', dpkg([['curl', '7.88.1-10+deb12u5', 'curl', '7.88.1-10+deb12u5']]));
    const advisory = osv('DSA-5700-1', 'Debian:12', 'curl', [{ introduced: '0' }, { fixed: '7.88.1-10+deb12u6' }]);
    await importAdvisories(adminToken, advisory);
    expect(await importAdvisories(adminToken, advisory)).toMatchObject({ imported: 0, unchanged: 1 });
    expect(await findings(adminToken, '&status=open')).toHaveLength(1);

    const withdrawn = await importAdvisories(adminToken, {
      ...advisory,
      modified: '2024-06-01T00:00:00Z',
      withdrawn: '2024-06-01T00:00:00Z',
    });
    expect(withdrawn).toMatchObject({ imported: 1, findings: { opened: 0, resolved: 1 } });
    expect(await findings(adminToken)).toEqual([
      expect.objectContaining({ status: 'resolved', resolution: 'withdrawn' }),
    ]);

    // A real withdrawn GHSA never opens anything.
    const ghsa = await importAdvisories(adminToken, JSON.parse(withdrawnGhsa));
    expect(ghsa).toMatchObject({ imported: 1, findings: { opened: 0 } });
    const stored = await expectStatus<{ withdrawn: string | null; affected: unknown[] }>(
      call('GET', '/v1/advisories/GHSA-35c4-f3rq-f9g3', { token: adminToken }),
      200,
    );
    expect(stored.withdrawn).toBe('2018-10-11T17:29:49.000Z');
  });

  it('refuses invalid documents one by one, naming index and reason, and imports the rest', async () => {
    const { adminToken } = await newTenant();
    const result = await importAdvisories(adminToken, [
      osv('OK-1', 'Debian:12', 'bash', [{ introduced: '0' }, { fixed: '5.2.15-2+deb12u1' }]),
      osv('BAD-VERSION', 'Debian:12', 'bash', [{ introduced: '0' }, { fixed: 'not a version' }]),
      { id: 'NO-MODIFIED' },
      osv('BAD-EVENT', 'npm', 'x', [{ introduced: '1.0.0', fixed: '2.0.0' }]),
      'a string',
    ]);
    expect(result.imported).toBe(1);
    expect(result.rejected.map((r) => [r.index, r.id])).toEqual([
      [1, 'BAD-VERSION'],
      [2, 'NO-MODIFIED'],
      [3, 'BAD-EVENT'],
      [4, null],
    ]);
    expect(result.rejected[0]?.reason).toContain('not a version');
    expect(result.rejected[1]?.reason).toContain('modified');
    await expectStatus(
      call('POST', '/v1/advisories/import', { token: adminToken, body: '[', contentType: 'application/json' }),
      400,
    );
    await expectStatus(
      call('POST', '/v1/advisories/import', { token: adminToken, body: '{}', contentType: 'application/xml' }),
      415,
    );
    const unknown = await expectStatus<{ error: { message: string } }>(
      call('POST', '/v1/advisories/import', { token: adminToken, json: { hello: 'world' } }),
      400,
    );
    expect(unknown.error.message).toContain('could not recognise the format');
    const viewer = await newToken(adminToken, 'viewer');
    await expectStatus(call('POST', '/v1/advisories/import', { token: viewer, json: [] }), 403);
  });

  it('keeps one tenant’s imported advisories to that tenant', async () => {
    const a = await newTenant('adv-a');
    const b = await newTenant('adv-b');
    for (const t of [a, b]) {
      await putHost(t.adminToken, 'web-01');
      await putSoftware(t.adminToken, 'web-01', dpkg([['bash', '5.2.15-2+b2', 'bash', '5.2.15-2']]));
    }
    await importAdvisories(
      a.adminToken,
      osv('PRIVATE-1', 'Debian:12', 'bash', [{ introduced: '0' }, { fixed: '5.2.15-3' }]),
    );
    expect(await findings(a.adminToken)).toHaveLength(1);
    expect(await findings(b.adminToken)).toEqual([]);
    await expectStatus(call('GET', '/v1/advisories/PRIVATE-1', { token: b.adminToken }), 404);
    const own = await expectStatus<{ scope: string; findings: { open: number } }>(
      call('GET', '/v1/advisories/PRIVATE-1', { token: a.adminToken }),
      200,
    );
    expect(own).toMatchObject({ scope: 'tenant', findings: { open: 1 } });
  });

  it('filters findings by host, advisory, CVE and status, and pages through them', async () => {
    const { adminToken } = await newTenant();
    for (let i = 0; i < 3; i++) {
      await putHost(adminToken, `h${i}`);
      await putSoftware(
        adminToken,
        `h${i}`,
        dpkg([
          ['curl', '7.88.1-10', 'curl', '7.88.1-10'],
          ['bash', '5.2.15-2', 'bash', '5.2.15-2'],
        ]),
      );
    }
    await importAdvisories(adminToken, [
      osv('DSA-1-1', 'Debian:12', 'curl', [{ introduced: '0' }, { fixed: '7.88.1-11' }], {
        aliases: ['CVE-2024-1111'],
      }),
      osv('DSA-2-1', 'Debian:12', 'bash', [{ introduced: '0' }, { fixed: '5.2.15-3' }], { aliases: ['CVE-2024-2222'] }),
    ]);
    expect(await findings(adminToken)).toHaveLength(6);
    expect((await findings(adminToken, '&host=h1')).map((f) => f.advisory).sort()).toEqual(['DSA-1-1', 'DSA-2-1']);
    expect((await findings(adminToken, '&advisory=DSA-2-1')).map((f) => f.hostname).sort()).toEqual(['h0', 'h1', 'h2']);
    expect((await findings(adminToken, '&cve=cve-2024-1111')).every((f) => f.advisory === 'DSA-1-1')).toBe(true);
    expect(await findings(adminToken, '&status=resolved')).toEqual([]);
    expect(await findings(adminToken, '&host=nobody')).toEqual([]);
    await expectStatus(call('GET', '/v1/findings?status=maybe', { token: adminToken }), 400);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: FindingItem[]; nextCursor: string | null } = await expectStatus(
        call('GET', `/v1/findings?limit=4${cursor ? `&cursor=${cursor}` : ''}`, { token: adminToken }),
        200,
      );
      seen.push(...page.items.map((f) => `${f.hostname}/${f.advisory}`));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(6);
  });
});
