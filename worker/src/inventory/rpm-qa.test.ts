import { describe, expect, it } from 'vitest';
import { inventoryOf, issuesOf, packageNamed, packagesNamed } from './outcome.testing';
import { rpmQaParser } from './rpm-qa';
import rhel9 from './testdata/rpm-qa.rhel-9.txt?raw';

const parse = (text: string) => rpmQaParser.parse(text);

describe('rpm -qa output', () => {
  it('reads a RHEL 9 package list', () => {
    const inventory = inventoryOf(parse(rhel9));
    // 44 lines, two of them gpg-pubkey signing keys.
    expect(inventory.packages).toHaveLength(42);
    expect(packagesNamed(inventory, 'gpg-pubkey')).toEqual([]);
    expect(inventory.packages.every((p) => p.packageManager === 'rpm')).toBe(true);
    expect(packageNamed(inventory, 'openssl-libs')).toEqual({
      name: 'openssl-libs',
      version: '1:3.0.7-27.el9',
      arch: 'x86_64',
      source: 'openssl',
      sourceVersion: '1:3.0.7-27.el9',
      packageManager: 'rpm',
    });
    // A zero epoch is left out, as other formats write rpm versions.
    expect(packageNamed(inventory, 'bash')).toMatchObject({
      version: '5.1.8-9.el9',
      source: 'bash',
      sourceVersion: '5.1.8-9.el9',
    });
    expect(packageNamed(inventory, 'shadow-utils').version).toBe('2:4.9-8.el9');
    expect(packageNamed(inventory, 'perl-libs')).toMatchObject({
      version: '4:5.32.1-480.el9',
      source: 'perl',
      sourceVersion: '4:5.32.1-480.el9',
    });
    expect(packageNamed(inventory, 'python3')).toMatchObject({
      source: 'python3.9',
      sourceVersion: '3.9.18-3.el9_4.3',
    });
    expect(packageNamed(inventory, 'yum')).toMatchObject({
      arch: 'noarch',
      source: 'dnf',
      sourceVersion: '4.14.0-9.el9',
    });
    expect(packageNamed(inventory, 'ca-certificates')).toMatchObject({
      version: '2023.2.60_v7.0.306-90.1.el9_2',
      source: 'ca-certificates',
      sourceVersion: '2023.2.60_v7.0.306-90.1.el9_2',
    });
    // Two kernels side by side are two packages.
    expect(packagesNamed(inventory, 'kernel').map((p) => p.version)).toEqual([
      '5.14.0-427.13.1.el9_4',
      '5.14.0-427.16.1.el9_4',
    ]);
  });

  it('accepts (none) as an empty epoch, arch or source rpm, and versions without an epoch', () => {
    const inventory = inventoryOf(parse('a\t(none):1.0-1\t(none)\t(none)\nb\t1.0-1\tx86_64\tb-1.0-1.src.rpm\n'));
    expect(inventory.packages).toEqual([
      { name: 'a', version: '1.0-1', packageManager: 'rpm' },
      { name: 'b', version: '1.0-1', arch: 'x86_64', source: 'b', sourceVersion: '1.0-1', packageManager: 'rpm' },
    ]);
  });

  it('reports wrong field counts, bad versions and source rpm names by line', () => {
    const text = [
      'bash\t0:5.1.8-9.el9\tx86_64\tbash-5.1.8-9.el9.src.rpm',
      'bash 0:5.1.8-9.el9 x86_64',
      'bash\tx:5.1.8\tx86_64\tbash-5.1.8-9.el9.src.rpm',
      'bash\t0:5.1.8-9.el9\tx86_64\tbash.rpm',
      '\t0:1-1\tx86_64\t(none)',
    ].join('\n');
    const issues = issuesOf(parse(text));
    expect(issues.map((i) => i.line)).toEqual([2, 3, 4, 5]);
    expect(issues[0]?.message).toMatch(/expected 4 tab-separated fields/);
    expect(issues[1]?.message).toBe('version "x:5.1.8" is not epoch:version-release');
    expect(issues[2]?.message).toBe('source rpm "bash.rpm" is not name-version-release.src.rpm');
    expect(issues[3]?.message).toBe('a package has an empty name');
  });
});
