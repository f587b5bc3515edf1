import { describe, expect, it } from 'vitest';
import { ecosystemOf, isOsFamily, osFamilies, packageManagerOf } from './os';

describe('ecosystemOf', () => {
  it.each([
    ['debian', '12', 'Debian:12'],
    ['debian', '12.5', 'Debian:12'],
    ['ubuntu', '22.04', 'Ubuntu:22.04'],
    ['ubuntu', '24.04.1', 'Ubuntu:24.04'],
    ['rhel', '9.4', 'Red Hat:9'],
    ['almalinux', '8.10', 'AlmaLinux:8'],
    ['rocky', '9', 'Rocky Linux:9'],
    ['sles', '15.5', 'SUSE:Linux Enterprise Server 15 SP5'],
    ['sles', '15', 'SUSE:Linux Enterprise Server 15'],
    ['opensuse-leap', '15.6', 'openSUSE:Leap 15.6'],
    ['amzn', '2023', 'Amazon Linux:2023'],
    ['alpine', '3.20.3', 'Alpine:v3.20'],
    ['wolfi', '20230201', 'Wolfi'],
    ['windows', '10.0.20348', 'Windows:10.0.20348'],
    ['windows', '10.0.20348.2402', 'Windows:10.0.20348'],
  ] as const)('%s %s is %s', (family, release, ecosystem) => {
    expect(ecosystemOf(family, release)).toEqual({ ecosystem });
  });

  it.each([
    ['debian', 'bookworm'],
    ['ubuntu', '22.05'],
    ['rhel', '9.4.1'],
    ['alpine', 'edge'],
    ['windows', '6.3.9600'],
    ['windows', '10.0.20348.2402.1'],
    ['amzn', '2018.03'],
  ] as const)('refuses %s %s with the expected shape of a release', (family, release) => {
    const result = ecosystemOf(family, release);
    expect(result).toHaveProperty('error');
    expect('error' in result && result.error).toContain(`release "${release}" is not`);
  });

  it('knows the package database of every family', () => {
    expect(osFamilies.map((family) => [family, packageManagerOf(family)])).toEqual([
      ['debian', 'dpkg'],
      ['ubuntu', 'dpkg'],
      ['rhel', 'rpm'],
      ['almalinux', 'rpm'],
      ['rocky', 'rpm'],
      ['sles', 'rpm'],
      ['opensuse-leap', 'rpm'],
      ['amzn', 'rpm'],
      ['alpine', 'apk'],
      ['wolfi', 'apk'],
      ['windows', 'windows'],
    ]);
    expect(isOsFamily('toString')).toBe(false);
    expect(isOsFamily('beos')).toBe(false);
  });
});
