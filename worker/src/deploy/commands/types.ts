/**
 * The commands a job's steps run on a host, per package manager (docs/agent-protocol.md). Pure
 * data: the server generates them, stores them with the step (job_steps.commands), sends `mode`
 * and `argv` to the agent, and judges the results it gets back with `check` (./judge.ts).
 */

/**
 * `run`: stop the step if it exits non-zero. `probe`: run whatever happened before; the server
 * judges its exit code and output. `report`: send a fresh software report (argv is empty).
 */
export type Mode = 'run' | 'probe' | 'report';

/** What the server expects of one result: this exit code, and (if given) this text in the output. */
export interface Expectation {
  readonly exit: number;
  /** Case-sensitive; the generating module makes sure the program's output is not localised. */
  readonly outputIncludes?: string;
}

/**
 * How the server reads a command's result. Without a check, a `run` must exit 0 and a `probe` is
 * only a record (its output is kept for the runbook, e.g. `apt-get update`).
 *
 * - `exit`: success when the exit code is in `ok`; an exit code in `reboot` is a success that also
 *   means "reboot required" (wusa's 3010). Used for probes that must not stop the step.
 * - `versions`: the output is the package database's answer for the job's packages, read by the
 *   manager's `parseInstalled`; the exit code is ignored (dpkg-query and rpm exit 1 when one of
 *   several packages is missing but still print the others).
 * - `health`: the named service is active when the result matches `active`; anything else is
 *   inactive (including "no such service" and a missing program, 126/127).
 * - `reboot`: a reboot is required when the result matches `required`, not required when it
 *   matches `notRequired`, and unknown (null) otherwise. Each manager states its own sense:
 *   `test -e` exits 0 when the flag file exists, `dnf needs-restarting -r` exits 1 when a reboot is
 *   needed, `zypper needs-rebooting` exits 102.
 */
export type Check =
  | { readonly kind: 'exit'; readonly ok: readonly number[]; readonly reboot?: readonly number[] }
  | { readonly kind: 'versions' }
  | { readonly kind: 'health'; readonly service: string; readonly active: Expectation }
  | { readonly kind: 'reboot'; readonly required: Expectation; readonly notRequired: Expectation };

/**
 * One command of a step. The agent sees `mode` and `argv` only (send `wireCommand(command)`);
 * `check` stays on the server, stored with the step so that results are judged by the rule that
 * was in force when the command was generated.
 */
export interface Command {
  readonly mode: Mode;
  /** Program and arguments, executed without a shell; no element holds a TAB, CR, LF or NUL. */
  readonly argv: readonly string[];
  readonly check?: Check;
}

/** One package of a job (a deployment item of the host). */
export interface JobPackage {
  /** As installed (the binary package); `windows` for a KB. */
  readonly name: string;
  /** The fixed version to install; null: the newest the repositories offer. */
  readonly targetVersion: string | null;
  /** Windows: the KB that fixes it (`KB5034441`). */
  readonly kb: string | null;
  /** Advisory ids (`DSA-5678-1`, `RHSA-2024:0010`, `USN-6663-1`); dnf can install by updateinfo id. */
  readonly advisories: readonly string[];
}

/** A host group's snapshot hook (table snapshot_hooks). */
export interface SnapshotHook {
  readonly kind: 'lvm' | 'btrfs' | 'zfs' | 'command';
  /** `vg/lv`, an absolute subvolume path, a ZFS dataset, or the command's argv as a JSON array (`{job}` is the job id). */
  readonly target: string;
}

/** The tool a job drives (the package database of shared/src/os.ts is dpkg/rpm/apk/windows; this is the installer). */
export type PackageManager = 'apt' | 'dnf' | 'yum' | 'zypper' | 'apk' | 'windows';

/** Package -> installed version (Windows: KB id -> `installed`). */
export type InstalledVersions = Map<string, string>;

/**
 * Everything a job runs on hosts of one package manager. Every function validates what it puts on
 * a command line and throws `UnsafeArgumentError` (./safety.ts) instead of generating something
 * unsafe; the caller answers 400.
 */
export interface PackageManagerCommands {
  readonly packageManager: PackageManager;
  /** `posix` command lines are quoted for sh in the runbook, `powershell` ones for PowerShell. */
  readonly shell: 'posix' | 'powershell';
  /**
   * Variables the agent must have in its environment when it runs this manager's commands (the
   * protocol sends argv only, and `env VAR=x prog` would put `env`, a program that runs any other,
   * on the agent's allow-list). The runbook shows them above the command lines.
   */
  readonly environment: Readonly<Record<string, string>>;

  /** Record the installed versions (a `versions` probe), then take the snapshot if a hook is configured. */
  backup(packages: readonly JobPackage[], hook: SnapshotHook | null, jobId: number): Command[];
  /** Install exactly these packages at their target versions. */
  install(packages: readonly JobPackage[]): Command[];
  /** `report`, a `versions` probe, a `health` probe per service, and the `reboot` probe (if the OS has one). */
  verify(packages: readonly JobPackage[], healthChecks: readonly string[]): Command[];
  /** Package -> version from a `versions` probe's output (backup or verify); unreadable lines are skipped. */
  parseInstalled(output: string): InstalledVersions;
  /**
   * Go back to the versions the backup recorded (Windows: uninstall the KBs the job added), then
   * `report`. Packages the backup did not find installed are left alone. The snapshot is not
   * restored automatically: see `restoreSnapshot` (./snapshot.ts).
   */
  rollback(
    packages: readonly JobPackage[],
    recorded: InstalledVersions,
    hook: SnapshotHook | null,
    jobId: number,
  ): Command[];
  /**
   * Whether `installed` holds the job's fix for `pkg`: the target version or later, or (no target)
   * a version later than the recorded one. Undefined when it does; otherwise why not.
   */
  checkInstalled(pkg: JobPackage, installed: InstalledVersions, recorded: InstalledVersions): string | undefined;
  /** Where the OS has no reboot flag (Alpine): whether these packages imply a reboot once installed. */
  rebootImpliedBy?(packages: readonly JobPackage[]): boolean;
}
