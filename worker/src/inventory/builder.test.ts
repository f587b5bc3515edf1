import { describe, expect, it } from 'vitest';
import { InventoryBuilder, maxPackages } from './builder';
import { inventoryOf, issuesOf } from './outcome.testing';

describe('InventoryBuilder', () => {
  it('trims fields, drops empty optional ones and keeps identical packages once', () => {
    const builder = new InventoryBuilder();
    builder.addPackage({ name: ' bash ', version: '5.2 ', arch: '', source: ' ', packageManager: 'dpkg' }, { line: 1 });
    builder.addPackage({ name: 'bash', version: '5.2', packageManager: 'dpkg' }, { line: 2 });
    // Same name and version in another ecosystem or architecture is another package.
    builder.addPackage({ name: 'bash', version: '5.2', ecosystem: 'npm' }, { line: 3 });
    builder.addPackage({ name: 'bash', version: '5.2', arch: 'i386', packageManager: 'dpkg' }, { line: 4 });
    expect(inventoryOf(builder.finish()).packages).toEqual([
      { name: 'bash', version: '5.2', packageManager: 'dpkg' },
      { name: 'bash', version: '5.2', ecosystem: 'npm' },
      { name: 'bash', version: '5.2', arch: 'i386', packageManager: 'dpkg' },
    ]);
  });

  it('refuses control characters and over-long fields', () => {
    const builder = new InventoryBuilder();
    builder.addPackage({ name: 'a\u0000b', version: '1' }, { line: 1 });
    builder.addPackage({ name: 'c', version: '1', arch: 'x'.repeat(33) }, { line: 2 });
    builder.addPackage({ name: 'd', version: '1', source: 's'.repeat(257) }, { path: 'packages[2]' });
    expect(issuesOf(builder.finish())).toEqual([
      { line: 1, message: 'the name of package "a\\u0000b" has a control character' },
      { line: 2, message: 'the arch of package "c" is longer than 32 characters' },
      { path: 'packages[2]', message: 'the source of package "d" is longer than 256 characters' },
    ]);
  });

  it(`refuses more than ${maxPackages} packages, saying so once`, () => {
    const builder = new InventoryBuilder();
    for (let i = 0; i <= maxPackages + 5; i++) builder.addPackage({ name: `p${i}`, version: '1' }, { line: i + 1 });
    expect(issuesOf(builder.finish())).toEqual([
      { line: maxPackages + 1, message: `more than ${maxPackages} packages` },
    ]);
  });
});
