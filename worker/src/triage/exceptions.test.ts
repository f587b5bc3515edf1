import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { exceptionStatements, expireExceptions } from './exceptions';
import { DEFAULT_POLICY } from './policy';
import { type TriageScope, triageScopeSql } from './scope';

const db = env.DB;
const T0 = '2026-11-27T10:00:00.000Z';
const days = (n: number, from = T0) => new Date(Date.parse(from) + n * 86_400_000).toISOString();

interface Fleet {
  tenantId: string;
  hosts: Record<string, number>;
  findings: Record<string, number>;
}

let counter = 0;

/**
 * A tenant with three hosts and four findings, seeded in SQL so that every way an exception can
 * cover a finding is visible: web-01 (prod, tag pci), web-02 (pilot), db-01 (prod, tag db).
 * Advisories are the tenant's own (scope = tenant), so ids never collide between tests.
 *   openssl@web-01, openssl@web-02: DSA-9001-1 (CVE-2024-0001, CVE-2024-0002), binaries libssl3, openssl
 *   curl@db-01:                     DSA-9002-1 (CVE-2024-0003)
 *   x/net@db-01:                    GHSA-aaaa-bbbb-cccc (no CVE; alias GO-2024-0001)
 */
async function seedFleet(): Promise<Fleet> {
  counter += 1;
  const tenantId = `tn_unitexc${String(counter).padStart(7, '0')}`;
  await db
    .prepare('INSERT INTO tenants (id, name, created_at) VALUES (?1, ?2, ?3)')
    .bind(tenantId, `unit-exceptions-${counter}-${crypto.randomUUID().slice(0, 8)}`, T0)
    .run();
  const hosts: Record<string, number> = {};
  for (const [hostname, ring, tag] of [
    ['web-01', 'prod', 'pci'],
    ['web-02', 'pilot', null],
    ['db-01', 'prod', 'db'],
  ] as const) {
    const row = await db
      .prepare(
        `INSERT INTO hosts (tenant_id, hostname, os_family, os_release, ecosystem, ring, created_at, updated_at)
         VALUES (?1, ?2, 'debian', '12.5', 'Debian:12', ?3, ?4, ?4) RETURNING id`,
      )
      .bind(tenantId, hostname, ring, T0)
      .first<{ id: number }>();
    hosts[hostname] = row?.id ?? 0;
    if (tag) await db.prepare('INSERT INTO host_tags (host_id, tag) VALUES (?1, ?2)').bind(hosts[hostname], tag).run();
  }
  const advisories: Record<string, number> = {};
  for (const [id, cves, aliases] of [
    ['DSA-9001-1', ['CVE-2024-0001', 'CVE-2024-0002'], ['CVE-2024-0001', 'CVE-2024-0002']],
    ['DSA-9002-1', ['CVE-2024-0003'], ['CVE-2024-0003']],
    ['GHSA-aaaa-bbbb-cccc', [], ['GO-2024-0001']],
  ] as const) {
    const row = await db
      .prepare(
        `INSERT INTO advisories (scope, id, source, modified, cves, document, content_hash, imported_at, updated_at)
         VALUES (?1, ?2, 'osv', ?3, ?4, '{}', ?2, ?3, ?3) RETURNING pk`,
      )
      .bind(tenantId, id, T0, JSON.stringify(cves))
      .first<{ pk: number }>();
    advisories[id] = row?.pk ?? 0;
    for (const alias of aliases) {
      await db
        .prepare('INSERT INTO advisory_aliases (advisory_pk, alias) VALUES (?1, ?2)')
        .bind(advisories[id], alias)
        .run();
    }
  }
  const findings: Record<string, number> = {};
  for (const [key, host, advisory, pkg, binaries] of [
    ['openssl@web-01', 'web-01', 'DSA-9001-1', 'openssl', 'libssl3,openssl'],
    ['openssl@web-02', 'web-02', 'DSA-9001-1', 'openssl', 'libssl3,openssl'],
    ['curl@db-01', 'db-01', 'DSA-9002-1', 'curl', 'curl,libcurl4'],
    ['x/net@db-01', 'db-01', 'GHSA-aaaa-bbbb-cccc', 'golang.org/x/net', 'golang.org/x/net'],
  ] as const) {
    const row = await db
      .prepare(
        `INSERT INTO findings (tenant_id, host_id, advisory_pk, ecosystem, package, binaries, installed_version,
                               explanation, first_seen_at, updated_at, priority, due_at)
         VALUES (?1, ?2, ?3, 'Debian:12', ?4, ?5, '1.0-1', 'seeded', ?6, ?6, 2, ?7) RETURNING id`,
      )
      .bind(tenantId, hosts[host], advisories[advisory], pkg, binaries, T0, days(14))
      .first<{ id: number }>();
    findings[key] = row?.id ?? 0;
  }
  return { tenantId, hosts, findings };
}

interface ExceptionSpec {
  hosts: [kind: 'hostname' | 'tag' | 'ring' | 'all', value: string];
  target: [kind: 'advisory' | 'cve' | 'package', value: string];
  status?: 'requested' | 'approved' | 'rejected' | 'revoked' | 'expired';
  expiresAt?: string;
}

async function addException(fleet: Fleet, spec: ExceptionSpec): Promise<number> {
  const status = spec.status ?? 'approved';
  const decided = status !== 'requested';
  const row = await db
    .prepare(
      `INSERT INTO risk_exceptions (tenant_id, host_kind, host_value, target_kind, target_value, reason, compensating_control,
                                    status, requested_by, requested_at, decided_by, decided_at, expires_at)
       VALUES (?1, ?2, ?3, ?4, ?5, 'vendor patch breaks the app', 'WAF rule 942100', ?6, 'pb_requestr', ?7, ?8, ?9, ?10)
       RETURNING id`,
    )
    .bind(
      fleet.tenantId,
      spec.hosts[0],
      spec.hosts[1],
      spec.target[0],
      spec.target[1],
      status,
      T0,
      decided ? 'pb_approver' : null,
      decided ? T0 : null,
      spec.expiresAt ?? days(30),
    )
    .first<{ id: number }>();
  return row?.id ?? 0;
}

async function apply(scope: TriageScope, now = T0) {
  const results = await db.batch(exceptionStatements(db, triageScopeSql(scope, 2), now));
  return { reopened: results[0]?.meta.changes ?? 0, excepted: results[1]?.meta.changes ?? 0 };
}

interface FindingState {
  status: string;
  exception_id: number | null;
  priority: number | null;
  due_at: string | null;
}

async function states(fleet: Fleet): Promise<Record<string, FindingState>> {
  const out: Record<string, FindingState> = {};
  for (const [key, id] of Object.entries(fleet.findings)) {
    const row = await db
      .prepare('SELECT status, exception_id, priority, due_at FROM findings WHERE id = ?1')
      .bind(id)
      .first<FindingState>();
    if (row) out[key] = row;
  }
  return out;
}

async function excepted(fleet: Fleet): Promise<string[]> {
  return Object.entries(await states(fleet))
    .filter(([, s]) => s.status === 'excepted')
    .map(([key]) => key)
    .sort();
}

describe('exceptionStatements', () => {
  it.each<[string, ExceptionSpec, string[]]>([
    ['a hostname', { hosts: ['hostname', 'web-01'], target: ['advisory', 'DSA-9001-1'] }, ['openssl@web-01']],
    ['a ring', { hosts: ['ring', 'prod'], target: ['package', 'openssl'] }, ['openssl@web-01']],
    ['a tag', { hosts: ['tag', 'db'], target: ['package', 'curl'] }, ['curl@db-01']],
    ['all hosts', { hosts: ['all', ''], target: ['advisory', 'DSA-9001-1'] }, ['openssl@web-01', 'openssl@web-02']],
    [
      'a CVE among the aliases',
      { hosts: ['all', ''], target: ['cve', 'CVE-2024-0002'] },
      ['openssl@web-01', 'openssl@web-02'],
    ],
    ['an alias of the advisory', { hosts: ['all', ''], target: ['advisory', 'GO-2024-0001'] }, ['x/net@db-01']],
    [
      'the advisory id in another case',
      { hosts: ['ring', 'pilot'], target: ['advisory', 'dsa-9001-1'] },
      ['openssl@web-02'],
    ],
    ['an installed binary', { hosts: ['all', ''], target: ['package', 'libcurl4'] }, ['curl@db-01']],
    [
      'the advisory id of a package without CVE',
      { hosts: ['hostname', 'db-01'], target: ['advisory', 'GHSA-aaaa-bbbb-cccc'] },
      ['x/net@db-01'],
    ],
  ])('excepts exactly the open findings covered by %s', async (_name, spec, expected) => {
    const fleet = await seedFleet();
    const id = await addException(fleet, spec);
    const outcome = await apply({ kind: 'tenant', tenantId: fleet.tenantId });
    expect(outcome.excepted).toBe(expected.length);
    expect(await excepted(fleet)).toEqual(expected);
    for (const key of expected) expect((await states(fleet))[key]?.exception_id).toBe(id);
  });

  it.each<[string, ExceptionSpec]>([
    ['a request that is not approved yet', { hosts: ['all', ''], target: ['package', 'openssl'], status: 'requested' }],
    ['a rejected one', { hosts: ['all', ''], target: ['package', 'openssl'], status: 'rejected' }],
    ['one past its expiry', { hosts: ['all', ''], target: ['package', 'openssl'], expiresAt: T0 }],
    ['a substring of a binary', { hosts: ['all', ''], target: ['package', 'libssl'] }],
    ['another CVE', { hosts: ['all', ''], target: ['cve', 'CVE-2024-0009'] }],
    ['another ring', { hosts: ['ring', 'test'], target: ['package', 'openssl'] }],
  ])('excepts nothing for %s', async (_name, spec) => {
    const fleet = await seedFleet();
    await addException(fleet, spec);
    expect(await apply({ kind: 'tenant', tenantId: fleet.tenantId })).toEqual({ reopened: 0, excepted: 0 });
    expect(await excepted(fleet)).toEqual([]);
  });

  it('keeps priority and due date, and leaves scheduled and resolved findings alone', async () => {
    const fleet = await seedFleet();
    await db
      .prepare("UPDATE findings SET status = 'scheduled' WHERE id = ?1")
      .bind(fleet.findings['openssl@web-02'])
      .run();
    await db
      .prepare("UPDATE findings SET status = 'resolved', resolution = 'fixed', resolved_at = ?2 WHERE id = ?1")
      .bind(fleet.findings['curl@db-01'], T0)
      .run();
    await addException(fleet, { hosts: ['all', ''], target: ['package', 'openssl'] });
    await addException(fleet, { hosts: ['all', ''], target: ['package', 'curl'] });
    await apply({ kind: 'tenant', tenantId: fleet.tenantId });
    const after = await states(fleet);
    expect(after['openssl@web-01']).toEqual({
      status: 'excepted',
      exception_id: expect.any(Number),
      priority: 2,
      due_at: days(14),
    });
    expect(after['openssl@web-02']?.status).toBe('scheduled');
    expect(after['curl@db-01']?.status).toBe('resolved');
  });

  it('picks the covering exception that expires last, and hands over when it ends', async () => {
    const fleet = await seedFleet();
    const short = await addException(fleet, {
      hosts: ['all', ''],
      target: ['package', 'openssl'],
      expiresAt: days(10),
    });
    const long = await addException(fleet, {
      hosts: ['ring', 'prod'],
      target: ['cve', 'CVE-2024-0001'],
      expiresAt: days(20),
    });
    await apply({ kind: 'tenant', tenantId: fleet.tenantId });
    let now = await states(fleet);
    expect(now['openssl@web-01']?.exception_id).toBe(long);
    expect(now['openssl@web-02']?.exception_id).toBe(short);

    // Day 15: the short one has expired (the cron has not marked it yet; its expiry alone ends it).
    expect(await apply({ kind: 'tenant', tenantId: fleet.tenantId }, days(15))).toEqual({ reopened: 1, excepted: 0 });
    now = await states(fleet);
    expect(now['openssl@web-01']).toMatchObject({ status: 'excepted', exception_id: long });
    expect(now['openssl@web-02']).toMatchObject({ status: 'open', exception_id: null, priority: 2 });

    // Revoking the long one: its finding reopens unless another covers it; none does any more.
    await db.prepare("UPDATE risk_exceptions SET status = 'revoked' WHERE id = ?1").bind(long).run();
    expect(await apply({ kind: 'tenant', tenantId: fleet.tenantId }, days(15))).toEqual({ reopened: 1, excepted: 0 });
    expect(await excepted(fleet)).toEqual([]);
  });

  it('reopens a finding its exception no longer covers (the host left the ring)', async () => {
    const fleet = await seedFleet();
    await addException(fleet, { hosts: ['ring', 'prod'], target: ['advisory', 'DSA-9001-1'] });
    await apply({ kind: 'host', hostId: fleet.hosts['web-01'] ?? 0 });
    expect(await excepted(fleet)).toEqual(['openssl@web-01']);
    await db.prepare("UPDATE hosts SET ring = 'pilot' WHERE id = ?1").bind(fleet.hosts['web-01']).run();
    await apply({ kind: 'host', hostId: fleet.hosts['web-01'] ?? 0 });
    expect(await excepted(fleet)).toEqual([]);
  });

  it('touches only findings in scope, and only the exception’s own tenant', async () => {
    const a = await seedFleet();
    const b = await seedFleet();
    await addException(a, { hosts: ['all', ''], target: ['package', 'openssl'] });
    // One host of tenant a: the other host's finding waits for its own pass.
    await apply({ kind: 'host', hostId: a.hosts['web-02'] ?? 0 });
    expect(await excepted(a)).toEqual(['openssl@web-02']);
    // Every tenant's findings of the CVE: tenant b has the same hosts and packages, but no exception.
    await apply({ kind: 'cves', cves: ['CVE-2024-0001'] });
    expect(await excepted(a)).toEqual(['openssl@web-01', 'openssl@web-02']);
    expect(await excepted(b)).toEqual([]);
  });

  it('is idempotent: a second run changes nothing', async () => {
    const fleet = await seedFleet();
    await addException(fleet, { hosts: ['all', ''], target: ['package', 'openssl'] });
    expect(await apply({ kind: 'tenant', tenantId: fleet.tenantId })).toEqual({ reopened: 0, excepted: 2 });
    expect(await apply({ kind: 'tenant', tenantId: fleet.tenantId })).toEqual({ reopened: 0, excepted: 0 });
  });
});

describe('risk_exceptions table', () => {
  it('refuses a decision by the requester even if a route forgot to check (the CHECK backstop)', async () => {
    const fleet = await seedFleet();
    const id = await addException(fleet, { hosts: ['all', ''], target: ['package', 'openssl'], status: 'requested' });
    await expect(
      db
        .prepare(
          "UPDATE risk_exceptions SET status = 'approved', decided_by = requested_by, decided_at = ?2 WHERE id = ?1",
        )
        .bind(id, T0)
        .run(),
    ).rejects.toThrow(/CHECK constraint failed/);
  });
});

describe('expireExceptions', () => {
  async function audit(tenantId: string, action: string) {
    const { results } = await db
      .prepare(
        'SELECT actor, actor_role, target, summary FROM audit_log WHERE tenant_id = ?1 AND action = ?2 ORDER BY id',
      )
      .bind(tenantId, action)
      .all<{ actor: string; actor_role: string; target: string; summary: string }>();
    return results.map((r) => ({ ...r, summary: JSON.parse(r.summary) as Record<string, unknown> }));
  }

  async function events(tenantId: string) {
    const { results } = await db
      .prepare('SELECT kind, subject, summary, dedupe_key FROM events WHERE tenant_id = ?1 ORDER BY id')
      .bind(tenantId)
      .all<{ kind: string; subject: string; summary: string; dedupe_key: string }>();
    return results;
  }

  it('expires, audits once, announces once, and reopens or hands over the findings, even when run twice at once', async () => {
    const fleet = await seedFleet();
    const ending = await addException(fleet, {
      hosts: ['all', ''],
      target: ['package', 'openssl'],
      expiresAt: days(2),
    });
    const lasting = await addException(fleet, {
      hosts: ['hostname', 'web-01'],
      target: ['cve', 'CVE-2024-0002'],
      expiresAt: days(60),
    });
    // Both cover openssl on web-01: the one that expires last takes it.
    await apply({ kind: 'tenant', tenantId: fleet.tenantId });
    expect((await states(fleet))['openssl@web-01']?.exception_id).toBe(lasting);
    expect((await states(fleet))['openssl@web-02']?.exception_id).toBe(ending);

    const at = new Date(days(3));
    const [first, second] = await Promise.all([expireExceptions(db, at), expireExceptions(db, at)]);
    expect((first?.expired ?? 0) + (second?.expired ?? 0)).toBeGreaterThanOrEqual(1);
    const statuses = await db
      .prepare('SELECT id, status, ended_at FROM risk_exceptions WHERE tenant_id = ?1 ORDER BY id')
      .bind(fleet.tenantId)
      .all<{ id: number; status: string; ended_at: string | null }>();
    expect(statuses.results).toEqual([
      { id: ending, status: 'expired', ended_at: at.toISOString() },
      { id: lasting, status: 'approved', ended_at: null },
    ]);
    expect(await states(fleet)).toMatchObject({
      'openssl@web-01': { status: 'excepted', exception_id: lasting },
      'openssl@web-02': { status: 'open', exception_id: null, priority: 2 },
    });
    expect(await audit(fleet.tenantId, 'exception.expire')).toEqual([
      {
        actor: 'system',
        actor_role: 'system',
        target: `exception:${ending}`,
        summary: {
          scope: 'package openssl on all hosts',
          expiresAt: days(2),
          findingsReopened: 1,
          findingsExceptedByAnother: 0,
        },
      },
    ]);
    expect((await events(fleet.tenantId)).filter((e) => e.kind === 'exception.expired')).toEqual([
      {
        kind: 'exception.expired',
        subject: `exception:${ending}`,
        summary: `Risk exception #${ending} (package openssl on all hosts) expired; findings reopened: 1`,
        dedupe_key: `exception.expired:${ending}`,
      },
    ]);

    // Once more, later: nothing left to expire for this tenant, no second entry.
    await expireExceptions(db, new Date(days(4)));
    expect(await audit(fleet.tenantId, 'exception.expire')).toHaveLength(1);
  });

  it('announces exceptions about to expire within the tenant’s notice period, each once', async () => {
    const fleet = await seedFleet();
    const soon = await addException(fleet, { hosts: ['all', ''], target: ['package', 'openssl'], expiresAt: days(5) });
    const later = await addException(fleet, { hosts: ['all', ''], target: ['package', 'curl'], expiresAt: days(20) });
    await addException(fleet, {
      hosts: ['all', ''],
      target: ['package', 'zlib'],
      expiresAt: days(3),
      status: 'requested',
    });
    const expiring = async () =>
      (await events(fleet.tenantId)).filter((e) => e.kind === 'exception.expiring').map((e) => e.subject);

    await expireExceptions(db, new Date(T0));
    expect(await expiring()).toEqual([`exception:${soon}`]); // default notice: 7 days
    await Promise.all([expireExceptions(db, new Date(days(1))), expireExceptions(db, new Date(days(1)))]);
    expect(await expiring()).toEqual([`exception:${soon}`]);

    // A tenant that wants 30 days' notice hears of the later one too.
    await db
      .prepare(
        "INSERT INTO tenant_policies (tenant_id, policy, updated_at, updated_by) VALUES (?1, ?2, ?3, 'pb_admin0000')",
      )
      .bind(fleet.tenantId, JSON.stringify({ ...DEFAULT_POLICY, exceptionNoticeDays: 30 }), T0)
      .run();
    await expireExceptions(db, new Date(days(1)));
    expect(await expiring()).toEqual([`exception:${soon}`, `exception:${later}`]);
  });
});
