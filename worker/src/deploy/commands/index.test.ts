import { describe, expect, it } from 'vitest';
import { DPKG_QUERY_FORMAT } from './apt';
import {
  assertSafeArgv,
  commandsFor,
  packageManagerOf,
  packageManagers,
  UnsafeArgumentError,
  wireCommand,
} from './index';

describe('packageManagerOf', () => {
  it.each([
    ['debian', undefined, 'apt'],
    ['ubuntu', '24.04', 'apt'],
    ['rhel', '9.4', 'dnf'],
    ['rhel', '7.9', 'yum'],
    ['almalinux', '9', 'dnf'],
    ['rocky', '8.9', 'dnf'],
    ['centos', '7', 'yum'],
    ['centos', '9', 'dnf'],
    ['fedora', '40', 'dnf'],
    ['ol', '8', 'dnf'],
    ['amzn', '2023', 'dnf'],
    ['amzn', '2', 'yum'],
    ['sles', '15.5', 'zypper'],
    ['opensuse-leap', '15.5', 'zypper'],
    ['opensuse-tumbleweed', undefined, 'zypper'],
    ['alpine', '3.20', 'apk'],
    ['wolfi', undefined, 'apk'],
    ['windows', '10.0.20348', 'windows'],
    [' Debian ', undefined, 'apt'],
    ['arch', undefined, null],
    ['freebsd', undefined, null],
    ['', undefined, null],
    ['__proto__', undefined, null],
  ] as const)('%s %s -> %s', (family, release, expected) => {
    expect(packageManagerOf(family, release)).toBe(expected);
  });
});

describe('commandsFor', () => {
  it('has a module for every package manager, naming itself', () => {
    for (const pm of packageManagers) expect(commandsFor(pm).packageManager).toBe(pm);
    expect(packageManagers.sort()).toEqual(['apk', 'apt', 'dnf', 'windows', 'yum', 'zypper']);
  });
});

describe('assertSafeArgv and wireCommand', () => {
  it('accepts plain argv and refuses TAB, CR, LF, NUL and option-like programs', () => {
    expect(() => assertSafeArgv(['apt-get', 'install', '-y', 'a=1'])).not.toThrow();
    for (const argv of [['a\tb'], ['x', 'a\nb'], ['x', 'a\rb'], ['x', 'a\0b'], ['-rf'], [''], Array(300).fill('x')]) {
      expect(() => assertSafeArgv(argv)).toThrow(UnsafeArgumentError);
    }
    expect(() => assertSafeArgv(['x', 'y'.repeat(5000)])).toThrow(/at most 4096/);
  });

  it('sends the agent mode and argv only', () => {
    const [probe] = commandsFor('apt').verify([], ['nginx']).slice(1);
    expect(probe && wireCommand(probe)).toEqual({
      mode: 'probe',
      argv: ['dpkg-query', '-W', DPKG_QUERY_FORMAT],
    });
  });

  it('gives the error a status and the field', () => {
    try {
      commandsFor('apt').install([{ name: '$(id)', targetVersion: null, kb: null, advisories: [] }]);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(UnsafeArgumentError);
      expect(err).toMatchObject({ status: 400, field: 'package name', value: '$(id)' });
    }
  });
});
