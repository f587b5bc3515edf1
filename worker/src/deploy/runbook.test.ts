import { describe, expect, it } from 'vitest';
import { apt, DPKG_QUERY_FORMAT } from './commands/apt';
import { powerShellQuote, shellQuote } from './commands/quote';
import { windows } from './commands/windows';
import {
  mdCode,
  mdFence,
  mdText,
  outputTail,
  planCommands,
  type RunbookStep,
  type RunbookView,
  renderRunbook,
} from './runbook';

const debianJob = [
  { name: 'openssl', targetVersion: '3.0.13-1~deb12u1', kb: null, advisories: ['DSA-5621-1'] },
  { name: 'libssl3', targetVersion: '3.0.13-1~deb12u1', kb: null, advisories: ['DSA-5621-1'] },
];
const windowsJob = [{ name: 'windows', targetVersion: null, kb: 'KB5034441', advisories: ['CVE-2024-20666'] }];
const hook = { kind: 'lvm', target: 'vg0/root' } as const;
const dpkgBefore = 'libssl3 3.0.11-1~deb12u2\nopenssl 3.0.11-1~deb12u2\n';
const dpkgAfter = 'libssl3 3.0.13-1~deb12u1\nopenssl 3.0.13-1~deb12u1\n';

const webSteps: RunbookStep[] = [
  {
    step: 'backup',
    commands: apt.backup(debianJob, hook, 17),
    results: [
      { exit: 0, output: dpkgBefore },
      { exit: 0, output: '  Logical volume "pb-job-17" created.\n' },
    ],
    ok: true,
  },
  {
    step: 'install',
    commands: apt.install(debianJob),
    results: [
      { exit: 0, output: 'Hit:1 http://deb.debian.org/debian bookworm InRelease\nReading package lists...\n' },
      {
        exit: 0,
        output: `Setting up libssl3:amd64 (3.0.13-1~deb12u1) ...\n${'Processing triggers for libc-bin\n'.repeat(40)}`,
      },
    ],
    ok: true,
  },
  {
    step: 'verify',
    commands: apt.verify(debianJob, ['nginx']),
    results: [
      { exit: 0, output: '' },
      { exit: 0, output: dpkgAfter },
      { exit: 0, output: '' },
      { exit: 1, output: '' },
    ],
    ok: true,
  },
];

const winSteps: RunbookStep[] = [
  {
    step: 'backup',
    commands: windows.backup(windowsJob, null, 18),
    results: [{ exit: 0, output: 'HotFixID\nKB5033914\n' }],
    ok: true,
  },
  {
    step: 'install',
    commands: windows.install(windowsJob),
    results: [
      {
        exit: 0,
        output:
          'X ComputerName Result KB Size Title\n- ------------ ------ -- ---- -----\n3 WIN-01 Installed KB5034441 250MB 2024-01 Security Update',
      },
    ],
    ok: true,
  },
  {
    step: 'verify',
    commands: windows.verify(windowsJob, ['W3SVC']),
    results: [
      { exit: 0, output: '' },
      { exit: 0, output: 'KB5033914\nKB5034441\n' },
      { exit: 0, output: 'SERVICE_NAME: W3SVC\n        STATE              : 1  STOPPED\n' },
      { exit: 0, output: 'True' },
    ],
    ok: false,
  },
  {
    step: 'rollback',
    commands: windows.rollback(windowsJob, new Map([['KB5033914', 'installed']]), null, 18),
    results: [
      { exit: 3010, output: '' },
      { exit: 0, output: '' },
    ],
    ok: true,
  },
];

const hostileSummary = 'Fix for `openssl` | table breaker <script>alert(1)</script> and ```fence``` * [link](http://x)';

const view: RunbookView = {
  deployment: {
    id: 42,
    title: 'January OpenSSL fixes',
    status: 'halted',
    createdBy: 'alice@example.com',
    createdAt: '2024-01-20T09:00:00Z',
    submittedAt: '2024-01-20T09:01:00Z',
    approvedBy: 'bob@example.com',
    approvedAt: '2024-01-20T10:00:00Z',
    decisionNote: 'OK for test and pilot.\nProd after the soak.',
    startedAt: '2024-01-20T10:00:00Z',
    endedAt: '2024-01-21T03:00:00Z',
    haltReason: 'ring test: 1 of 2 hosts rolled back (threshold 100 %)',
  },
  target: 'advisories DSA-5621-1, CVE-2024-20666 on every affected host',
  advisories: [
    { id: 'DSA-5621-1', cves: ['CVE-2023-5678', 'CVE-2024-0727'], summary: hostileSummary },
    { id: 'CVE-2024-20666', cves: ['CVE-2024-20666'], summary: 'BitLocker security feature bypass' },
  ],
  rings: [
    {
      position: 0,
      ring: 'test',
      status: 'failed',
      windows: [
        {
          name: 'test nights',
          rule: 'Sat 02:00-05:00',
          timeZone: 'Europe/Berlin',
          nextOpening: { start: '2024-01-27T01:00:00Z', end: '2024-01-27T04:00:00Z' },
        },
      ],
      soakMinutes: 60,
      successThreshold: 1,
      healthChecks: ['nginx', 'W3SVC'],
      gate: { passed: false, reasons: ['win-01: rolled back (service W3SVC is not active)'] },
      hosts: [
        {
          hostname: 'web-01',
          osFamily: 'debian',
          packageManager: 'apt',
          packages: [
            { name: 'openssl', from: '3.0.11-1~deb12u2', to: '3.0.13-1~deb12u1' },
            { name: 'libssl3', from: '3.0.11-1~deb12u2', to: '3.0.13-1~deb12u1' },
          ],
          jobs: [
            { id: 17, status: 'succeeded', result: 'installed; verified', rebootRequired: false, steps: webSteps },
          ],
        },
        {
          hostname: 'win-01',
          osFamily: 'windows',
          packageManager: 'windows',
          packages: [{ name: 'KB5034441', from: null, to: null }],
          jobs: [
            {
              id: 18,
              status: 'rolled_back',
              result: 'service W3SVC is not active',
              rebootRequired: true,
              steps: winSteps,
            },
          ],
        },
      ],
    },
    {
      position: 1,
      ring: 'prod',
      status: 'cancelled',
      windows: [],
      soakMinutes: 1440,
      successThreshold: 0.95,
      healthChecks: [],
      gate: null,
      hosts: [
        {
          hostname: 'web-02',
          osFamily: 'debian',
          packageManager: 'apt',
          packages: [{ name: 'openssl', from: '3.0.11-1~deb12u2', to: '3.0.13-1~deb12u1' }],
        },
      ],
    },
  ],
  commands: [
    planCommands({
      family: 'Debian 12 (apt)',
      packageManager: 'apt',
      hosts: ['web-01', 'web-02'],
      packages: debianJob,
      installed: apt.parseInstalled(dpkgBefore),
      hook,
      healthChecks: ['nginx'],
    }),
    planCommands({
      family: 'Windows Server 2022',
      packageManager: 'windows',
      hosts: ['win-01'],
      packages: windowsJob,
      installed: new Map(),
      hook: null,
      healthChecks: ['W3SVC'],
    }),
  ],
  audit: [
    {
      at: '2024-01-20T09:00:00Z',
      actor: 'alice@example.com',
      action: 'deployment.create',
      summary: 'created | with `ticks`',
    },
    { at: '2024-01-20T10:00:00Z', actor: 'bob@example.com', action: 'deployment.approve', summary: 'approved' },
    { at: '2024-01-21T03:00:00Z', actor: 'scheduler', action: 'deployment.halt', summary: 'ring test failed its gate' },
  ],
  generatedAt: '2024-01-21T08:00:00Z',
};

/** Lines outside fenced blocks (what Markdown parses as structure). */
function outsideFences(markdown: string): string[] {
  const lines: string[] = [];
  let fence: string | null = null;
  for (const line of markdown.split('\n')) {
    const opening = /^(`{3,})/.exec(line)?.[1];
    if (fence === null && opening) fence = opening;
    else if (fence !== null && line.startsWith(fence) && line.slice(fence.length).trim() === '') fence = null;
    else if (fence === null) lines.push(line);
  }
  expect(fence).toBeNull();
  return lines;
}

/** Cells of a table row, splitting on unescaped pipes. */
const cells = (line: string): number => line.split(/(?<!\\)\|/).length - 2;

describe('renderRunbook', () => {
  const markdown = renderRunbook(view);

  it('has every section, in order', () => {
    const headings = markdown.split('\n').filter((l) => /^## /.test(l));
    expect(headings).toEqual([
      '## Summary',
      '## Approvals',
      '## Rings',
      '## Commands per host family',
      '## Results',
      '## Audit trail',
    ]);
  });

  it('names every command that ran, verbatim, with its exit code', () => {
    for (const step of webSteps) {
      step.commands.forEach((command, i) => {
        if (command.mode === 'report') return;
        expect(markdown).toContain(`# ${command.mode}, exit ${step.results?.[i]?.exit}\n${shellQuote(command.argv)}\n`);
      });
    }
    for (const step of winSteps) {
      for (const command of step.commands)
        if (command.mode !== 'report') expect(markdown).toContain(powerShellQuote(command.argv));
    }
    expect(markdown).toContain(`dpkg-query -W '${DPKG_QUERY_FORMAT}' openssl libssl3`);
    expect(markdown).toContain('lvcreate --snapshot --name pb-job-17 --extents 20%ORIGIN vg0/root');
    expect(markdown).toContain(
      "Test-Path -Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update\\RebootRequired'",
    );
    expect(markdown).toContain('# probe, exit 3010\nwusa.exe /uninstall /kb:5034441 /quiet /norestart');
  });

  it('shows the planned commands per family, with the environment, the job placeholder and the restore fallback', () => {
    expect(markdown).toContain('### Debian 12 (apt)');
    expect(markdown).toContain('export DEBIAN_FRONTEND=noninteractive LC_ALL=C');
    expect(markdown).toContain("lvcreate --snapshot --name 'pb-job-{job}' --extents 20%ORIGIN vg0/root");
    expect(markdown).toContain("lvconvert --merge 'vg0/pb-job-{job}'");
    expect(markdown).toContain('reboot the host after running it');
    expect(markdown).toContain(
      'apt-get install -y --allow-downgrades -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold openssl=3.0.11-1~deb12u2 libssl3=3.0.11-1~deb12u2',
    );
    expect(markdown).toContain('Install-WindowsUpdate -KBArticleID KB5034441 -AcceptAll -IgnoreReboot');
    expect(markdown).toContain('# probe: reboot required when exit 0 and output has "True"; not required when exit 1');
    expect(markdown).toContain('No snapshot hook applies to these hosts.');
  });

  it('summarises what it closes, approvals, rings, windows, gates and the audit trail', () => {
    expect(markdown).toContain('- **Closes:** 2 advisories and 3 CVEs');
    expect(markdown).toContain('CVE-2023-5678, CVE-2024-0727, CVE-2024-20666');
    expect(markdown).toContain('- Approved by bob@example.com at 2024-01-20T10:00:00Z');
    expect(markdown).toContain('- Decision note: OK for test and pilot. Prod after the soak.');
    expect(markdown).toContain(
      '- Halted: ring test: 1 of 2 hosts rolled back (threshold 100 % of hosts)'.replace(' of hosts', ''),
    );
    expect(markdown).toContain('### Ring 1: test (failed)');
    expect(markdown).toContain(
      '| test nights | Sat 02:00-05:00 | Europe/Berlin | 2024-01-27T01:00:00Z – 2024-01-27T04:00:00Z |',
    );
    expect(markdown).toContain('- Gate: failed: win-01: rolled back (service W3SVC is not active)');
    expect(markdown).toContain("- Windows: each host's own maintenance windows");
    expect(markdown).toContain(
      '| web-02 | debian | apt | openssl 3.0.11-1\\~deb12u2 → 3.0.13-1\\~deb12u1 | not started |',
    );
    expect(markdown).toContain('### win-01: job 18 (rolled\\_back; reboot required)');
    expect(markdown).toContain('| 2024-01-21T03:00:00Z | scheduler | deployment.halt | ring test failed its gate |');
  });

  it('keeps hostile text from feeds and people inside its cell, as text', () => {
    const outside = outsideFences(markdown);
    expect(outside.join('\n')).not.toContain('<script>');
    const advisoryRow = outside.find((l) => l.startsWith('| DSA-5621-1 |'));
    expect(advisoryRow).toBeDefined();
    expect(cells(advisoryRow ?? '')).toBe(3);
    expect(advisoryRow).toContain('\\<script\\>');
    expect(advisoryRow).toContain('\\`openssl\\`');
    expect(advisoryRow).toContain('\\|');
    const auditRow = outside.find((l) => l.includes('deployment.create'));
    expect(cells(auditRow ?? '')).toBe(4);
    // Every table row has as many cells as its header.
    let expected = 0;
    for (const line of outside) {
      if (!line.startsWith('|')) {
        expected = 0;
        continue;
      }
      if (expected === 0) expected = cells(line);
      else expect(cells(line), line).toBe(expected);
    }
  });

  it('keeps the tail of long outputs in a fence', () => {
    expect(markdown).toContain('… (26 earlier lines)');
    expect(markdown).toContain('Processing triggers for libc-bin');
  });

  it('renders a draft with no jobs, no advisories and no commands', () => {
    const draft = renderRunbook({
      ...view,
      deployment: {
        ...view.deployment,
        status: 'draft',
        approvedBy: null,
        approvedAt: null,
        endedAt: null,
        haltReason: null,
      },
      advisories: [],
      rings: [],
      commands: [],
      audit: [],
    });
    expect(draft).toContain('- Not approved yet');
    expect(draft).toContain('No step has run yet.');
    expect(draft).toContain('No planned commands.');
    expect(draft).toContain('No entries.');
  });
});

describe('Markdown helpers', () => {
  it('escapes inline text and flattens it to one line', () => {
    expect(mdText('a|b `c` <d> *e* _f_ [g] ~h~ & #i\\')).toBe(
      'a\\|b \\`c\\` \\<d\\> \\*e\\* \\_f\\_ \\[g\\] \\~h\\~ \\& \\#i\\\\',
    );
    expect(mdText('line one\r\nline two')).toBe('line one line two');
    expect(mdText(null)).toBe('—');
    expect(mdText('\u001b[31mred')).toBe('\uFFFD\\[31mred');
  });

  it('makes code spans and fences that the content cannot close', () => {
    expect(mdCode('a`b')).toBe('``a`b``');
    expect(mdCode('`x`')).toBe('`` `x` ``');
    expect(mdCode('a|b', true)).toBe('`a\\|b`');
    expect(mdFence('x\n```\ny', 'sh')).toBe('````sh\nx\n```\ny\n````');
    expect(mdFence('plain')).toBe('```\nplain\n```');
  });

  it('keeps the last lines of an output', () => {
    const output = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join('\n');
    expect(outputTail(output)).toBe(
      `… (15 earlier lines)\n${Array.from({ length: 15 }, (_, i) => `line ${i + 16}`).join('\n')}`,
    );
    expect(outputTail('x'.repeat(5000)).length).toBe(2001);
  });
});
