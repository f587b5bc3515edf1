/**
 * Concurrency (issue #8, point 5): many agents polling at once, the same inventory reported twice at
 * once, two approvers (or an approver and an admin) acting on one deployment, two policy writes.
 * Requests go through the worker's own app, against D1, all started together (Promise.all); the
 * outcome is checked in the database: jobs handed out once, no lost update, the audit log complete.
 * The per-token rate limit (600 a minute) is never reached: each agent and host has its own token.
 */
import { env } from 'cloudflare:workers';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import dsaNginx from '../src/feeds/osv/testdata/DSA-3029-1.json?raw';
import type { CallOptions } from './helpers';
import { newTenant, newToken } from './helpers';

/** Saturday 02:00 UTC: inside the all-day window every test opens. */
const clock = () => new Date('2026-11-28T02:00:00.000Z');
const app = createApp({ clock });
const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;

const counts = { requests: 0, races: 0 };

async function request(method: string, path: string, options: CallOptions = {}): Promise<Response> {
  counts.requests += 1;
  const headers = new Headers(options.headers);
  if (options.token !== undefined) headers.set('authorization', `Bearer ${options.token}`);
  let body = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers.set('content-type', 'application/json');
  }
  if (options.contentType) headers.set('content-type', options.contentType);
  return app.fetch(new Request(`http://patchboard.test${path}`, { method, headers, body: body ?? null }), env, ctx);
}

async function api<T = Record<string, unknown>>(
  method: string,
  path: string,
  status: number,
  options: CallOptions = {},
): Promise<T> {
  const res = await request(method, path, options);
  const text = await res.text();
  expect(res.status, `${method} ${path}: ${res.status} ${text.slice(0, 600)}`).toBe(status);
  return (text ? JSON.parse(text) : null) as T;
}

/** Audit entries of a tenant, oldest first. */
async function audit(tenantId: string, where = '1 = 1', ...binds: unknown[]) {
  const { results } = await env.DB.prepare(
    `SELECT id, action, target, actor, summary FROM audit_log WHERE tenant_id = ?1 AND (${where}) ORDER BY id`,
  )
    .bind(tenantId, ...binds)
    .all<{ id: number; action: string; target: string; actor: string; summary: string }>();
  return results;
}

const OLD = '1.2.1-2.2+wheezy2';
const nginx = `nginx-full\t${OLD}\tamd64\tnginx\t${OLD}\n`;

/** A tenant with DSA-3029-1, a window open all day, and `hosts` Debian 7 hosts with the vulnerable nginx, each with its agent. */
async function fleet(prefix: string, hosts: number, ring = 'test') {
  const tenant = await newTenant(prefix);
  const admin = tenant.adminToken;
  await api('POST', '/v1/advisories/import', 200, { token: admin, json: JSON.parse(dsaNginx) });
  await api('POST', '/v1/windows', 201, {
    token: admin,
    json: { name: 'always', rule: 'daily 00:00-23:59', timeZone: 'UTC', appliesTo: { kind: 'all' } },
  });
  const agents: string[] = [];
  for (let i = 0; i < hosts; i++) {
    const hostname = `${prefix}-${String(i).padStart(2, '0')}`;
    await api('PUT', `/v1/hosts/${hostname}`, 200, {
      token: admin,
      json: { os: { family: 'debian', release: '7' }, ring },
    });
    const agent = await newToken(admin, 'agent', hostname);
    await api('PUT', `/v1/hosts/${hostname}/software`, 200, {
      token: agent,
      body: nginx,
      contentType: 'text/x-dpkg-query',
    });
    agents.push(agent);
  }
  return { tenant, admin, agents };
}

/** A submitted single-ring deployment of DSA-3029-1, awaiting approval. */
async function submitted(admin: string): Promise<number> {
  const created = await api<{ id: number; status: string }>('POST', '/v1/deployments', 201, {
    token: admin,
    json: {
      target: { kind: 'advisories', ids: ['DSA-3029-1'] },
      plan: [{ ring: 'test', soakMinutes: 0, successThreshold: 1 }],
      submit: true,
    },
  });
  expect(created.status).toBe('awaiting_approval');
  return created.id;
}

async function findingStatuses(admin: string): Promise<string[]> {
  const page = await api<{ items: { status: string }[] }>('GET', '/v1/findings?advisory=DSA-3029-1', 200, {
    token: admin,
  });
  return [...new Set(page.items.map((f) => f.status))];
}

afterAll(() => {
  console.log(`concurrency: ${counts.requests} requests, ${counts.races} races`);
});

describe('concurrency', () => {
  it('50 agents polling three times at once: each job handed out once, one job.claim each', {
    timeout: 60_000,
  }, async () => {
    const { tenant, admin, agents } = await fleet('poll', 50);
    const approver = await newToken(admin, 'approver');
    const id = await submitted(admin);
    await api('POST', `/v1/deployments/${id}/approve`, 200, { token: approver, json: {} });

    const polls = await Promise.all(
      agents.flatMap((agent) => [0, 1, 2].map(() => request('GET', '/v1/agent/jobs', { token: agent }))),
    );
    counts.races += 1;
    expect(polls.map((r) => r.status).filter((s) => s !== 200 && s !== 204)).toEqual([]);
    const claimed = await Promise.all(
      polls.filter((r) => r.status === 200).map((r) => r.json() as Promise<{ job: number }>),
    );
    expect(claimed).toHaveLength(50);
    expect(new Set(claimed.map((c) => c.job)).size).toBe(50);
    const jobs = await env.DB.prepare('SELECT id, claims, status FROM jobs WHERE deployment_id = ?1')
      .bind(id)
      .all<{ id: number; claims: number; status: string }>();
    expect(jobs.results).toHaveLength(50);
    expect(jobs.results.every((j) => j.claims === 1 && j.status === 'claimed')).toBe(true);
    const claims = await audit(tenant.id, "action = 'job.claim'");
    expect(claims).toHaveLength(50);
    expect(new Set(claims.map((c) => c.target)).size).toBe(50);
    expect(new Set(claims.map((c) => c.target))).toEqual(new Set(jobs.results.map((j) => `job:${j.id}`)));
  });

  it('the same inventory reported twice at once for 20 hosts: exact packages, each change recorded once, every report audited', {
    timeout: 60_000,
  }, async () => {
    const tenant = await newTenant('inventory');
    const admin = tenant.adminToken;
    const before = [
      ['openssl', '3.0.11-1~deb12u1'],
      ['curl', '7.88.1-10+deb12u4'],
      ['bash', '5.2.15-2+b2'],
    ];
    const after = [
      ['openssl', '3.0.13-1~deb12u1'], // changed
      ['bash', '5.2.15-2+b2'], // unchanged
      ['zlib1g', '1:1.2.13.dfsg-1'], // added; curl removed
    ];
    const dpkg = (packages: string[][]) => packages.map(([n, v]) => `${n}\t${v}\tamd64\t${n}\t${v}\n`).join('');
    const hosts: { hostname: string; agent: string }[] = [];
    for (let i = 0; i < 20; i++) {
      const hostname = `inv-${String(i).padStart(2, '0')}`;
      await api('PUT', `/v1/hosts/${hostname}`, 200, {
        token: admin,
        json: { os: { family: 'debian', release: '12.5' } },
      });
      const agent = await newToken(admin, 'agent', hostname);
      await api('PUT', `/v1/hosts/${hostname}/software`, 200, {
        token: agent,
        body: dpkg(before),
        contentType: 'text/x-dpkg-query',
      });
      hosts.push({ hostname, agent });
    }
    const mark = (await audit(tenant.id)).at(-1)?.id ?? 0;
    const earlier = new Set(
      (
        await env.DB.prepare('SELECT id FROM inventory_reports WHERE tenant_id = ?1')
          .bind(tenant.id)
          .all<{ id: string }>()
      ).results.map((r) => r.id),
    );

    const responses = await Promise.all(
      hosts.flatMap(({ hostname, agent }) =>
        [0, 1].map(async () => ({
          hostname,
          status: (
            await request('PUT', `/v1/hosts/${hostname}/software`, {
              token: agent,
              body: dpkg(after),
              contentType: 'text/x-dpkg-query',
            })
          ).status,
        })),
      ),
    );
    counts.races += hosts.length;
    expect(
      responses.filter((r) => r.status !== 200 && r.status !== 409),
      'only 200 or 409',
    ).toEqual([]);
    const accepted = responses.filter((r) => r.status === 200);

    for (const { hostname } of hosts) {
      const installed = await env.DB.prepare(
        `SELECT p.name, p.version FROM installed_packages p JOIN hosts h ON h.id = p.host_id
         WHERE h.tenant_id = ?1 AND h.hostname = ?2 ORDER BY p.name`,
      )
        .bind(tenant.id, hostname)
        .all<{ name: string; version: string }>();
      expect(
        installed.results.map((p) => [p.name, p.version]),
        hostname,
      ).toEqual([...after].sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? '')));
      // The two concurrent reports of the host, together: each real change exactly once.
      const changes = await env.DB.prepare(
        `SELECT c.report_id, c.change, c.name, c.old_version, c.new_version FROM inventory_changes c
         JOIN inventory_reports r ON r.id = c.report_id JOIN hosts h ON h.id = r.host_id
         WHERE h.tenant_id = ?1 AND h.hostname = ?2 ORDER BY c.name`,
      )
        .bind(tenant.id, hostname)
        .all<{
          report_id: string;
          change: string;
          name: string;
          old_version: string | null;
          new_version: string | null;
        }>();
      const raced = changes.results.filter((c) => !earlier.has(c.report_id)).map(({ report_id, ...c }) => c);
      const reports = await env.DB.prepare(
        `SELECT count(*) AS n FROM inventory_reports r JOIN hosts h ON h.id = r.host_id
         WHERE h.tenant_id = ?1 AND h.hostname = ?2`,
      )
        .bind(tenant.id, hostname)
        .first<{ n: number }>();
      expect(reports?.n, `${hostname}: one report row per accepted request (+ the first)`).toBe(
        1 + accepted.filter((r) => r.hostname === hostname).length,
      );
      expect(raced, hostname).toEqual([
        { change: 'removed', name: 'curl', old_version: '7.88.1-10+deb12u4', new_version: null },
        { change: 'changed', name: 'openssl', old_version: '3.0.11-1~deb12u1', new_version: '3.0.13-1~deb12u1' },
        { change: 'added', name: 'zlib1g', old_version: null, new_version: '1:1.2.13.dfsg-1' },
      ]);
    }
    const reported = await audit(tenant.id, "action = 'inventory.report' AND id > ?2", mark);
    expect(reported).toHaveLength(accepted.length);
    const perHost = new Map<string, number>();
    for (const r of reported) perHost.set(r.target, (perHost.get(r.target) ?? 0) + 1);
    for (const { hostname } of hosts) {
      expect(perHost.get(`host:${hostname}`), hostname).toBe(accepted.filter((r) => r.hostname === hostname).length);
    }
  });

  it('two approvers at once, and an approver against an admin cancelling: one wins, the other gets 409, the log holds the winner', {
    timeout: 60_000,
  }, async () => {
    // Two approvers: both approve.
    for (let round = 0; round < 3; round++) {
      const { tenant, admin } = await fleet(`approve${round}`, 2);
      const [first, second] = [await newToken(admin, 'approver'), await newToken(admin, 'approver')];
      const id = await submitted(admin);
      const results = await Promise.all(
        [first, second].map((token) => request('POST', `/v1/deployments/${id}/approve`, { token, json: {} })),
      );
      counts.races += 1;
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const entries = await audit(tenant.id, 'target = ?2', `deployment:${id}`);
      expect(entries.filter((e) => e.action === 'deployment.approve')).toHaveLength(1);
      const winner = results[0]?.status === 200 ? first : second;
      expect(entries.find((e) => e.action === 'deployment.approve')?.actor).toBe(winner?.slice(0, 11));
      expect(await findingStatuses(admin)).toEqual(['scheduled']);
    }
    // An approver approves while an admin cancels.
    const outcomes: string[] = [];
    for (let round = 0; round < 4; round++) {
      const { tenant, admin } = await fleet(`cancel${round}`, 2);
      const approver = await newToken(admin, 'approver');
      const id = await submitted(admin);
      const approving = () => request('POST', `/v1/deployments/${id}/approve`, { token: approver, json: {} });
      const cancelling = () =>
        request('POST', `/v1/deployments/${id}/cancel`, { token: admin, json: { note: 'not now' } });
      // Alternate who starts first, so both orders are tried.
      const [approve, cancel] =
        round % 2 === 0
          ? await Promise.all([approving(), cancelling()])
          : await Promise.all([cancelling(), approving()]).then(([c, a]) => [a, c]);
      counts.races += 1;
      expect([approve?.status, cancel?.status].sort()).toEqual([200, 409]);
      const entries = await audit(tenant.id, 'target = ?2', `deployment:${id}`);
      const actions = entries
        .map((e) => e.action)
        .filter((a) => a === 'deployment.approve' || a === 'deployment.cancel');
      const deployment = await api<{ status: string }>('GET', `/v1/deployments/${id}`, 200, { token: admin });
      if (approve?.status === 200) {
        outcomes.push('approve');
        expect(actions).toEqual(['deployment.approve']);
        expect(deployment.status).not.toBe('cancelled');
        expect(await findingStatuses(admin)).toEqual(['scheduled']);
      } else {
        outcomes.push('cancel');
        expect(actions).toEqual(['deployment.cancel']);
        expect(deployment.status).toBe('cancelled');
        expect(await findingStatuses(admin)).toEqual(['open']);
      }
    }
    console.log(`concurrency: approve against cancel won by ${outcomes.join(', ')}`);
  });

  /** Two admins PUT /v1/policy with different bodies at once; answers what is stored and the audit summaries. */
  async function policyRace() {
    const tenant = await newTenant('policy');
    const admin = tenant.adminToken;
    const other = await newToken(admin, 'admin');
    const current = await api<{ policy: Record<string, unknown> }>('GET', '/v1/policy', 200, { token: admin });
    const a = { ...current.policy, epss: [{ percentileAtLeast: 0.9, priority: 1 }] };
    const b = { ...current.policy, epss: [{ percentileAtLeast: 0.5, priority: 2 }] };
    const results = await Promise.all([
      request('PUT', '/v1/policy', { token: admin, json: a }),
      request('PUT', '/v1/policy', { token: other, json: b }),
    ]);
    counts.races += 1;
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    const stored = await api<{ policy: Record<string, unknown> }>('GET', '/v1/policy', 200, { token: admin });
    const entries = await audit(tenant.id, "action = 'policy.update'");
    const summaries = entries.map((e) => JSON.parse(e.summary) as { before: unknown; after: unknown });
    return { a, b, stored: stored.policy, summaries };
  }

  it('two policy writes at once: the last one wins whole, both are audited', { timeout: 60_000 }, async () => {
    for (let round = 0; round < 5; round++) {
      const { a, b, stored, summaries } = await policyRace();
      expect(summaries).toHaveLength(2);
      // The last entry names what is stored now, whole: one body or the other, never a mix.
      const last = summaries.at(-1)?.after;
      expect(stored).toEqual(last);
      expect([JSON.stringify(a), JSON.stringify(b)]).toContain(JSON.stringify(last));
      expect(JSON.stringify(summaries[0]?.after)).not.toBe(JSON.stringify(last));
    }
  });

  /**
   * Found by this suite and fixed: PUT /v1/policy read the audit entry's `before` outside the batch
   * that writes, so two concurrent writes both recorded `before: "default"`.
   */
  it('two policy writes at once: the later audit entry names the earlier write as what it replaced', {
    timeout: 60_000,
  }, async () => {
    for (let round = 0; round < 5; round++) {
      const { summaries } = await policyRace();
      expect(summaries[1]?.before).toEqual(summaries[0]?.after);
    }
  });
});
