import { describe, expect, it } from 'vitest';
import { apt, DPKG_QUERY_FORMAT } from './apt';
import { describeManager } from './commands.suite';
import type { JobPackage } from './types';

const pkg = (name: string, targetVersion: string | null): JobPackage => ({
  name,
  targetVersion,
  kb: null,
  advisories: ['DSA-5621-1'],
});
const job = [pkg('openssl', '3.0.13-1~deb12u1'), pkg('libssl3', '3.0.13-1~deb12u1')];

// dpkg-query -W -f='${Package} ${Version}\n' openssl libssl3 libfoo on Debian 12 with i386 multiarch
// (stderr merged, as the agent sends it).
const before = `libssl3 3.0.11-1~deb12u2
libssl3 3.0.11-1~deb12u2
openssl 3.0.11-1~deb12u2
dpkg-query: no packages found matching libfoo
`;
const after = `libssl3 3.0.13-1~deb12u1
libssl3 3.0.13-1~deb12u1
openssl 3.0.13-1~deb12u1
`;

describeManager({
  manager: apt,
  packages: job,
  backupOutput: before,
  backupInstalled: { libssl3: '3.0.11-1~deb12u2', openssl: '3.0.11-1~deb12u2' },
  verifyOutput: after,
  hook: { kind: 'lvm', target: 'vg0/root' },
  probeNamesPackages: true,
  rebootProbe: true,
  withName: (value) => [pkg(value, '1.0-1'), ...job],
  withVersion: (value) => [pkg('openssl', value)],
});

describe('apt: the exact commands', () => {
  it('records with dpkg-query, then snapshots', () => {
    expect(apt.backup(job, { kind: 'lvm', target: 'vg0/root' }, 17)).toEqual([
      {
        mode: 'probe',
        argv: ['dpkg-query', '-W', DPKG_QUERY_FORMAT, 'openssl', 'libssl3'],
        check: { kind: 'versions' },
      },
      { mode: 'run', argv: ['lvcreate', '--snapshot', '--name', 'pb-job-17', '--extents', '20%ORIGIN', 'vg0/root'] },
    ]);
  });

  it('updates the lists as a probe, then upgrades exactly these versions (or the newest)', () => {
    expect(apt.install([...job, pkg('curl', null)])).toEqual([
      { mode: 'probe', argv: ['apt-get', 'update'] },
      {
        mode: 'run',
        argv: [
          'apt-get',
          'install',
          '-y',
          '--only-upgrade',
          '-o',
          'Dpkg::Options::=--force-confdef',
          '-o',
          'Dpkg::Options::=--force-confold',
          'openssl=3.0.13-1~deb12u1',
          'libssl3=3.0.13-1~deb12u1',
          'curl',
        ],
      },
    ]);
    expect(apt.environment).toEqual({ DEBIAN_FRONTEND: 'noninteractive', LC_ALL: 'C' });
  });

  it('verifies with systemctl and the reboot-required flag file (exit 0: reboot required)', () => {
    expect(apt.verify(job, ['nginx.service'])).toEqual([
      { mode: 'report', argv: [] },
      {
        mode: 'probe',
        argv: ['dpkg-query', '-W', DPKG_QUERY_FORMAT, 'openssl', 'libssl3'],
        check: { kind: 'versions' },
      },
      {
        mode: 'probe',
        argv: ['systemctl', 'is-active', '--quiet', 'nginx.service'],
        check: { kind: 'health', service: 'nginx.service', active: { exit: 0 } },
      },
      {
        mode: 'probe',
        argv: ['test', '-e', '/var/run/reboot-required'],
        check: { kind: 'reboot', required: { exit: 0 }, notRequired: { exit: 1 } },
      },
    ]);
  });

  it('rolls back with --allow-downgrades to what the backup recorded, skipping what was not installed', () => {
    const recorded = apt.parseInstalled(before);
    expect(apt.rollback([...job, pkg('libfoo', '2.0-1')], recorded, null, 17)).toEqual([
      {
        mode: 'run',
        argv: [
          'apt-get',
          'install',
          '-y',
          '--allow-downgrades',
          '-o',
          'Dpkg::Options::=--force-confdef',
          '-o',
          'Dpkg::Options::=--force-confold',
          'openssl=3.0.11-1~deb12u2',
          'libssl3=3.0.11-1~deb12u2',
        ],
      },
      { mode: 'report', argv: [] },
    ]);
  });

  it('keeps epochs and the lowest version of a package listed twice', () => {
    const installed = apt.parseInstalled(
      'perl-base 5.36.0-7+deb12u1\nlibc6 2.36-9+deb12u4\nlibc6 2.36-9+deb12u3\nvim 2:9.0.1378-2\ngone \n',
    );
    expect(Object.fromEntries(installed)).toEqual({
      'perl-base': '5.36.0-7+deb12u1',
      libc6: '2.36-9+deb12u3',
      vim: '2:9.0.1378-2',
    });
  });

  it('refuses upper-case and one-letter names (not Debian package names)', () => {
    expect(() => apt.install([pkg('OpenSSL', '1.0')])).toThrow(/package name/);
    expect(() => apt.install([pkg('a', '1.0')])).toThrow(/package name/);
  });
});
