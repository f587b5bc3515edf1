import { describe, expect, it } from 'vitest';
import { apkInstalledParser } from './apk-installed';
import { inventoryOf, issuesOf, packageNamed } from './outcome.testing';
import installed from './testdata/apk-installed?raw';

const parse = (text: string) => apkInstalledParser.parse(text);

describe('apk installed database', () => {
  it('reads a real Alpine database (osv-scalibr installed)', () => {
    const inventory = inventoryOf(parse(installed));
    expect(inventory.packages).toHaveLength(15);
    expect(inventory.packages.every((p) => p.packageManager === 'apk' && p.arch === 'x86_64')).toBe(true);
    expect(packageNamed(inventory, 'libcrypto3')).toEqual({
      name: 'libcrypto3',
      version: '3.1.0-r4',
      arch: 'x86_64',
      source: 'openssl',
      sourceVersion: '3.1.0-r4',
      packageManager: 'apk',
    });
    expect(packageNamed(inventory, 'busybox-binsh')).toMatchObject({ version: '1.36.0-r9', source: 'busybox' });
    expect(packageNamed(inventory, 'libc-utils')).toMatchObject({ version: '0.7.2-r5', source: 'libc-dev' });
    expect(packageNamed(inventory, 'ca-certificates-bundle')).toMatchObject({
      version: '20230506-r0',
      source: 'ca-certificates',
    });
    expect(packageNamed(inventory, 'zlib')).toMatchObject({ version: '1.2.13-r1', source: 'zlib' });
  });

  it('treats a package without an origin as its own source', () => {
    expect(inventoryOf(parse('P:musl\nV:1.2.4-r0\n')).packages).toEqual([
      { name: 'musl', version: '1.2.4-r0', source: 'musl', sourceVersion: '1.2.4-r0', packageManager: 'apk' },
    ]);
  });

  it('names the first line of a package without P: or V:, and lines that are not K:value', () => {
    const text =
      'P:a\nV:1-r0\n\nC:Q1abc=\nV:1-r0\n\nP:b\nA:x86_64\n\nP:c\nnot a key line\nV:1-r0\n\nP:d\nP:e\nV:1-r0\n';
    const issues = issuesOf(parse(text));
    expect(issues).toEqual([
      { line: 4, message: 'the package starting here has no P: line' },
      { line: 7, message: 'the package starting here has no V: line' },
      { line: 11, message: 'expected a "K:value" line' },
      { line: 15, message: 'P: appears twice in the package starting at line 14' },
    ]);
  });
});
