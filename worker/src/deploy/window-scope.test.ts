import { describe, expect, it } from 'vitest';
import { type ScopedWindow, windowsFor } from './window-scope';

const windows = [
  { name: 'everyone', scope_kind: 'all', scope_value: '' },
  { name: 'prod nights', scope_kind: 'ring', scope_value: 'prod' },
  { name: 'test days', scope_kind: 'ring', scope_value: 'test' },
  { name: 'pci', scope_kind: 'tag', scope_value: 'pci' },
  { name: 'db-01 only', scope_kind: 'hostname', scope_value: 'db-01' },
] as const satisfies readonly (ScopedWindow & { name: string })[];

const names = (list: readonly { name: string }[]) => list.map((w) => w.name);

describe('windowsFor', () => {
  it('takes the windows for all hosts, the ring, any of the tags and the hostname', () => {
    expect(names(windowsFor({ hostname: 'db-01', ring: 'prod', tags: ['pci', 'db'] }, windows))).toEqual([
      'everyone',
      'prod nights',
      'pci',
      'db-01 only',
    ]);
    expect(names(windowsFor({ hostname: 'web-01', ring: 'test', tags: [] }, windows))).toEqual([
      'everyone',
      'test days',
    ]);
  });

  it('matches values exactly: a tag is not a ring, a hostname is not a prefix', () => {
    const host = { hostname: 'db-011', ring: 'pci', tags: ['prod'] };
    expect(names(windowsFor(host, windows))).toEqual(['everyone']);
  });

  it('answers nothing when no window applies', () => {
    expect(windowsFor({ hostname: 'x', ring: 'pilot', tags: [] }, windows.slice(1))).toEqual([]);
  });
});
