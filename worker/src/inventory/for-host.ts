import { matchIdentity } from '@patchboard/shared/ecosystems';
import { isOsFamily, packageManagerOf } from '@patchboard/shared/os';
import type { ErrorDetail } from '@patchboard/shared/schemas/error';
import { isInvalid, versionKey } from '@patchboard/shared/versions/index';
import type { HotfixRecord, PackageRecord } from '../db/inventory';
import type { ParsedInventory } from './model';

export interface HostIdentity {
  readonly hostname: string;
  readonly os_family: string;
  readonly os_release: string;
  readonly ecosystem: string;
}

/** The package a Windows host's own build is recorded as (see MSRC advisories in feeds/msrc). */
export const WINDOWS_PACKAGE = 'windows';

const MAX_ISSUES = 20;

/**
 * Ties a parsed inventory to its host: OS packages take the host's ecosystem (`Debian:12`), SBOM
 * language packages keep theirs (`npm`). A report from another package database than the host's
 * (rpm packages on a Debian host, hotfixes on Linux) is refused rather than stored: matching it
 * against the host's advisories would give nonsense, and it usually means the wrong host name.
 */
export function recordsForHost(
  host: HostIdentity,
  inventory: ParsedInventory,
): { ok: true; packages: PackageRecord[]; hotfixes: HotfixRecord[] } | { ok: false; issues: ErrorDetail[] } {
  const manager = isOsFamily(host.os_family) ? packageManagerOf(host.os_family) : undefined;
  const issues: ErrorDetail[] = [];
  const packages = new Map<string, PackageRecord>();
  for (const pkg of inventory.packages) {
    if (pkg.packageManager !== undefined && pkg.packageManager !== manager) {
      if (issues.length < MAX_ISSUES) {
        issues.push({
          message: `${pkg.name} ${pkg.version} is a ${pkg.packageManager} package, but ${host.hostname} runs ${host.ecosystem} (${manager ?? 'unknown'} packages)`,
        });
      }
      continue;
    }
    const ecosystem = pkg.ecosystem ?? host.ecosystem;
    const match = matchIdentity(ecosystem, pkg);
    const key = versionKey(ecosystem, match.version);
    const record: PackageRecord = {
      ecosystem,
      name: pkg.name,
      version: pkg.version,
      arch: pkg.arch ?? '',
      sourceName: pkg.source ?? null,
      sourceVersion: pkg.sourceVersion ?? null,
      purl: pkg.purl ?? null,
      matchName: match.name,
      matchVersion: match.version,
      // A version its ecosystem's scheme cannot read is still inventory, but matches no advisory.
      matchKey: isInvalid(key) ? null : key,
    };
    packages.set(JSON.stringify([record.ecosystem, record.name, record.arch, record.version]), record);
  }
  if (manager === 'windows') {
    // The OS build is matched like a package: Microsoft's advisories give a fixed build per product.
    const build = versionKey(host.ecosystem, host.os_release);
    const record: PackageRecord = {
      ecosystem: host.ecosystem,
      name: WINDOWS_PACKAGE,
      version: host.os_release,
      arch: '',
      sourceName: null,
      sourceVersion: null,
      purl: null,
      matchName: WINDOWS_PACKAGE,
      matchVersion: host.os_release,
      matchKey: isInvalid(build) ? null : build,
    };
    packages.set(JSON.stringify([record.ecosystem, record.name, record.arch, record.version]), record);
  }
  if (inventory.hotfixes.length > 0 && manager !== 'windows') {
    issues.push({ message: `${host.hostname} runs ${host.ecosystem}: Windows hotfixes cannot be installed on it` });
  }
  if (issues.length > 0) return { ok: false, issues };
  const hotfixes = new Map(inventory.hotfixes.map((h) => [h.kb, { kb: h.kb, installedOn: h.installedOn ?? null }]));
  return { ok: true, packages: [...packages.values()], hotfixes: [...hotfixes.values()] };
}
