import { describe, expect, it } from 'vitest';
import { dpkgQueryParser } from './dpkg-query';
import { inventoryOf, issuesOf, packageNamed } from './outcome.testing';
import debian12 from './testdata/dpkg-query.debian-12.txt?raw';

const parse = (text: string) => dpkgQueryParser.parse(text);

describe('dpkg-query output', () => {
  it('reads every package of a real Debian 12 machine', () => {
    const inventory = inventoryOf(parse(debian12));
    expect(inventory.packages).toHaveLength(710);
    expect(inventory.packages.every((p) => p.packageManager === 'dpkg')).toBe(true);
    expect(inventory.packages.filter((p) => p.arch === 'all')).toHaveLength(147);
    expect(packageNamed(inventory, 'libc6')).toEqual({
      name: 'libc6',
      version: '2.36-9+deb12u14',
      arch: 'amd64',
      source: 'glibc',
      sourceVersion: '2.36-9+deb12u14',
      packageManager: 'dpkg',
    });
    // Binary epoch and version differ from the source's: dpkg-query states both.
    expect(packageNamed(inventory, 'bsdutils')).toMatchObject({
      version: '1:2.38.1-5+deb12u3',
      source: 'util-linux',
      sourceVersion: '2.38.1-5+deb12u3',
    });
    expect(packageNamed(inventory, 'gcc')).toMatchObject({
      version: '4:12.2.0-3',
      source: 'gcc-defaults',
      sourceVersion: '1.203',
    });
    expect(packageNamed(inventory, 'libattr1')).toMatchObject({
      version: '1:2.5.1-4',
      source: 'attr',
      sourceVersion: '1:2.5.1-4',
    });
    expect(packageNamed(inventory, 'tzdata')).toMatchObject({
      version: '2025b-0+deb12u2',
      arch: 'all',
      source: 'tzdata',
    });
  });

  it('skips packages dpkg knows but has not installed (no version) and blank lines', () => {
    const text = 'bash\t5.2.15-2+b2\tamd64\tbash\t5.2.15-2\n\nexim4\t\t\texim4\t\n\r\n';
    expect(inventoryOf(parse(text)).packages.map((p) => p.name)).toEqual(['bash']);
  });

  it('takes CRLF line ends and fills empty source fields with the package itself', () => {
    const inventory = inventoryOf(parse('zlib1g\t1:1.2.13.dfsg-1\tamd64\t\t\r\n'));
    expect(inventory.packages).toEqual([
      {
        name: 'zlib1g',
        version: '1:1.2.13.dfsg-1',
        arch: 'amd64',
        source: 'zlib1g',
        sourceVersion: '1:1.2.13.dfsg-1',
        packageManager: 'dpkg',
      },
    ]);
  });

  it('reports lines with the wrong number of fields', () => {
    const text = 'bash\t5.2.15-2+b2\tamd64\tbash\t5.2.15-2\nbash 5.2.15-2+b2 amd64\nx\t1\tamd64\tx\t1\textra\n';
    const issues = issuesOf(parse(text));
    expect(issues.map((i) => i.line)).toEqual([2, 3]);
    expect(issues[0]?.message).toMatch(/expected 5 tab-separated fields .* found 1/);
    expect(issues[1]?.message).toMatch(/found 6/);
  });

  it('reports an empty package name and over-long values', () => {
    const long = 'v'.repeat(257);
    const issues = issuesOf(parse(`\t1.0\tamd64\tx\t1.0\nlong\t${long}\tamd64\tlong\t1.0\n`));
    expect(issues).toEqual([
      { line: 1, message: 'a package has an empty name' },
      { line: 2, message: 'the version of package "long" is longer than 256 characters' },
    ]);
  });

  it('keeps identical lines once', () => {
    const line = 'bash\t5.2.15-2+b2\tamd64\tbash\t5.2.15-2\n';
    expect(inventoryOf(parse(line + line)).packages).toHaveLength(1);
  });
});
