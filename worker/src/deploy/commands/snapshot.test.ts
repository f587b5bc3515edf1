import { describe, expect, it } from 'vitest';
import { UnsafeArgumentError } from './safety';
import { commandHookArgv, releaseSnapshot, restoreSnapshot, takeSnapshot } from './snapshot';

describe('snapshot hooks', () => {
  it('takes, restores and releases an LVM snapshot', () => {
    const hook = { kind: 'lvm', target: 'vg0/root' } as const;
    expect(takeSnapshot(hook, 17)).toEqual([
      { mode: 'run', argv: ['lvcreate', '--snapshot', '--name', 'pb-job-17', '--extents', '20%ORIGIN', 'vg0/root'] },
    ]);
    expect(restoreSnapshot(hook, 17)).toEqual([{ mode: 'run', argv: ['lvconvert', '--merge', 'vg0/pb-job-17'] }]);
    expect(releaseSnapshot(hook, 17)).toEqual([{ mode: 'run', argv: ['lvremove', '-y', 'vg0/pb-job-17'] }]);
  });

  it('takes a read-only btrfs snapshot inside the subvolume', () => {
    const hook = { kind: 'btrfs', target: '/srv/data/' } as const;
    expect(takeSnapshot(hook, 3)[0]?.argv).toEqual([
      'btrfs',
      'subvolume',
      'snapshot',
      '-r',
      '/srv/data',
      '/srv/data/.pb-job-3',
    ]);
    expect(restoreSnapshot(hook, 3)[0]?.argv).toEqual([
      'btrfs',
      'subvolume',
      'snapshot',
      '/srv/data/.pb-job-3',
      '/srv/data/.pb-job-3-restore',
    ]);
    expect(releaseSnapshot(hook, 3)[0]?.argv).toEqual(['btrfs', 'subvolume', 'delete', '/srv/data/.pb-job-3']);
  });

  it('snapshots and rolls back a ZFS dataset', () => {
    const hook = { kind: 'zfs', target: 'rpool/ROOT/debian' } as const;
    expect(takeSnapshot(hook, 9)[0]?.argv).toEqual(['zfs', 'snapshot', 'rpool/ROOT/debian@pb-job-9']);
    expect(restoreSnapshot(hook, 9)[0]?.argv).toEqual(['zfs', 'rollback', 'rpool/ROOT/debian@pb-job-9']);
    expect(releaseSnapshot(hook, 9)[0]?.argv).toEqual(['zfs', 'destroy', 'rpool/ROOT/debian@pb-job-9']);
  });

  it('runs a command hook with {job} replaced, and has no restore for it', () => {
    const hook = {
      kind: 'command',
      target: '["/opt/pve/snap", "--vm", "101", "--name", "pb-job-{job}", "{job}{job}"]',
    } as const;
    expect(takeSnapshot(hook, 5)[0]?.argv).toEqual(['/opt/pve/snap', '--vm', '101', '--name', 'pb-job-5', '55']);
    expect(restoreSnapshot(hook, 5)).toEqual([]);
    expect(releaseSnapshot(hook, 5)).toEqual([]);
  });

  it.each([
    ['lvm', 'root'],
    ['lvm', 'vg0/-root'],
    ['lvm', 'vg0/root/extra'],
    ['btrfs', 'relative/path'],
    ['btrfs', '/a b'],
    ['btrfs', '/srv/./x'],
    ['zfs', 'tank@snap'],
    ['zfs', 'tank; zfs destroy -r tank'],
    ['command', '{"argv": ["x"]}'],
    ['command', '["x", 1]'],
    ['command', '["x", "a\\u0000b"]'],
    ['command', '[""]'],
  ] as const)('refuses the %s target %j', (kind, target) => {
    expect(() => takeSnapshot({ kind, target }, 1)).toThrow(UnsafeArgumentError);
  });

  it('refuses a command hook of more than 64 arguments', () => {
    expect(() => commandHookArgv(JSON.stringify(Array.from({ length: 65 }, () => 'x')), 1)).toThrow(
      UnsafeArgumentError,
    );
  });
});
