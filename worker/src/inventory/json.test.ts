import { describe, expect, it } from 'vitest';
import { jsonParser } from './json';
import { inventoryOf, issuesOf } from './outcome.testing';

const parse = (document: unknown) =>
  jsonParser.parse(typeof document === 'string' ? document : JSON.stringify(document));

describe("Patchboard's JSON inventory", () => {
  it('reads packages and hotfixes, leaving the package manager to the route', () => {
    const inventory = inventoryOf(
      parse({
        packages: [
          {
            name: 'openssl',
            version: '3.0.11-1~deb12u2',
            arch: 'amd64',
            source: 'openssl',
            sourceVersion: '3.0.11-1~deb12u2',
          },
          { name: 'tzdata', version: '2024a-0+deb12u1' },
        ],
        hotfixes: ['KB5034441', ' kb5034439 '],
      }),
    );
    expect(inventory.packages).toEqual([
      {
        name: 'openssl',
        version: '3.0.11-1~deb12u2',
        arch: 'amd64',
        source: 'openssl',
        sourceVersion: '3.0.11-1~deb12u2',
      },
      { name: 'tzdata', version: '2024a-0+deb12u1' },
    ]);
    expect(inventory.hotfixes).toEqual([{ kb: 'KB5034441' }, { kb: 'KB5034439' }]);
  });

  it('accepts an empty package list: the way to clear a host', () => {
    expect(inventoryOf(parse({ packages: [] }))).toEqual({ packages: [], hotfixes: [] });
  });

  it('reports schema issues with paths like packages[3].version', () => {
    const issues = issuesOf(
      parse({
        packages: [
          { name: 'a', version: '1' },
          { name: 'b', version: '1' },
          { name: 'c', version: '1' },
          { name: 'd', version: '' },
          { name: 'e', version: '1', extra: true },
          { name: 'x'.repeat(257), version: '1' },
        ],
        hotfixes: ['KB1'],
        other: 1,
      }),
    );
    expect(issues.map((i) => i.path)).toEqual([
      'other',
      'packages[3].version',
      'packages[4].extra',
      'packages[5].name',
      'hotfixes[0]',
    ]);
    expect(issues[1]?.message).toBe('version is empty');
    expect(issues[3]?.message).toBe('name is longer than 256 characters');
    expect(issues[4]?.message).toBe('a hotfix id looks like KB5034441');
  });

  it('reports a document of the wrong shape', () => {
    expect(issuesOf(parse([]))).toHaveLength(1);
    expect(issuesOf(parse({ packages: 'all' }))[0]?.path).toBe('packages');
    expect(issuesOf(parse({}))[0]?.path).toBe('packages');
    expect(issuesOf(parse('{"packages": [')).map((i) => i.message.startsWith('not valid JSON'))).toEqual([true]);
  });

  it('reports a whitespace-only name, which the schema lets through', () => {
    expect(issuesOf(parse({ packages: [{ name: '  ', version: '1' }] }))).toEqual([
      { path: 'packages[0]', message: 'a package has an empty name' },
    ]);
  });

  it('checks 100 000 bad packages without keeping every issue', () => {
    const issues = issuesOf(parse({ packages: Array.from({ length: 100_000 }, () => ({})) }));
    expect(issues).toHaveLength(21);
    expect(issues[20]?.message).toBe('…and 199980 more');
  });

  it('refuses more than 100 000 packages', () => {
    const packages = Array.from({ length: 100_001 }, () => 0);
    expect(issuesOf(parse({ packages }))).toEqual([{ path: 'packages', message: 'at most 100000 packages' }]);
  });
});
