// @ts-check
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: dpkg-query's and rpm's own format strings, not templates
/**
 * The sh agent's pieces against a scripted server (helpers.mjs): enrolment, software reports,
 * instructions, the allow-list, run vs probe, step reports as multipart forms, 204 and 409. The
 * agent runs under dash, with the package-manager shims of ./shims first in PATH.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { AGENT, fakeServer, field, formOf, instruction, makeHost, runAgent } from './helpers.mjs';

/** @type {(() => unknown)[]} */
const cleanups = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/**
 * A host whose server hands out the given instructions for job 7, one per claim or step report,
 * then 204. Every step report is answered with the next instruction in `steps`.
 * @param {string[]} steps text/plain instructions: the claim's answer, then each step report's
 * @param {Parameters<typeof makeHost>[0]} [hostOptions]
 */
async function scripted(steps, hostOptions = {}) {
  const queue = [...steps];
  const server = await fakeServer((req) => {
    if (req.method === 'PUT' && req.url === '/v1/hosts/web-01/software') return { status: 200, body: '{"changed":1}' };
    if (req.method === 'GET' && req.url === '/v1/agent/jobs') {
      const next = queue.shift();
      return next === undefined ? { status: 204 } : { status: 200, body: next };
    }
    if (req.method === 'POST' && req.url === '/v1/agent/jobs/7/events') {
      const next = queue.shift();
      return next === undefined ? { status: 409, body: 'no more' } : { status: 200, body: next };
    }
    return { status: 404, body: 'not found' };
  });
  const host = makeHost({ url: server.url, ...hostOptions });
  cleanups.push(server.close, host.remove);
  return { server, host };
}

const DONE = instruction([
  ['job', 7],
  ['lease', 'L2'],
  ['step', 'done'],
  ['result', 'succeeded'],
  ['reason', 'all good'],
]);

/** @param {import('./helpers.mjs').RecordedRequest[]} requests */
const stepReports = (requests) => requests.filter((r) => r.method === 'POST' && r.url.endsWith('/events'));

/**
 * The results of a step report: [{ exit, output }], in order, as the server would read them.
 * @param {import('./helpers.mjs').RecordedRequest} req
 */
async function resultsOf(req) {
  const form = await formOf(req);
  const results = [];
  for (let i = 0; form.has(`exit.${i}`); i++) {
    results.push({ exit: Number(form.get(`exit.${i}`)), output: await field(form, `output.${i}`) });
  }
  return { lease: form.get('lease'), step: form.get('step'), results, log: await field(form, 'log') };
}

describe('the script', () => {
  it('is POSIX sh: dash and sh parse it', () => {
    expect(spawnSync('dash', ['-n', AGENT]).status).toBe(0);
    expect(spawnSync('sh', ['-n', AGENT]).status).toBe(0);
  });

  const shellcheck = spawnSync('shellcheck', ['--version']).status === 0;
  it.skipIf(!shellcheck)('passes shellcheck as sh (skipped where shellcheck is not installed)', () => {
    expect(() => execFileSync('shellcheck', ['-s', 'sh', AGENT], { encoding: 'utf8' })).not.toThrow();
  });

  it('uses no JSON parser and no shell to run commands', () => {
    const text = readFileSync(AGENT, 'utf8');
    expect(text).not.toMatch(/\bjq\b/);
    expect(text).not.toMatch(/\b(sh|bash) -c\b|\beval\b/);
  });
});

describe('enrol', () => {
  it('sends hostname and os-release, stores the token 0600, then reports the package database', async () => {
    const server = await fakeServer((req) => {
      if (req.url === '/v1/agent/enrol') {
        return { status: 201, type: 'application/json', body: '{"hostname":"web-01","token":"pb_NewAgentToken123"}' };
      }
      return { status: 200, body: '{}' };
    });
    const host = makeHost();
    cleanups.push(server.close, host.remove);
    const run = await runAgent(['enrol', `${server.url}/`, 'pbe_Enrol123', 'Web-01'], host.env);
    expect(run.code, run.stderr).toBe(0);
    const [enrol, report] = server.requests;
    expect(enrol).toMatchObject({ method: 'POST', url: '/v1/agent/enrol' });
    expect(enrol?.headers.authorization).toBe('Bearer pbe_Enrol123');
    expect(JSON.parse(String(enrol?.body))).toEqual({ hostname: 'web-01', osFamily: 'debian', osRelease: '12' });
    expect(report).toMatchObject({ method: 'PUT', url: '/v1/hosts/web-01/software' });
    expect(report?.headers.authorization).toBe('Bearer pb_NewAgentToken123');
    const conf = readFileSync(host.conf, 'utf8');
    expect(conf).toContain(`url=${server.url}\n`);
    expect(conf).toContain('token=pb_NewAgentToken123\n');
    expect(statSync(host.conf).mode & 0o777).toBe(0o600);
  });

  it.each([
    ['a hostname with a quote', ['pbe_x', 'web"01']],
    ['a hostname with a semicolon', ['pbe_x', 'web;id']],
    ['a token with a space', ['pbe_x y', 'web-01']],
  ])('refuses %s without asking the server', async (_, args) => {
    const server = await fakeServer(() => ({ status: 500 }));
    const host = makeHost();
    cleanups.push(server.close, host.remove);
    const run = await runAgent(['enrol', server.url, ...args], host.env);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/unusable/);
    expect(server.requests).toEqual([]);
    expect(existsSync(host.conf)).toBe(false);
  });

  it('refuses an os-release value that would need escaping', async () => {
    const server = await fakeServer(() => ({ status: 500 }));
    const host = makeHost({ osRelease: 'ID=debian\nVERSION_ID="12\\" , \\"x"\n' });
    cleanups.push(server.close, host.remove);
    const run = await runAgent(['enrol', server.url, 'pbe_x', 'web-01'], host.env);
    expect(run.code).not.toBe(0);
    expect(server.requests).toEqual([]);
  });

  it('keeps no conf when the server refuses the enrolment token', async () => {
    const server = await fakeServer(() => ({ status: 401, body: '{"error":{"code":"unauthorized"}}' }));
    const host = makeHost();
    cleanups.push(server.close, host.remove);
    const run = await runAgent(['enrol', server.url, 'pbe_x', 'web-01'], host.env);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('HTTP 401');
    expect(existsSync(host.conf)).toBe(false);
  });
});

describe('report', () => {
  it('sends dpkg-query output in the format of the inventory table', async () => {
    const { server, host } = await scripted([]);
    const run = await runAgent(['report'], host.env);
    expect(run.code, run.stderr).toBe(0);
    const [put] = server.requests;
    expect(put?.headers['content-type']).toBe('text/x-dpkg-query');
    expect(put?.headers.authorization).toBe('Bearer pb_test');
    expect(String(put?.body)).toBe(
      'openssl\t3.0.11-1~deb12u2\tamd64\topenssl\t3.0.11-1~deb12u2\nlibssl3\t3.0.11-1~deb12u2\tamd64\topenssl\t3.0.11-1~deb12u2\n',
    );
    expect(host.calls()).toEqual([
      ['dpkg-query', '-W', '-f=${Package}\\t${Version}\\t${Architecture}\\t${source:Package}\\t${source:Version}\\n'],
    ]);
  });

  it('sends rpm -qa output on an rpm host', async () => {
    const { server, host } = await scripted([], {
      packages: ['openssl 1:3.0.7-27.el9'],
      confExtra: ['package_manager=rpm'],
    });
    const run = await runAgent(['report'], { ...host.env, SHIM_ARCH: 'x86_64' });
    expect(run.code, run.stderr).toBe(0);
    expect(server.requests[0]?.headers['content-type']).toBe('text/x-rpm-qa');
    expect(String(server.requests[0]?.body)).toBe('openssl\t1:3.0.7-27.el9\tx86_64\topenssl-3.0.7-27.el9.src.rpm\n');
  });

  it("sends apk's installed database on an Alpine host", async () => {
    const { server, host } = await scripted([], { confExtra: ['package_manager=apk'] });
    const db = `${host.dir}/installed`;
    writeFileSync(db, 'C:Q1abc=\nP:musl\nV:1.2.4-r2\nA:x86_64\no:musl\n\n');
    const run = await runAgent(['report'], { ...host.env, PATCHBOARD_APK_DB: db });
    expect(run.code, run.stderr).toBe(0);
    expect(server.requests[0]?.headers['content-type']).toBe('text/x-apk-installed');
    expect(String(server.requests[0]?.body)).toBe(readFileSync(db, 'utf8'));
  });

  it('fails when the server refuses the report', async () => {
    const server = await fakeServer(() => ({ status: 400, body: 'rpm packages on a debian host' }));
    const host = makeHost({ url: server.url });
    cleanups.push(server.close, host.remove);
    const run = await runAgent(['report'], host.env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('HTTP 400');
  });
});

describe('TLS', () => {
  const openssl = spawnSync('openssl', ['version']).status === 0;
  it.skipIf(!openssl)(
    'verifies the server, and trusts a private CA given by PATCHBOARD_CA (needs openssl)',
    async () => {
      const host = makeHost();
      cleanups.push(host.remove);
      const key = `${host.dir}/key.pem`;
      const cert = `${host.dir}/cert.pem`;
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-keyout',
          key,
          '-out',
          cert,
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
        ],
        { stdio: 'pipe' },
      );
      const server = await fakeServer(() => ({ status: 200, body: '{}' }), {
        key: readFileSync(key, 'utf8'),
        cert: readFileSync(cert, 'utf8'),
      });
      cleanups.push(server.close);
      writeFileSync(host.conf, `url=${server.url}\nhostname=web-01\ntoken=pb_test\n`);
      const untrusted = await runAgent(['report'], host.env);
      expect(untrusted.code).toBe(1);
      expect(server.requests).toEqual([]);
      const trusted = await runAgent(['report'], { ...host.env, PATCHBOARD_CA: cert });
      expect(trusted.code, trusted.stderr).toBe(0);
      expect(server.requests).toHaveLength(1);
    },
  );
});

describe('run', () => {
  it('reports only when the package database changed since the last report', async () => {
    const { server, host } = await scripted([]);
    const puts = () => server.requests.filter((r) => r.method === 'PUT').length;
    expect((await runAgent(['run'], host.env)).code).toBe(0);
    expect(puts()).toBe(1);
    expect((await runAgent(['run'], host.env)).code).toBe(0);
    expect(puts()).toBe(1);
    writeFileSync(host.shimState, 'openssl 3.0.13-1~deb12u1\n');
    expect((await runAgent(['run'], host.env)).code).toBe(0);
    expect(puts()).toBe(2);
    expect(server.requests.filter((r) => r.url === '/v1/agent/jobs')).toHaveLength(3);
  });

  it('claims with its token and text/plain, and stops at 204', async () => {
    const { server, host } = await scripted([]);
    const run = await runAgent(['run'], host.env);
    expect(run.code, run.stderr).toBe(0);
    const claim = server.requests.find((r) => r.url === '/v1/agent/jobs');
    expect(claim?.headers).toMatchObject({ authorization: 'Bearer pb_test', accept: 'text/plain' });
    expect(stepReports(server.requests)).toEqual([]);
  });

  it('runs a step, posts its results as a multipart form with the lease, and follows to step done', async () => {
    const { server, host } = await scripted([
      instruction([
        ['job', 7],
        ['lease', 'L1'],
        ['step', 'backup'],
        ['probe', 'dpkg-query', '-W', '-f=${Package} ${Version}\\n', 'openssl', 'libssl3'],
      ]),
      instruction([
        ['job', 7],
        ['lease', 'L1'],
        ['step', 'install'],
        ['run', 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', 'openssl=3.0.13-1~deb12u1'],
      ]),
      DONE,
    ]);
    const run = await runAgent(['run'], host.env);
    expect(run.code, run.stderr).toBe(0);
    const [backup, install] = await Promise.all(stepReports(server.requests).map(resultsOf));
    expect(backup).toMatchObject({
      lease: 'L1',
      step: 'backup',
      results: [{ exit: 0, output: 'openssl 3.0.11-1~deb12u2\nlibssl3 3.0.11-1~deb12u2\n' }],
    });
    expect(backup?.log).toContain('probe dpkg-query -W');
    expect(install).toMatchObject({ step: 'install', results: [{ exit: 0 }] });
    expect(host.packages().openssl).toBe('3.0.13-1~deb12u1');
    expect(run.stderr).toContain('job 7 ended: succeeded (all good)');
    // After `step done` the agent claims again, and stops at the 204.
    expect(server.requests.at(-1)?.url).toBe('/v1/agent/jobs');
  });

  it('stops a step at the first failed run, but runs every probe', async () => {
    const { server, host } = await scripted(
      [
        instruction([
          ['job', 7],
          ['lease', 'L1'],
          ['step', 'verify'],
          ['probe', 'systemctl', 'is-active', '--quiet', 'nginx'],
          ['probe', 'systemctl', 'is-active', '--quiet', 'ssh'],
          ['run', 'systemctl', 'is-active', 'nginx'],
          ['run', 'systemctl', 'is-active', 'ssh'],
        ]),
        DONE,
      ],
      {},
    );
    const run = await runAgent(['run'], { ...host.env, SHIM_FAILING_SERVICES: 'nginx' });
    expect(run.code, run.stderr).toBe(0);
    const [verify] = await Promise.all(stepReports(server.requests).map(resultsOf));
    expect(verify?.results).toEqual([
      { exit: 3, output: '' },
      { exit: 0, output: '' },
      { exit: 3, output: 'failed\n' },
    ]);
    expect(host.calls().filter((c) => c[0] === 'systemctl')).toHaveLength(3);
  });

  it('refuses a program that is not on the allow-list: exit 126, reported, the step stops', async () => {
    const mark = `${process.env.TMPDIR ?? '/tmp'}/patchboard-agent-should-not-exist-${process.pid}`;
    const { server, host } = await scripted([
      instruction([
        ['job', 7],
        ['lease', 'L1'],
        ['step', 'install'],
        ['probe', 'curl', 'http://example.invalid/'],
        ['run', 'sh', '-c', `touch ${mark}`],
        ['run', 'apt-get', 'install', '-y', 'openssl=1'],
      ]),
      DONE,
    ]);
    const run = await runAgent(['run'], host.env);
    expect(run.code, run.stderr).toBe(0);
    const [install] = await Promise.all(stepReports(server.requests).map(resultsOf));
    expect(install?.results).toHaveLength(2);
    expect(install?.results[0]).toMatchObject({
      exit: 126,
      output: expect.stringContaining('curl is not on the allow-list'),
    });
    expect(install?.results[1]).toMatchObject({
      exit: 126,
      output: expect.stringContaining('sh is not on the allow-list'),
    });
    expect(existsSync(mark)).toBe(false);
    expect(host.calls()).not.toContainEqual(expect.arrayContaining(['apt-get']));
  });

  it.each([
    ['a variable that changes what gets loaded', ['env', 'LD_PRELOAD=/tmp/x.so', 'apt-get', 'update']],
    ['a program behind env that is not allowed', ['env', 'DEBIAN_FRONTEND=noninteractive', 'sh', '-c', 'id']],
    ['an option of env', ['env', '-S', 'sh -c id']],
    ['env calling env', ['env', 'env', 'sh']],
    ['a variable name that spans two allowed names', ['env', 'LANG LANGUAGE=x', 'apt-get', 'update']],
    ['a program given by path', ['/bin/sh', '-c', 'id']],
  ])('refuses %s with 126', async (_, argv) => {
    const { server, host } = await scripted([
      instruction([
        ['job', 7],
        ['lease', 'L1'],
        ['step', 'install'],
        ['run', ...argv],
      ]),
      DONE,
    ]);
    const run = await runAgent(['run'], host.env);
    expect(run.code, run.stderr).toBe(0);
    const [install] = await Promise.all(stepReports(server.requests).map(resultsOf));
    expect(install?.results).toEqual([{ exit: 126, output: expect.stringContaining('not on the allow-list') }]);
  });

  it('runs argv without a shell: ;, $(id), spaces, globs and empty arguments arrive as they are', async () => {
    const mark = `${process.env.TMPDIR ?? '/tmp'}/patchboard-agent-injected-${process.pid}`;
    const argv = ['a;b', '$(id)', '`id`', 'two words', '', '*', `; touch ${mark}`, "'quoted'", '\\n', '>x', '|'];
    const { server, host } = await scripted(
      [
        instruction([
          ['job', 7],
          ['lease', 'L1'],
          ['step', 'backup'],
          ['probe', 'site-snapshot', ...argv],
        ]),
        DONE,
      ],
      { confExtra: ['allow=site-snapshot'] },
    );
    host.addProgram('site-snapshot', '#!/bin/sh\nfor a in "$@"; do printf "[%s]\\n" "$a"; done\n');
    const run = await runAgent(['run'], host.env);
    expect(run.code, run.stderr).toBe(0);
    const [backup] = await Promise.all(stepReports(server.requests).map(resultsOf));
    expect(backup?.results).toEqual([{ exit: 0, output: argv.map((a) => `[${a}]\n`).join('') }]);
    expect(existsSync(mark)).toBe(false);
  });

  it('runs a command in the tested program, not a shell builtin of the same name', async () => {
    const { server, host } = await scripted([
      instruction([
        ['job', 7],
        ['lease', 'L1'],
        ['step', 'verify'],
        ['probe', 'test', '-e', '/run/reboot-required'],
      ]),
      DONE,
    ]);
    // The shim answers from the fake root; the shell's builtin would have looked at the real /run.
    mkdirSync(`${host.root}/run`);
    writeFileSync(`${host.root}/run/reboot-required`, '');
    expect(existsSync('/run/reboot-required')).toBe(false);
    await runAgent(['run'], host.env);
    const [verify] = await Promise.all(stepReports(server.requests).map(resultsOf));
    expect(verify?.results).toEqual([{ exit: 0, output: '' }]);
    expect(host.calls()).toEqual(expect.arrayContaining([['test', '-e', '/run/reboot-required']]));
  });

  it('runs commands with the umask it was started with, not its own private one', async () => {
    const { server, host } = await scripted(
      [
        instruction([
          ['job', 7],
          ['lease', 'L1'],
          ['step', 'install'],
          ['probe', 'site-umask'],
        ]),
        DONE,
      ],
      { confExtra: ['allow=site-umask'] },
    );
    host.addProgram('site-umask', '#!/bin/sh\numask\n');
    const run = await new Promise((resolve) => {
      const child = spawn('sh', ['-c', 'umask 022; exec dash "$0" run', AGENT], {
        env: { ...host.env, PATH: `${host.dir}/bin:${host.env.PATH}` },
      });
      child.on('close', resolve);
    });
    expect(run).toBe(0);
    const [install] = await Promise.all(stepReports(server.requests).map(resultsOf));
    expect(install?.results).toEqual([{ exit: 0, output: '0022\n' }]);
  });

  it('sends only the last 64 KiB of a long output', async () => {
    const { server, host } = await scripted(
      [
        instruction([
          ['job', 7],
          ['lease', 'L1'],
          ['step', 'backup'],
          ['probe', 'seq', '1', '100000'],
        ]),
        DONE,
      ],
      { confExtra: ['allow=seq'] },
    );
    const run = await runAgent(['run'], host.env);
    expect(run.code, run.stderr).toBe(0);
    const [backup] = await Promise.all(stepReports(server.requests).map(resultsOf));
    const output = backup?.results[0]?.output ?? '';
    expect(Buffer.byteLength(output)).toBe(65536);
    expect(output.endsWith('99999\n100000\n')).toBe(true);
  });

  it('sends a software report for a report directive, counted as a result', async () => {
    const { server, host } = await scripted([
      instruction([
        ['job', 7],
        ['lease', 'L1'],
        ['step', 'verify'],
        ['report'],
        ['probe', 'dpkg-query', '-W', '-f=${Version}', 'openssl'],
      ]),
      DONE,
    ]);
    const run = await runAgent(['run'], host.env);
    expect(run.code, run.stderr).toBe(0);
    const puts = server.requests.filter((r) => r.method === 'PUT');
    // One at the start of the run (never reported before), one for the directive.
    expect(puts).toHaveLength(2);
    const [verify] = await Promise.all(stepReports(server.requests).map(resultsOf));
    expect(verify?.results).toEqual([
      { exit: 0, output: expect.stringContaining('software report sent') },
      { exit: 0, output: '3.0.11-1~deb12u2' },
    ]);
  });

  it('abandons a job whose lease was lost (409) and claims the next one', async () => {
    let claims = 0;
    const server = await fakeServer((req) => {
      if (req.method === 'PUT') return { status: 200, body: '{}' };
      if (req.url === '/v1/agent/jobs') {
        claims++;
        if (claims === 1)
          return {
            status: 200,
            body: instruction([
              ['job', 7],
              ['lease', 'old'],
              ['step', 'backup'],
              ['probe', 'test', '-e', '/x'],
            ]),
          };
        if (claims === 2)
          return {
            status: 200,
            body: instruction([
              ['job', 8],
              ['lease', 'L8'],
              ['step', 'backup'],
              ['probe', 'test', '-e', '/y'],
            ]),
          };
        return { status: 204 };
      }
      if (req.url === '/v1/agent/jobs/7/events') return { status: 409, body: '{"error":{"code":"conflict"}}' };
      if (req.url === '/v1/agent/jobs/8/events') return { status: 200, body: DONE.replace('job\t7', 'job\t8') };
      return { status: 404 };
    });
    const host = makeHost({ url: server.url });
    cleanups.push(server.close, host.remove);
    const run = await runAgent(['run'], host.env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('job 7: lease lost, abandoning the job');
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'PUT /v1/hosts/web-01/software',
      'GET /v1/agent/jobs',
      'POST /v1/agent/jobs/7/events',
      'GET /v1/agent/jobs',
      'POST /v1/agent/jobs/8/events',
      'GET /v1/agent/jobs',
    ]);
  });

  it('fails the pass when the server refuses the token or cannot be reached', async () => {
    const server = await fakeServer((req) =>
      req.method === 'PUT' ? { status: 200 } : { status: 401, body: 'revoked' },
    );
    const host = makeHost({ url: server.url });
    cleanups.push(server.close, host.remove);
    const refused = await runAgent(['run'], host.env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('HTTP 401');
    const gone = makeHost({ url: 'http://127.0.0.1:1' });
    cleanups.push(gone.remove);
    const unreachable = await runAgent(['run'], gone.env);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('HTTP 000');
  });

  it('refuses an instruction without a usable job id', async () => {
    const { server, host } = await scripted([
      instruction([
        ['job', '7;id'],
        ['lease', 'L1'],
        ['step', 'backup'],
        ['probe', 'test', '-e', '/x'],
      ]),
    ]);
    const run = await runAgent(['run'], host.env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('without a valid job id');
    expect(stepReports(server.requests)).toEqual([]);
  });
});
