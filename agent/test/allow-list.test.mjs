// @ts-check
/**
 * What the server can send, the agents can run: every program that worker/src/deploy/commands/
 * generates for a package manager (backup with each snapshot hook, install, verify, rollback, the
 * snapshot's release) is on the allow-list of the agent for that OS, read from the script's text.
 * The PowerShell agent cannot run here (no pwsh on this machine), so this is its main check.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandsFor, packageManagers, releaseSnapshot } from '../../worker/src/deploy/commands/index.ts';
import { AGENT, fakeServer, field, formOf, instruction, makeHost, runAgent } from './helpers.mjs';

const PS1 = path.resolve(import.meta.dirname, '../patchboard-agent.ps1');

/** The sh agent's built-in allow-list: ALLOWED='...'. */
function shAllowList() {
  const match = /^ALLOWED='([^']*)'$/m.exec(readFileSync(AGENT, 'utf8'));
  if (!match?.[1]) throw new Error('no ALLOWED= line in the sh agent');
  return match[1].split(' ');
}

/** The PowerShell agent's built-in allow-list, the line that sets $AllowedCommands. */
function ps1AllowList() {
  const match = /^\$AllowedCommands = @\(([^)]*)\)$/m.exec(readFileSync(PS1, 'utf8'));
  if (!match?.[1]) throw new Error('no $AllowedCommands line in the PowerShell agent');
  return [...match[1].matchAll(/'([^']+)'/g)].map((m) => m[1]);
}

/** @param {string} name @param {string | null} targetVersion @param {string | null} kb */
const pkg = (name, targetVersion, kb = null) => ({ name, targetVersion, kb, advisories: ['RHSA-2024:0010'] });

/**
 * Every argv a manager can generate for a job, with each hook kind it accepts; the site's own
 * `command` hook program is the site's to allow (conf `allow=`), so it is left out.
 * @param {import('../../worker/src/deploy/commands/types.ts').PackageManager} pm
 */
function everyArgv(pm) {
  const manager = commandsFor(pm);
  const windows = pm === 'windows';
  const packages = windows
    ? [pkg('windows', null, 'KB5034441')]
    : [pkg('openssl', '3.0.13-1'), pkg('libssl3', null), pkg('curl', null)];
  const recorded = new Map(windows ? [] : [['openssl', '3.0.11-1']]);
  /** @type {({ kind: 'lvm' | 'btrfs' | 'zfs' | 'command', target: string } | null)[]} */
  const hooks = windows
    ? [null]
    : [
        null,
        { kind: 'lvm', target: 'vg0/root' },
        { kind: 'btrfs', target: '/' },
        { kind: 'zfs', target: 'rpool/ROOT' },
      ];
  const commands = [
    ...hooks.flatMap((hook) => manager.backup(packages, hook, 17)),
    ...hooks.flatMap((hook) => (hook ? releaseSnapshot(hook, 17) : [])),
    ...manager.install(packages),
    ...manager.verify(packages, ['nginx']),
    ...manager.rollback(packages, recorded, null, 17),
  ];
  return commands.filter((c) => c.mode !== 'report').map((c) => c.argv);
}

describe('allow-lists against the server command modules', () => {
  it.each(packageManagers.filter((pm) => pm !== 'windows'))('the sh agent may run every program %s jobs use', (pm) => {
    const allowed = shAllowList();
    const programs = [...new Set(everyArgv(pm).map((argv) => argv[0]))];
    expect(programs.length).toBeGreaterThan(0);
    expect(programs.filter((p) => !allowed.includes(p ?? ''))).toEqual([]);
  });

  it('the PowerShell agent may run every cmdlet and program Windows jobs use', () => {
    const allowed = ps1AllowList();
    const programs = [...new Set(everyArgv('windows').map((argv) => argv[0]))];
    expect(programs).toEqual(expect.arrayContaining(['Get-HotFix', 'Install-WindowsUpdate', 'Test-Path', 'sc.exe']));
    expect(programs.filter((p) => !allowed.includes(p ?? ''))).toEqual([]);
  });

  it('allows nothing beyond what some module uses, besides env', () => {
    const used = new Set(
      packageManagers.filter((pm) => pm !== 'windows').flatMap((pm) => everyArgv(pm).map((argv) => argv[0])),
    );
    // env: it runs allowed programs only, with known variables (the agent checks both).
    expect(shAllowList().filter((p) => !used.has(p))).toEqual(['env']);
  });

  it('the sh agent gives commands the environment every POSIX module asks for', async () => {
    const wanted = Object.assign(
      {},
      ...packageManagers.filter((pm) => commandsFor(pm).shell === 'posix').map((pm) => commandsFor(pm).environment),
    );
    expect(Object.keys(wanted).length).toBeGreaterThan(0);
    const server = await fakeServer((req) => {
      if (req.method === 'PUT') return { status: 200 };
      if (req.url === '/v1/agent/jobs' && !server.requests.some((r) => r.method === 'POST')) {
        return {
          status: 200,
          body: instruction([
            ['job', 3],
            ['lease', 'L'],
            ['step', 'backup'],
            ['probe', 'printenv'],
          ]),
        };
      }
      if (req.method === 'POST')
        return {
          status: 200,
          body: instruction([
            ['job', 3],
            ['lease', 'L'],
            ['step', 'done'],
          ]),
        };
      return { status: 204 };
    });
    const host = makeHost({ url: server.url, confExtra: ['allow=printenv'] });
    try {
      const run = await runAgent(['run'], host.env);
      expect(run.code, run.stderr).toBe(0);
      const post = server.requests.find((r) => r.method === 'POST');
      if (!post) throw new Error('no step report');
      const output = await field(await formOf(post), 'output.0');
      const printed = `\n${output}`;
      for (const [name, value] of Object.entries(wanted)) expect(printed).toContain(`\n${name}=${value}\n`);
    } finally {
      await server.close();
      host.remove();
    }
  });
});
