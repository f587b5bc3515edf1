// @ts-check
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: dpkg-query's own format strings, not templates
/**
 * End to end: the real worker (the production bundle, built as `wrangler deploy` builds it, in
 * workerd through Miniflare, on a free port, with a fresh D1 and the migrations applied) and four
 * sh agents that enrol, report, and patch openssl through the package-manager shims of ./shims.
 *
 * A tenant with an approver, a maintenance window open at all times, and two enrolment tokens
 * (ring test, ring pilot); two hosts per ring, each with openssl and libssl3 3.0.11-1~deb12u2; the
 * Debian tracker's real entry for CVE-2024-0727 (fixed in 3.0.13-1~deb12u1). A deployment of the
 * fix over test -> pilot with an nginx health check. In test everything passes; in pilot nginx is
 * down on one host, so its verify fails, the agent rolls openssl back, the ring fails its gate and
 * the deployment halts. Rounds of `run` stand in for the agents' timers.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shellQuote } from '../../worker/src/deploy/commands/quote.ts';
import { makeHost, runAgent } from './helpers.mjs';

const root = path.resolve(import.meta.dirname, '../..');
const ROOT_TOKEN = 'agent-e2e-root-token-0123456789';
const OLD = '3.0.11-1~deb12u2';
const FIXED = '3.0.13-1~deb12u1';
/** The Debian security tracker's entry for CVE-2024-0727 in openssl, bookworm (as in worker/dev/demo/feeds). */
const TRACKER = {
  openssl: {
    'CVE-2024-0727': {
      description: 'PKCS12 Decoding crashes',
      scope: 'local',
      releases: {
        bookworm: {
          status: 'resolved',
          repositories: { bookworm: '3.0.15-1~deb12u1' },
          fixed_version: FIXED,
          urgency: 'not yet assigned',
        },
      },
    },
  },
};
const PACKAGES = [`openssl ${OLD}`, `libssl3 ${OLD} openssl`, 'nginx 1.22.1-9'];
/** The agent's own software report runs this; it is no job command. */
const INVENTORY_QUERY = '-f=${Package}\\t${Version}\\t${Architecture}\\t${source:Package}\\t${source:Version}\\n';

/** @param {string} text */
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const outdir = mkdtempSync(path.join(tmpdir(), 'patchboard-agent-e2e-'));
/** @type {Miniflare} */
let mf;
let baseUrl = '';

/**
 * One API call as JSON.
 * @param {string} method
 * @param {string} url
 * @param {string} token
 * @param {unknown} [body]
 * @returns {Promise<{ status: number, body: any, text: string }>}
 */
async function api(method, url, token, body) {
  const res = await fetch(`${baseUrl}${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Markdown, or empty
  }
  return { status: res.status, body: parsed, text };
}

/**
 * @param {{ status: number, text: string }} res
 * @param {number} status
 */
function expectStatus(res, status) {
  expect(res.status, res.text).toBe(status);
}

beforeAll(async () => {
  execFileSync(path.join(root, 'node_modules/.bin/wrangler'), ['deploy', '--dry-run', '--outdir', outdir], {
    cwd: root,
    env: {
      ...process.env,
      WRANGLER_SEND_METRICS: 'false',
      CLOUDFLARE_CF_FETCH_ENABLED: 'false',
      WRANGLER_HIDE_BANNER: 'true',
    },
    stdio: 'pipe',
  });
  const script = readdirSync(outdir).find((name) => name.endsWith('.js'));
  if (!script) throw new Error(`no bundle in ${outdir}`);
  mf = new Miniflare({
    host: '127.0.0.1',
    port: 0,
    modulesRoot: outdir,
    modules: [{ type: 'ESModule', path: path.join(outdir, script) }],
    compatibilityDate: '2026-04-20',
    d1Databases: { DB: 'agent-e2e' },
    bindings: { PATCHBOARD_ROOT_TOKEN: ROOT_TOKEN },
    // Nothing reaches the internet: the feeds the cron runs find every source down.
    outboundService: () => new Response('offline test', { status: 503 }),
  });
  const url = await mf.ready;
  baseUrl = url.origin;
  const db = await mf.getD1Database('DB');
  for (const migration of await readD1Migrations(path.join(root, 'worker/migrations'))) {
    for (const query of migration.queries) await db.prepare(query).run();
  }
}, 120_000);

afterAll(async () => {
  await mf?.dispose();
  rmSync(outdir, { recursive: true, force: true });
});

/** The scheduled work, as the cron trigger runs it (ring promotion, among others). */
async function cron() {
  const worker = await mf.getWorker();
  await worker.scheduled({ cron: '*/10 * * * *' });
}

describe('the sh agent against the real worker', () => {
  it('patches the test ring, rolls back a failed verify in pilot, and halts the deployment', async () => {
    // A tenant, its approver, a window open at all times, an enrolment token per ring.
    const tenant = await api('POST', '/v1/tenants', ROOT_TOKEN, { name: 'agent-e2e' });
    expectStatus(tenant, 201);
    const admin = tenant.body.adminToken;
    const approverToken = await api('POST', '/v1/tokens', admin, { role: 'approver', label: 'e2e approver' });
    expectStatus(approverToken, 201);
    const approver = approverToken.body.token;
    expectStatus(
      await api('POST', '/v1/windows', admin, { name: 'always', rule: 'daily 00:00-24:00', timeZone: 'UTC' }),
      201,
    );
    /** @type {Record<string, string>} */
    const enrolment = {};
    for (const ring of ['test', 'pilot']) {
      const made = await api('POST', '/v1/enrolment-tokens', admin, { ring, label: `e2e ${ring}`, uses: 2 });
      expectStatus(made, 201);
      enrolment[ring] = made.body.token;
    }

    // Four hosts enrol (and send their first software report) with the sh agent.
    const hosts = {
      'test-01': makeHost({ packages: PACKAGES }),
      'test-02': makeHost({ packages: PACKAGES }),
      'pilot-01': makeHost({ packages: PACKAGES }),
      'pilot-02': makeHost({ packages: PACKAGES }),
    };
    /** @type {Record<string, Record<string, string>>} */
    const envs = {
      'test-01': hosts['test-01'].env,
      'test-02': hosts['test-02'].env,
      'pilot-01': hosts['pilot-01'].env,
      // nginx is down on this one: its verify fails.
      'pilot-02': { ...hosts['pilot-02'].env, SHIM_FAILING_SERVICES: 'nginx' },
    };
    try {
      for (const [hostname, env] of Object.entries(envs)) {
        const ring = hostname.split('-')[0] ?? '';
        const enrolled = await runAgent(['enrol', baseUrl, enrolment[ring] ?? '', hostname], env);
        expect(enrolled.code, enrolled.stderr).toBe(0);
        expect(enrolled.stderr).toContain('software report sent');
      }
      const listed = await api('GET', '/v1/hosts', admin);
      expect(Object.fromEntries(listed.body.items.map((/** @type {any} */ h) => [h.hostname, h.ring]))).toEqual({
        'test-01': 'test',
        'test-02': 'test',
        'pilot-01': 'pilot',
        'pilot-02': 'pilot',
      });

      // The Debian tracker's fix for CVE-2024-0727 opens a finding on each host.
      const imported = await api('POST', '/v1/advisories/import', admin, TRACKER);
      expectStatus(imported, 200);
      const findings = await api('GET', '/v1/findings?cve=CVE-2024-0727', admin);
      expect(new Set(findings.body.items.map((/** @type {any} */ f) => f.hostname))).toEqual(
        new Set(Object.keys(hosts)),
      );

      // The deployment: test then pilot, no soak, all must pass, nginx must stay up.
      const ringPlan = (/** @type {string} */ ring) => ({
        ring,
        soakMinutes: 0,
        successThreshold: 1,
        healthChecks: ['nginx'],
      });
      const created = await api('POST', '/v1/deployments', admin, {
        title: 'openssl CVE-2024-0727',
        target: { kind: 'advisories', ids: ['CVE-2024-0727'] },
        plan: [ringPlan('test'), ringPlan('pilot')],
        submit: true,
      });
      expectStatus(created, 201);
      const id = created.body.id;
      expect(created.body.status).toBe('awaiting_approval');
      const approved = await api('POST', `/v1/deployments/${id}/approve`, approver, { note: 'e2e' });
      expectStatus(approved, 200);

      // Rounds of the agents' timers. In the first, test-01's agent runs twice at once (a timer
      // and a manual run): the job is handed out once.
      const run = async (/** @type {string} */ hostname) => {
        const result = await runAgent(['run'], envs[hostname] ?? {});
        expect(result.code, `${hostname}: ${result.stderr}`).toBe(0);
        return result;
      };
      await Promise.all([run('test-01'), run('test-01'), run('test-02')]);
      /** @type {any} */
      let deployment = null;
      for (let round = 0; round < 6; round++) {
        await cron();
        deployment = (await api('GET', `/v1/deployments/${id}`, admin)).body;
        if (['completed', 'halted', 'rolled_back'].includes(deployment.status)) break;
        await Promise.all(Object.keys(envs).map(run));
      }

      // The test ring: backup, install of the fixed versions, verify; it passed.
      for (const hostname of ['test-01', 'test-02']) {
        const host = hosts[/** @type {'test-01' | 'test-02'} */ (hostname)];
        const calls = host.calls().map((argv) => argv.join(' '));
        expect(calls).toContain(`dpkg-query -W -f=\${Package} \${Version}\\n libssl3 openssl`);
        expect(calls).toContainEqual(
          expect.stringMatching(new RegExp(`^apt-get install .*openssl=${escapeRegExp(FIXED)}`)),
        );
        expect(calls).toContain('systemctl is-active --quiet nginx');
        expect(host.packages()).toMatchObject({ openssl: FIXED, libssl3: FIXED });
        expect(calls.filter((c) => c.startsWith('apt-get install'))).toHaveLength(1);
      }
      const testRing = deployment.rings.find((/** @type {any} */ r) => r.ring === 'test');
      expect(testRing.status).toBe('passed');
      // Two agents of test-01 polled at once: its job was claimed once.
      const jobs = deployment.jobs.filter((/** @type {any} */ j) => j.hostname === 'test-01' && j.kind === 'patch');
      expect(jobs.map((/** @type {any} */ j) => j.claims)).toEqual([1]);

      // Pilot: pilot-02's verify failed, its agent rolled back to the recorded versions.
      const pilot02 = hosts['pilot-02'].calls().map((argv) => argv.join(' '));
      expect(pilot02).toContainEqual(
        expect.stringMatching(new RegExp(`^apt-get install -y --allow-downgrades .*openssl=${escapeRegExp(OLD)}`)),
      );
      expect(hosts['pilot-02'].packages()).toMatchObject({ openssl: OLD, libssl3: OLD });
      expect(deployment.jobs.find((/** @type {any} */ j) => j.hostname === 'pilot-02')).toMatchObject({
        status: 'rolled_back',
      });
      expect(deployment.rings.find((/** @type {any} */ r) => r.ring === 'pilot').status).toBe('failed');
      expect(deployment.status).toBe('halted');

      const events = await api('GET', '/v1/events', admin);
      expect(events.body.items).toContainEqual(
        expect.objectContaining({
          kind: 'ring.failed',
          subject: `deployment:${id}`,
          payload: expect.objectContaining({ deployment: id, ring: 'pilot' }),
        }),
      );

      // The runbook names every command the agents ran for the deployment.
      const runbook = await api('GET', `/v1/deployments/${id}/runbook`, admin);
      expectStatus(runbook, 200);
      const commands = new Set(
        Object.values(hosts)
          .flatMap((host) => host.calls())
          .filter((argv) => argv[2] !== INVENTORY_QUERY)
          .map((argv) => shellQuote(argv)),
      );
      expect(commands.size).toBeGreaterThanOrEqual(6);
      for (const command of commands) expect(runbook.text).toContain(command);
    } finally {
      for (const host of Object.values(hosts)) host.remove();
    }
  }, 120_000);

  const debian = ['apt-get', 'dpkg', 'dpkg-deb', 'dpkg-query'].every(
    (tool) => spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0,
  );
  it.skipIf(!debian)(
    'upgrades a real package with apt-get and dpkg in a throwaway root (needs a Debian machine)',
    async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'patchboard-agent-real-'));
      try {
        const { env, root } = throwawayDebianRoot(dir);
        const tenant = await api('POST', '/v1/tenants', ROOT_TOKEN, { name: 'agent-e2e-real' });
        expectStatus(tenant, 201);
        const admin = tenant.body.adminToken;
        expectStatus(
          await api('POST', '/v1/windows', admin, { name: 'always', rule: 'daily 00:00-24:00', timeZone: 'UTC' }),
          201,
        );
        const enrolment = await api('POST', '/v1/enrolment-tokens', admin, { ring: 'test', uses: 1 });
        expectStatus(enrolment, 201);
        const enrolled = await runAgent(['enrol', baseUrl, enrolment.body.token, 'real-01'], env);
        expect(enrolled.code, enrolled.stderr).toBe(0);

        const advisory = {
          id: 'DSA-9999-1',
          modified: '2026-01-01T00:00:00Z',
          summary: 'test advisory for the throwaway package',
          affected: [
            {
              package: { ecosystem: 'Debian:12', name: 'pb-e2e-demo' },
              ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.0-2' }] }],
            },
          ],
        };
        expectStatus(await api('POST', '/v1/advisories/import', admin, advisory), 200);
        const created = await api('POST', '/v1/deployments', admin, {
          target: { kind: 'advisories', ids: ['DSA-9999-1'] },
          plan: [{ ring: 'test', soakMinutes: 0, successThreshold: 1, healthChecks: [] }],
          submit: true,
        });
        expectStatus(created, 201);
        const id = created.body.id;
        expectStatus(await api('POST', `/v1/deployments/${id}/approve`, admin, {}), 200);

        /** @type {any} */
        let deployment = null;
        for (let round = 0; round < 4; round++) {
          const run = await runAgent(['run'], env);
          expect(run.code, run.stderr).toBe(0);
          await cron();
          deployment = (await api('GET', `/v1/deployments/${id}`, admin)).body;
          if (deployment.status !== 'running') break;
        }
        expect(deployment.status).toBe('completed');
        expect(execFileSync('dpkg-query', ['-W', '-f=${Version}', 'pb-e2e-demo'], { env, encoding: 'utf8' })).toBe(
          '1.0-2',
        );
        expect(readFileSync(path.join(root, 'usr/share/pb-e2e-demo/version'), 'utf8')).toBe('1.0-2\n');
        // The software report after the install resolved the finding: the server's own evidence.
        const findings = await api('GET', '/v1/findings?advisory=DSA-9999-1', admin);
        expect(findings.body.items.map((/** @type {any} */ f) => f.status)).toEqual(['resolved']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});

/**
 * A Debian root in `dir` with pb-e2e-demo 1.0-1 installed and 1.0-2 in a local repository, and
 * the environment under which the real apt-get and dpkg-query work on it (APT_CONFIG,
 * DPKG_ADMINDIR) and the agent keeps its files there. Built offline with dpkg-deb.
 * @param {string} dir
 */
function throwawayDebianRoot(dir) {
  const root = path.join(dir, 'root');
  const repo = path.join(dir, 'repo');
  for (const sub of [
    'var/lib/dpkg/updates',
    'var/lib/dpkg/info',
    'var/lib/apt/lists/partial',
    'var/cache/apt/archives/partial',
    'etc/apt/apt.conf.d',
    'etc/apt/preferences.d',
    'etc/apt/sources.list.d',
    'var/log/apt',
    'etc/patchboard',
  ]) {
    mkdirSync(path.join(root, sub), { recursive: true });
  }
  mkdirSync(repo);
  writeFileSync(path.join(root, 'var/lib/dpkg/status'), '');
  writeFileSync(path.join(root, 'var/lib/dpkg/available'), '');
  const stanzas = [];
  for (const version of ['1.0-1', '1.0-2']) {
    const build = path.join(dir, `build-${version}`);
    mkdirSync(path.join(build, 'DEBIAN'), { recursive: true });
    mkdirSync(path.join(build, 'usr/share/pb-e2e-demo'), { recursive: true });
    writeFileSync(path.join(build, 'usr/share/pb-e2e-demo/version'), `${version}\n`);
    const control = `Package: pb-e2e-demo\nVersion: ${version}\nArchitecture: all\nMaintainer: Patchboard tests <tests@patchboard.invalid>\nDescription: throwaway package of the agent end-to-end test\n`;
    writeFileSync(path.join(build, 'DEBIAN/control'), control);
    const deb = path.join(repo, `pb-e2e-demo_${version}_all.deb`);
    execFileSync('dpkg-deb', ['--root-owner-group', '-b', build, deb], { stdio: 'pipe' });
    const bytes = readFileSync(deb);
    stanzas.push(
      `${control}Filename: ./${path.basename(deb)}\nSize: ${bytes.length}\nSHA256: ${createHash('sha256').update(bytes).digest('hex')}\n`,
    );
  }
  writeFileSync(path.join(repo, 'Packages'), stanzas.join('\n'));
  writeFileSync(path.join(root, 'etc/apt/sources.list'), `deb [trusted=yes] file:${repo} ./\n`);
  const aptConfig = path.join(dir, 'apt.conf');
  writeFileSync(
    aptConfig,
    [
      `Dir "${root}/";`,
      `Dir::State::status "${root}/var/lib/dpkg/status";`,
      'Dir::Bin::dpkg "/usr/bin/dpkg";',
      `DPkg::Options { "--root=${root}"; "--force-not-root"; "--force-bad-path"; "--log=${root}/var/log/dpkg.log"; };`,
      'APT::Sandbox::User "root";',
      'Debug::NoLocking "true";',
      '',
    ].join('\n'),
  );
  execFileSync('dpkg', [`--root=${root}`, '--force-not-root', '-i', path.join(repo, 'pb-e2e-demo_1.0-1_all.deb')], {
    stdio: 'pipe',
  });
  writeFileSync(path.join(dir, 'os-release'), 'ID=debian\nVERSION_ID="12"\n');
  return {
    root,
    env: {
      PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
      APT_CONFIG: aptConfig,
      DPKG_ADMINDIR: path.join(root, 'var/lib/dpkg'),
      PATCHBOARD_CONF: path.join(root, 'etc/patchboard/agent.conf'),
      PATCHBOARD_STATE_DIR: path.join(root, 'var/lib/patchboard'),
      PATCHBOARD_OS_RELEASE: path.join(dir, 'os-release'),
      TMPDIR: dir,
    },
  };
}
