import { describe, expect, it } from 'vitest';
import { describeManager } from './commands.suite';
import { judgeRun } from './judge';
import type { JobPackage } from './types';
import { windows } from './windows';

const kb = (id: string): JobPackage => ({
  name: 'windows',
  targetVersion: null,
  kb: id,
  advisories: ['CVE-2024-20666'],
});
const job = [kb('KB5034441'), kb('KB5034439')];

// Get-HotFix on Windows Server 2022 as the agent sends a table (Out-String).
const before = `
Source        Description      HotFixID      InstalledBy          InstalledOn
------        -----------      --------      -----------          -----------
WIN-SQL01     Update           KB5033914     NT AUTHORITY\\SYSTEM  12/13/2023 12:00:00 AM
WIN-SQL01     Security Update  KB5034129     NT AUTHORITY\\SYSTEM  1/10/2024 12:00:00 AM

`;
const after = `${before.trimEnd()}
WIN-SQL01     Security Update  KB5034439     NT AUTHORITY\\SYSTEM  1/17/2024 12:00:00 AM
WIN-SQL01     Update           KB5034441     NT AUTHORITY\\SYSTEM  1/17/2024 12:00:00 AM
`;

describeManager({
  manager: windows,
  packages: job,
  backupOutput: before,
  backupInstalled: { KB5033914: 'installed', KB5034129: 'installed' },
  verifyOutput: after,
  hook: { kind: 'command', target: '["C:\\\\Tools\\\\snapshot.exe", "/vm", "win-sql01", "/name", "pb-job-{job}"]' },
  probeNamesPackages: false,
  rebootProbe: true,
  withName: (value) => [kb(value), ...job],
  withVersion: null,
});

describe('windows: the exact commands', () => {
  it('installs each KB with PSWindowsUpdate, ignoring the reboot', () => {
    expect(windows.install(job)).toEqual([
      { mode: 'run', argv: ['Install-WindowsUpdate', '-KBArticleID', 'KB5034441', '-AcceptAll', '-IgnoreReboot'] },
      { mode: 'run', argv: ['Install-WindowsUpdate', '-KBArticleID', 'KB5034439', '-AcceptAll', '-IgnoreReboot'] },
    ]);
    expect(windows.install([kb(' kb5034441 ')])[0]?.argv[2]).toBe('KB5034441');
  });

  it('verifies with Get-HotFix, sc.exe and the RebootRequired key (True -> exit 0: reboot required)', () => {
    expect(windows.verify(job, ['MSSQLSERVER'])).toEqual([
      { mode: 'report', argv: [] },
      { mode: 'probe', argv: ['Get-HotFix'], check: { kind: 'versions' } },
      {
        mode: 'probe',
        argv: ['sc.exe', 'query', 'MSSQLSERVER'],
        check: { kind: 'health', service: 'MSSQLSERVER', active: { exit: 0, outputIncludes: 'RUNNING' } },
      },
      {
        mode: 'probe',
        argv: [
          'Test-Path',
          '-Path',
          'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update\\RebootRequired',
        ],
        check: { kind: 'reboot', required: { exit: 0, outputIncludes: 'True' }, notRequired: { exit: 1 } },
      },
    ]);
  });

  it('reads KB ids from the table or from JSON', () => {
    expect([
      ...windows.parseInstalled('[{"HotFixID":"KB5034441","InstalledOn":null},{"HotFixID":"kb5033914"}]').keys(),
    ]).toEqual(['KB5034441', 'KB5033914']);
  });

  it('uninstalls only the KBs the job added, accepting 3010 as success with a reboot', () => {
    const recorded = new Map([['KB5034439', 'installed']]);
    const commands = windows.rollback(job, recorded, null, 3);
    expect(commands).toEqual([
      {
        mode: 'probe',
        argv: ['wusa.exe', '/uninstall', '/kb:5034441', '/quiet', '/norestart'],
        check: { kind: 'exit', ok: [0], reboot: [3010] },
      },
      { mode: 'report', argv: [] },
    ]);
    expect(
      judgeRun(commands, [
        { exit: 3010, output: '' },
        { exit: 0, output: '' },
      ]),
    ).toEqual({
      ok: true,
      reasons: [],
      rebootRequired: true,
    });
    expect(
      judgeRun(commands, [
        { exit: 2359303, output: '' },
        { exit: 0, output: '' },
      ]).ok,
    ).toBe(false);
  });

  it('takes only command hooks, and needs a KB on every package', () => {
    expect(() => windows.backup(job, { kind: 'lvm', target: 'vg0/root' }, 3)).toThrow(/command hook/);
    expect(() => windows.install([{ name: 'windows', targetVersion: null, kb: null, advisories: [] }])).toThrow(/KB/);
  });
});
