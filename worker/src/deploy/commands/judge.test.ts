import { describe, expect, it } from 'vitest';
import { apt } from './apt';
import { dnf } from './dnf';
import { judgeBackup, judgeRun, judgeVerify, pendingPackages } from './judge';
import type { JobPackage } from './types';
import { windows } from './windows';

const pkg = (name: string, targetVersion: string | null): JobPackage => ({
  name,
  targetVersion,
  kb: null,
  advisories: [],
});

describe('judgeBackup', () => {
  const commands = apt.backup([pkg('openssl', '3.0.13-1~deb12u1')], { kind: 'zfs', target: 'rpool/ROOT/debian' }, 4);

  it('records the versions whatever the probe exited, and fails on a failed snapshot', () => {
    const ok = judgeBackup(apt, commands, [
      { exit: 1, output: 'openssl 3.0.11-1~deb12u2\ndpkg-query: no packages found matching libfoo\n' },
      { exit: 0, output: '' },
    ]);
    expect(ok.ok).toBe(true);
    expect(Object.fromEntries(ok.recorded)).toEqual({ openssl: '3.0.11-1~deb12u2' });
    const failed = judgeBackup(apt, commands, [
      { exit: 0, output: 'openssl 3.0.11-1~deb12u2\n' },
      { exit: 1, output: "cannot create snapshot 'rpool/ROOT/debian@pb-job-4': out of space" },
    ]);
    expect(failed.ok).toBe(false);
    expect(failed.reasons).toEqual(['exit 1: zfs snapshot rpool/ROOT/debian@pb-job-4']);
    expect(judgeBackup(apt, commands, []).reasons).toContain('the installed versions were not reported');
  });
});

describe('judgeRun', () => {
  it('needs every run to exit 0; probes without a check only record', () => {
    const commands = apt.install([pkg('openssl', '3.0.13-1~deb12u1')]);
    expect(
      judgeRun(commands, [
        { exit: 100, output: 'W: failed to fetch' },
        { exit: 0, output: '' },
      ]).ok,
    ).toBe(true);
    expect(
      judgeRun(commands, [
        { exit: 0, output: '' },
        { exit: 100, output: "E: Version '3.0.13-1~deb12u1' not found" },
      ]).ok,
    ).toBe(false);
    expect(judgeRun(commands, [{ exit: 0, output: '' }]).reasons[0]).toMatch(/^not run: apt-get install/);
  });
});

describe('judgeVerify', () => {
  const job = [pkg('openssl', '1:3.0.7-25.el9_3')];
  const commands = dnf.verify(job, []);
  const reboot = (exit: number, output: string) =>
    judgeVerify(dnf, job, new Map(), commands, [
      { exit: 0, output: '' },
      { exit: 0, output: 'openssl 1:3.0.7-25.el9_3\n' },
      { exit, output },
    ]).rebootRequired;

  it('reads dnf needs-restarting in its inverted sense, and says null when unsure', () => {
    expect(
      reboot(
        1,
        'Core libraries or services have been updated since boot-up:\n  * kernel\n\nReboot is required to fully utilize these updates.',
      ),
    ).toBe(true);
    expect(
      reboot(0, 'No core libraries or services have been updated since boot-up.\nReboot should not be necessary.'),
    ).toBe(false);
    expect(reboot(1, 'No such command: needs-restarting.')).toBeNull();
    expect(reboot(127, '')).toBeNull();
  });

  it('accepts a later version than the target, and a newer one when there is no target', () => {
    const installed = new Map([['openssl', '1:3.0.7-27.el9']]);
    expect(dnf.checkInstalled(job[0] ?? pkg('x', null), installed, new Map())).toBeUndefined();
    const recorded = new Map([['openssl', '1:3.0.7-24.el9']]);
    expect(dnf.checkInstalled(pkg('openssl', null), installed, recorded)).toBeUndefined();
    expect(dnf.checkInstalled(pkg('openssl', null), recorded, recorded)).toMatch(/installed nothing newer/);
    expect(dnf.checkInstalled(pkg('openssl', '1:3.0.7-25.el9_3'), recorded, recorded)).toMatch(
      /below the fixed version/,
    );
  });
});

describe('pendingPackages', () => {
  it('leaves out what is not installed and what already has the fix', () => {
    const recorded = apt.parseInstalled('openssl 3.0.11-1~deb12u2\nlibssl3 3.0.14-1~deb12u1\n');
    const { pending, skipped } = pendingPackages(
      apt,
      [pkg('openssl', '3.0.13-1~deb12u1'), pkg('libssl3', '3.0.13-1~deb12u1'), pkg('libfoo', '1.0-1')],
      recorded,
    );
    expect(pending.map((p) => p.name)).toEqual(['openssl']);
    expect(skipped.map((s) => s.reason)).toEqual(['libssl3 is already at 3.0.14-1~deb12u1', 'libfoo is not installed']);
  });

  it('leaves out KBs already installed on Windows', () => {
    const kb = (id: string): JobPackage => ({ name: 'windows', targetVersion: null, kb: id, advisories: [] });
    const { pending, skipped } = pendingPackages(
      windows,
      [kb('KB5034441'), kb('KB5034439')],
      new Map([['KB5034439', 'installed']]),
    );
    expect(pending.map((p) => p.kb)).toEqual(['KB5034441']);
    expect(skipped.map((s) => s.reason)).toEqual(['KB5034439 is already installed']);
  });
});
