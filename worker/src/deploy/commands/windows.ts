/**
 * Windows through the PowerShell agent: PSWindowsUpdate installs a KB, Get-HotFix records, wusa
 * uninstalls. A job's packages carry the KB (`package` is `windows`).
 *
 * The PowerShell agent runs argv as `& $argv[0] @rest` and turns the outcome into an exit code:
 * a native program's own exit code; for a cmdlet, 0 when it succeeded, 1 when its only output was
 * the boolean False, 2 when it failed (an error record). So a cmdlet answering True or False reads
 * like POSIX `test`: 0 true, 1 false, anything else an error.
 *
 * Snapshots: only `command` hooks (a hypervisor's snapshot tool); System Restore's
 * Checkpoint-Computer does not exist on Windows Server and cannot restore a server from outside.
 */
import { checked, probe, report, run, serviceName, UnsafeArgumentError } from './safety';
import { takeSnapshot } from './snapshot';
import type { Command, InstalledVersions, JobPackage, PackageManagerCommands } from './types';

const KB = /^KB\d{6,8}$/;

function kbOf(pkg: JobPackage): string {
  if (pkg.kb === null) throw new UnsafeArgumentError('KB', pkg.name, 'a Windows job package with its KB');
  return checked('KB', pkg.kb.trim().toUpperCase(), KB, 'KB and 6 to 8 digits, such as KB5034441');
}

const kbsOf = (packages: readonly JobPackage[]): string[] => [...new Set(packages.map(kbOf))];

/** Every installed hotfix; parseInstalled finds the KB ids in the table (or in JSON, if the agent sends that). */
const versionsProbe: Command = probe({ kind: 'versions' }, 'Get-HotFix');

const REBOOT_KEY = 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update\\RebootRequired';

export const windows: PackageManagerCommands = {
  packageManager: 'windows',
  shell: 'powershell',
  environment: {},

  backup(packages, hook, jobId) {
    kbsOf(packages);
    if (hook && hook.kind !== 'command') {
      throw new UnsafeArgumentError(
        'snapshot hook',
        hook.kind,
        'a command hook on Windows (lvm, btrfs and zfs are Linux)',
      );
    }
    return [versionsProbe, ...(hook ? takeSnapshot(hook, jobId) : [])];
  },

  install(packages) {
    // One KB per command: -KBArticleID takes an array, which argv splatting cannot pass as one value.
    return kbsOf(packages).map((kb) => run('Install-WindowsUpdate', '-KBArticleID', kb, '-AcceptAll', '-IgnoreReboot'));
  },

  verify(packages, healthChecks) {
    kbsOf(packages);
    return [
      report,
      versionsProbe,
      // sc.exe exits 0 for any existing service (1060 for none); its state line is not localised.
      ...healthChecks.map((service) =>
        probe(
          { kind: 'health', service: serviceName(service), active: { exit: 0, outputIncludes: 'RUNNING' } },
          'sc.exe',
          'query',
          service,
        ),
      ),
      // Test-Path prints True or False; the agent maps True to 0 and False to 1.
      probe(
        { kind: 'reboot', required: { exit: 0, outputIncludes: 'True' }, notRequired: { exit: 1 } },
        'Test-Path',
        '-Path',
        REBOOT_KEY,
      ),
    ];
  },

  parseInstalled(output) {
    const installed: InstalledVersions = new Map();
    for (const match of output.matchAll(/\bKB\d{6,8}\b/gi)) installed.set(match[0].toUpperCase(), 'installed');
    return installed;
  },

  rollback(packages, recorded) {
    // Only the KBs this job added. Probes, not runs: wusa's 3010 is a success that needs a reboot,
    // and one KB that will not uninstall must not keep the others installed.
    const added = kbsOf(packages).filter((kb) => !recorded.has(kb));
    return [
      ...added.map((kb) =>
        probe(
          { kind: 'exit', ok: [0], reboot: [3010] },
          'wusa.exe',
          '/uninstall',
          `/kb:${kb.slice(2)}`,
          '/quiet',
          '/norestart',
        ),
      ),
      report,
    ];
  },

  checkInstalled(pkg, installed) {
    const kb = kbOf(pkg);
    return installed.has(kb) ? undefined : `${kb} is not installed`;
  },
};
