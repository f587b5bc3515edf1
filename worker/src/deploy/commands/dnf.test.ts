import { describe, expect, it } from 'vitest';
import { describeManager } from './commands.suite';
import { dnf, nevra, UPDATEINFO_ADVISORY, yum } from './dnf';
import type { JobPackage } from './types';

const pkg = (name: string, targetVersion: string | null, advisories: string[] = ['RHSA-2024:0310']): JobPackage => ({
  name,
  targetVersion,
  kb: null,
  advisories,
});
const job = [pkg('openssl', '1:3.0.7-25.el9_3'), pkg('openssl-libs', '1:3.0.7-25.el9_3')];

// rpm -q --qf '%{NAME} %{EPOCHNUM}:%{VERSION}-%{RELEASE}\n' openssl openssl-libs compat-openssl11 on RHEL 9
// with the i686 libraries installed too (stderr merged).
const before = `openssl 1:3.0.7-24.el9
openssl-libs 1:3.0.7-24.el9
openssl-libs 1:3.0.7-24.el9
package compat-openssl11 is not installed
`;
const after = `openssl 1:3.0.7-25.el9_3
openssl-libs 1:3.0.7-25.el9_3
openssl-libs 1:3.0.7-25.el9_3
`;

for (const manager of [dnf, yum]) {
  describeManager({
    manager,
    packages: job,
    backupOutput: before,
    backupInstalled: { openssl: '1:3.0.7-24.el9', 'openssl-libs': '1:3.0.7-24.el9' },
    verifyOutput: after,
    hook: { kind: 'zfs', target: 'rpool/ROOT/rhel' },
    probeNamesPackages: true,
    rebootProbe: true,
    withName: (value) => [pkg(value, '1.0-1'), ...job],
    withVersion: (value) => [pkg('openssl', value)],
  });
}

const versionsProbe = {
  mode: 'probe',
  argv: ['rpm', '-q', '--qf', '%{NAME} %{EPOCHNUM}:%{VERSION}-%{RELEASE}\\n', 'openssl', 'openssl-libs'],
  check: { kind: 'versions' },
};

describe('dnf: the exact commands', () => {
  it('records with rpm -q, every line with its epoch', () => {
    expect(dnf.backup(job, null, 9)).toEqual([versionsProbe]);
    expect(
      Object.fromEntries(
        dnf.parseInstalled('bash 0:5.1.8-6.el9_1\nkernel 0:5.14.0-362.8.1.el9_3\nkernel 0:5.14.0-284.30.1.el9_2\n'),
      ),
    ).toEqual({
      bash: '0:5.1.8-6.el9_1',
      kernel: '0:5.14.0-284.30.1.el9_2',
    });
  });

  it('installs exact NEVRAs when the fixed version is known', () => {
    expect(dnf.install(job)).toEqual([
      { mode: 'run', argv: ['dnf', 'upgrade', '-y', 'openssl-1:3.0.7-25.el9_3', 'openssl-libs-1:3.0.7-25.el9_3'] },
    ]);
    expect(nevra('bash', '0:5.1.8-9.el9')).toBe('bash-5.1.8-9.el9');
  });

  it('without a version: upgrade-minimal restricted to the advisory and the packages, else the newest', () => {
    const commands = dnf.install([
      pkg('glibc', null, ['ALSA-2024:0010', 'CVE-2023-4911']),
      pkg('glibc-common', null, ['ALSA-2024:0010']),
      pkg('curl', null, ['DSA-5587-1']),
    ]);
    expect(commands).toEqual([
      { mode: 'run', argv: ['dnf', 'upgrade-minimal', '-y', '--advisory=ALSA-2024:0010', 'glibc', 'glibc-common'] },
      { mode: 'run', argv: ['dnf', 'upgrade', '-y', 'curl'] },
    ]);
  });

  it('knows the updateinfo ids of the RPM vendors, and nothing else', () => {
    for (const id of [
      'RHSA-2024:0310',
      'RHBA-2023:7205',
      'ALSA-2024:0010',
      'RLSA-2024:0012',
      'ELSA-2024-0310',
      'ALAS2023-2024-512',
      'ALAS2-2024-2442',
      'FEDORA-2024-3a4bc7bd33',
      'FEDORA-EPEL-2024-0e2a1b3c4d',
    ]) {
      expect(id).toMatch(UPDATEINFO_ADVISORY);
    }
    for (const id of ['DSA-5678-1', 'USN-6663-1', 'CVE-2024-0727', 'RHSA-2024:0310 --x', '--advisory=x']) {
      expect(id).not.toMatch(UPDATEINFO_ADVISORY);
    }
  });

  it('verifies with needs-restarting: exit 1 with its sentence means a reboot is needed (inverted sense)', () => {
    expect(dnf.verify(job, []).at(-1)).toEqual({
      mode: 'probe',
      argv: ['dnf', 'needs-restarting', '-r'],
      check: { kind: 'reboot', required: { exit: 1, outputIncludes: 'Reboot is required' }, notRequired: { exit: 0 } },
    });
    expect(yum.verify(job, []).at(-1)?.argv).toEqual(['needs-restarting', '-r']);
  });

  it('rolls back with dnf install of the recorded NEVRA (exact version, a no-op when already there)', () => {
    expect(dnf.rollback(job, dnf.parseInstalled(before), null, 9)).toEqual([
      { mode: 'run', argv: ['dnf', 'install', '-y', 'openssl-1:3.0.7-24.el9', 'openssl-libs-1:3.0.7-24.el9'] },
      { mode: 'report', argv: [] },
    ]);
    expect(yum.rollback(job, yum.parseInstalled(before), null, 9)[0]?.argv.slice(0, 3)).toEqual([
      'yum',
      'downgrade',
      '-y',
    ]);
    expect(yum.install(job)[0]?.argv.slice(0, 2)).toEqual(['yum', 'update']);
  });
});
