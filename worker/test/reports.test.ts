import { env } from 'cloudflare:workers';
import { Summary } from '@patchboard/shared/schemas/report';
import * as v from 'valibot';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import debianTracker from '../src/feeds/debian-tracker/testdata/vunnel-debian.json?raw';
import dsa3029 from '../src/feeds/osv/testdata/DSA-3029-1.json?raw';
import ubuntuCve3782 from '../src/feeds/osv/testdata/UBUNTU-CVE-2021-3782.json?raw';
import usn5614 from '../src/feeds/osv/testdata/USN-5614-1.json?raw';
import { escapeMarkdown } from '../src/reports/markdown';
import { DEFAULT_POLICY, describePolicy } from '../src/triage/policy';
import { expectStatus, ROOT_TOKEN } from './helpers';

/**
 * Reports through the API, on a history made the real way: advisories imported from real vendor
 * documents, dpkg inventories reported by hosts of the test, pilot and prod rings, and later
 * reports with fixed versions (remediation), each at its own time on an injected clock.
 */

let clockAt = 0;
const at = (iso: string) => {
  clockAt = Date.parse(iso);
};
const app = createApp({ clock: () => new Date(clockAt) });
const NOW = '2026-11-27T10:00:00.000Z';

interface Options {
  readonly token: string;
  readonly json?: unknown;
  readonly body?: string;
  readonly contentType?: string;
  readonly headers?: Record<string, string>;
}

/** A request to the app with the test's clock; background work (token touches) is awaited. */
async function api(method: string, path: string, options: Options): Promise<Response> {
  const pending: Promise<unknown>[] = [];
  const ctx = {
    waitUntil: (p: Promise<unknown>) => pending.push(p),
    passThroughOnException: () => {},
    props: {},
  } as unknown as ExecutionContext;
  const headers = new Headers(options.headers);
  headers.set('authorization', `Bearer ${options.token}`);
  let body = options.body ?? null;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers.set('content-type', 'application/json');
  }
  if (options.contentType) headers.set('content-type', options.contentType);
  const response = await app.fetch(new Request(`http://patchboard.test${path}`, { method, headers, body }), env, ctx);
  await Promise.all(pending);
  return response;
}

const ok = <T = Record<string, unknown>>(method: string, path: string, options: Options, status = 200) =>
  expectStatus<T>(api(method, path, options), status);

/** `dpkg-query -W` lines: binary package, version, and its source package and version. */
const dpkg = (rows: readonly (readonly [name: string, version: string, source: string, sourceVersion: string])[]) =>
  rows
    .map(([name, version, source, sourceVersion]) => `${name}\t${version}\tamd64\t${source}\t${sourceVersion}\n`)
    .join('');

async function report(token: string, hostname: string, rows: Parameters<typeof dpkg>[0]) {
  await ok('PUT', `/v1/hosts/${hostname}/software`, { token, body: dpkg(rows), contentType: 'text/x-dpkg-query' });
}

async function host(token: string, hostname: string, os: { family: string; release: string }, extra: object = {}) {
  await ok('PUT', `/v1/hosts/${hostname}`, { token, json: { os, ...extra } });
}

async function importDocument(token: string, document: string) {
  const result = await ok<{ rejected: unknown[] }>('POST', '/v1/advisories/import', {
    token,
    body: document,
    contentType: 'application/json',
  });
  expect(result.rejected).toEqual([]);
}

async function newTenant(name: string) {
  const root = { token: ROOT_TOKEN, json: { name } };
  return ok<{ id: string; name: string; adminToken: string }>('POST', '/v1/tenants', root, 201);
}

async function token(admin: string, role: string, hostname?: string): Promise<string> {
  const created = await ok<{ token: string }>(
    'POST',
    '/v1/tokens',
    { token: admin, json: { role, ...(hostname ? { hostname } : {}) } },
    201,
  );
  return created.token;
}

/** A risk exception requested by the operator and, unless left requested, approved by the approver. */
async function exception(request: object, decision: 'approve' | 'leave requested') {
  const created = await ok<{ id: number }>('POST', '/v1/exceptions', { token: tenant.operator, json: request }, 201);
  if (decision === 'approve') {
    await ok('POST', `/v1/exceptions/${created.id}/approve`, { token: tenant.approver, json: {} });
  }
}

/**
 * Sets a finding's priority and due date. The triage pass has given every finding its priority
 * by now (checked below), but none of these real advisories is on KEV or has a CVSS vector in the
 * test data, so the pass ranks them alike; pinning them here puts breaches, fixes in time and late
 * fixes in every priority, so the report's arithmetic can be checked to the day.
 */
async function triaged(
  tenantId: string,
  hostname: string,
  advisory: string,
  priority: number | null,
  dueAt: string | null,
) {
  const result = await env.DB.prepare(
    `UPDATE findings SET priority = ?4, due_at = ?5
     WHERE tenant_id = ?1 AND host_id = (SELECT id FROM hosts WHERE tenant_id = ?1 AND hostname = ?2)
       AND advisory_pk IN (SELECT pk FROM advisories WHERE id = ?3)`,
  )
    .bind(tenantId, hostname, advisory, priority, dueAt)
    .run();
  expect(result.meta.changes, `${hostname} ${advisory}`).toBe(1);
}

const chromium = 'DEBIAN-CVE-2022-0456:chromium';
const sope = 'DEBIAN-CVE-2025-53603:sope';
const debian12 = { family: 'debian', release: '12.5' };
const jammy = { family: 'ubuntu', release: '22.04' };
const vulnerableDebian = [
  ['chromium', '97.0.4692.99-1', 'chromium', '97.0.4692.99-1'],
  ['libsope1', '5.8.0-1', 'sope', '5.8.0-1'],
] as const;
const wayland = (version: string) => [['libwayland-client0', version, 'wayland', version]] as const;

const tenant = { id: '', name: '', admin: '', viewer: '', agent: '', operator: '', approver: '' };
const other = { id: '', admin: '' };
let summaryBeforePinning: Summary | undefined;

beforeAll(async () => {
  at('2026-08-01T09:00:00.000Z');
  const created = await newTenant(`Acme Reports ${crypto.randomUUID().slice(0, 8)}`);
  Object.assign(tenant, { id: created.id, name: created.name, admin: created.adminToken });
  const admin = tenant.admin;
  tenant.viewer = await token(admin, 'viewer');
  tenant.operator = await token(admin, 'operator');
  tenant.approver = await token(admin, 'approver');

  // Before the period (which starts on 2026-08-30): F1 chromium and F2 sope on web-prod-01, F3 nginx on legacy.
  await importDocument(admin, debianTracker);
  await importDocument(admin, dsa3029);
  await host(admin, 'web-prod-01', debian12, { ring: 'prod', tags: ['web'] });
  await host(admin, 'legacy-prod-01', { family: 'debian', release: '7.11' }, { ring: 'prod' });
  await host(admin, 'idle-prod-01', debian12, { ring: 'prod' });
  tenant.agent = await token(admin, 'agent', 'web-prod-01');
  await report(admin, 'web-prod-01', vulnerableDebian);
  await report(admin, 'legacy-prod-01', [['nginx', '1.2.1-2.2+wheezy2', 'nginx', '1.2.1-2.2+wheezy2']]);
  await report(admin, 'idle-prod-01', [['bash', '5.2.15-2+b2', 'bash', '5.2.15-2']]);

  // The other tenant: the same hostname, its own import and finding.
  const second = await newTenant(`Other Reports ${crypto.randomUUID().slice(0, 8)}`);
  Object.assign(other, { id: second.id, admin: second.adminToken });
  await importDocument(other.admin, debianTracker);
  await host(other.admin, 'web-prod-01', debian12);
  await report(other.admin, 'web-prod-01', [vulnerableDebian[0]]);

  // 40.5 days after it was first seen, web-prod-01 is upgraded: F1 remediated.
  at('2026-09-10T21:00:00.000Z');
  await report(admin, 'web-prod-01', [
    ['chromium', '98.0.4758.80-1', 'chromium', '98.0.4758.80-1'],
    ['libsope1', '5.8.0-1', 'sope', '5.8.0-1'],
  ]);

  // Ubuntu hosts in pilot and prod, and a Debian test host; the USN and Ubuntu's CVE record open
  // F4/F5 (pilot) and F6/F7 (db); the test host has F8 chromium and F9 sope.
  at('2026-10-01T08:00:00.000Z');
  await host(admin, 'web-pilot-01', jammy, { ring: 'pilot' });
  await host(admin, 'db-prod-01', jammy, { ring: 'prod', criticality: 1 });
  await host(admin, 'web-test-01', debian12, { ring: 'test' });
  await report(admin, 'web-pilot-01', wayland('1.20.0-1'));
  await report(admin, 'db-prod-01', wayland('1.20.0-1'));
  await report(admin, 'web-test-01', vulnerableDebian);
  await importDocument(admin, usn5614);
  await importDocument(admin, ubuntuCve3782);

  // Pilot is fixed after 14 days: F4 and F5 remediated.
  at('2026-10-15T08:00:00.000Z');
  await report(admin, 'web-pilot-01', wayland('1.20.0-1ubuntu0.1'));

  // The test host upgrades chromium (F8 remediated after 50.5 days) and removes sope (F9 resolved, not remediated).
  at('2026-11-20T20:00:00.000Z');
  await report(admin, 'web-test-01', [['chromium', '98.0.4758.80-1', 'chromium', '98.0.4758.80-1']]);
  // Approved, but it ends on 11-24: no longer in force when the report is made.
  await exception(
    {
      hosts: { kind: 'hostname', value: 'idle-prod-01' },
      target: { kind: 'package', value: 'bash' },
      reason: 'ended before the report',
      compensatingControl: 'none',
      expiresAt: '2026-11-24T00:00:00.000Z',
    },
    'approve',
  );

  at('2026-11-22T10:00:00.000Z');
  await report(admin, 'idle-prod-01', [['bash', '5.2.15-2+b2', 'bash', '5.2.15-2']]);

  // A new prod host: F10 chromium and F11 sope. Then risk exceptions: F3 is accepted until 12-01.
  at('2026-11-25T10:00:00.000Z');
  await host(admin, 'web-prod-02', debian12, { ring: 'prod' });
  await report(admin, 'web-prod-02', vulnerableDebian);
  await exception(
    {
      hosts: { kind: 'hostname', value: 'legacy-prod-01' },
      target: { kind: 'advisory', value: 'DSA-3029-1' },
      reason: '<script>alert("reason")</script> nginx serves the intranet only',
      compensatingControl: 'WAF rule 7 | blocks "Range" headers\n<img src=x onerror=alert(1)>',
      expiresAt: '2026-12-01T00:00:00.000Z',
    },
    'approve',
  );
  await exception(
    {
      hosts: { kind: 'ring', value: 'pilot' },
      target: { kind: 'package', value: 'openssl' },
      reason: 'vendor appliance, patched by the vendor',
      compensatingControl: 'isolated VLAN',
      expiresAt: '2027-02-01T00:00:00.000Z',
    },
    'approve',
  );
  // Requested but never approved: not in force, and F2 stays a breach.
  await exception(
    {
      hosts: { kind: 'hostname', value: 'web-prod-01' },
      target: { kind: 'cve', value: 'CVE-2025-53603' },
      reason: 'waiting for a window',
      compensatingControl: 'none yet',
      expiresAt: '2027-01-01T00:00:00.000Z',
    },
    'leave requested',
  );

  at('2026-11-26T10:00:00.000Z');
  await host(admin, 'new-prod-01', debian12, { ring: 'prod' });

  at(NOW);
  summaryBeforePinning = v.parse(Summary, await ok('GET', '/v1/reports/summary', { token: tenant.viewer }));

  // Deployments (a later issue) schedule findings; nothing else does yet.
  await env.DB.prepare(
    `UPDATE findings SET status = 'scheduled' WHERE tenant_id = ?1 AND status = 'open'
       AND host_id = (SELECT id FROM hosts WHERE tenant_id = ?1 AND hostname = 'db-prod-01')
       AND advisory_pk IN (SELECT pk FROM advisories WHERE id = 'USN-5614-1')`,
  )
    .bind(tenant.id)
    .run();
  await triaged(tenant.id, 'web-prod-01', chromium, 1, '2026-08-08T09:00:00.000Z'); // F1: fixed late
  await triaged(tenant.id, 'web-prod-01', sope, 2, '2026-08-15T09:00:00.000Z'); // F2: breach, 104 days
  await triaged(tenant.id, 'legacy-prod-01', 'DSA-3029-1', 3, '2026-08-31T09:00:00.000Z'); // F3: excepted, no breach
  await triaged(tenant.id, 'web-pilot-01', 'USN-5614-1', 1, '2026-10-15T08:00:00.000Z'); // F4: fixed on its due date
  await triaged(tenant.id, 'web-pilot-01', 'UBUNTU-CVE-2021-3782', 3, '2026-10-10T08:00:00.000Z'); // F5: fixed late
  await triaged(tenant.id, 'db-prod-01', 'USN-5614-1', 2, '2026-10-15T08:00:00.000Z'); // F6: scheduled breach, 43 days
  await triaged(tenant.id, 'db-prod-01', 'UBUNTU-CVE-2021-3782', 3, '2026-10-31T08:00:00.000Z'); // F7: breach, 27 days
  await triaged(tenant.id, 'web-test-01', chromium, 1, '2026-10-08T08:00:00.000Z'); // F8: fixed late
  await triaged(tenant.id, 'web-test-01', sope, 2, '2026-10-15T08:00:00.000Z'); // F9: removed, not remediation
  await triaged(tenant.id, 'web-prod-02', chromium, 1, '2026-12-02T10:00:00.000Z'); // F10: due later
  await triaged(tenant.id, 'web-prod-02', sope, null, null); // F11: not triaged yet
  await triaged(other.id, 'web-prod-01', chromium, 1, '2026-08-02T09:00:00.000Z');
});

async function summary(token = tenant.viewer): Promise<Summary> {
  return v.parse(Summary, await ok('GET', '/v1/reports/summary', { token }));
}

const none = { findings: 0, hosts: 0 };

describe('GET /v1/reports/summary', () => {
  it('counts what the triage pass prioritised: no unresolved finding is left without a priority', () => {
    expect(summaryBeforePinning?.backlog.total).toEqual({ findings: 6, hosts: 4 });
    expect(summaryBeforePinning?.backlog.byPriority.find((p) => p.priority === 'unprioritised')?.findings).toBe(0);
  });

  it('lists unresolved findings by priority and status with their distinct hosts', async () => {
    const { backlog, tenant: named, generatedAt, period } = await summary();
    expect(named).toEqual({ id: tenant.id, name: tenant.name });
    expect(generatedAt).toBe(NOW);
    expect(period).toEqual({ from: '2026-08-30T00:00:00.000Z', to: NOW, days: 90 });
    expect(backlog).toEqual({
      total: { findings: 6, hosts: 4 },
      byPriority: [
        { priority: 'P1', findings: 1, hosts: 1, open: { findings: 1, hosts: 1 }, scheduled: none, excepted: none },
        {
          priority: 'P2',
          findings: 2,
          hosts: 2,
          open: { findings: 1, hosts: 1 },
          scheduled: { findings: 1, hosts: 1 },
          excepted: none,
        },
        {
          priority: 'P3',
          findings: 2,
          hosts: 2,
          open: { findings: 1, hosts: 1 },
          scheduled: none,
          excepted: { findings: 1, hosts: 1 },
        },
        { priority: 'P4', findings: 0, hosts: 0, open: none, scheduled: none, excepted: none },
        {
          priority: 'unprioritised',
          findings: 1,
          hosts: 1,
          open: { findings: 1, hosts: 1 },
          scheduled: none,
          excepted: none,
        },
      ],
    });
  });

  it('counts open and scheduled findings past due as breaches, not excepted ones, most overdue first', async () => {
    const { slaBreaches } = await summary();
    expect(slaBreaches).toEqual({
      total: 3,
      byPriority: [
        { priority: 'P1', breaches: 0 },
        { priority: 'P2', breaches: 2 },
        { priority: 'P3', breaches: 1 },
        { priority: 'P4', breaches: 0 },
        { priority: 'unprioritised', breaches: 0 },
      ],
      oldest: [
        {
          hostname: 'web-prod-01',
          advisory: sope,
          package: 'sope',
          priority: 'P2',
          dueAt: '2026-08-15T09:00:00.000Z',
          daysOverdue: 104,
        },
        {
          hostname: 'db-prod-01',
          advisory: 'USN-5614-1',
          package: 'wayland',
          priority: 'P2',
          dueAt: '2026-10-15T08:00:00.000Z',
          daysOverdue: 43,
        },
        {
          hostname: 'db-prod-01',
          advisory: 'UBUNTU-CVE-2021-3782',
          package: 'wayland',
          priority: 'P3',
          dueAt: '2026-10-31T08:00:00.000Z',
          daysOverdue: 27,
        },
      ],
    });
  });

  it('measures remediation per priority: fixes only, mean and median days, share within SLA', async () => {
    const { remediation } = await summary();
    const empty = {
      remediated: 0,
      meanDays: null,
      medianDays: null,
      withDueDate: 0,
      withinSla: 0,
      withinSlaShare: null,
    };
    expect(remediation.byPriority).toEqual([
      // F4 after 14 days (on its due date), F1 after 40.5 and F8 after 50.5 (both late).
      {
        priority: 'P1',
        remediated: 3,
        meanDays: 35,
        medianDays: 40.5,
        withDueDate: 3,
        withinSla: 1,
        withinSlaShare: 0.333,
      },
      { priority: 'P2', ...empty },
      // F5 after 14 days, late; F9 was removed, which is not remediation.
      { priority: 'P3', remediated: 1, meanDays: 14, medianDays: 14, withDueDate: 1, withinSla: 0, withinSlaShare: 0 },
      { priority: 'P4', ...empty },
      { priority: 'unprioritised', ...empty },
    ]);
  });

  it('shows coverage per ring in plan order: reporting hosts, hosts without P1/P2 or any finding', async () => {
    const { coverage } = await summary();
    expect(coverage).toEqual([
      { ring: 'test', hosts: 1, reportedLast7Days: 1, withoutP1OrP2: 1, withoutFindings: 1, unresolvedFindings: 0 },
      { ring: 'pilot', hosts: 1, reportedLast7Days: 0, withoutP1OrP2: 1, withoutFindings: 1, unresolvedFindings: 0 },
      // web-prod-02 and idle reported this week; legacy has only an excepted P3; idle and new have no finding.
      { ring: 'prod', hosts: 6, reportedLast7Days: 2, withoutP1OrP2: 3, withoutFindings: 2, unresolvedFindings: 6 },
    ]);
  });

  it('draws the 90-day trend from first sightings and resolutions, day by day', async () => {
    const { trend } = await summary();
    expect(trend).toHaveLength(90);
    expect(trend[0]?.date).toBe('2026-08-30');
    expect(trend.at(-1)?.date).toBe('2026-11-27');
    // Days with changes; every other day repeats the day before with zeros.
    const changes: Record<string, [unresolved: number, added: number, resolved: number, remediated: number]> = {
      '2026-09-10': [2, 0, 1, 1],
      '2026-10-01': [8, 6, 0, 0],
      '2026-10-15': [6, 0, 2, 2],
      '2026-11-20': [4, 0, 2, 1],
      '2026-11-25': [6, 2, 0, 0],
    };
    let unresolved = 3; // F1, F2, F3 at the end of 2026-08-29
    for (const day of trend) {
      const change = changes[day.date];
      if (change) unresolved = change[0];
      const [, added, resolved, remediated] = change ?? [unresolved, 0, 0, 0];
      expect(day, day.date).toEqual({ date: day.date, unresolved, new: added, resolved, remediated });
    }
  });

  it('counts risk exceptions in force and those expiring within 7 days', async () => {
    expect((await summary()).exceptions).toEqual({ active: 2, expiringWithin7Days: 1 });
  });

  it('never shows another tenant’s data, and theirs is their own', async () => {
    const theirs = await summary(other.admin);
    expect(theirs.tenant.id).toBe(other.id);
    expect(theirs.backlog.total).toEqual({ findings: 1, hosts: 1 });
    expect(theirs.slaBreaches.oldest).toEqual([
      {
        hostname: 'web-prod-01',
        advisory: chromium,
        package: 'chromium',
        priority: 'P1',
        dueAt: '2026-08-02T09:00:00.000Z',
        daysOverdue: 117,
      },
    ]);
    expect(theirs.coverage).toEqual([
      { ring: 'prod', hosts: 1, reportedLast7Days: 0, withoutP1OrP2: 0, withoutFindings: 0, unresolvedFindings: 1 },
    ]);
    expect(theirs.exceptions).toEqual({ active: 0, expiringWithin7Days: 0 });
    expect(theirs.remediation.byPriority.every((p) => p.remediated === 0)).toBe(true);
  });

  it('answers CSV for ?format=csv and for Accept: text/csv, as a dated attachment', async () => {
    const requests: { path: string; headers: Record<string, string> }[] = [
      { path: '/v1/reports/summary?format=csv', headers: {} },
      { path: '/v1/reports/summary', headers: { accept: 'text/csv' } },
    ];
    for (const request of requests) {
      const res = await api('GET', request.path, { token: tenant.viewer, headers: request.headers });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
      const slug = tenant.name.toLowerCase().replaceAll(' ', '-');
      expect(res.headers.get('content-disposition')).toBe(
        `attachment; filename="patchboard-summary-${slug}-2026-11-27.csv"`,
      );
      expect(res.headers.get('cache-control')).toBe('no-store');
      const lines = (await res.text()).split('\r\n');
      expect(lines[0]).toBe('section,key,metric,value');
      expect(lines).toContain(`report,tenant,name,${tenant.name}`);
      expect(lines).toContain('backlog,P2,scheduledFindings,1');
      expect(lines).toContain('slaBreaches,all,breaches,3');
      expect(lines).toContain(`oldestBreaches,1,advisory,${sope}`);
      expect(lines).toContain('oldestBreaches,1,daysOverdue,104');
      expect(lines).toContain('remediation,P1,medianDays,40.5');
      expect(lines).toContain('remediation,P2,meanDays,');
      expect(lines).toContain('coverage,prod,withoutFindings,2');
      expect(lines).toContain('trend,2026-10-01,new,6');
      expect(lines).toContain('exceptions,all,active,2');
    }
    // JSON stays the default, and ?format= wins over Accept.
    const json = await api('GET', '/v1/reports/summary?format=json', {
      token: tenant.viewer,
      headers: { accept: 'text/csv' },
    });
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expect(json.headers.get('vary')).toContain('Accept');
  });

  it('refuses an unknown format or parameter with a 400 that says why', async () => {
    const bad = await ok<{ error: { code: string; message: string } }>(
      'GET',
      '/v1/reports/summary?format=xlsx',
      { token: tenant.viewer },
      400,
    );
    expect(bad.error).toMatchObject({
      code: 'validation_failed',
      message: 'invalid query: format must be json or csv',
    });
    await ok('GET', '/v1/reports/summary?since=2026-01-01', { token: tenant.viewer }, 400);
  });

  it('lets readers in and keeps agents and missing tokens out', async () => {
    for (const reader of [tenant.admin, tenant.operator, tenant.approver, tenant.viewer]) {
      expect((await api('GET', '/v1/reports/summary', { token: reader })).status).toBe(200);
      expect((await api('GET', '/v1/reports/compliance', { token: reader })).status).toBe(200);
    }
    for (const path of ['/v1/reports/summary', '/v1/reports/compliance']) {
      const refused = await ok<{ error: { code: string } }>('GET', path, { token: tenant.agent }, 403);
      expect(refused.error.code).toBe('forbidden');
      await ok('GET', path, { token: `pb_notatoke${'0'.repeat(40)}` }, 401);
      await ok('GET', path, { token: ROOT_TOKEN }, 403);
    }
  });
});

describe('GET /v1/reports/compliance', () => {
  async function compliance(format: string, headers: Record<string, string> = {}) {
    const res = await api('GET', `/v1/reports/compliance${format ? `?format=${format}` : ''}`, {
      token: tenant.viewer,
      headers,
    });
    expect(res.status).toBe(200);
    return { res, text: await res.text() };
  }

  it('writes a Markdown document an auditor can read, with every figure of the period', async () => {
    const { res, text } = await compliance('markdown');
    expect(res.headers.get('content-type')).toBe('text/markdown; charset=utf-8; variant=GFM');
    const slug = tenant.name.toLowerCase().replaceAll(' ', '-');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="patchboard-compliance-${slug}-2026-11-27.md"`,
    );
    const lines = text.split('\n');
    expect(lines[0]).toBe(`# Patchboard compliance report: ${tenant.name}`);
    expect(lines).toContain(`- **Tenant:** ${tenant.name} (${tenant.id})`);
    expect(lines).toContain(`- **Generated:** ${NOW}`);
    expect(lines).toContain(`- **Period:** 2026-08-30T00:00:00.000Z to ${NOW} (the last 90 days, UTC)`);
    expect(lines).toContain("- **Policy:** Patchboard's default (the tenant has not changed it)");
    // The policy in words, as GET /v1/policy describes it.
    for (const sentence of describePolicy(DEFAULT_POLICY)) expect(lines).toContain(`- ${escapeMarkdown(sentence)}`);
    // SLA compliance: remediated, with a due date, within SLA, share, mean, median, open breaches.
    expect(lines).toContain('| P1 | 3 | 3 | 1 | 33.3 % | 35 | 40.5 | 0 |');
    expect(lines).toContain('| P2 | 0 | 0 | 0 | – | – | – | 2 |');
    expect(lines).toContain('| P3 | 1 | 1 | 0 | 0 % | 14 | 14 | 1 |');
    expect(lines).toContain(
      '3 open or scheduled findings are past the due date. Excepted findings are accepted risk and not counted. The most overdue first:',
    );
    expect(lines).toContain(`| web-prod-01 | ${sope} | sope | P2 | 2026-08-15T09:00:00.000Z | 104 |`);
    expect(lines).toContain('| db-prod-01 | UBUNTU-CVE-2021-3782 | wayland | P3 | 2026-10-31T08:00:00.000Z | 27 |');
    // Exceptions: attacker-influenced text stays text, on one table row.
    const exception = lines.find((line) => line.startsWith('| hostname legacy-prod-01 |'));
    expect(exception).toBe(
      `| hostname legacy-prod-01 | advisory DSA-3029-1 | \\<script\\>alert("reason")\\</script\\> nginx serves the intranet only | WAF rule 7 \\| blocks "Range" headers \\<img src=x onerror=alert(1)\\> | ${tenant.operator.slice(0, 11)} | ${tenant.approver.slice(0, 11)} | 2026-12-01T00:00:00.000Z |`,
    );
    expect(lines).toContain(
      '2 approved risk exceptions are in force; 1 expires within 7 days. Findings they cover are excepted until they expire, then reopen. Requester and approver are the tokens that acted (an approver never approves their own request).',
    );
    expect(text).not.toContain('waiting for a window');
    expect(text).not.toContain('ended before the report');
    expect(lines).toContain('| prod | 6 | 2 | 3 | 2 | 6 |');
    expect(lines).toContain('| pilot | 1 | 0 | 1 | 1 | 0 |');
    // Audit log activity in the period (reports and hosts before 2026-08-30 are outside it).
    expect(lines).toContain('| inventory.report | 8 |');
    expect(lines).toContain('| host.upsert | 5 |');
    expect(text).toContain('Every entry, with its actor and time, is at `GET /v1/audit`.');
    expect(text).not.toMatch(/other reports/i);
  });

  it('writes one self-contained HTML page with every value escaped and scripts forbidden', async () => {
    const { res, text } = await compliance('html');
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="patchboard-compliance-.*-2026-11-27\.html"$/,
    );
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*'/);
    expect(text).toContain(`<meta http-equiv="Content-Security-Policy" content="${csp.replaceAll("'", '&#39;')}">`);
    expect(text).not.toMatch(/<script|<img/i);
    expect(text).toContain('&#60;script&#62;alert(&#34;reason&#34;)&#60;/script&#62; nginx serves the intranet only');
    expect(text).toContain('WAF rule 7 | blocks &#34;Range&#34; headers\n&#60;img src=x onerror=alert(1)&#62;');
    expect(text).toContain(
      '<tr><td>web-prod-01</td><td>DEBIAN-CVE-2025-53603:sope</td><td>sope</td><td>P2</td><td>2026-08-15T09:00:00.000Z</td><td class="n">104</td></tr>',
    );
    expect(text).toContain(`<dd>${tenant.name} (${tenant.id})</dd>`);
  });

  it('follows Accept without ?format=, Markdown by default, and refuses unknown formats', async () => {
    expect(
      (await compliance('', { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' })).res.headers.get('content-type'),
    ).toBe('text/html; charset=utf-8');
    expect((await compliance('')).res.headers.get('content-type')).toMatch(/^text\/markdown/);
    const bad = await ok<{ error: { message: string } }>(
      'GET',
      '/v1/reports/compliance?format=pdf',
      { token: tenant.viewer },
      400,
    );
    expect(bad.error.message).toBe('invalid query: format must be markdown or html');
  });

  it("states a tenant's own policy in words, with when and by whom it was changed", async () => {
    const third = await newTenant(`Policy Reports ${crypto.randomUUID().slice(0, 8)}`);
    const policy = { ...DEFAULT_POLICY, slaDays: { p1: 3, p2: 10, p3: 30, p4: 120 } };
    await ok('PUT', '/v1/policy', { token: third.adminToken, json: policy });
    const res = await api('GET', '/v1/reports/compliance', { token: third.adminToken });
    const lines = (await res.text()).split('\n');
    expect(lines).toContain(`- **Policy:** the tenant's own, last changed ${NOW} by ${third.adminToken.slice(0, 11)}`);
    expect(lines).toContain(
      '- Due dates: P1 within 3 days, P2 within 10 days, P3 within 30 days, P4 within 120 days of a finding being first seen (or reopened).',
    );
    expect(lines).toContain('The tenant has no hosts.');
  });

  it('shows another tenant only its own hosts, exceptions and activity', async () => {
    const res = await api('GET', '/v1/reports/compliance', { token: other.admin });
    const text = await res.text();
    expect(text).toContain('No risk exception is in force.');
    expect(text).not.toContain('legacy-prod-01');
    expect(text).not.toContain(tenant.name);
    expect(text.split('\n')).toContain('| prod | 1 | 0 | 0 | 0 | 1 |');
  });
});
