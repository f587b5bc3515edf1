/** Reading and comparing installed versions, shared by the Linux package managers. */
import { isInvalid, type VersionScheme } from '@patchboard/shared/versions/index';
import type { InstalledVersions, JobPackage } from './types';

/**
 * Adds `name version` to `into`; a package listed twice (multiarch: `libssl3:amd64` and `:i386`
 * print the same name) keeps its LOWEST version, so that verify asks every architecture to be fixed.
 */
export function addInstalled(into: InstalledVersions, scheme: VersionScheme, name: string, version: string): void {
  const seen = into.get(name);
  if (seen === undefined) {
    into.set(name, version);
    return;
  }
  const order = scheme.compare(version, seen);
  if (!isInvalid(order) && order < 0) into.set(name, version);
}

/** Lines of `name version` (dpkg-query and rpm formats of this module), skipping what is not one. */
export function parseNameVersionLines(output: string, scheme: VersionScheme): InstalledVersions {
  const installed: InstalledVersions = new Map();
  for (const raw of output.split(/\r?\n/)) {
    const fields = raw.trim().split(/\s+/);
    // dpkg-query prints `name ` (no version) for a package it knows but has not installed.
    if (fields.length !== 2) continue;
    const [name = '', version = ''] = fields;
    if (name === '' || version === '' || scheme.validate(version) !== undefined) continue;
    addInstalled(installed, scheme, name, version);
  }
  return installed;
}

/** The common rule of `checkInstalled` for version-ordered package managers. */
export function checkVersion(
  scheme: VersionScheme,
  pkg: JobPackage,
  installed: InstalledVersions,
  recorded: InstalledVersions,
): string | undefined {
  const now = installed.get(pkg.name);
  if (now === undefined) return `${pkg.name} is not installed`;
  if (pkg.targetVersion !== null) {
    const order = scheme.compare(now, pkg.targetVersion);
    if (isInvalid(order)) return `${pkg.name}: cannot compare ${now} with ${pkg.targetVersion} (${order.reason})`;
    return order < 0 ? `${pkg.name} is at ${now}, below the fixed version ${pkg.targetVersion}` : undefined;
  }
  const before = recorded.get(pkg.name);
  if (before === undefined) return undefined;
  const order = scheme.compare(now, before);
  if (isInvalid(order)) return `${pkg.name}: cannot compare ${now} with ${before} (${order.reason})`;
  return order > 0 ? undefined : `${pkg.name} is still at ${now}: the upgrade installed nothing newer`;
}

/** Packages the backup found installed, in the job's order: the only ones a rollback touches. */
export function recordedPackages(
  packages: readonly JobPackage[],
  recorded: InstalledVersions,
): { pkg: JobPackage; version: string }[] {
  return packages.flatMap((pkg) => {
    const version = recorded.get(pkg.name);
    return version === undefined ? [] : [{ pkg, version }];
  });
}

/** Names once each, in first-seen order. */
export function uniqueNames(packages: readonly JobPackage[]): string[] {
  return [...new Set(packages.map((p) => p.name))];
}
