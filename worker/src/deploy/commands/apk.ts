/**
 * Alpine and Wolfi: apk installs and records. Two apk habits shape the commands:
 * - `apk add` writes its argument into /etc/apk/world. `name=version` there would hold the package
 *   at that version against every later `apk upgrade`, so the install asks for `name>=version`;
 *   the rollback does pin the recorded version (a deliberate hold, replaced by the next job's `>=`).
 * - Alpine's mirrors keep only the newest build of a branch: a downgrade works only from the host's
 *   cache (/etc/apk/cache) or a snapshot; the runbook says so.
 * Alpine has no "reboot required" flag: a reboot is implied when a kernel flavour is in the job.
 */
import { apk as apkScheme } from '@patchboard/shared/versions/apk';
import { checked, probe, report, run, serviceName } from './safety';
import { takeSnapshot } from './snapshot';
import type { Command, InstalledVersions, JobPackage, PackageManagerCommands } from './types';
import { addInstalled, checkVersion, recordedPackages, uniqueNames } from './versions';

const NAME = /^[A-Za-z0-9][A-Za-z0-9+._-]*$/;
const VERSION = /^[0-9][A-Za-z0-9._+-]*$/;
/** Kernel flavours (linux-firmware-* and linux-headers are not kernels). */
const KERNEL = /^linux-(?:lts|virt|edge|stable|rpi\d*)$/;

const name = (value: string): string => checked('package name', value, NAME, 'an apk package name');
const version = (value: string): string => checked('version', value, VERSION, 'an apk version such as 3.1.4-r5');

/** `apk list --installed NAME...`: `openssl-3.1.4-r5 x86_64 {openssl} (Apache-2.0) [installed]` per package. */
function versionsProbe(packages: readonly JobPackage[]): Command {
  return probe({ kind: 'versions' }, 'apk', 'list', '--installed', ...uniqueNames(packages).map(name));
}

/** `name-version-rN` is split before the version: the last `-` followed by a digit, with `-rN` after it. */
const NAME_VERSION = /^(.+?)-(\d[^-\s]*-r\d+)$/;

export const apk: PackageManagerCommands = {
  packageManager: 'apk',
  shell: 'posix',
  environment: {},

  backup(packages, hook, jobId) {
    return [versionsProbe(packages), ...(hook ? takeSnapshot(hook, jobId) : [])];
  },

  install(packages) {
    const specs = packages.map((p) =>
      p.targetVersion === null ? name(p.name) : `${name(p.name)}>=${version(p.targetVersion)}`,
    );
    // A probe for the same reason as apt-get update: the add below fails by itself if the index is stale.
    return [probe(undefined, 'apk', 'update'), run('apk', 'add', '--upgrade', ...specs)];
  },

  verify(packages, healthChecks) {
    return [
      report,
      versionsProbe(packages),
      // OpenRC: `rc-service NAME status` exits 0 when started (3 when stopped).
      ...healthChecks.map((service) =>
        probe({ kind: 'health', service: serviceName(service), active: { exit: 0 } }, 'rc-service', service, 'status'),
      ),
    ];
  },

  parseInstalled(output) {
    const installed: InstalledVersions = new Map();
    for (const line of output.split(/\r?\n/)) {
      // The first field: `apk list` adds arch, origin, license and state; `apk info -v` prints it alone.
      const first = line.trim().split(/\s+/)[0] ?? '';
      const match = NAME_VERSION.exec(first);
      if (!match?.[1] || !match[2] || apkScheme.validate(match[2]) !== undefined) continue;
      addInstalled(installed, apkScheme, match[1], match[2]);
    }
    return installed;
  },

  rollback(packages, recorded) {
    const specs = recordedPackages(packages, recorded).map(({ pkg, version: v }) => `${name(pkg.name)}=${version(v)}`);
    return [...(specs.length > 0 ? [run('apk', 'add', ...specs)] : []), report];
  },

  checkInstalled(pkg, installed, recorded) {
    return checkVersion(apkScheme, pkg, installed, recorded);
  },

  rebootImpliedBy(packages) {
    return packages.some((p) => KERNEL.test(p.name));
  },
};
