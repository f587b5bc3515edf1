/**
 * How the server reads a step's results (docs/agent-protocol.md): `results[i]` belongs to
 * `commands[i]`; commands after a failed `run` are absent. Pure: the caller stores the verdict.
 *
 * - backup: ok when every `run` (the snapshot) exited 0; `recorded` is what the versions probe
 *   found (its exit code is ignored: dpkg-query and rpm exit 1 when one package is missing).
 * - install, rollback: ok when every `run` exited 0 and every probe with an `exit` check answered
 *   one of its codes; probes without a check (apt-get update) are only recorded.
 * - verify: ok when every package holds its fix (`checkInstalled` on the versions probe's output)
 *   and every health probe matched `active`. The reboot probe never fails the step: it sets
 *   `rebootRequired` (true, false, or null when its answer was neither).
 */
import type { Command, Expectation, InstalledVersions, JobPackage, PackageManagerCommands } from './types';

export interface CommandResult {
  readonly exit: number;
  readonly output: string;
}

export interface StepVerdict {
  readonly ok: boolean;
  /** Why not, one line each (for the job's result and the runbook). */
  readonly reasons: string[];
  /** From a reboot probe, a kernel in the job (apk), or wusa's 3010; null: nothing said. */
  readonly rebootRequired: boolean | null;
}

export interface BackupVerdict extends StepVerdict {
  readonly recorded: InstalledVersions;
}

export interface VerifyVerdict extends StepVerdict {
  readonly installed: InstalledVersions;
  /** Services whose probe did not answer "active". */
  readonly unhealthy: string[];
}

export function matches(expectation: Expectation, result: CommandResult): boolean {
  return (
    result.exit === expectation.exit &&
    (expectation.outputIncludes === undefined || result.output.includes(expectation.outputIncludes))
  );
}

const shown = (command: Command): string => command.argv.join(' ');

/** The `run` and `exit`-checked commands of any step. */
function judgeExits(commands: readonly Command[], results: readonly (CommandResult | undefined)[]): StepVerdict {
  const reasons: string[] = [];
  let rebootRequired: boolean | null = null;
  commands.forEach((command, index) => {
    const result = results[index];
    const check = command.check;
    if (command.mode === 'run') {
      if (!result) reasons.push(`not run: ${shown(command)}`);
      else if (result.exit !== 0) reasons.push(`exit ${result.exit}: ${shown(command)}`);
    } else if (check?.kind === 'exit') {
      if (!result) reasons.push(`not run: ${shown(command)}`);
      else if (check.reboot?.includes(result.exit)) rebootRequired = true;
      else if (!check.ok.includes(result.exit)) reasons.push(`exit ${result.exit}: ${shown(command)}`);
    }
  });
  return { ok: reasons.length === 0, reasons, rebootRequired };
}

function versionsOutput(commands: readonly Command[], results: readonly (CommandResult | undefined)[]): string | null {
  const index = commands.findIndex((c) => c.check?.kind === 'versions');
  return index === -1 ? null : (results[index]?.output ?? null);
}

export function judgeBackup(
  manager: PackageManagerCommands,
  commands: readonly Command[],
  results: readonly (CommandResult | undefined)[],
): BackupVerdict {
  const exits = judgeExits(commands, results);
  const output = versionsOutput(commands, results);
  const reasons = output === null ? [...exits.reasons, 'the installed versions were not reported'] : exits.reasons;
  return {
    ...exits,
    ok: reasons.length === 0,
    reasons,
    recorded: output === null ? new Map() : manager.parseInstalled(output),
  };
}

/** Install and rollback. */
export function judgeRun(commands: readonly Command[], results: readonly (CommandResult | undefined)[]): StepVerdict {
  return judgeExits(commands, results);
}

export function judgeVerify(
  manager: PackageManagerCommands,
  packages: readonly JobPackage[],
  recorded: InstalledVersions,
  commands: readonly Command[],
  results: readonly (CommandResult | undefined)[],
): VerifyVerdict {
  const reasons: string[] = [];
  const unhealthy: string[] = [];
  let rebootRequired: boolean | null = null;
  let sawRebootProbe = false;
  const output = versionsOutput(commands, results);
  const installed = output === null ? new Map<string, string>() : manager.parseInstalled(output);
  if (output === null) reasons.push('the installed versions were not reported');
  else {
    for (const pkg of packages) {
      const problem = manager.checkInstalled(pkg, installed, recorded);
      if (problem) reasons.push(problem);
    }
  }
  commands.forEach((command, index) => {
    const result = results[index];
    const check = command.check;
    if (check?.kind === 'health') {
      if (!result || !matches(check.active, result)) {
        unhealthy.push(check.service);
        reasons.push(`service ${check.service} is not active${result ? ` (exit ${result.exit})` : ' (not checked)'}`);
      }
    } else if (check?.kind === 'reboot') {
      sawRebootProbe = true;
      if (result && matches(check.required, result)) rebootRequired = true;
      else if (result && matches(check.notRequired, result)) rebootRequired = false;
    }
  });
  if (!sawRebootProbe && manager.rebootImpliedBy) rebootRequired = manager.rebootImpliedBy(packages);
  const exits = judgeExits(commands, results);
  reasons.push(...exits.reasons);
  return { ok: reasons.length === 0, reasons, rebootRequired, installed, unhealthy };
}

/**
 * After the backup: the packages still to install, and those left out (not installed on the host,
 * or already at the fix). Installing only `pending` keeps apt from refusing a "downgrade" to a
 * target older than what the host has, and rollback from touching what the job never changed.
 */
export function pendingPackages(
  manager: PackageManagerCommands,
  packages: readonly JobPackage[],
  recorded: InstalledVersions,
): { pending: JobPackage[]; skipped: { pkg: JobPackage; reason: string }[] } {
  const pending: JobPackage[] = [];
  const skipped: { pkg: JobPackage; reason: string }[] = [];
  for (const pkg of packages) {
    if (manager.packageManager === 'windows') {
      if (manager.checkInstalled(pkg, recorded, recorded) === undefined) {
        skipped.push({ pkg, reason: `${pkg.kb} is already installed` });
      } else pending.push(pkg);
      continue;
    }
    if (!recorded.has(pkg.name)) {
      skipped.push({ pkg, reason: `${pkg.name} is not installed` });
    } else if (pkg.targetVersion !== null && manager.checkInstalled(pkg, recorded, recorded) === undefined) {
      skipped.push({ pkg, reason: `${pkg.name} is already at ${recorded.get(pkg.name)}` });
    } else pending.push(pkg);
  }
  return { pending, skipped };
}
