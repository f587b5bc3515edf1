/**
 * A job's steps: which commands each step runs (from the package manager's module in ./commands)
 * and what a step's results mean for the job — the next step, or its end and why. After the
 * backup, only the packages still to install (not already at the fix) are installed, verified and
 * rolled back, so a host that got the fix some other way succeeds without touching anything.
 */
import type { JobStatus, JobStep } from '@patchboard/shared/schemas/deployment';
import type { JobRow } from '../db/deployments';
import {
  type Command,
  commandsFor,
  isPackageManager,
  type JobPackage,
  type PackageManagerCommands,
  packageManagerOf,
  type SnapshotHook,
  UnsafeArgumentError,
} from './commands';
import { type CommandResult, judgeBackup, judgeRun, judgeVerify, pendingPackages } from './commands/judge';
import type { PlannedItem } from './items';

export type { Command, SnapshotHook };

export type Step = Exclude<JobStep, 'done'>;

export interface JobContext {
  readonly job: Pick<JobRow, 'id' | 'kind' | 'package_manager'>;
  /** Every item of the job's host in its deployment. */
  readonly packages: readonly JobPackage[];
  readonly hook: SnapshotHook | null;
  readonly healthChecks: readonly string[];
  /** What the backup recorded (package -> version); null before the backup. */
  readonly backup: ReadonlyMap<string, string> | null;
}

export interface StepOutcome {
  readonly ok: boolean;
  readonly next: JobStep;
  /** The job's status once `next` is `done`. */
  readonly status: JobStatus;
  /** Why the job goes to rollback or ends as it does. */
  readonly reason: string | null;
  /** From a backup: what it recorded. */
  readonly backup?: Record<string, string>;
  readonly rebootRequired?: boolean;
}

/** The installer a job drives on a host, or null for an OS we cannot patch. */
export function packageManagerFor(osFamily: string, osRelease?: string): string | null {
  return packageManagerOf(osFamily, osRelease);
}

function managerOf(job: JobContext['job']): PackageManagerCommands {
  if (!isPackageManager(job.package_manager))
    throw new Error(`job ${job.id}: unknown package manager ${job.package_manager}`);
  return commandsFor(job.package_manager);
}

/** Why an item cannot be put on a command line (a hostile package name or version), or null. */
export function checkInstallable(item: PlannedItem): string | null {
  const manager = packageManagerOf(item.osFamily);
  if (!manager) return null;
  try {
    commandsFor(manager).install([
      { name: item.package, targetVersion: item.targetVersion, kb: item.kb, advisories: item.advisories },
    ]);
    return null;
  } catch (err) {
    if (err instanceof UnsafeArgumentError) return err.message;
    throw err;
  }
}

/** The packages the install, verify and rollback steps act on. */
function pending(manager: PackageManagerCommands, context: JobContext): JobPackage[] {
  if (context.job.kind === 'check' || context.backup === null) return [...context.packages];
  return pendingPackages(manager, context.packages, new Map(context.backup)).pending;
}

export function commandsForStep(context: JobContext, step: Step): Command[] {
  const manager = managerOf(context.job);
  switch (step) {
    case 'backup':
      return manager.backup(context.packages, context.hook, context.job.id);
    case 'install':
      return manager.install(pending(manager, context));
    case 'verify':
      return manager.verify(pending(manager, context), context.healthChecks);
    case 'rollback':
      return manager.rollback(pending(manager, context), new Map(context.backup ?? []), context.hook, context.job.id);
  }
}

const sentence = (reasons: readonly string[]) => reasons.join('; ');

/** Reads a step's results: the next step, or the job's end. */
export function judgeStep(
  context: JobContext,
  step: Step,
  commands: readonly Command[],
  results: readonly CommandResult[],
): StepOutcome {
  const manager = managerOf(context.job);
  switch (step) {
    case 'backup': {
      const verdict = judgeBackup(manager, commands, results);
      if (!verdict.ok) {
        return {
          ok: false,
          next: 'done',
          status: 'failed',
          reason: `backup failed, nothing was installed: ${sentence(verdict.reasons)}`,
        };
      }
      const backup = Object.fromEntries(verdict.recorded);
      const { pending: todo } = pendingPackages(manager, context.packages, verdict.recorded);
      // Nothing left to install (the host has the fix already): verify it and its health all the same.
      return { ok: true, next: todo.length === 0 ? 'verify' : 'install', status: 'claimed', reason: null, backup };
    }
    case 'install': {
      const verdict = judgeRun(commands, results);
      return verdict.ok
        ? { ok: true, next: 'verify', status: 'claimed', reason: null }
        : { ok: false, next: 'rollback', status: 'claimed', reason: `install failed: ${sentence(verdict.reasons)}` };
    }
    case 'verify': {
      const verdict = judgeVerify(manager, pending(manager, context), new Map(context.backup ?? []), commands, results);
      const reboot = verdict.rebootRequired === null ? {} : { rebootRequired: verdict.rebootRequired };
      if (verdict.ok) return { ok: true, next: 'done', status: 'succeeded', reason: null, ...reboot };
      const reason = `verify failed: ${sentence(verdict.reasons)}`;
      // A post-soak check installs nothing, so there is nothing to roll back.
      return context.job.kind === 'check'
        ? { ok: false, next: 'done', status: 'failed', reason, ...reboot }
        : { ok: false, next: 'rollback', status: 'claimed', reason, ...reboot };
    }
    case 'rollback': {
      const verdict = judgeRun(commands, results);
      return verdict.ok
        ? { ok: true, next: 'done', status: 'rolled_back', reason: null }
        : {
            ok: false,
            next: 'done',
            status: 'failed',
            reason: `rollback failed, restore the host by hand (see the runbook): ${sentence(verdict.reasons)}`,
          };
    }
  }
}
