import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import { listWindows } from '../src/db/windows';
import { windowsFor } from '../src/deploy/window-scope';
import { apiRequest, type CallOptions, newTenant, newToken } from './helpers';

/** Every request of this file goes through an app whose clock the test sets. */
let clockAt = Date.parse('2026-03-27T12:00:00.000Z');
const app = createApp({ clock: () => new Date(clockAt) });
const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;

async function api<T = Record<string, unknown>>(
  method: string,
  path: string,
  status: number,
  options: CallOptions = {},
): Promise<T> {
  const res = await app.fetch(apiRequest(method, path, options), env, ctx);
  const text = await res.text();
  expect(res.status, `${method} ${path}: ${res.status} ${text.slice(0, 500)}`).toBe(status);
  return (text ? JSON.parse(text) : null) as T;
}

interface Opening {
  start: string;
  end: string;
}

interface WindowBody {
  id: number;
  name: string;
  rule: string;
  timeZone: string;
  blackouts: string[];
  appliesTo: { kind: string; value: string | null };
  nextOpenings: Opening[];
  createdAt: string;
  updatedAt: string;
}

interface ErrorResponse {
  error: { code: string; message: string; details?: { path?: string; message: string }[] };
}

interface AuditItem {
  action: string;
  target: string;
  actor: string;
  summary: Record<string, unknown>;
}

const berlinSunday = {
  name: 'Sunday night',
  rule: 'sun 1:00 - 5:00',
  timeZone: 'europe/berlin',
  blackouts: ['2026-12-27', '2026-04-05', '2026-12-27'],
  appliesTo: { kind: 'ring', value: 'prod' },
};

async function tenantWithRoles() {
  const tenant = await newTenant('windows');
  const admin = tenant.adminToken;
  return {
    tenant,
    admin,
    approver: await newToken(admin, 'approver'),
    operator: await newToken(admin, 'operator'),
    viewer: await newToken(admin, 'viewer'),
  };
}

async function audit(token: string, target: string): Promise<AuditItem[]> {
  return (await api<{ items: AuditItem[] }>('GET', `/v1/audit?target=${target}`, 200, { token })).items;
}

async function auditCount(tenantId: string): Promise<number> {
  const row = await env.DB.prepare('SELECT count(*) AS n FROM audit_log WHERE tenant_id = ?1')
    .bind(tenantId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

describe('maintenance windows', () => {
  it('creates, reads, lists, changes and deletes a window, auditing each change', async () => {
    clockAt = Date.parse('2026-03-27T12:00:00.000Z');
    const { admin, viewer } = await tenantWithRoles();
    const created = await api<WindowBody>('POST', '/v1/windows', 201, { token: admin, json: berlinSunday });
    // Stored canonical: the rule's text, the zone's spelling, the dates sorted without repeats.
    expect(created).toMatchObject({
      name: 'Sunday night',
      rule: 'Sun 01:00-05:00',
      timeZone: 'Europe/Berlin',
      blackouts: ['2026-04-05', '2026-12-27'],
      appliesTo: { kind: 'ring', value: 'prod' },
      createdAt: '2026-03-27T12:00:00.000Z',
      updatedAt: '2026-03-27T12:00:00.000Z',
    });
    // The next three from the clock: the DST night is 3 real hours, April 5 is blacked out.
    expect(created.nextOpenings).toEqual([
      { start: '2026-03-29T00:00:00.000Z', end: '2026-03-29T03:00:00.000Z' },
      { start: '2026-04-11T23:00:00.000Z', end: '2026-04-12T03:00:00.000Z' },
      { start: '2026-04-18T23:00:00.000Z', end: '2026-04-19T03:00:00.000Z' },
    ]);

    expect(await api<WindowBody>('GET', `/v1/windows/${created.id}`, 200, { token: viewer })).toEqual(created);
    const all = await api<WindowBody>('POST', '/v1/windows', 201, {
      token: admin,
      json: { name: 'Patch Friday', rule: 'patch tuesday + 3 days 22:00', timeZone: 'UTC' },
    });
    expect(all).toMatchObject({
      rule: 'second Tuesday + 3 days 22:00-02:00',
      blackouts: [],
      appliesTo: { kind: 'all', value: null },
      nextOpenings: [
        { start: '2026-04-17T22:00:00.000Z', end: '2026-04-18T02:00:00.000Z' },
        { start: '2026-05-15T22:00:00.000Z', end: '2026-05-16T02:00:00.000Z' },
        { start: '2026-06-12T22:00:00.000Z', end: '2026-06-13T02:00:00.000Z' },
      ],
    });
    const list = await api<{ items: WindowBody[] }>('GET', '/v1/windows', 200, { token: viewer });
    expect(list.items.map((w) => w.name)).toEqual(['Patch Friday', 'Sunday night']);

    clockAt = Date.parse('2026-03-28T08:00:00.000Z');
    const updated = await api<WindowBody>('PUT', `/v1/windows/${created.id}`, 200, {
      token: admin,
      json: { name: 'Saturday night', rule: 'Sat 22:00-02:00', blackouts: [] },
    });
    expect(updated).toMatchObject({
      id: created.id,
      name: 'Saturday night',
      rule: 'Sat 22:00-02:00',
      timeZone: 'Europe/Berlin',
      blackouts: [],
      appliesTo: { kind: 'ring', value: 'prod' },
      createdAt: '2026-03-27T12:00:00.000Z',
      updatedAt: '2026-03-28T08:00:00.000Z',
    });
    // 22:00 CET on the 28th to 02:00 on the 29th, a time the clocks skip: it ends when they jump to 03:00 CEST.
    expect(updated.nextOpenings[0]).toEqual({ start: '2026-03-28T21:00:00.000Z', end: '2026-03-29T01:00:00.000Z' });

    await api('DELETE', `/v1/windows/${created.id}`, 204, { token: admin });
    await api('GET', `/v1/windows/${created.id}`, 404, { token: admin });
    await api('DELETE', `/v1/windows/${created.id}`, 404, { token: admin });

    const entries = await audit(admin, `window:${created.id}`);
    expect(entries.map((e) => e.action)).toEqual(['window.delete', 'window.update', 'window.create']);
    expect(entries[2]?.summary).toEqual({
      name: 'Sunday night',
      rule: 'Sun 01:00-05:00',
      timeZone: 'Europe/Berlin',
      blackouts: ['2026-04-05', '2026-12-27'],
      appliesTo: { kind: 'ring', value: 'prod' },
    });
    expect(entries[1]?.summary).toEqual({
      changed: ['name', 'rule', 'blackouts'],
      before: { name: 'Sunday night', rule: 'Sun 01:00-05:00', blackouts: ['2026-04-05', '2026-12-27'] },
      after: { name: 'Saturday night', rule: 'Sat 22:00-02:00', blackouts: [] },
    });
    expect(entries.every((e) => e.actor === admin.slice(0, 11))).toBe(true);
  });

  it('refuses bad input with 400 and the reason, and writes nothing', async () => {
    const { tenant, admin } = await tenantWithRoles();
    const before = await auditCount(tenant.id);
    const cases: [Record<string, unknown>, string, string][] = [
      [{ rule: 'Sta 02:00-05:00' }, 'rule', '"sta" is not a day of the week'],
      [{ rule: 'second Tuesday + 3 days' }, 'rule', 'has no time'],
      [{ rule: 'Sat 02:00 for 8d' }, 'rule', 'at most 7 days'],
      [{ rule: 'daily 22:00 for 30h' }, 'rule', 'openings would overlap'],
      [{ rule: 42 }, 'rule', 'rule is required'],
      [{ timeZone: 'Europe/Berlinn' }, 'timeZone', 'is not an IANA time zone'],
      [{ timeZone: '+01:00' }, 'timeZone', 'is not an IANA time zone'],
      [{ blackouts: ['2026-02-30'] }, 'blackouts.0', 'blackout date 2026-02-30 does not exist'],
      [{ blackouts: ['24.12.2026'] }, 'blackouts.0', 'written YYYY-MM-DD'],
      [{ blackouts: '2026-12-24' }, 'blackouts', 'is a list of local dates'],
      [{ appliesTo: { kind: 'ring' } }, 'appliesTo.value', 'the ring'],
      [{ appliesTo: { kind: 'ring', value: 'Prod!' } }, 'appliesTo.value', 'ring must be'],
      [{ appliesTo: { kind: 'group', value: 'x' } }, 'appliesTo.kind', 'appliesTo.kind must be one of'],
      [{ name: '   ' }, 'name', 'name must not be empty'],
      [{ colour: 'red' }, 'colour', ''],
    ];
    for (const [override, path, message] of cases) {
      const json = { ...berlinSunday, ...override };
      const body = await api<ErrorResponse>('POST', '/v1/windows', 400, { token: admin, json });
      expect(body.error.code, JSON.stringify(override)).toBe('validation_failed');
      expect(body.error.message, JSON.stringify(override)).toContain(message);
      expect(body.error.details?.[0]?.path, JSON.stringify(override)).toBe(path);
    }
    const created = await api<WindowBody>('POST', '/v1/windows', 201, { token: admin, json: berlinSunday });
    const countAfterCreate = await auditCount(tenant.id);
    for (const json of [{}, { rule: 'Sat 25:00-26:00' }, { timeZone: 'Mars/Olympus' }, { blackouts: ['2026-13-01'] }]) {
      const body = await api<ErrorResponse>('PUT', `/v1/windows/${created.id}`, 400, { token: admin, json });
      expect(body.error.code).toBe('validation_failed');
    }
    await api('GET', '/v1/windows/1/openings?count=51', 400, { token: admin });
    await api('GET', '/v1/windows/1/openings?count=0', 400, { token: admin });
    await api('GET', '/v1/windows/1/openings?from=yesterday', 400, { token: admin });
    await api('GET', '/v1/windows/abc', 400, { token: admin });
    expect(await auditCount(tenant.id)).toBe(countAfterCreate);
    expect(countAfterCreate).toBe(before + 1);
    expect(await api<WindowBody>('GET', `/v1/windows/${created.id}`, 200, { token: admin })).toEqual(created);
  });

  it('answers 409 for a name the tenant already uses, on create and on rename', async () => {
    const { admin } = await tenantWithRoles();
    await api('POST', '/v1/windows', 201, { token: admin, json: berlinSunday });
    const other = await api<WindowBody>('POST', '/v1/windows', 201, {
      token: admin,
      json: { ...berlinSunday, name: 'Other' },
    });
    const duplicate = await api<ErrorResponse>('POST', '/v1/windows', 409, { token: admin, json: berlinSunday });
    expect(duplicate.error.message).toContain('a maintenance window named "Sunday night" exists already');
    await api('PUT', `/v1/windows/${other.id}`, 409, { token: admin, json: { name: 'Sunday night' } });
    // Keeping its own name is no conflict.
    await api('PUT', `/v1/windows/${other.id}`, 200, { token: admin, json: { name: 'Other', rule: 'Sat 01:00' } });
  });

  it("keeps tenants apart: another tenant's window is 404 and never listed", async () => {
    const a = await tenantWithRoles();
    const b = await tenantWithRoles();
    const window = await api<WindowBody>('POST', '/v1/windows', 201, { token: a.admin, json: berlinSunday });
    await api('GET', `/v1/windows/${window.id}`, 404, { token: b.admin });
    await api('GET', `/v1/windows/${window.id}/openings`, 404, { token: b.viewer });
    await api('PUT', `/v1/windows/${window.id}`, 404, { token: b.admin, json: { name: 'mine now' } });
    await api('DELETE', `/v1/windows/${window.id}`, 404, { token: b.admin });
    expect((await api<{ items: WindowBody[] }>('GET', '/v1/windows', 200, { token: b.viewer })).items).toEqual([]);
    // The same name is free in another tenant.
    await api('POST', '/v1/windows', 201, { token: b.admin, json: berlinSunday });
    expect(await api<WindowBody>('GET', `/v1/windows/${window.id}`, 200, { token: a.viewer })).toMatchObject({
      name: 'Sunday night',
      rule: 'Sun 01:00-05:00',
    });
  });

  it('lets every role read windows and only admins change them', async () => {
    const { tenant, admin, approver, operator, viewer } = await tenantWithRoles();
    const window = await api<WindowBody>('POST', '/v1/windows', 201, { token: admin, json: berlinSunday });
    const before = await auditCount(tenant.id);
    for (const token of [approver, operator, viewer]) {
      await api('GET', '/v1/windows', 200, { token });
      await api('GET', `/v1/windows/${window.id}`, 200, { token });
      await api('GET', `/v1/windows/${window.id}/openings`, 200, { token });
      const denied = await api<ErrorResponse>('POST', '/v1/windows', 403, {
        token,
        json: { ...berlinSunday, name: 'x' },
      });
      expect(denied.error.code).toBe('forbidden');
      await api('PUT', `/v1/windows/${window.id}`, 403, { token, json: { name: 'y' } });
      await api('DELETE', `/v1/windows/${window.id}`, 403, { token });
    }
    await api('GET', '/v1/windows', 401, {});
    expect(await auditCount(tenant.id)).toBe(before);
  });

  it('lists openings across DST changes from an injected clock, in UTC and local time', async () => {
    clockAt = Date.parse('2026-03-28T12:00:00.000Z');
    const { admin, viewer } = await tenantWithRoles();
    const window = await api<WindowBody>('POST', '/v1/windows', 201, {
      token: admin,
      json: { name: 'Sunday early', rule: 'Sun 01:00-05:00', timeZone: 'Europe/Berlin' },
    });
    const spring = await api<{ items: (Opening & { localStart: string; localEnd: string })[] }>(
      'GET',
      `/v1/windows/${window.id}/openings?count=2`,
      200,
      { token: viewer },
    );
    expect(spring).toMatchObject({ id: window.id, name: 'Sunday early', timeZone: 'Europe/Berlin' });
    expect(spring.items).toEqual([
      {
        start: '2026-03-29T00:00:00.000Z',
        end: '2026-03-29T03:00:00.000Z',
        localStart: '2026-03-29T01:00:00+01:00',
        localEnd: '2026-03-29T05:00:00+02:00',
      },
      {
        start: '2026-04-04T23:00:00.000Z',
        end: '2026-04-05T03:00:00.000Z',
        localStart: '2026-04-05T01:00:00+02:00',
        localEnd: '2026-04-05T05:00:00+02:00',
      },
    ]);
    const autumn = await api<{ items: (Opening & { localStart: string; localEnd: string })[] }>(
      'GET',
      `/v1/windows/${window.id}/openings?from=2026-10-24T00:00:00Z&count=1`,
      200,
      { token: viewer },
    );
    expect(autumn.items).toEqual([
      {
        start: '2026-10-24T23:00:00.000Z',
        end: '2026-10-25T04:00:00.000Z',
        localStart: '2026-10-25T01:00:00+02:00',
        localEnd: '2026-10-25T05:00:00+01:00',
      },
    ]);
    // Inside the short night, the opening in progress comes first and ends at 05:00 CEST.
    clockAt = Date.parse('2026-03-29T02:30:00.000Z');
    const during = await api<WindowBody>('GET', `/v1/windows/${window.id}`, 200, { token: viewer });
    expect(during.nextOpenings[0]).toEqual({ start: '2026-03-29T00:00:00.000Z', end: '2026-03-29T03:00:00.000Z' });
    clockAt = Date.parse('2026-03-29T03:00:00.000Z');
    const after = await api<WindowBody>('GET', `/v1/windows/${window.id}`, 200, { token: viewer });
    expect(after.nextOpenings[0]?.start).toBe('2026-04-04T23:00:00.000Z');
    const many = await api<{ items: Opening[] }>('GET', `/v1/windows/${window.id}/openings?count=50`, 200, {
      token: viewer,
    });
    expect(many.items).toHaveLength(50);
  });

  it('gives a host the windows of its ring, its tags, its hostname and all hosts, with their openings merged', async () => {
    clockAt = Date.parse('2026-06-01T00:00:00.000Z');
    const { tenant, admin, viewer } = await tenantWithRoles();
    const os = { family: 'debian', release: '12.5' };
    await api('PUT', '/v1/hosts/db-01', 200, { token: admin, json: { os, ring: 'prod', tags: ['pci', 'db'] } });
    await api('PUT', '/v1/hosts/web-01', 200, { token: admin, json: { os, ring: 'test', tags: ['web'] } });
    await api('PUT', '/v1/hosts/lone-01', 200, { token: admin, json: { os, ring: 'pilot' } });
    const windows = [
      { name: 'all hosts', rule: 'last Friday 20:00-23:00', timeZone: 'UTC', appliesTo: { kind: 'all' } },
      { name: 'prod', rule: 'Sat 02:00-05:00', timeZone: 'Europe/Berlin', appliesTo: { kind: 'ring', value: 'prod' } },
      { name: 'pci', rule: 'Wed 03:00-04:00', timeZone: 'America/New_York', appliesTo: { kind: 'tag', value: 'pci' } },
      {
        name: 'web',
        rule: 'daily 12:00-13:00',
        timeZone: 'Asia/Kolkata',
        appliesTo: { kind: 'hostname', value: 'WEB-01' },
      },
    ];
    for (const json of windows) await api('POST', '/v1/windows', 201, { token: admin, json });

    interface HostWindowsBody {
      hostname: string;
      ring: string;
      tags: string[];
      windows: WindowBody[];
      nextOpenings: (Opening & { windowName: string; windowId: number })[];
    }
    const db01 = await api<HostWindowsBody>('GET', '/v1/hosts/db-01/windows', 200, { token: viewer });
    expect(db01).toMatchObject({ hostname: 'db-01', ring: 'prod', tags: ['db', 'pci'] });
    expect(db01.windows.map((w) => w.name)).toEqual(['all hosts', 'pci', 'prod']);
    expect(db01.nextOpenings.slice(0, 5).map((o) => `${o.windowName} ${o.start}`)).toEqual([
      'pci 2026-06-03T07:00:00.000Z', // Wed 03:00 EDT
      'prod 2026-06-06T00:00:00.000Z', // Sat 02:00 CEST
      'pci 2026-06-10T07:00:00.000Z',
      'prod 2026-06-13T00:00:00.000Z',
      'pci 2026-06-17T07:00:00.000Z',
    ]);
    expect(db01.nextOpenings).toHaveLength(10);
    const starts = db01.nextOpenings.map((o) => o.start);
    expect([...starts].sort()).toEqual(starts);
    expect(db01.nextOpenings.map((o) => o.windowName)).toContain('all hosts'); // Fri 2026-06-26

    const web01 = await api<HostWindowsBody>('GET', '/v1/hosts/web-01/windows', 200, { token: viewer });
    expect(web01.windows.map((w) => `${w.name} ${w.appliesTo.kind}:${w.appliesTo.value}`)).toEqual([
      'all hosts all:null',
      'web hostname:web-01',
    ]);
    expect(web01.nextOpenings[0]).toMatchObject({ windowName: 'web', start: '2026-06-01T06:30:00.000Z' });
    const lone = await api<HostWindowsBody>('GET', '/v1/hosts/lone-01/windows', 200, { token: viewer });
    expect(lone.windows.map((w) => w.name)).toEqual(['all hosts']);
    await api('GET', '/v1/hosts/nobody/windows', 404, { token: viewer });

    // The SQL match and the pure one agree.
    const rows = await listWindows(env.DB, tenant.id);
    for (const host of [db01, web01, lone]) {
      expect(windowsFor(host, rows).map((w) => w.name)).toEqual(host.windows.map((w) => w.name));
    }
  });

  it('refuses to delete a window that the default plan names (409), and deletes it once freed', async () => {
    const { tenant, admin } = await tenantWithRoles();
    const window = await api<WindowBody>('POST', '/v1/windows', 201, { token: admin, json: berlinSunday });
    const plan = [
      { ring: 'test', windows: [], soakMinutes: 0, successThreshold: 1, healthChecks: [] },
      { ring: 'prod', windows: [window.id], soakMinutes: 0, successThreshold: 1, healthChecks: [] },
    ];
    await env.DB.prepare(
      `INSERT INTO deployment_plans (tenant_id, plan, updated_at, updated_by) VALUES (?1, ?2, '2026-01-01T00:00:00.000Z', 'test')`,
    )
      .bind(tenant.id, JSON.stringify(plan))
      .run();
    const refused = await api<ErrorResponse>('DELETE', `/v1/windows/${window.id}`, 409, { token: admin });
    expect(refused.error.message).toContain('is named by the default ring plan');
    expect((await audit(admin, `window:${window.id}`)).map((e) => e.action)).toEqual(['window.create']);
    await env.DB.prepare('DELETE FROM deployment_plans WHERE tenant_id = ?1').bind(tenant.id).run();
    await api('DELETE', `/v1/windows/${window.id}`, 204, { token: admin });
  });
});
