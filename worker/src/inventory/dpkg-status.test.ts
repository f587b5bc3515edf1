import { describe, expect, it } from 'vitest';
import { dpkgStatusParser } from './dpkg-status';
import { inventoryOf, issuesOf, packageNamed, packagesNamed } from './outcome.testing';
import statusField from './testdata/dpkg-status-statusfield?raw';
import transitionalDummy from './testdata/dpkg-status-transitional_dummy?raw';
import valid from './testdata/dpkg-status-valid?raw';

const parse = (text: string) => dpkgStatusParser.parse(text);

describe('dpkg status file', () => {
  it('reads the installed packages of a real status file (osv-scalibr valid)', () => {
    const inventory = inventoryOf(parse(valid));
    expect(inventory.packages.map((p) => p.name)).toEqual([
      'accountsservice',
      'acl',
      'adduser',
      'admin-session',
      'attr',
      'libacl1',
      'util-linux-extra',
    ]);
    expect(inventory.hotfixes).toEqual([]);
    // `Source: util-linux (2.38.1-5)`: a binNMU (+b1) of its source's version.
    expect(packageNamed(inventory, 'util-linux-extra')).toEqual({
      name: 'util-linux-extra',
      version: '2.38.1-5+b1',
      arch: 'amd64',
      source: 'util-linux',
      sourceVersion: '2.38.1-5',
      packageManager: 'dpkg',
    });
    // No Source field: the package is its own source, epoch included.
    expect(packageNamed(inventory, 'attr')).toMatchObject({
      version: '1:2.5.1-4',
      source: 'attr',
      sourceVersion: '1:2.5.1-4',
    });
    // `Source: acl`: the source's version is the package's.
    expect(packageNamed(inventory, 'libacl1')).toMatchObject({
      version: '2.3.1-3',
      source: 'acl',
      sourceVersion: '2.3.1-3',
    });
    expect(packageNamed(inventory, 'adduser')).toMatchObject({ version: '3.131', arch: 'all' });
    expect(packageNamed(inventory, 'admin-session').version).toBe('2023.06.26.c543406313-00');
  });

  it('keeps the packages whose Status state is installed and only those (osv-scalibr statusfield)', () => {
    const inventory = inventoryOf(parse(statusField));
    expect(inventory.packages.map((p) => p.name)).toEqual([
      'wantinstall_installed',
      'wantdeinstall_installed',
      'wantpurge_installed',
    ]);
    for (const excluded of [
      'wantdeinstall_configfiles',
      'wantinstall_unpacked',
      'wantinstall_halfinstalled',
      'wantnostatus',
    ]) {
      expect(packagesNamed(inventory, excluded)).toEqual([]);
    }
    expect(packageNamed(inventory, 'wantinstall_installed')).toEqual({
      name: 'wantinstall_installed',
      version: '1.0',
      source: 'wantinstall_installed',
      sourceVersion: '1.0',
      packageManager: 'dpkg',
    });
  });

  it('reads a transitional package with an epoch and a source name (osv-scalibr transitional_dummy)', () => {
    const inventory = inventoryOf(parse(transitionalDummy));
    expect(inventory.packages).toEqual([
      {
        name: 'git-core',
        version: '1:2.14.2-1',
        arch: 'all',
        source: 'git',
        sourceVersion: '1:2.14.2-1',
        packageManager: 'dpkg',
      },
    ]);
  });

  it('accepts hold and trigger states, CRLF line ends and case-insensitive field names', () => {
    const text = [
      'Package: pinned',
      'Status: hold ok installed',
      'Architecture: amd64',
      'Version: 1.0-1',
      '',
      'package: triggered',
      'STATUS: install ok triggers-pending',
      'version: 2.0-1',
      '',
    ].join('\r\n');
    const inventory = inventoryOf(parse(text));
    expect(inventory.packages.map((p) => `${p.name} ${p.version}`)).toEqual(['pinned 1.0-1', 'triggered 2.0-1']);
  });

  it('keeps a package installed for two architectures as two packages', () => {
    const stanza = (arch: string) =>
      `Package: libc6\nStatus: install ok installed\nMulti-Arch: same\nArchitecture: ${arch}\nSource: glibc\nVersion: 2.36-9+deb12u4\n`;
    const inventory = inventoryOf(parse(`${stanza('amd64')}\n${stanza('i386')}`));
    expect(packagesNamed(inventory, 'libc6').map((p) => p.arch)).toEqual(['amd64', 'i386']);
  });

  it('names the first line of an installed stanza without Package or Version', () => {
    const text =
      'Package: ok\nStatus: install ok installed\nVersion: 1\n\nStatus: install ok installed\nVersion: 1\n\nPackage: nov\nStatus: install ok installed\n';
    expect(issuesOf(parse(text))).toEqual([
      { line: 5, message: 'the installed package stanza starting here has no Package field' },
      { line: 8, message: 'the installed package stanza starting here has no Version field' },
    ]);
  });

  it('does not mind a stanza without Package when it is not installed', () => {
    expect(inventoryOf(parse('Status: deinstall ok config-files\nVersion: 1\n')).packages).toEqual([]);
  });

  it('reports malformed Status, Source and field lines with their line', () => {
    const text = [
      'Package: a',
      'Status: install ok', // 2
      'Version: 1',
      '',
      'Package: b',
      'Status: install ok installed',
      'Source: Not A Name', // 7
      'Version: 1',
      '',
      'Package: c',
      'this line has no colon', // 11
      'Status: install ok installed',
      'Version: 1',
      '',
      'Package: d',
      'Status: wanted ok installed', // 16
      'Version: 1',
      '',
      ' continuation first', // 19
      'Package: e',
      '',
      'Package: f',
      'Package: f', // 23
    ].join('\n');
    const issues = issuesOf(parse(text));
    expect(issues.map((i) => i.line)).toEqual([2, 7, 11, 16, 19, 23]);
    expect(issues[0]?.message).toMatch(/three words/);
    expect(issues[1]?.message).toMatch(/Source must be/);
  });
});
