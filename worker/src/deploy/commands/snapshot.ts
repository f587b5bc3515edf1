/**
 * Snapshot hooks: the backup step takes one before installing (a failed snapshot fails the job
 * before anything changes). Restoring one is never automatic: rollback downgrades packages, and
 * `restoreSnapshot` gives the runbook's manual fallback, because
 * - an LVM merge of a mounted origin (the root file system) only happens at its next activation,
 *   i.e. after a reboot, and rewrites the whole volume: a decision for an operator;
 * - `zfs rollback` of a mounted dataset swaps files under running processes, and `-r` destroys
 *   every later snapshot;
 * - btrfs has no in-place restore: the subvolume is swapped for a copy of the snapshot from the
 *   top-level subvolume, then the host reboots.
 * Every snapshot is named `pb-job-<job id>`; `releaseSnapshot` deletes it once the ring passed
 * (an LVM snapshot left behind fills up and slows every write of its origin).
 */
import { checked, jobIdText, run, UnsafeArgumentError } from './safety';
import type { Command, SnapshotHook } from './types';

const LVM = /^[A-Za-z0-9+_.][A-Za-z0-9+_.-]*\/[A-Za-z0-9+_.][A-Za-z0-9+_.-]*$/;
const PATH = /^\/(?:[A-Za-z0-9+_.@-]+\/?)*$/;
const DATASET = /^[A-Za-z0-9][A-Za-z0-9_.:-]*(?:\/[A-Za-z0-9_.:-]+)*$/;

export const snapshotName = (jobId: number): string => `pb-job-${jobIdText(jobId)}`;

function lvmTarget(target: string): { vg: string; lv: string } {
  checked('LVM volume', target, LVM, 'vg/lv');
  const [vg = '', lv = ''] = target.split('/');
  return { vg, lv };
}

function btrfsPath(target: string): string {
  checked('btrfs subvolume', target, PATH, 'an absolute path of letters, digits and "+_.@-"');
  if (target.split('/').some((part) => part === '..' || part === '.')) {
    throw new UnsafeArgumentError('btrfs subvolume', target, 'a path without "." or ".." parts');
  }
  return target.length > 1 ? target.replace(/\/+$/, '') : target;
}

const btrfsSnapshot = (path: string, jobId: number): string => `${path === '/' ? '' : path}/.${snapshotName(jobId)}`;

function zfsDataset(target: string): string {
  return checked('ZFS dataset', target, DATASET, 'pool/dataset');
}

/** The argv of a `command` hook: a JSON array of strings; `{job}` in any element becomes the job id. */
export function commandHookArgv(target: string, jobId: number): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(target);
  } catch {
    throw new UnsafeArgumentError('snapshot command', target, 'a JSON array of strings');
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length === 0 ||
    parsed.length > 64 ||
    parsed.some((a) => typeof a !== 'string')
  ) {
    throw new UnsafeArgumentError('snapshot command', target, 'a JSON array of 1 to 64 strings');
  }
  const id = jobIdText(jobId);
  return (parsed as string[]).map((arg) => arg.replaceAll('{job}', id));
}

/** The command the backup step runs to take the snapshot (a `run`: a failed snapshot stops the job). */
export function takeSnapshot(hook: SnapshotHook, jobId: number): Command[] {
  const name = snapshotName(jobId);
  switch (hook.kind) {
    case 'lvm':
      // 20% of the origin: room for a large upgrade's rewrites without reserving a full copy.
      lvmTarget(hook.target);
      return [run('lvcreate', '--snapshot', '--name', name, '--extents', '20%ORIGIN', hook.target)];
    case 'btrfs': {
      const path = btrfsPath(hook.target);
      return [run('btrfs', 'subvolume', 'snapshot', '-r', path, btrfsSnapshot(path, jobId))];
    }
    case 'zfs':
      return [run('zfs', 'snapshot', `${zfsDataset(hook.target)}@${name}`)];
    case 'command':
      return [run(...commandHookArgv(hook.target, jobId))];
  }
}

/**
 * The manual fallback the runbook shows: how to go back to the snapshot. Empty for a `command`
 * hook (the site's own tool restores its own snapshots).
 */
export function restoreSnapshot(hook: SnapshotHook, jobId: number): Command[] {
  const name = snapshotName(jobId);
  switch (hook.kind) {
    case 'lvm': {
      const { vg } = lvmTarget(hook.target);
      // Deferred until the origin is next activated: reboot afterwards.
      return [run('lvconvert', '--merge', `${vg}/${name}`)];
    }
    case 'btrfs': {
      const path = btrfsPath(hook.target);
      // A writable copy of the read-only snapshot beside the subvolume; the operator swaps it in
      // (from the top-level subvolume) and reboots.
      return [
        run(
          'btrfs',
          'subvolume',
          'snapshot',
          btrfsSnapshot(path, jobId),
          `${path === '/' ? '' : path}/.${name}-restore`,
        ),
      ];
    }
    case 'zfs':
      return [run('zfs', 'rollback', `${zfsDataset(hook.target)}@${name}`)];
    case 'command':
      commandHookArgv(hook.target, jobId);
      return [];
  }
}

/** Deletes the job's snapshot once it is no longer needed (the ring passed its gate). */
export function releaseSnapshot(hook: SnapshotHook, jobId: number): Command[] {
  const name = snapshotName(jobId);
  switch (hook.kind) {
    case 'lvm': {
      const { vg } = lvmTarget(hook.target);
      return [run('lvremove', '-y', `${vg}/${name}`)];
    }
    case 'btrfs':
      return [run('btrfs', 'subvolume', 'delete', btrfsSnapshot(btrfsPath(hook.target), jobId))];
    case 'zfs':
      return [run('zfs', 'destroy', `${zfsDataset(hook.target)}@${name}`)];
    case 'command':
      commandHookArgv(hook.target, jobId);
      return [];
  }
}

/** What an operator does besides the restore commands, per hook kind (for the runbook). */
export const restoreNotes: Readonly<Record<SnapshotHook['kind'], string>> = {
  lvm: 'The merge starts when the origin volume is next activated: reboot the host after running it. The snapshot disappears once merged.',
  btrfs:
    'This makes a writable copy of the snapshot. Mount the top-level subvolume (subvolid=5), move the current subvolume aside, move the copy into its place, then reboot.',
  zfs: 'Stop the services using the dataset first; `zfs rollback` fails if later snapshots exist (`-r` would destroy them).',
  command:
    "Restore with the site's own snapshot tool (the hook's command took the snapshot; its name contains the job id).",
};
