/**
 * The one test suite every package manager runs (hono's router/common.case.test.ts pattern): the
 * commands of each step exist and are safe to send, the versions probe's real output parses, the
 * verify judgement follows it, rollback goes to the recorded versions, and hostile names, versions,
 * services and hook targets are refused. Each manager's own test file calls `describeManager` and
 * adds the exact argv it generates.
 */
import { describe, expect, it } from 'vitest';
import { judgeBackup, judgeVerify } from './judge';
import { UnsafeArgumentError } from './safety';
import type { Command, InstalledVersions, JobPackage, PackageManagerCommands, SnapshotHook } from './types';

export interface ManagerFixture {
  readonly manager: PackageManagerCommands;
  /** A realistic job: two or three packages with fixed versions. */
  readonly packages: readonly JobPackage[];
  /** What the versions probe prints before the install, as the real tool does. */
  readonly backupOutput: string;
  readonly backupInstalled: Readonly<Record<string, string>>;
  /** What it prints once the fixes are in. */
  readonly verifyOutput: string;
  /** The snapshot hook kinds this manager's hosts may have. */
  readonly hook: SnapshotHook;
  /** Whether the versions probe names the job's packages (Windows lists every hotfix). */
  readonly probeNamesPackages: boolean;
  /** Whether verify has a reboot probe (Alpine has none). */
  readonly rebootProbe: boolean;
  /** The job with one hostile value where a package name (or KB) goes. */
  readonly withName: (value: string) => JobPackage[];
  /** The job with one hostile target version, or null when versions are not used (Windows). */
  readonly withVersion: ((value: string) => JobPackage[]) | null;
}

const JOB = 4711;
const UNSAFE = /[\t\r\n\0]/;

export const hostileValues = [
  'openssl; rm -rf /',
  '$(id)',
  '`id`',
  'a\tb',
  'a\nb',
  'a\rb',
  'a\0b',
  '--config=/etc/x',
  '-y',
  '',
  ' openssl',
  'openssl ',
  'a|b',
  'a>b',
  '../../etc/passwd',
  'x'.repeat(200),
];

export const hostileServices = ['ssh; id', '-x', '--all', 'a\tb', 'a b', '$(reboot)', '', 'svc\n'];

export function expectSafe(commands: readonly Command[]): void {
  expect(commands.length).toBeGreaterThan(0);
  for (const command of commands) {
    expect(['run', 'probe', 'report']).toContain(command.mode);
    if (command.mode === 'report') {
      expect(command.argv).toEqual([]);
      continue;
    }
    expect(command.argv.length).toBeGreaterThan(0);
    expect(command.argv[0]).not.toMatch(/^-|^$/);
    for (const arg of command.argv) expect(arg).not.toMatch(UNSAFE);
  }
}

const toRecord = (map: InstalledVersions): Record<string, string> => Object.fromEntries(map);
const results = (commands: readonly Command[], answer: (c: Command) => { exit: number; output: string }) =>
  commands.map(answer);

export function describeManager(fixture: ManagerFixture): void {
  const { manager, packages } = fixture;
  const recorded = manager.parseInstalled(fixture.backupOutput);

  describe(`${manager.packageManager}: the shared suite`, () => {
    it('generates safe, non-empty commands for every step', () => {
      expectSafe(manager.backup(packages, null, JOB));
      expectSafe(manager.backup(packages, fixture.hook, JOB));
      expectSafe(manager.install(packages));
      expectSafe(manager.verify(packages, ['sshd', 'nginx']));
      expectSafe(manager.rollback(packages, recorded, null, JOB));
    });

    it('backs up with a versions probe first, then the snapshot as a run', () => {
      const commands = manager.backup(packages, fixture.hook, JOB);
      expect(commands[0]?.mode).toBe('probe');
      expect(commands[0]?.check).toEqual({ kind: 'versions' });
      expect(commands.at(-1)?.mode).toBe('run');
      expect(commands.at(-1)?.argv.join(' ')).toContain(String(JOB));
      expect(manager.backup(packages, null, JOB)).toHaveLength(1);
    });

    it('records every package of the job', () => {
      const [probe] = manager.backup(packages, null, JOB);
      if (fixture.probeNamesPackages) {
        for (const pkg of packages) expect(probe?.argv).toContain(pkg.name);
      }
      expect(toRecord(recorded)).toEqual(fixture.backupInstalled);
      const verdict = judgeBackup(manager, manager.backup(packages, null, JOB), [
        { exit: 0, output: fixture.backupOutput },
      ]);
      expect(verdict.ok).toBe(true);
      expect(toRecord(verdict.recorded)).toEqual(fixture.backupInstalled);
    });

    it('reads nothing from empty or garbled output, and never throws', () => {
      expect(manager.parseInstalled('').size).toBe(0);
      expect(manager.parseInstalled('\n\n   \n').size).toBe(0);
      expect(() => manager.parseInstalled('\u0000\u001b[31mgarbage\r\n{"a":')).not.toThrow();
      expect(() => manager.parseInstalled('x'.repeat(70_000))).not.toThrow();
    });

    it('verifies: a report, one versions probe, a health probe per service, the reboot probe', () => {
      const commands = manager.verify(packages, ['sshd', 'nginx']);
      expect(commands[0]).toEqual({ mode: 'report', argv: [] });
      expect(commands.filter((c) => c.check?.kind === 'versions')).toHaveLength(1);
      const health = commands.filter((c) => c.check?.kind === 'health');
      expect(health.map((c) => (c.check?.kind === 'health' ? c.check.service : ''))).toEqual(['sshd', 'nginx']);
      for (const c of health) expect(c.argv).toContain(c.check?.kind === 'health' ? c.check.service : '?');
      expect(commands.filter((c) => c.check?.kind === 'reboot')).toHaveLength(fixture.rebootProbe ? 1 : 0);
      expect(commands.every((c) => c.mode !== 'run')).toBe(true);
    });

    it('judges verify from what the probes answered', () => {
      const commands = manager.verify(packages, ['sshd']);
      const answer = (output: string, healthy: boolean, reboot: boolean) =>
        results(commands, (c) => {
          if (c.check?.kind === 'versions') return { exit: 0, output };
          if (c.check?.kind === 'health')
            return healthy ? { exit: 0, output: c.check.active.outputIncludes ?? '' } : { exit: 3, output: 'inactive' };
          if (c.check?.kind === 'reboot') {
            const e = reboot ? c.check.required : c.check.notRequired;
            return { exit: e.exit, output: e.outputIncludes ?? '' };
          }
          return { exit: 0, output: '' };
        });

      const fixed = judgeVerify(manager, packages, recorded, commands, answer(fixture.verifyOutput, true, true));
      expect(fixed.reasons).toEqual([]);
      expect(fixed.ok).toBe(true);
      if (fixture.rebootProbe) expect(fixed.rebootRequired).toBe(true);
      if (fixture.rebootProbe) {
        expect(
          judgeVerify(manager, packages, recorded, commands, answer(fixture.verifyOutput, true, false)).rebootRequired,
        ).toBe(false);
      }

      const unchanged = judgeVerify(manager, packages, recorded, commands, answer(fixture.backupOutput, true, false));
      expect(unchanged.ok).toBe(false);
      expect(unchanged.reasons.length).toBeGreaterThan(0);

      const unhealthy = judgeVerify(manager, packages, recorded, commands, answer(fixture.verifyOutput, false, false));
      expect(unhealthy.ok).toBe(false);
      expect(unhealthy.unhealthy).toEqual(['sshd']);

      const silent = judgeVerify(manager, packages, recorded, commands, []);
      expect(silent.ok).toBe(false);
    });

    it('rolls back to the recorded versions, then reports', () => {
      const commands = manager.rollback(packages, recorded, fixture.hook, JOB);
      expect(commands.at(-1)).toEqual({ mode: 'report', argv: [] });
      const words = commands.flatMap((c) => c.argv).join(' ');
      if (fixture.probeNamesPackages) {
        for (const [name, version] of recorded) {
          if (!packages.some((p) => p.name === name)) continue;
          expect(words).toContain(name);
          expect(words).toContain(version.replace(/^0:/, ''));
        }
        // Nothing recorded: nothing to go back to.
        expect(manager.rollback(packages, new Map(), null, JOB)).toEqual([{ mode: 'report', argv: [] }]);
      }
      // Never installs the job's target versions while rolling back.
      for (const pkg of packages) {
        if (pkg.targetVersion && !Object.values(fixture.backupInstalled).includes(pkg.targetVersion)) {
          expect(words).not.toContain(pkg.targetVersion.replace(/^0:/, ''));
        }
      }
    });

    it.each(hostileValues)('refuses the hostile package name %j', (value) => {
      const job = fixture.withName(value);
      expect(() => manager.install(job)).toThrow(UnsafeArgumentError);
      expect(() => manager.backup(job, null, JOB)).toThrow(UnsafeArgumentError);
      expect(() => manager.verify(job, [])).toThrow(UnsafeArgumentError);
      const all: InstalledVersions = new Map(job.map((p) => [p.name, '1.0-1']));
      if (fixture.probeNamesPackages) expect(() => manager.rollback(job, all, null, JOB)).toThrow(UnsafeArgumentError);
    });

    it.each(hostileValues)('refuses the hostile version %j', (value) => {
      if (!fixture.withVersion) return;
      expect(() => manager.install(fixture.withVersion?.(value) ?? [])).toThrow(UnsafeArgumentError);
      const name = packages[0]?.name ?? '';
      expect(() => manager.rollback(packages, new Map([[name, value]]), null, JOB)).toThrow(UnsafeArgumentError);
    });

    it.each(hostileServices)('refuses the hostile health check %j', (service) => {
      expect(() => manager.verify(packages, [service])).toThrow(UnsafeArgumentError);
    });

    it.each([
      { kind: 'command', target: '["/usr/bin/snap", "a\\nb"]' },
      { kind: 'command', target: 'rm -rf /' },
      { kind: 'command', target: '[]' },
      { kind: 'command', target: '["-x"]' },
      { kind: 'lvm', target: 'vg0/root; reboot' },
      { kind: 'btrfs', target: '/srv/../etc' },
      { kind: 'zfs', target: '-r tank' },
    ] as const)('refuses the hostile snapshot hook $kind $target', (hook) => {
      expect(() => manager.backup(packages, hook, JOB)).toThrow(UnsafeArgumentError);
    });

    it('refuses a job id that is not a positive integer', () => {
      for (const id of [0, -1, 1.5, Number.NaN]) {
        expect(() => manager.backup(packages, fixture.hook, id)).toThrow(UnsafeArgumentError);
      }
    });
  });
}
