import { env } from 'cloudflare:workers';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import { validateCsaf } from '../src/feeds/csaf/validate';
import alsaAvahi from '../src/feeds/osv/testdata/ALSA-2024_2433.json?raw';
import dsaNginx from '../src/feeds/osv/testdata/DSA-3029-1.json?raw';
import usnWayland from '../src/feeds/osv/testdata/USN-5614-1.json?raw';
import { exceptionStatements, expireExceptions } from '../src/triage/exceptions';
import { triageScopeSql } from '../src/triage/scope';
import { apiRequest, type CallOptions, newTenant, newToken } from './helpers';

/** Every request of this file goes through an app whose clock the test moves. */
let clockAt = Date.parse('2026-11-27T10:00:00.000Z');
const clock = () => new Date(clockAt);
const app = createApp({ clock });
const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;
const DAY = 86_400_000;
const inDays = (n: number) => new Date(clockAt + n * DAY).toISOString();

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

interface ExceptionBody {
  id: number;
  status: string;
  active: boolean;
  requestedBy: string;
  decidedBy: string | null;
  decisionNote: string | null;
  expiresAt: string;
  endedAt: string | null;
  findings?: { count: number; items: { id: number; hostname: string; advisory: string; package: string }[] };
}

interface FindingItem {
  hostname: string;
  advisory: string;
  status: string;
  priority: number | null;
}

interface AuditItem {
  actor: string;
  actorRole: string;
  action: string;
  target: string;
  summary: Record<string, unknown>;
}

/**
 * A tenant with real vendor advisories matched on its hosts:
 *   jammy-web (Ubuntu 22.04, prod, tag pci) and jammy-dev (Ubuntu 22.04, test): USN-5614-1 (wayland, CVE-2021-3782)
 *   wheezy-01 (Debian 7, prod): DSA-3029-1 (nginx, CVE-2014-3616)
 *   alma-01 (AlmaLinux 9.3, pilot): ALSA-2024:2433 (avahi, five CVEs)
 * and tokens of each role: an operator, two approvers, a viewer.
 */
async function fleet() {
  const tenant = await newTenant('exceptions');
  const admin = tenant.adminToken;
  const tokens = {
    admin,
    operator: await newToken(admin, 'operator'),
    approver: await newToken(admin, 'approver'),
    approver2: await newToken(admin, 'approver'),
    viewer: await newToken(admin, 'viewer'),
  };
  const hosts = [
    ['jammy-web', { os: { family: 'ubuntu', release: '22.04' }, ring: 'prod', tags: ['pci'] }],
    ['jammy-dev', { os: { family: 'ubuntu', release: '22.04' }, ring: 'test' }],
    ['wheezy-01', { os: { family: 'debian', release: '7' }, ring: 'prod' }],
    ['alma-01', { os: { family: 'almalinux', release: '9.3' }, ring: 'pilot' }],
  ] as const;
  for (const [hostname, body] of hosts) await api('PUT', `/v1/hosts/${hostname}`, 200, { token: admin, json: body });
  const wayland = 'libwayland-client0\t1.20.0-1\tamd64\twayland\t1.20.0-1\n';
  for (const host of ['jammy-web', 'jammy-dev']) await putDpkg(admin, host, wayland);
  await putDpkg(admin, 'wheezy-01', 'nginx-full\t1.2.1-2.2+wheezy2\tamd64\tnginx\t1.2.1-2.2+wheezy2\n');
  await api('PUT', '/v1/hosts/alma-01/software', 200, {
    token: admin,
    body: 'avahi-libs\t0:0.8-15.el9\tx86_64\tavahi-0.8-15.el9.src.rpm\n',
    contentType: 'text/x-rpm-qa',
  });
  for (const document of [usnWayland, dsaNginx, alsaAvahi]) {
    await api('POST', '/v1/advisories/import', 200, { token: admin, json: JSON.parse(document) });
  }
  expect((await findings(admin)).map((f) => `${f.hostname} ${f.advisory} ${f.status}`).sort()).toEqual([
    'alma-01 ALSA-2024:2433 open',
    'jammy-dev USN-5614-1 open',
    'jammy-web USN-5614-1 open',
    'wheezy-01 DSA-3029-1 open',
  ]);
  return { tenant, tokens };
}

async function putDpkg(token: string, hostname: string, body: string) {
  await api('PUT', `/v1/hosts/${hostname}/software`, 200, { token, body, contentType: 'text/x-dpkg-query' });
}

async function findings(token: string): Promise<FindingItem[]> {
  return (await api<{ items: FindingItem[] }>('GET', '/v1/findings?limit=500', 200, { token })).items;
}

async function statusOf(token: string): Promise<Record<string, string>> {
  return Object.fromEntries((await findings(token)).map((f) => [`${f.hostname} ${f.advisory}`, f.status]));
}

async function audit(token: string, query: string): Promise<AuditItem[]> {
  return (await api<{ items: AuditItem[] }>('GET', `/v1/audit?${query}`, 200, { token })).items;
}

function exceptionRequest(overrides: Record<string, unknown> = {}) {
  return {
    hosts: { kind: 'ring', value: 'prod' },
    target: { kind: 'cve', value: 'CVE-2021-3782' },
    reason: 'The wayland update needs a reboot of the payment terminals, planned for the January freeze window.',
    compensatingControl: 'The terminals accept no untrusted Wayland clients (kiosk session, USB locked)',
    expiresAt: inDays(30),
    ...overrides,
  };
}

async function request(token: string, overrides: Record<string, unknown> = {}): Promise<ExceptionBody> {
  return api<ExceptionBody>('POST', '/v1/exceptions', 201, { token, json: exceptionRequest(overrides) });
}

async function decide(token: string, id: number, action: 'approve' | 'reject' | 'revoke', status = 200, json = {}) {
  return api<ExceptionBody & { error?: { message: string } }>('POST', `/v1/exceptions/${id}/${action}`, status, {
    token,
    json,
  });
}

/**
 * The OpenVEX 0.2.0 document as the spec's JSON schema (openvex_json_schema_0.2.0.json) requires
 * it: the document fields, at least one statement, a vulnerability with a name, a status of the
 * four, an action statement when affected, products identified by @id or identifiers, and no
 * field the spec does not define.
 */
const Purl = v.pipe(v.string(), v.startsWith('pkg:'));
const Iri = v.pipe(v.string(), v.regex(/^[a-z][a-z0-9+.-]*:\S+$/i, 'an absolute IRI'));
const OpenVexComponent = v.strictObject({
  '@id': v.optional(Iri),
  identifiers: v.optional(
    v.strictObject({ purl: v.optional(Purl), cpe22: v.optional(v.string()), cpe23: v.optional(v.string()) }),
  ),
  hashes: v.optional(v.record(v.string(), v.string())),
});
const OpenVexDocument = v.strictObject({
  '@context': v.literal('https://openvex.dev/ns/v0.2.0'),
  '@id': Iri,
  author: v.pipe(v.string(), v.minLength(1)),
  role: v.optional(v.string()),
  timestamp: v.pipe(v.string(), v.isoTimestamp()),
  last_updated: v.optional(v.pipe(v.string(), v.isoTimestamp())),
  version: v.pipe(v.number(), v.integer(), v.minValue(1)),
  tooling: v.optional(v.string()),
  statements: v.pipe(
    v.array(
      v.pipe(
        v.strictObject({
          '@id': v.optional(Iri),
          version: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
          vulnerability: v.strictObject({
            '@id': v.optional(Iri),
            name: v.pipe(v.string(), v.minLength(1)),
            description: v.optional(v.string()),
            aliases: v.optional(v.array(v.string())),
          }),
          timestamp: v.optional(v.pipe(v.string(), v.isoTimestamp())),
          last_updated: v.optional(v.pipe(v.string(), v.isoTimestamp())),
          products: v.optional(
            v.array(
              v.pipe(
                v.strictObject({ ...OpenVexComponent.entries, subcomponents: v.optional(v.array(OpenVexComponent)) }),
                v.check(
                  (p) => p['@id'] !== undefined || p.identifiers !== undefined,
                  'a product needs @id or identifiers',
                ),
              ),
            ),
          ),
          status: v.picklist(['not_affected', 'affected', 'fixed', 'under_investigation']),
          supplier: v.optional(v.string()),
          status_notes: v.optional(v.string()),
          justification: v.optional(v.string()),
          impact_statement: v.optional(v.string()),
          action_statement: v.optional(v.string()),
          action_statement_timestamp: v.optional(v.pipe(v.string(), v.isoTimestamp())),
        }),
        v.check(
          (s) => s.status !== 'affected' || s.action_statement !== undefined,
          'affected needs an action_statement',
        ),
        v.check(
          (s) => s.status !== 'not_affected' || s.justification !== undefined || s.impact_statement !== undefined,
          'not_affected needs a justification or an impact_statement',
        ),
      ),
    ),
    v.minLength(1, 'a document has at least one statement'),
  ),
});

describe('risk exceptions', () => {
  it('a request approved by another approver excepts the covered findings at once, keeping their priority', async () => {
    const { tenant, tokens } = await fleet();
    const before = await findings(tokens.admin);
    const created = await request(tokens.operator);
    expect(created).toMatchObject({
      status: 'requested',
      active: false,
      requestedBy: tokens.operator.slice(0, 11),
      decidedBy: null,
      expiresAt: inDays(30),
    });
    // Waiting: nothing is excepted yet, and the toolbar hears of it once.
    expect(Object.values(await statusOf(tokens.admin))).not.toContain('excepted');
    const waiting = await env.DB.prepare(
      'SELECT kind, subject, summary FROM events WHERE tenant_id = ?1 AND dedupe_key = ?2',
    )
      .bind(tenant.id, `approval.waiting:exception:${created.id}`)
      .all<{ kind: string; subject: string; summary: string }>();
    expect(waiting.results).toEqual([
      {
        kind: 'approval.waiting',
        subject: `exception:${created.id}`,
        summary: `Risk exception #${created.id} waits for approval: CVE-2021-3782 on ring prod, until ${inDays(30).slice(0, 10)}`,
      },
    ]);

    const approved = await decide(tokens.approver, created.id, 'approve', 200, { note: 'Until the January window' });
    expect(approved).toMatchObject({
      status: 'approved',
      active: true,
      decidedBy: tokens.approver.slice(0, 11),
      decisionNote: 'Until the January window',
      findings: { count: 1, items: [{ hostname: 'jammy-web', advisory: 'USN-5614-1', package: 'wayland' }] },
    });
    // Only the prod host's finding of that CVE: the test ring and the other advisories stay open.
    expect(await statusOf(tokens.admin)).toEqual({
      'jammy-web USN-5614-1': 'excepted',
      'jammy-dev USN-5614-1': 'open',
      'wheezy-01 DSA-3029-1': 'open',
      'alma-01 ALSA-2024:2433': 'open',
    });
    const priority = (list: FindingItem[]) => list.find((f) => f.hostname === 'jammy-web')?.priority;
    expect(priority(await findings(tokens.admin))).toBe(priority(before));

    expect(
      (await audit(tokens.admin, `target=exception:${created.id}`)).map((e) => [e.action, e.actor, e.summary]),
    ).toEqual([
      ['exception.approve', tokens.approver.slice(0, 11), { note: 'Until the January window', findingsExcepted: 1 }],
      [
        'exception.request',
        tokens.operator.slice(0, 11),
        expect.objectContaining({ target: { kind: 'cve', value: 'CVE-2021-3782' } }),
      ],
    ]);
    const one = await api<ExceptionBody>('GET', `/v1/exceptions/${created.id}`, 200, { token: tokens.viewer });
    expect(one.findings?.count).toBe(1);
  });

  it('refuses an exception decided by its own requester (403), and nothing changes', async () => {
    const { tokens } = await fleet();
    for (const requester of [tokens.approver, tokens.admin]) {
      const created = await request(requester);
      for (const action of ['approve', 'reject'] as const) {
        const refused = await decide(requester, created.id, action, 403);
        expect(refused.error?.message).toBe(
          `exception #${created.id} was requested with this token (${requester.slice(0, 11)}); another approver must decide it`,
        );
      }
      const after = await api<ExceptionBody>('GET', `/v1/exceptions/${created.id}`, 200, { token: tokens.viewer });
      expect(after).toMatchObject({ status: 'requested', decidedBy: null, findings: { count: 0 } });
      expect((await audit(tokens.admin, `target=exception:${created.id}`)).map((e) => e.action)).toEqual([
        'exception.request',
      ]);
    }
    expect(Object.values(await statusOf(tokens.admin))).not.toContain('excepted');
  });

  it('lets only admins, operators and approvers request, and approvers and admins decide', async () => {
    const { tokens } = await fleet();
    await api('POST', '/v1/exceptions', 403, { token: tokens.viewer, json: exceptionRequest() });
    const created = await request(tokens.operator);
    await decide(tokens.operator, created.id, 'approve', 403);
    await decide(tokens.viewer, created.id, 'approve', 403);
    await decide(tokens.viewer, created.id, 'revoke', 403);
    await api('GET', '/v1/exceptions', 200, { token: tokens.viewer });
  });

  it('validates requests strictly, naming the field, and stores nothing on a refusal', async () => {
    const { tokens } = await fleet();
    const cases: [Record<string, unknown>, string, string][] = [
      [{ hosts: { kind: 'ring' } }, 'hosts.value', 'hosts.value is required for kind "ring" (the ring)'],
      [{ hosts: { kind: 'tag', value: 7 } }, 'hosts.value', 'hosts.value (the tag) is required (a string)'],
      [{ hosts: { kind: 'tag', value: 'pci', ring: 'prod' } }, 'hosts.ring', 'and hosts takes no other field'],
      [{ hosts: { kind: 'all', value: 'prod' } }, 'hosts.value', 'hosts of kind "all" take no value'],
      [{ hosts: { kind: 'datacenter', value: 'x' } }, 'hosts.kind', 'hosts.kind must be one of'],
      [{ hosts: { kind: 'hostname', value: 'not a host!' } }, 'hosts.value', 'hostname must be'],
      [{ target: { kind: 'cve', value: 'CVE-21-1' } }, 'target.value', 'a CVE looks like CVE-2024-3094'],
      [{ target: { kind: 'package', value: 'openssl,curl' } }, 'target.value', 'without spaces or commas'],
      [
        { target: { kind: 'advisory' } },
        'target.value',
        'target.value is required for kind "advisory" (the advisory id)',
      ],
      [{ reason: '   ' }, 'reason', 'reason must not be empty'],
      [{ compensatingControl: 'x'.repeat(2001) }, 'compensatingControl', 'at most 2000 characters'],
      [{ expiresAt: 'next friday' }, 'expiresAt', 'ISO 8601'],
      [{ expiresAt: inDays(-1) }, 'expiresAt', 'must lie in the future'],
      [{ expiresAt: inDays(366) }, 'expiresAt', 'at most 365 days ahead'],
      [{ approvedBy: 'me' }, 'approvedBy', 'Invalid key'],
    ];
    for (const [overrides, path, message] of cases) {
      const refused = await api<{ error: { message: string; details: { path: string; message: string }[] } }>(
        'POST',
        '/v1/exceptions',
        400,
        { token: tokens.operator, json: exceptionRequest(overrides) },
      );
      const detail = refused.error.details.find((d) => d.path === path);
      expect(detail?.message, JSON.stringify(overrides)).toContain(message);
    }
    // 365 days ahead exactly is allowed; a lower-case CVE is normalised.
    const edge = await request(tokens.operator, {
      expiresAt: inDays(365),
      target: { kind: 'cve', value: 'cve-2021-3782' },
    });
    expect(edge).toMatchObject({ status: 'requested' });
    const list = await api<{ items: ExceptionBody[] }>('GET', '/v1/exceptions', 200, { token: tokens.viewer });
    expect(list.items.map((e) => e.id)).toEqual([edge.id]);
    await api('POST', '/v1/exceptions/abc/approve', 400, { token: tokens.approver, json: {} });
    await api('POST', `/v1/exceptions/${edge.id}/approve`, 400, { token: tokens.approver, json: { note: 7 } });
  });

  it('answers 404 for another tenant’s exception, exactly as for a missing one', async () => {
    const a = await fleet();
    const b = await fleet();
    const theirs = await request(a.tokens.operator);
    const missing = 999_999_999;
    for (const [method, suffix, token] of [
      ['GET', '', b.tokens.viewer],
      ['POST', '/approve', b.tokens.approver],
      ['POST', '/reject', b.tokens.approver],
      ['POST', '/revoke', b.tokens.admin],
    ] as const) {
      const json = method === 'POST' ? {} : undefined;
      const foreign = await api<{ error: unknown }>(method, `/v1/exceptions/${theirs.id}${suffix}`, 404, {
        token,
        json,
      });
      const none = await api<{ error: unknown }>(method, `/v1/exceptions/${missing}${suffix}`, 404, { token, json });
      expect(foreign).toEqual({ error: { code: 'not_found', message: `exception #${theirs.id} not found` } });
      expect(none).toEqual({ error: { code: 'not_found', message: `exception #${missing} not found` } });
    }
    expect((await api<{ items: unknown[] }>('GET', '/v1/exceptions', 200, { token: b.tokens.viewer })).items).toEqual(
      [],
    );
    const still = await api<ExceptionBody>('GET', `/v1/exceptions/${theirs.id}`, 200, { token: a.tokens.viewer });
    expect(still.status).toBe('requested');
  });

  it('lets exactly one of two approvers racing on a request decide it', async () => {
    const { tokens } = await fleet();
    const created = await request(tokens.operator);
    const results = await Promise.all(
      [tokens.approver, tokens.approver2].map((token) =>
        app.fetch(
          new Request(`http://patchboard.test/v1/exceptions/${created.id}/approve`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: '{}',
          }),
          env,
          ctx,
        ),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect((await audit(tokens.admin, 'action=exception.approve')).map((e) => e.target)).toEqual([
      `exception:${created.id}`,
    ]);
    // Decided: a later reject is a conflict that says who decided it.
    const late = await decide(tokens.approver, created.id, 'reject', 409);
    expect(late.error?.message).toMatch(new RegExp(`^exception #${created.id} is approved by pb_`));
  });

  it('reopens the findings at expiry, and the audit log says so', async () => {
    const start = clockAt;
    try {
      const { tenant, tokens } = await fleet();
      const created = await request(tokens.operator, {
        hosts: { kind: 'all' },
        target: { kind: 'advisory', value: 'USN-5614-1' },
        expiresAt: inDays(2),
      });
      await decide(tokens.approver, created.id, 'approve');
      expect((await statusOf(tokens.admin))['jammy-dev USN-5614-1']).toBe('excepted');

      // Day 1: within the notice period (7 days by default), so the toolbar hears it is expiring.
      clockAt = start + DAY;
      await expireExceptions(env.DB, clock());
      // Day 3: the cron expires it.
      clockAt = start + 3 * DAY;
      const outcome = await expireExceptions(env.DB, clock());
      expect(outcome.expired).toBeGreaterThanOrEqual(1);
      expect(await statusOf(tokens.admin)).toMatchObject({
        'jammy-web USN-5614-1': 'open',
        'jammy-dev USN-5614-1': 'open',
      });
      const ended = await api<ExceptionBody>('GET', `/v1/exceptions/${created.id}`, 200, { token: tokens.viewer });
      expect(ended).toMatchObject({
        status: 'expired',
        active: false,
        endedAt: clock().toISOString(),
        findings: { count: 0 },
      });
      expect(await audit(tokens.admin, 'action=exception.expire')).toEqual([
        expect.objectContaining({
          actor: 'system',
          target: `exception:${created.id}`,
          summary: expect.objectContaining({ findingsReopened: 2, findingsExceptedByAnother: 0 }),
        }),
      ]);
      const events = await env.DB.prepare('SELECT kind FROM events WHERE tenant_id = ?1 AND subject = ?2 ORDER BY id')
        .bind(tenant.id, `exception:${created.id}`)
        .all<{ kind: string }>();
      expect(events.results.map((e) => e.kind)).toEqual([
        'approval.waiting',
        'exception.expiring',
        'exception.expired',
      ]);

      // The cron again: nothing more to do for it, no second entry; it cannot be approved or revoked any more.
      await expireExceptions(env.DB, clock());
      expect(await audit(tokens.admin, 'action=exception.expire')).toHaveLength(1);
      await decide(tokens.admin, created.id, 'revoke', 409);
      const list = await api<{ items: ExceptionBody[] }>('GET', '/v1/exceptions?status=expired', 200, {
        token: tokens.viewer,
      });
      expect(list.items.map((e) => e.id)).toEqual([created.id]);
    } finally {
      clockAt = start;
    }
  });

  it('reopens the findings when an approved exception is revoked', async () => {
    const { tokens } = await fleet();
    const created = await request(tokens.operator, {
      hosts: { kind: 'hostname', value: 'wheezy-01' },
      target: { kind: 'package', value: 'nginx-full' },
    });
    await decide(tokens.approver, created.id, 'approve');
    expect((await statusOf(tokens.admin))['wheezy-01 DSA-3029-1']).toBe('excepted');
    const revoked = await decide(tokens.approver, created.id, 'revoke', 200, { note: 'The WAF was removed' });
    expect(revoked).toMatchObject({
      status: 'revoked',
      active: false,
      endedAt: clock().toISOString(),
      findings: { count: 0 },
    });
    expect((await statusOf(tokens.admin))['wheezy-01 DSA-3029-1']).toBe('open');
    expect(await audit(tokens.admin, 'action=exception.revoke')).toEqual([
      expect.objectContaining({
        target: `exception:${created.id}`,
        summary: { note: 'The WAF was removed', findingsReopened: 1, findingsExceptedByAnother: 0 },
      }),
    ]);
    await decide(tokens.approver, created.id, 'revoke', 409);
    // Only approved exceptions can be revoked; a request is rejected instead.
    const waiting = await request(tokens.operator);
    await decide(tokens.admin, waiting.id, 'revoke', 409);
    expect(await decide(tokens.approver, waiting.id, 'reject', 200, {})).toMatchObject({ status: 'rejected' });
    expect(Object.values(await statusOf(tokens.admin))).not.toContain('excepted');
  });

  it('excepts findings that arrive later under an active exception when exceptionStatements runs for them', async () => {
    const { tenant, tokens } = await fleet();
    const created = await request(tokens.operator, {
      hosts: { kind: 'tag', value: 'pci' },
      target: { kind: 'package', value: 'wayland' },
    });
    await decide(tokens.approver, created.id, 'approve');
    for (const [hostname, tags] of [
      ['jammy-pos', ['pci']],
      ['jammy-kiosk', []],
    ] as const) {
      await api('PUT', `/v1/hosts/${hostname}`, 200, {
        token: tokens.admin,
        json: { os: { family: 'ubuntu', release: '22.04' }, tags },
      });
      await putDpkg(tokens.admin, hostname, 'libwayland-client0\t1.20.0-1\tamd64\twayland\t1.20.0-1\n');
      const host = await env.DB.prepare('SELECT id FROM hosts WHERE tenant_id = ?1 AND hostname = ?2')
        .bind(tenant.id, hostname)
        .first<{ id: number }>();
      await env.DB.batch(
        exceptionStatements(env.DB, triageScopeSql({ kind: 'host', hostId: host?.id ?? 0 }, 2), clock().toISOString()),
      );
    }
    const status = await statusOf(tokens.admin);
    expect(status['jammy-pos USN-5614-1']).toBe('excepted');
    expect(status['jammy-kiosk USN-5614-1']).toBe('open');
    const detail = await api<ExceptionBody>('GET', `/v1/exceptions/${created.id}`, 200, { token: tokens.viewer });
    expect(detail.findings?.items.map((f) => f.hostname)).toEqual(['jammy-pos', 'jammy-web']);
  });

  it('lists exceptions newest first, by status, a page at a time', async () => {
    const { tokens } = await fleet();
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push((await request(tokens.operator)).id);
    await decide(tokens.approver, ids[0] ?? 0, 'approve');
    const first = await api<{ items: ExceptionBody[]; nextCursor: string | null }>(
      'GET',
      '/v1/exceptions?limit=2',
      200,
      {
        token: tokens.viewer,
      },
    );
    expect(first.items.map((e) => e.id)).toEqual([ids[2], ids[1]]);
    const second = await api<{ items: ExceptionBody[]; nextCursor: string | null }>(
      'GET',
      `/v1/exceptions?limit=2&cursor=${first.nextCursor}`,
      200,
      { token: tokens.viewer },
    );
    expect(second).toMatchObject({ items: [{ id: ids[0] }], nextCursor: null });
    const requested = await api<{ items: ExceptionBody[] }>('GET', '/v1/exceptions?status=requested', 200, {
      token: tokens.viewer,
    });
    expect(requested.items.map((e) => e.id)).toEqual([ids[2], ids[1]]);
    await api('GET', '/v1/exceptions?status=pending', 400, { token: tokens.viewer });
  });

  it('exports the accepted risks as OpenVEX and CSAF VEX documents that validate', async () => {
    const { tenant, tokens } = await fleet();
    // Nothing accepted yet: there is no document to state.
    await api('GET', '/v1/exceptions/export?format=openvex', 404, { token: tokens.viewer });
    await api('GET', '/v1/exceptions/export?format=csaf', 404, { token: tokens.viewer });
    await api('GET', '/v1/exceptions/export?format=spdx', 400, { token: tokens.viewer });

    for (const overrides of [
      { hosts: { kind: 'ring', value: 'prod' }, target: { kind: 'cve', value: 'CVE-2021-3782' } },
      { hosts: { kind: 'all' }, target: { kind: 'advisory', value: 'ALSA-2024:2433' } },
      { hosts: { kind: 'hostname', value: 'wheezy-01' }, target: { kind: 'package', value: 'nginx' } },
    ]) {
      const created = await request(tokens.operator, overrides);
      await decide(tokens.approver, created.id, 'approve');
    }
    // A request still waiting is not a stated risk.
    await request(tokens.operator, { hosts: { kind: 'all' }, target: { kind: 'cve', value: 'CVE-2014-3616' } });

    const openvex = await api<Record<string, unknown>>('GET', '/v1/exceptions/export?format=openvex', 200, {
      token: tokens.viewer,
    });
    const parsed = v.safeParse(OpenVexDocument, openvex);
    expect(parsed.issues?.map((i) => `${v.getDotPath(i)}: ${i.message}`) ?? []).toEqual([]);
    const statements = parsed.success ? parsed.output.statements : [];
    expect(openvex).toMatchObject({ author: tenant.name, version: 1, '@id': expect.stringMatching(/^urn:uuid:/) });
    // ALSA-2024:2433 lists its CVEs as related, not as aliases: it is named by its own id.
    expect(statements.map((s) => s.vulnerability.name).sort()).toEqual([
      'ALSA-2024:2433',
      'CVE-2014-3616',
      'CVE-2021-3782',
    ]);
    const wayland = statements.find((s) => s.vulnerability.name === 'CVE-2021-3782');
    expect(wayland).toMatchObject({
      status: 'affected',
      action_statement: expect.stringContaining('kiosk session, USB locked'),
      products: [
        {
          '@id': 'http://patchboard.test/v1/hosts/jammy-web',
          subcomponents: [
            {
              '@id': 'pkg:deb/ubuntu/libwayland-client0@1.20.0-1?arch=amd64&distro=ubuntu-22.04',
              identifiers: { purl: 'pkg:deb/ubuntu/libwayland-client0@1.20.0-1?arch=amd64&distro=ubuntu-22.04' },
            },
          ],
        },
      ],
    });
    expect(wayland?.action_statement).toContain(`Risk accepted until ${inDays(30)}`);

    const csaf = await api<Record<string, unknown>>('GET', '/v1/exceptions/export?format=csaf', 200, {
      token: tokens.viewer,
    });
    const validation = validateCsaf(csaf);
    expect(validation.failures).toEqual([]);
    expect(validation.valid).toBe(true);
    const vulnerabilities = csaf.vulnerabilities as {
      cve?: string;
      ids?: { text: string }[];
      remediations: { category: string }[];
    }[];
    expect(vulnerabilities.map((x) => [x.cve, x.ids?.map((id) => id.text)])).toEqual([
      [undefined, ['ALSA-2024:2433']],
      ['CVE-2014-3616', ['DSA-3029-1']],
      ['CVE-2021-3782', ['USN-5614-1']],
    ]);
    expect(vulnerabilities.every((x) => x.remediations.every((r) => r.category === 'mitigation'))).toBe(true);
    expect(JSON.stringify(csaf.product_tree)).toContain(
      'pkg:rpm/almalinux/avahi-libs@0.8-15.el9?arch=x86_64&distro=almalinux-9.3',
    );
  });
});
