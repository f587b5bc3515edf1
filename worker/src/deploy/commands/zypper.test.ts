import { describe, expect, it } from 'vitest';
import { describeManager } from './commands.suite';
import type { JobPackage } from './types';
import { zypper } from './zypper';

const pkg = (name: string, targetVersion: string | null): JobPackage => ({
  name,
  targetVersion,
  kb: null,
  advisories: ['SUSE-SU-2024:0451-1'],
});
const job = [pkg('openssl-3', '3.0.8-150500.5.27.1'), pkg('libopenssl3', '3.0.8-150500.5.27.1')];

// rpm -q --qf '%{NAME} %{EPOCHNUM}:%{VERSION}-%{RELEASE}\n' openssl-3 libopenssl3 on SLES 15 SP5.
const before = 'openssl-3 0:3.0.8-150500.5.20.1\nlibopenssl3 0:3.0.8-150500.5.20.1\n';
const after = 'openssl-3 0:3.0.8-150500.5.27.1\nlibopenssl3 0:3.0.8-150500.5.27.1\n';

describeManager({
  manager: zypper,
  packages: job,
  backupOutput: before,
  backupInstalled: { 'openssl-3': '0:3.0.8-150500.5.20.1', libopenssl3: '0:3.0.8-150500.5.20.1' },
  verifyOutput: after,
  hook: { kind: 'btrfs', target: '/' },
  probeNamesPackages: true,
  rebootProbe: true,
  withName: (value) => [pkg(value, '1.0-1'), ...job],
  withVersion: (value) => [pkg('openssl-3', value)],
});

describe('zypper: the exact commands', () => {
  it('snapshots a btrfs root read-only beside itself', () => {
    expect(zypper.backup(job, { kind: 'btrfs', target: '/' }, 5).at(-1)).toEqual({
      mode: 'run',
      argv: ['btrfs', 'subvolume', 'snapshot', '-r', '/', '/.pb-job-5'],
    });
  });

  it('installs exact editions non-interactively, and updates the rest', () => {
    expect(zypper.install([...job, pkg('curl', null)])).toEqual([
      {
        mode: 'run',
        argv: [
          'zypper',
          '--non-interactive',
          'install',
          '--auto-agree-with-licenses',
          'openssl-3=3.0.8-150500.5.27.1',
          'libopenssl3=3.0.8-150500.5.27.1',
        ],
      },
      { mode: 'run', argv: ['zypper', '--non-interactive', 'update', '--auto-agree-with-licenses', 'curl'] },
    ]);
  });

  it('asks zypper needs-rebooting: exit 102 means a reboot is needed', () => {
    expect(zypper.verify(job, []).at(-1)).toEqual({
      mode: 'probe',
      argv: ['zypper', 'needs-rebooting'],
      check: { kind: 'reboot', required: { exit: 102 }, notRequired: { exit: 0 } },
    });
  });

  it('rolls back with --oldpackage to the recorded editions (epoch 0 left out)', () => {
    expect(zypper.rollback(job, zypper.parseInstalled(before), null, 5)[0]).toEqual({
      mode: 'run',
      argv: [
        'zypper',
        '--non-interactive',
        'install',
        '--oldpackage',
        '--auto-agree-with-licenses',
        'openssl-3=3.0.8-150500.5.20.1',
        'libopenssl3=3.0.8-150500.5.20.1',
      ],
    });
  });
});
