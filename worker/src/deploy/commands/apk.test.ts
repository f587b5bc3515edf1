import { describe, expect, it } from 'vitest';
import { apk } from './apk';
import { describeManager } from './commands.suite';
import { judgeVerify } from './judge';
import type { JobPackage } from './types';

const pkg = (name: string, targetVersion: string | null): JobPackage => ({
  name,
  targetVersion,
  kb: null,
  advisories: ['CVE-2024-0727'],
});
const job = [pkg('libcrypto3', '3.1.4-r5'), pkg('libssl3', '3.1.4-r5')];

// apk list --installed libcrypto3 libssl3 on Alpine 3.19.
const before = `libcrypto3-3.1.4-r3 x86_64 {openssl} (Apache-2.0) [installed]
libssl3-3.1.4-r3 x86_64 {openssl} (Apache-2.0) [installed]
`;
const after = `libcrypto3-3.1.4-r5 x86_64 {openssl} (Apache-2.0) [installed]
libssl3-3.1.4-r5 x86_64 {openssl} (Apache-2.0) [installed]
`;

describeManager({
  manager: apk,
  packages: job,
  backupOutput: before,
  backupInstalled: { libcrypto3: '3.1.4-r3', libssl3: '3.1.4-r3' },
  verifyOutput: after,
  hook: { kind: 'command', target: '["/usr/local/bin/vm-snapshot", "--name", "pb-job-{job}"]' },
  probeNamesPackages: true,
  rebootProbe: false,
  withName: (value) => [pkg(value, '1.0-r0'), ...job],
  withVersion: (value) => [pkg('libssl3', value)],
});

describe('apk: the exact commands', () => {
  it('records with apk list --installed and runs a command hook with the job id', () => {
    expect(
      apk.backup(job, { kind: 'command', target: '["/usr/local/bin/vm-snapshot", "--name", "pb-job-{job}"]' }, 8),
    ).toEqual([
      { mode: 'probe', argv: ['apk', 'list', '--installed', 'libcrypto3', 'libssl3'], check: { kind: 'versions' } },
      { mode: 'run', argv: ['/usr/local/bin/vm-snapshot', '--name', 'pb-job-8'] },
    ]);
  });

  it('installs with >= (never pinning world to the fixed version)', () => {
    expect(apk.install(job)).toEqual([
      { mode: 'probe', argv: ['apk', 'update'] },
      { mode: 'run', argv: ['apk', 'add', '--upgrade', 'libcrypto3>=3.1.4-r5', 'libssl3>=3.1.4-r5'] },
    ]);
  });

  it('checks OpenRC services and has no reboot probe', () => {
    expect(apk.verify(job, ['sshd']).slice(2)).toEqual([
      {
        mode: 'probe',
        argv: ['rc-service', 'sshd', 'status'],
        check: { kind: 'health', service: 'sshd', active: { exit: 0 } },
      },
    ]);
  });

  it('implies a reboot when a kernel flavour is in the job', () => {
    const kernel = [pkg('linux-lts', '6.6.14-r0')];
    const commands = apk.verify(kernel, []);
    const verdict = judgeVerify(apk, kernel, new Map(), commands, [
      { exit: 0, output: '' },
      { exit: 0, output: 'linux-lts-6.6.14-r0 x86_64 {linux-lts} (GPL-2.0-only) [installed]\n' },
    ]);
    expect(verdict.ok).toBe(true);
    expect(verdict.rebootRequired).toBe(true);
    expect(apk.rebootImpliedBy?.([pkg('linux-firmware-intel', '1')])).toBe(false);
  });

  it('splits name and version at the version that ends in -rN', () => {
    const installed = apk.parseInstalled(
      'font-misc-75dpi-1.0.4-r0 noarch {font-misc-75dpi} (MIT) [installed]\npy3-cryptography-41.0.7-r0\nlibc-utils-0.7.2-r5\nbusybox-1.36.1-r15\nWARNING: opening /x: No such file\n',
    );
    expect(Object.fromEntries(installed)).toEqual({
      'font-misc-75dpi': '1.0.4-r0',
      'py3-cryptography': '41.0.7-r0',
      'libc-utils': '0.7.2-r5',
      busybox: '1.36.1-r15',
    });
  });

  it('rolls back by pinning the recorded version', () => {
    expect(apk.rollback(job, apk.parseInstalled(before), null, 8)[0]).toEqual({
      mode: 'run',
      argv: ['apk', 'add', 'libcrypto3=3.1.4-r3', 'libssl3=3.1.4-r3'],
    });
  });
});
