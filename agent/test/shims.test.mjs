// @ts-check
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: dpkg-query's and rpm's own format strings, not templates
/**
 * The package-manager shims (./shims): they log each call and keep a fake package database, so
 * the agent's tests can run real jobs without touching the machine's packages.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { makeHost } from './helpers.mjs';

/** @type {ReturnType<typeof makeHost>[]} */
const hosts = [];
afterEach(() => {
  for (const host of hosts.splice(0)) host.remove();
});

/** @param {string[]} packages */
function shimHost(packages) {
  const host = makeHost({ packages });
  hosts.push(host);
  /**
   * Runs a shim (found in PATH, as the agent finds it) without a shell.
   * @param {string[]} argv
   * @param {Record<string, string>} [extra]
   */
  const run = (argv, extra = {}) => {
    const [program = '', ...args] = argv;
    const result = spawnSync('env', [program, ...args], { env: { ...host.env, ...extra }, encoding: 'utf8' });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  return { host, run };
}

const DEBIAN = ['openssl 3.0.11-1~deb12u2', 'libssl3 3.0.11-1~deb12u2 openssl', 'nginx 1.22.1-9'];

describe('dpkg-query', () => {
  it("prints the inventory table's format, with source packages", () => {
    const { host, run } = shimHost(DEBIAN);
    const format = '${Package}\\t${Version}\\t${Architecture}\\t${source:Package}\\t${source:Version}\\n';
    expect(run(['dpkg-query', '-W', `-f=${format}`])).toEqual({
      code: 0,
      stdout:
        'openssl\t3.0.11-1~deb12u2\tamd64\topenssl\t3.0.11-1~deb12u2\n' +
        'libssl3\t3.0.11-1~deb12u2\tamd64\topenssl\t3.0.11-1~deb12u2\n' +
        'nginx\t1.22.1-9\tamd64\tnginx\t1.22.1-9\n',
      stderr: '',
    });
    expect(host.calls()).toEqual([['dpkg-query', '-W', `-f=${format}`]]);
  });

  it('prints only the named packages, and fails for one not installed', () => {
    const { run } = shimHost(DEBIAN);
    expect(run(['dpkg-query', '-W', '-f=${Package} ${Version}\\n', 'libssl3']).stdout).toBe(
      'libssl3 3.0.11-1~deb12u2\n',
    );
    expect(run(['dpkg-query', '--show', '--showformat=${Version}', 'nginx']).stdout).toBe('1.22.1-9');
    const missing = run(['dpkg-query', '-W', 'apache2']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no packages found matching apache2');
    expect(run(['dpkg-query', '-W']).stdout).toBe(
      'openssl\t3.0.11-1~deb12u2\nlibssl3\t3.0.11-1~deb12u2\nnginx\t1.22.1-9\n',
    );
  });
});

describe('apt-get', () => {
  it('installs exact versions, leaving options and other packages alone', () => {
    const { host, run } = shimHost(DEBIAN);
    const install = run([
      'apt-get',
      '-o',
      'Dpkg::Options::=--force-confold',
      'install',
      '-y',
      '--only-upgrade',
      'openssl=3.0.13-1~deb12u1',
      'libssl3=3.0.13-1~deb12u1',
    ]);
    expect(install.code, install.stderr).toBe(0);
    expect(host.packages()).toEqual({ openssl: '3.0.13-1~deb12u1', libssl3: '3.0.13-1~deb12u1', nginx: '1.22.1-9' });
  });

  it('downgrades only with --allow-downgrades, as the real one', () => {
    const { host, run } = shimHost(DEBIAN);
    const refused = run(['apt-get', 'install', '-y', 'openssl=3.0.9-1']);
    expect(refused.code).toBe(100);
    expect(host.packages().openssl).toBe('3.0.11-1~deb12u2');
    expect(run(['apt-get', 'install', '-y', '--allow-downgrades', 'openssl=3.0.9-1']).code).toBe(0);
    expect(host.packages().openssl).toBe('3.0.9-1');
  });

  it('fails for a package in SHIM_FAILING_INSTALLS or not installed', () => {
    const { host, run } = shimHost(DEBIAN);
    expect(
      run(['apt-get', 'install', '-y', 'openssl=3.0.13-1~deb12u1'], { SHIM_FAILING_INSTALLS: 'openssl' }).code,
    ).toBe(100);
    expect(run(['apt-get', 'install', '-y', 'apache2=2.4.62-1']).code).toBe(100);
    expect(host.packages().openssl).toBe('3.0.11-1~deb12u2');
    expect(run(['apt-get', 'update']).code).toBe(0);
  });
});

describe('systemctl', () => {
  it('answers is-active from SHIM_FAILING_SERVICES', () => {
    const { run } = shimHost(DEBIAN);
    const failing = { SHIM_FAILING_SERVICES: 'nginx' };
    expect(run(['systemctl', 'is-active', '--quiet', 'nginx'], failing)).toMatchObject({ code: 3, stdout: '' });
    expect(run(['systemctl', 'is-active', 'nginx.service'], failing)).toMatchObject({ code: 3, stdout: 'failed\n' });
    expect(run(['systemctl', 'is-active', 'ssh'], failing)).toMatchObject({ code: 0, stdout: 'active\n' });
    expect(run(['systemctl', 'is-active', 'ssh', 'nginx'], failing)).toMatchObject({
      code: 3,
      stdout: 'active\nfailed\n',
    });
  });
});

describe('test', () => {
  it('checks absolute paths in the fake root ($SHIM_ROOT), with the semantics of test', () => {
    const { host, run } = shimHost(DEBIAN);
    expect(run(['test', '-e', '/run/reboot-required']).code).toBe(1);
    mkdirSync(`${host.root}/run`);
    writeFileSync(`${host.root}/run/reboot-required`, '');
    expect(run(['test', '-e', '/run/reboot-required']).code).toBe(0);
    expect(run(['test', '-s', '/run/reboot-required']).code).toBe(1);
    expect(run(['test', 'a', '=', 'a']).code).toBe(0);
    expect(run(['test', '!', '-d', '/run']).code).toBe(1);
    expect(host.calls()[0]).toEqual(['test', '-e', '/run/reboot-required']);
  });
});

describe('rpm and dnf', () => {
  const RHEL = ['openssl 1:3.0.7-27.el9', 'glibc 2.34-100.el9'];

  it("rpm -qa prints the inventory table's format", () => {
    const { run } = shimHost(RHEL);
    const format = '%{NAME}\\t%{EPOCHNUM}:%{VERSION}-%{RELEASE}\\t%{ARCH}\\t%{SOURCERPM}\\n';
    expect(run(['rpm', '-qa', '--qf', format], { SHIM_ARCH: 'x86_64' }).stdout).toBe(
      'openssl\t1:3.0.7-27.el9\tx86_64\topenssl-3.0.7-27.el9.src.rpm\nglibc\t0:2.34-100.el9\tx86_64\tglibc-2.34-100.el9.src.rpm\n',
    );
    expect(run(['rpm', '-q', 'glibc'], { SHIM_ARCH: 'x86_64' }).stdout).toBe('glibc-2.34-100.el9.x86_64\n');
    expect(run(['rpm', '-q', 'zsh']).code).toBe(1);
  });

  it('dnf installs exact NEVRAs', () => {
    const { host, run } = shimHost(RHEL);
    expect(run(['dnf', 'upgrade', '-y', 'openssl-1:3.0.7-28.el9']).code).toBe(0);
    expect(run(['dnf', 'downgrade', '-y', 'glibc-2.34-99.el9']).code).toBe(0);
    expect(host.packages()).toEqual({ openssl: '1:3.0.7-28.el9', glibc: '2.34-99.el9' });
  });

  it('dnf needs-restarting -r answers from the fake root, in its inverted sense', () => {
    const { host, run } = shimHost(RHEL);
    expect(run(['dnf', 'needs-restarting', '-r']).code).toBe(0);
    mkdirSync(`${host.root}/run`);
    writeFileSync(`${host.root}/run/reboot-required`, '');
    expect(run(['dnf', 'needs-restarting', '-r'])).toMatchObject({
      code: 1,
      stdout: expect.stringContaining('Reboot is required'),
    });
  });
});

describe('apk and rc-service', () => {
  it('adds exact or minimum versions and lists them as apk does', () => {
    const { host, run } = shimHost(['musl 1.2.4-r2', 'libssl3 3.1.4-r3 openssl', 'busybox 1.36.1-r15']);
    expect(run(['apk', 'add', '--no-cache', 'musl=1.2.4-r3']).code).toBe(0);
    expect(run(['apk', 'add', '--upgrade', 'libssl3>=3.1.4-r5']).code).toBe(0);
    expect(host.packages()).toEqual({ musl: '1.2.4-r3', libssl3: '3.1.4-r5', busybox: '1.36.1-r15' });
    expect(run(['apk', 'info']).stdout).toBe('musl-1.2.4-r3\nlibssl3-3.1.4-r5\nbusybox-1.36.1-r15\n');
    expect(run(['apk', 'list', '--installed', 'libssl3'], { SHIM_ARCH: 'x86_64' }).stdout).toBe(
      'libssl3-3.1.4-r5 x86_64 {openssl} (MIT) [installed]\n',
    );
    expect(run(['apk', 'add', 'zsh=5.9-r0']).code).toBe(1);
  });

  it('rc-service NAME status answers from SHIM_FAILING_SERVICES', () => {
    const { run } = shimHost([]);
    expect(run(['rc-service', 'sshd', 'status'], { SHIM_FAILING_SERVICES: 'nginx' }).code).toBe(0);
    expect(run(['rc-service', 'nginx', 'status'], { SHIM_FAILING_SERVICES: 'nginx' }).code).toBe(3);
  });
});
