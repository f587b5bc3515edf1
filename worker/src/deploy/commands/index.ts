/**
 * The commands of each package manager a job can drive, and which one a host uses. A package
 * manager missing from `managers` is a type error.
 */
import { isOsFamily, packageManagerOf as packageDatabaseOf } from '@patchboard/shared/os';
import { apk } from './apk';
import { apt } from './apt';
import { dnf, yum } from './dnf';
import type { PackageManager, PackageManagerCommands } from './types';
import { windows } from './windows';
import { zypper } from './zypper';

export { assertSafeArgv, UnsafeArgumentError, wireCommand } from './safety';
export { releaseSnapshot, restoreNotes, restoreSnapshot, takeSnapshot } from './snapshot';
export type * from './types';

const managers: Readonly<Record<PackageManager, PackageManagerCommands>> = { apt, dnf, yum, zypper, apk, windows };

export const packageManagers = Object.keys(managers) as PackageManager[];

export function commandsFor(pm: PackageManager): PackageManagerCommands {
  return managers[pm];
}

export function isPackageManager(value: string): value is PackageManager {
  return Object.hasOwn(managers, value);
}

/** Families shared/src/os.ts does not know (yet) whose installer is certain. */
const otherFamilies: Readonly<Record<string, PackageManager>> = { centos: 'dnf', fedora: 'dnf', ol: 'dnf' };

/**
 * The installer of a host from its os-release ID (and release, where one family changed tools:
 * Amazon Linux 2 and EL7 have yum only). The package database comes from shared/src/os.ts; SUSE
 * keeps rpm's database but installs with zypper. Null: a family we do not drive.
 */
export function packageManagerOf(osFamily: string, osRelease?: string): PackageManager | null {
  const family = osFamily.trim().toLowerCase();
  const major = osRelease?.trim().split('.')[0];
  if (family === 'sles' || family === 'sled' || family === 'sle-micro' || family.startsWith('opensuse'))
    return 'zypper';
  if ((family === 'amzn' && major === '2') || (['rhel', 'centos', 'ol'].includes(family) && major === '7'))
    return 'yum';
  if (isOsFamily(family)) {
    const database = packageDatabaseOf(family);
    return database === 'dpkg' ? 'apt' : database === 'rpm' ? 'dnf' : database;
  }
  return Object.hasOwn(otherFamilies, family) ? (otherFamilies[family] ?? null) : null;
}
