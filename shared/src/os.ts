/**
 * Operating systems Patchboard knows, named by their os-release `ID` (what an agent reads from
 * /etc/os-release) plus `windows`, and the ecosystem each maps to. Ecosystem names follow OSV
 * (`Debian:12`, `Alpine:v3.20`, `Red Hat:9`) so that advisories can be matched per release.
 */

/** The package database a host keeps; an inventory report must come from the host's own one. */
export type PackageManager = 'dpkg' | 'rpm' | 'apk' | 'windows';

interface OsFamilyRule {
  /** Human name for messages and documentation. */
  readonly name: string;
  readonly packageManager: PackageManager;
  /** What a release looks like, e.g. `12` or `12.5` for Debian. */
  readonly release: RegExp;
  readonly releaseHint: string;
  /** The ecosystem for a valid release. */
  readonly ecosystem: (release: string) => string;
}

const major = (release: string): string => release.split('.')[0] ?? release;
const majorMinor = (release: string): string => release.split('.').slice(0, 2).join('.');

const rules = {
  debian: {
    name: 'Debian',
    packageManager: 'dpkg',
    release: /^\d{1,2}(\.\d{1,2})*$/,
    releaseHint: 'a Debian release number such as 12 or 12.5',
    ecosystem: (r) => `Debian:${major(r)}`,
  },
  ubuntu: {
    name: 'Ubuntu',
    packageManager: 'dpkg',
    release: /^\d{2}\.(04|10)(\.\d{1,2})?$/,
    releaseHint: 'an Ubuntu release such as 22.04 or 24.04.1',
    ecosystem: (r) => `Ubuntu:${majorMinor(r)}`,
  },
  rhel: {
    name: 'Red Hat Enterprise Linux',
    packageManager: 'rpm',
    release: /^\d{1,2}(\.\d{1,2})?$/,
    releaseHint: 'a RHEL release such as 9 or 9.4',
    ecosystem: (r) => `Red Hat:${major(r)}`,
  },
  almalinux: {
    name: 'AlmaLinux',
    packageManager: 'rpm',
    release: /^\d{1,2}(\.\d{1,2})?$/,
    releaseHint: 'an AlmaLinux release such as 9 or 9.4',
    ecosystem: (r) => `AlmaLinux:${major(r)}`,
  },
  rocky: {
    name: 'Rocky Linux',
    packageManager: 'rpm',
    release: /^\d{1,2}(\.\d{1,2})?$/,
    releaseHint: 'a Rocky Linux release such as 9 or 9.4',
    ecosystem: (r) => `Rocky Linux:${major(r)}`,
  },
  sles: {
    name: 'SUSE Linux Enterprise Server',
    packageManager: 'rpm',
    release: /^\d{2}(\.\d)?$/,
    releaseHint: 'a SLES release such as 15 or 15.5 (service pack 5)',
    ecosystem: (r) => {
      const [ver, sp] = r.split('.');
      return sp && sp !== '0' ? `SUSE:Linux Enterprise Server ${ver} SP${sp}` : `SUSE:Linux Enterprise Server ${ver}`;
    },
  },
  'opensuse-leap': {
    name: 'openSUSE Leap',
    packageManager: 'rpm',
    release: /^\d{2}\.\d$/,
    releaseHint: 'an openSUSE Leap release such as 15.5',
    ecosystem: (r) => `openSUSE:Leap ${r}`,
  },
  amzn: {
    name: 'Amazon Linux',
    packageManager: 'rpm',
    release: /^(2|2023)(\.\d+)*$/,
    releaseHint: 'an Amazon Linux release: 2 or 2023',
    ecosystem: (r) => `Amazon Linux:${major(r)}`,
  },
  alpine: {
    name: 'Alpine Linux',
    packageManager: 'apk',
    release: /^\d\.\d{1,2}(\.\d{1,2})?$/,
    releaseHint: 'an Alpine release such as 3.20 or 3.20.3',
    ecosystem: (r) => `Alpine:v${majorMinor(r)}`,
  },
  wolfi: {
    name: 'Wolfi',
    packageManager: 'apk',
    release: /^[0-9A-Za-z.]{1,32}$/,
    releaseHint: 'any release string (Wolfi is rolling)',
    ecosystem: () => 'Wolfi',
  },
  windows: {
    name: 'Windows',
    packageManager: 'windows',
    release: /^10\.0\.\d{5}(\.\d{1,6})?$/,
    releaseHint: 'a Windows build such as 10.0.20348 or 10.0.20348.2402 (Windows Server 2022)',
    ecosystem: (r) => `Windows:${r.split('.').slice(0, 3).join('.')}`,
  },
} as const satisfies Record<string, OsFamilyRule>;

export type OsFamily = keyof typeof rules;
export const osFamilies = Object.keys(rules) as OsFamily[];

export function isOsFamily(value: string): value is OsFamily {
  return Object.hasOwn(rules, value);
}

export function packageManagerOf(family: OsFamily): PackageManager {
  return rules[family].packageManager;
}

export function osFamilyName(family: OsFamily): string {
  return rules[family].name;
}

/** The ecosystem of a host, or why its release is not one of its family. */
export function ecosystemOf(family: OsFamily, release: string): { ecosystem: string } | { error: string } {
  const rule: OsFamilyRule = rules[family];
  if (!rule.release.test(release)) {
    return { error: `release "${release}" is not ${rule.releaseHint}` };
  }
  return { ecosystem: rule.ecosystem(release) };
}
