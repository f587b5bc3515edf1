import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import { advanceAll } from '../src/deploy/advance';
import { shellQuote } from '../src/deploy/commands/quote';
import dsaNginx from '../src/feeds/osv/testdata/DSA-3029-1.json?raw';
import type { CallOptions } from './helpers';
import { apiRequest, newTenant, newToken } from './helpers';

/**
 * Staged deployment end to end inside workerd, with a clock the test moves: a real Debian advisory
 * (DSA-3029-1, nginx) on Debian 7 hosts in rings test, pilot and prod; windows on Saturday nights in
 * Europe/Berlin; agents simulated by this file from the commands they are sent (the sh agent runs
 * the same protocol against a real worker in agent/test/).
 */
let clockAt = Date.parse('2026-11-27T10:00:00.000Z'); // a Friday
const clock = () => new Date(clockAt);
const app = createApp({ clock });
const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;

async function request(
  method: string,
  path: string,
  options: CallOptions & { accept?: string } = {},
): Promise<Response> {
  const req = apiRequest(method, path, options);
  if (options.accept) req.headers.set('accept', options.accept);
  return app.fetch(req, env, ctx);
}

async function api<T = Record<string, unknown>>(
  method: string,
  path: string,
  status: number,
  options: CallOptions & { accept?: string } = {},
): Promise<T> {
  const res = await request(method, path, options);
  const text = await res.text();
  expect(res.status, `${method} ${path}: ${res.status} ${text.slice(0, 600)}`).toBe(status);
  return (text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T;
}

interface Ring {
  ring: string;
  status: string;
  hosts: number;
  nextOpening: { start: string; end: string } | null;
  gate: { passed: boolean; reasons: string[] } | null;
}
interface Deployment {
  id: number;
  status: string;
  rings: Ring[];
  advisories: string[];
  haltReason: string | null;
  items?: { hostname: string; package: string; targetVersion: string | null }[];
  jobs?: { hostname: string; kind: string; status: string; step: string; result: string | null; claims: number }[];
}
interface Instruction {
  job: number;
  lease: string;
  step: string;
  commands: { mode: string; argv: string[] }[];
  result?: string;
  reason?: string;
}

/** A simulated host: its package database, the services that fail, and every command it ran. */
interface Host {
  readonly hostname: string;
  readonly agent: string;
  readonly packages: Map<string, string>;
  readonly failing: Set<string>;
  readonly ran: string[];
  readonly argvs: string[][];
  /** Claims success without ever sending the software report it is told to. */
  silent?: boolean;
}

const OLD = '1.2.1-2.2+wheezy2';
const FIXED = '1.2.1-2.2+wheezy3';

function dpkgQuery(host: Host): string {
  return [...host.packages].map(([name, version]) => `${name}\t${version}\tamd64\tnginx\t${version}\n`).join('');
}

async function report(host: Host) {
  await api('PUT', `/v1/hosts/${host.hostname}/software`, 200, {
    token: host.agent,
    body: dpkgQuery(host),
    contentType: 'text/x-dpkg-query',
  });
}

/** What the host answers to one command, as the sh agent would run it. */
async function execute(
  host: Host,
  command: { mode: string; argv: string[] },
): Promise<{ exit: number; output: string }> {
  if (command.mode === 'report') {
    if (!host.silent) await report(host);
    return { exit: 0, output: '' };
  }
  host.ran.push(command.argv.join(' '));
  host.argvs.push(command.argv);
  const [program, ...args] = command.argv;
  if (program === 'dpkg-query') {
    const names = args.filter((a) => !a.startsWith('-'));
    const lines = names.flatMap((n) => (host.packages.has(n) ? [`${n} ${host.packages.get(n)}\n`] : []));
    return { exit: lines.length === names.length ? 0 : 1, output: lines.join('') };
  }
  if (program === 'apt-get') {
    if (args[0] === 'install') {
      for (const spec of args) {
        const match = /^([a-z0-9][a-z0-9+.-]+)=(.+)$/.exec(spec);
        if (match?.[1] && match[2] && host.packages.has(match[1])) host.packages.set(match[1], match[2]);
      }
    }
    return { exit: 0, output: `apt-get ${args[0]} done\n` };
  }
  if (program === 'systemctl') return { exit: host.failing.has(args.at(-1) ?? '') ? 3 : 0, output: '' };
  if (program === 'test') return { exit: 1, output: '' };
  return { exit: 127, output: `${program}: not found\n` };
}

/** Claims and runs the host's next job to its end, as an agent would; null when nothing was due. */
async function runAgent(host: Host): Promise<Instruction | null> {
  const res = await request('GET', '/v1/agent/jobs', { token: host.agent });
  if (res.status === 204) return null;
  expect(res.status).toBe(200);
  let instruction = (await res.json()) as Instruction;
  while (instruction.step !== 'done') {
    const results: { exit: number; output: string }[] = [];
    for (const command of instruction.commands) {
      const result = await execute(host, command);
      results.push(result);
      if (command.mode === 'run' && result.exit !== 0) break;
    }
    instruction = await api<Instruction>('POST', `/v1/agent/jobs/${instruction.job}/events`, 200, {
      token: host.agent,
      json: { lease: instruction.lease, step: instruction.step, results, log: `${instruction.step} done` },
    });
  }
  return instruction;
}

async function fleet(prefix: string) {
  const tenant = await newTenant(prefix);
  const admin = tenant.adminToken;
  const approver = await newToken(admin, 'approver');
  await api('POST', '/v1/advisories/import', 200, { token: admin, json: JSON.parse(dsaNginx) });
  await api('POST', '/v1/windows', 201, {
    token: admin,
    json: { name: 'saturday night', rule: 'Sat 02:00-05:00', timeZone: 'Europe/Berlin', appliesTo: { kind: 'all' } },
  });
  const hosts: Record<string, Host> = {};
  for (const [hostname, ring] of [
    ['test-01', 'test'],
    ['pilot-01', 'pilot'],
    ['pilot-02', 'pilot'],
    ['prod-01', 'prod'],
  ] as const) {
    await api('PUT', `/v1/hosts/${hostname}`, 200, {
      token: admin,
      json: { os: { family: 'debian', release: '7' }, ring },
    });
    const host: Host = {
      hostname,
      agent: await newToken(admin, 'agent', hostname),
      packages: new Map([
        ['nginx-full', OLD],
        ['nginx-common', OLD],
      ]),
      failing: new Set(),
      ran: [],
      argvs: [],
    };
    await report(host);
    hosts[hostname] = host;
  }
  return { tenant, admin, approver, hosts: hosts as Record<'test-01' | 'pilot-01' | 'pilot-02' | 'prod-01', Host> };
}

const plan = [
  { ring: 'test', soakMinutes: 24 * 60, successThreshold: 1, healthChecks: [] },
  { ring: 'pilot', soakMinutes: 60, successThreshold: 1, healthChecks: ['nginx'] },
  { ring: 'prod', soakMinutes: 0, successThreshold: 0.9, healthChecks: [] },
];

describe('a deployment walks test -> pilot -> prod inside its windows', () => {
  it('waits for its windows, an approver who is not the creator, and the gate of each ring; a failed verify rolls back and halts it', async () => {
    clockAt = Date.parse('2026-11-27T10:00:00.000Z');
    const { admin, approver, hosts } = await fleet('staged');
    const created = await api<Deployment>('POST', '/v1/deployments', 201, {
      token: admin,
      json: { target: { kind: 'advisories', ids: ['DSA-3029-1'] }, plan },
    });
    expect(created.status).toBe('draft');
    expect(created.advisories).toEqual(['DSA-3029-1']);
    expect(created.rings.map((r) => [r.ring, r.status, r.hosts])).toEqual([
      ['test', 'pending', 1],
      ['pilot', 'pending', 2],
      ['prod', 'pending', 1],
    ]);
    // 02:00 in Berlin on Saturday 28 November is 01:00 UTC (CET, +1).
    expect(created.rings[0]?.nextOpening).toEqual({
      start: '2026-11-28T01:00:00.000Z',
      end: '2026-11-28T04:00:00.000Z',
    });

    const id = created.id;
    // Approval comes only after submission, and never from the creator when prod is in the plan.
    await api('POST', `/v1/deployments/${id}/approve`, 409, { token: approver, json: {} });
    await api('POST', `/v1/deployments/${id}/submit`, 200, { token: admin, json: {} });
    const selfApproval = await api<{ error: { message: string } }>('POST', `/v1/deployments/${id}/approve`, 403, {
      token: admin,
      json: {},
    });
    expect(selfApproval.error.message).toMatch(/another approver/);
    const approved = await api<Deployment>('POST', `/v1/deployments/${id}/approve`, 200, {
      token: approver,
      json: { note: 'CAB 2026-47' },
    });
    expect(approved.status).toBe('running');
    expect(approved.rings.map((r) => r.status)).toEqual(['running', 'pending', 'pending']);
    const scheduled = await api<{ items: { status: string }[] }>('GET', '/v1/findings?advisory=DSA-3029-1', 200, {
      token: admin,
    });
    expect(scheduled.items.map((f) => f.status)).toEqual(['scheduled', 'scheduled', 'scheduled', 'scheduled']);

    // Friday 10:00 UTC: outside every window, nothing is handed out.
    expect(await runAgent(hosts['test-01'])).toBeNull();
    // Saturday 01:30 UTC = 02:30 in Berlin: the test host patches.
    clockAt = Date.parse('2026-11-28T01:30:00.000Z');
    expect(await runAgent(hosts['pilot-01'])).toBeNull(); // its ring has not started
    const testRun = await runAgent(hosts['test-01']);
    expect(testRun?.result).toBe('succeeded');
    expect(hosts['test-01'].packages.get('nginx-full')).toBe(FIXED);
    expect(hosts['test-01'].ran).toContain(
      `apt-get install -y --only-upgrade -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold nginx-common=${FIXED} nginx-full=${FIXED}`,
    );
    let state = await api<Deployment>('GET', `/v1/deployments/${id}`, 200, { token: admin });
    expect(state.rings[0]?.status).toBe('soaking');

    // The soak (24 h) ends on Sunday 01:30 UTC; the test ring's gate passes (its report shows the fix).
    clockAt = Date.parse('2026-11-29T01:31:00.000Z');
    await advanceAll(env.DB, clock());
    state = await api<Deployment>('GET', `/v1/deployments/${id}`, 200, { token: admin });
    expect(state.rings.map((r) => r.status)).toEqual(['passed', 'running', 'pending']);
    expect(state.rings[0]?.gate?.passed).toBe(true);
    // Sunday is no window: pilot waits for the next Saturday.
    expect(await runAgent(hosts['pilot-01'])).toBeNull();
    expect(state.rings[1]?.nextOpening?.start).toBe('2026-12-05T01:00:00.000Z');

    clockAt = Date.parse('2026-12-05T02:00:00.000Z');
    hosts['pilot-02'].failing.add('nginx');
    expect((await runAgent(hosts['pilot-01']))?.result).toBe('succeeded');
    const failed = await runAgent(hosts['pilot-02']);
    expect(failed?.result).toBe('rolled_back');
    expect(hosts['pilot-02'].ran).toContain(
      `apt-get install -y --allow-downgrades -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold nginx-common=${OLD} nginx-full=${OLD}`,
    );
    expect(hosts['pilot-02'].packages.get('nginx-full')).toBe(OLD);

    state = await api<Deployment>('GET', `/v1/deployments/${id}`, 200, { token: admin });
    expect(state.status).toBe('halted');
    expect(state.rings.map((r) => r.status)).toEqual(['passed', 'failed', 'cancelled']);
    expect(state.haltReason).toMatch(/ring pilot failed/);
    // prod never got a job.
    expect(state.jobs?.some((j) => j.hostname === 'prod-01')).toBe(false);
    expect(await runAgent(hosts['prod-01'])).toBeNull();

    const events = await api<{ items: { kind: string; subject: string; summary: string }[] }>(
      'GET',
      '/v1/events',
      200,
      {
        token: admin,
      },
    );
    expect(events.items.filter((e) => e.subject === `deployment:${id}`).map((e) => e.kind)).toEqual([
      'approval.waiting',
      'ring.failed',
    ]);
    // Findings not fixed are open again; those fixed are resolved by the reports.
    const findings = await api<{ items: { hostname: string; status: string }[] }>(
      'GET',
      '/v1/findings?advisory=DSA-3029-1',
      200,
      { token: admin },
    );
    expect(Object.fromEntries(findings.items.map((f) => [f.hostname, f.status]))).toEqual({
      'test-01': 'resolved',
      'pilot-01': 'resolved',
      'pilot-02': 'open',
      'prod-01': 'open',
    });

    // The runbook names every command that ran, and the approval.
    const runbook = await api<string>('GET', `/v1/deployments/${id}/runbook`, 200, { token: admin });
    for (const host of Object.values(hosts)) {
      for (const argv of host.argvs) expect(runbook).toContain(shellQuote(argv));
    }
    expect(runbook).toContain('DSA-3029-1');
    expect(runbook).toContain('CAB 2026-47');

    const audit = await api<{ items: { action: string }[] }>('GET', '/v1/audit?limit=500', 200, { token: admin });
    const actions = new Set(audit.items.map((a) => a.action));
    for (const action of [
      'deployment.create',
      'deployment.submit',
      'deployment.approve',
      'deployment.start',
      'ring.start',
      'job.claim',
      'job.step',
      'job.finish',
      'ring.soak',
      'ring.pass',
      'ring.fail',
      'deployment.halt',
    ]) {
      expect(actions, action).toContain(action);
    }
  });

  it('opens a window at the right instant across the change to summer time', async () => {
    // Europe/Berlin moves from 02:00 CET to 03:00 CEST on Sunday 28 March 2027: a 02:30 opening does not exist that night and starts at 03:00 CEST = 01:00 UTC.
    clockAt = Date.parse('2027-03-27T12:00:00.000Z');
    const tenant = await newTenant('dst');
    const admin = tenant.adminToken;
    const approver = await newToken(admin, 'approver');
    await api('POST', '/v1/advisories/import', 200, { token: admin, json: JSON.parse(dsaNginx) });
    await api('POST', '/v1/windows', 201, {
      token: admin,
      json: {
        name: 'sunday early',
        rule: 'Sun 02:30-05:00',
        timeZone: 'Europe/Berlin',
        appliesTo: { kind: 'ring', value: 'test' },
      },
    });
    await api('PUT', '/v1/hosts/lab-01', 200, {
      token: admin,
      json: { os: { family: 'debian', release: '7' }, ring: 'test' },
    });
    const host: Host = {
      hostname: 'lab-01',
      agent: await newToken(admin, 'agent', 'lab-01'),
      packages: new Map([['nginx-full', OLD]]),
      failing: new Set(),
      ran: [],
      argvs: [],
    };
    await report(host);
    const created = await api<Deployment>('POST', '/v1/deployments', 201, {
      token: admin,
      json: {
        target: { kind: 'advisories', ids: ['CVE-2014-3616'] },
        plan: [{ ring: 'test', soakMinutes: 0, successThreshold: 1 }],
        submit: true,
      },
    });
    expect(created.rings[0]?.nextOpening).toEqual({
      start: '2027-03-28T01:00:00.000Z',
      end: '2027-03-28T03:00:00.000Z',
    });
    // Without prod in the plan, the creator may approve (four eyes guard production).
    await api('POST', `/v1/deployments/${created.id}/approve`, 200, { token: admin, json: {} });
    clockAt = Date.parse('2027-03-28T00:59:00.000Z');
    expect(await runAgent(host)).toBeNull();
    clockAt = Date.parse('2027-03-28T01:00:00.000Z');
    expect((await runAgent(host))?.result).toBe('succeeded');
    const done = await api<Deployment>('GET', `/v1/deployments/${created.id}`, 200, { token: admin });
    expect(done.status).toBe('completed');
    void approver;
  });
});

describe('the gate', () => {
  it("wants a software report showing the fix, not the agent's word", async () => {
    clockAt = Date.parse('2026-11-28T02:00:00.000Z');
    const { admin, approver, hosts } = await fleet('gate-evidence');
    const created = await api<Deployment>('POST', '/v1/deployments', 201, {
      token: admin,
      json: {
        target: { kind: 'advisories', ids: ['DSA-3029-1'] },
        hosts: { kind: 'rings', values: ['test'] },
        plan: [{ ring: 'test', soakMinutes: 10, successThreshold: 1 }],
        submit: true,
      },
    });
    await api('POST', `/v1/deployments/${created.id}/approve`, 200, { token: approver, json: {} });
    hosts['test-01'].silent = true;
    expect((await runAgent(hosts['test-01']))?.result).toBe('succeeded');
    clockAt += 11 * 60_000;
    await advanceAll(env.DB, clock());
    const state = await api<Deployment>('GET', `/v1/deployments/${created.id}`, 200, { token: admin });
    expect(state.status).toBe('halted');
    expect(state.rings[0]?.gate?.reasons).toEqual([
      'no software report showing the fixed versions since the install from test-01',
    ]);
  });
});

describe('claims', () => {
  it('hands each job to exactly one of many agents polling at once', async () => {
    clockAt = Date.parse('2026-11-28T02:00:00.000Z'); // inside the Saturday window
    const tenant = await newTenant('claims');
    const admin = tenant.adminToken;
    const approver = await newToken(admin, 'approver');
    await api('POST', '/v1/advisories/import', 200, { token: admin, json: JSON.parse(dsaNginx) });
    await api('POST', '/v1/windows', 201, {
      token: admin,
      json: { name: 'always', rule: 'daily 00:00-23:59', timeZone: 'UTC', appliesTo: { kind: 'all' } },
    });
    const agents: string[] = [];
    for (let i = 0; i < 50; i++) {
      const hostname = `web-${String(i).padStart(2, '0')}`;
      await api('PUT', `/v1/hosts/${hostname}`, 200, {
        token: admin,
        json: { os: { family: 'debian', release: '7' }, ring: 'test' },
      });
      const agent = await newToken(admin, 'agent', hostname);
      await api('PUT', `/v1/hosts/${hostname}/software`, 200, {
        token: agent,
        body: `nginx-full\t${OLD}\tamd64\tnginx\t${OLD}\n`,
        contentType: 'text/x-dpkg-query',
      });
      agents.push(agent);
    }
    const created = await api<Deployment>('POST', '/v1/deployments', 201, {
      token: admin,
      json: {
        target: { kind: 'advisories', ids: ['DSA-3029-1'] },
        plan: [{ ring: 'test', soakMinutes: 0, successThreshold: 1 }],
        submit: true,
      },
    });
    await api('POST', `/v1/deployments/${created.id}/approve`, 200, { token: approver, json: {} });

    // Every agent polls three times at once: 150 concurrent claims for 50 jobs.
    const polls = await Promise.all(
      agents.flatMap((agent) => [0, 1, 2].map(() => request('GET', '/v1/agent/jobs', { token: agent }))),
    );
    const claimed = await Promise.all(
      polls.filter((r) => r.status === 200).map((r) => r.json() as Promise<Instruction>),
    );
    expect(polls.filter((r) => r.status === 204)).toHaveLength(100);
    expect(claimed).toHaveLength(50);
    expect(new Set(claimed.map((c) => c.job)).size).toBe(50);
    const detail = await api<Deployment>('GET', `/v1/deployments/${created.id}`, 200, { token: admin });
    expect(detail.jobs?.every((j) => j.claims === 1 && j.status === 'claimed')).toBe(true);

    // A report with another job's lease changes nothing; the right lease goes on.
    const [first, second] = claimed;
    if (!first || !second) throw new Error('two claims expected');
    const stolen = await request('POST', `/v1/agent/jobs/${first.job}/events`, {
      token: agents[0],
      json: { lease: second.lease, step: 'backup', results: [] },
    });
    expect([404, 409]).toContain(stolen.status);

    // A lease that expires without a report makes the job claimable again, once.
    clockAt += 31 * 60_000;
    const again = await Promise.all(
      agents
        .slice(0, 5)
        .flatMap((agent) => [
          request('GET', '/v1/agent/jobs', { token: agent }),
          request('GET', '/v1/agent/jobs', { token: agent }),
        ]),
    );
    expect(again.filter((r) => r.status === 200)).toHaveLength(5);
  });
});

describe('the sh agent forms', () => {
  it('answers instructions as tab-separated text and takes multipart step reports', async () => {
    clockAt = Date.parse('2026-11-28T02:00:00.000Z');
    const { admin, approver, hosts } = await fleet('text-form');
    const created = await api<Deployment>('POST', '/v1/deployments', 201, {
      token: admin,
      json: {
        target: { kind: 'advisories', ids: ['DSA-3029-1'] },
        hosts: { kind: 'hostnames', values: ['test-01'] },
        plan: [{ ring: 'test', soakMinutes: 0, successThreshold: 1 }],
        submit: true,
      },
    });
    await api('POST', `/v1/deployments/${created.id}/approve`, 200, { token: approver, json: {} });
    // The test ring's hosts take an LVM snapshot before installing; hostile targets are refused.
    await api('POST', '/v1/snapshot-hooks', 201, {
      token: admin,
      json: { name: 'root volume', kind: 'lvm', target: 'vg0/root', appliesTo: { kind: 'ring', value: 'test' } },
    });
    await api('POST', '/v1/snapshot-hooks', 400, {
      token: admin,
      json: { name: 'x', kind: 'lvm', target: 'vg0/root; reboot' },
    });
    await api('POST', '/v1/snapshot-hooks', 400, {
      token: admin,
      json: { name: 'y', kind: 'command', target: 'snap {job}' },
    });
    await api('POST', '/v1/snapshot-hooks', 409, {
      token: admin,
      json: { name: 'root volume', kind: 'zfs', target: 'rpool/ROOT' },
    });
    const host = hosts['test-01'];
    const text = await api<string>('GET', '/v1/agent/jobs', 200, { token: host.agent, accept: 'text/plain' });
    const lines = text
      .trimEnd()
      .split('\n')
      .map((l) => l.split('\t'));
    expect(lines[0]).toEqual(['job', expect.stringMatching(/^\d+$/)]);
    expect(lines[2]).toEqual(['step', 'backup']);
    expect(lines[3]).toEqual([
      'probe',
      'dpkg-query',
      '-W',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own field syntax.
      '-f=${Package} ${Version}\\n',
      'nginx-common',
      'nginx-full',
    ]);
    expect(lines[4]).toEqual([
      'run',
      'lvcreate',
      '--snapshot',
      '--name',
      `pb-job-${lines[0]?.[1]}`,
      '--extents',
      '20%ORIGIN',
      'vg0/root',
    ]);
    const job = lines[0]?.[1];
    const lease = lines[1]?.[1] ?? '';
    const form = new FormData();
    form.set('lease', lease);
    form.set('step', 'backup');
    form.set('exit.0', '0');
    form.set('output.0', new Blob([`nginx-common ${OLD}\nnginx-full ${OLD}\n\xff`]), 'output.0');
    form.set('exit.1', '0');
    form.set('output.1', '  Logical volume "pb-job" created.');
    form.set('log', 'backup ran');
    const next = await api<string>('POST', `/v1/agent/jobs/${job}/events`, 200, {
      token: host.agent,
      body: form,
      accept: 'text/plain',
    });
    expect(next).toContain('step\tinstall\n');
    expect(next).toContain(`run\tapt-get\tinstall\t-y\t--only-upgrade`);
    // The same report again: the step is no longer current.
    await api('POST', `/v1/agent/jobs/${job}/events`, 409, { token: host.agent, body: form });
    const garbled = new FormData();
    garbled.set('lease', lease);
    garbled.set('step', 'install');
    garbled.set('exit.0', 'zero');
    await api('POST', `/v1/agent/jobs/${job}/events`, 400, { token: host.agent, body: garbled });
  });
});

describe('deployment requests', () => {
  it('refuses what it cannot deploy with the reason, and writes nothing', async () => {
    clockAt = Date.parse('2026-11-27T10:00:00.000Z');
    const { admin, tenant } = await fleet('refusals');
    const before = await env.DB.prepare('SELECT count(*) AS n FROM deployments WHERE tenant_id = ?1')
      .bind(tenant.id)
      .first<{ n: number }>();
    const unknown = await api<{ error: { message: string } }>('POST', '/v1/deployments', 400, {
      token: admin,
      json: { target: { kind: 'advisories', ids: ['DSA-9999-1'] } },
    });
    expect(unknown.error.message).toMatch(/DSA-9999-1/);
    const lacking = await api<{ error: { message: string } }>('POST', '/v1/deployments', 400, {
      token: admin,
      json: {
        target: { kind: 'advisories', ids: ['DSA-3029-1'] },
        plan: [{ ring: 'test', soakMinutes: 0, successThreshold: 1 }],
      },
    });
    expect(lacking.error.message).toMatch(
      /rings the plan lacks: pilot-01 \(pilot\), pilot-02 \(pilot\), prod-01 \(prod\)/,
    );
    await api('POST', '/v1/deployments', 400, {
      token: admin,
      json: { target: { kind: 'packages', packages: [{ name: 'nginx-full; rm -rf /', version: '1' }] } },
    });
    await api('POST', '/v1/deployments', 400, {
      token: admin,
      json: {
        target: { kind: 'advisories', ids: ['DSA-3029-1'] },
        plan: [{ ring: 'test', soakMinutes: -1, successThreshold: 2 }],
      },
    });
    const viewer = await newToken(admin, 'viewer');
    await api('POST', '/v1/deployments', 403, {
      token: viewer,
      json: { target: { kind: 'advisories', ids: ['DSA-3029-1'] } },
    });
    const after = await env.DB.prepare('SELECT count(*) AS n FROM deployments WHERE tenant_id = ?1')
      .bind(tenant.id)
      .first<{ n: number }>();
    expect(after?.n).toBe(before?.n);
  });

  it('schedules in one click with the default plan, and undoes it by cancelling', async () => {
    clockAt = Date.parse('2026-11-27T10:00:00.000Z');
    const { admin, approver } = await fleet('one-click');
    const scheduled = await api<Deployment>('POST', '/v1/deployments/schedule', 201, {
      token: admin,
      json: { ids: ['CVE-2014-3616'] },
    });
    expect(scheduled.status).toBe('awaiting_approval');
    expect(scheduled.rings.map((r) => r.ring)).toEqual(['test', 'pilot', 'prod']);
    expect(scheduled.rings.every((r) => r.nextOpening?.start === '2026-11-28T01:00:00.000Z')).toBe(true);
    // The extension's lookup names it as the next deployment of the CVE.
    const lookup = await api<{ items: { nextDeployment: unknown }[] }>('GET', '/v1/lookup?ids=CVE-2014-3616', 200, {
      token: admin,
    });
    expect(lookup.items[0]?.nextDeployment).toEqual({
      id: scheduled.id,
      title: 'Patch DSA-3029-1',
      status: 'awaiting_approval',
      ring: 'test',
    });
    // Two approvers at once: one approves, the other learns it changed.
    const second = await newToken(admin, 'approver');
    const results = await Promise.all([
      request('POST', `/v1/deployments/${scheduled.id}/approve`, { token: approver, json: {} }),
      request('POST', `/v1/deployments/${scheduled.id}/reject`, { token: second, json: { note: 'not this week' } }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const cancelled = await api<Deployment>('POST', `/v1/deployments/${scheduled.id}/cancel`, 200, {
      token: admin,
      json: { note: 'undo' },
    });
    expect(cancelled.status).toBe('cancelled');
    const findings = await api<{ items: { status: string }[] }>('GET', '/v1/findings?advisory=DSA-3029-1', 200, {
      token: admin,
    });
    expect(findings.items.every((f) => f.status === 'open')).toBe(true);
    await api('POST', `/v1/deployments/${scheduled.id}/cancel`, 409, { token: admin, json: {} });
  });

  it('keeps deployments to their tenant', async () => {
    clockAt = Date.parse('2026-11-27T10:00:00.000Z');
    const one = await fleet('isolation-a');
    const other = await newTenant('isolation-b');
    const created = await api<Deployment>('POST', '/v1/deployments', 201, {
      token: one.admin,
      json: { target: { kind: 'advisories', ids: ['DSA-3029-1'] } },
    });
    await api('GET', `/v1/deployments/${created.id}`, 404, { token: other.adminToken });
    await api('GET', `/v1/deployments/${created.id}/runbook`, 404, { token: other.adminToken });
    await api('POST', `/v1/deployments/${created.id}/cancel`, 404, { token: other.adminToken, json: {} });
    const list = await api<{ items: unknown[] }>('GET', '/v1/deployments', 200, { token: other.adminToken });
    expect(list.items).toEqual([]);
  });
});

describe('enrolment', () => {
  it('gives a host its own agent token once per use, and re-enrolling rotates it', async () => {
    clockAt = Date.parse('2026-11-27T10:00:00.000Z');
    const tenant = await newTenant('enrol');
    const admin = tenant.adminToken;
    const made = await api<{ token: string; prefix: string; usesLeft: number }>('POST', '/v1/enrolment-tokens', 201, {
      token: admin,
      json: { ring: 'pilot', tags: ['web'], uses: 2, label: 'web servers' },
    });
    expect(made.token).toMatch(/^pbe_/);
    const stored = await env.DB.prepare('SELECT token_hash FROM enrolment_tokens WHERE prefix = ?1')
      .bind(made.prefix)
      .first<{ token_hash: string }>();
    expect(stored?.token_hash).not.toContain(made.token.slice(12));

    const enrol = (hostname: string, token = made.token) =>
      request('POST', '/v1/agent/enrol', { token, json: { hostname, osFamily: 'debian', osRelease: '12.5' } });
    const first = (await (await enrol('web-01')).json()) as { token: string };
    const host = await api<{ ring: string; tags: string[] }>('GET', '/v1/hosts/web-01', 200, { token: first.token });
    expect(host.ring).toBe('pilot');
    expect(host.tags).toEqual(['web']);
    const again = (await (await enrol('web-01')).json()) as { token: string };
    await api('GET', '/v1/hosts/web-01', 401, { token: first.token });
    await api('GET', '/v1/hosts/web-01', 200, { token: again.token });
    // Two uses are spent: the third is refused, and writes nothing.
    expect((await enrol('web-02')).status).toBe(401);
    await api('GET', '/v1/hosts/web-02', 404, { token: admin });
    expect((await enrol('web-03', `${made.token.slice(0, -1)}x`)).status).toBe(401);
    const badOs = await request('POST', '/v1/agent/enrol', {
      token: (await api<{ token: string }>('POST', '/v1/enrolment-tokens', 201, { token: admin, json: {} })).token,
      json: { hostname: 'x-01', osFamily: 'plan9', osRelease: '4' },
    });
    expect(badOs.status).toBe(400);
    const list = await api<{ items: { prefix: string; usesLeft: number }[] }>('GET', '/v1/enrolment-tokens', 200, {
      token: admin,
    });
    expect(list.items.find((t) => t.prefix === made.prefix)?.usesLeft).toBe(0);
    expect(JSON.stringify(list)).not.toContain(made.token);
  });
});
