/**
 * SUSE Linux Enterprise and openSUSE: zypper installs, rpm records (the same probe as dnf's).
 * `name=version` asks libzypp for exactly that edition; `--oldpackage` lets the rollback go down.
 */
import { rpm } from '@patchboard/shared/versions/rpm';
import { checked, probe, report, run, serviceName } from './safety';
import { takeSnapshot } from './snapshot';
import type { Command, JobPackage, PackageManagerCommands } from './types';
import { checkVersion, parseNameVersionLines, recordedPackages, uniqueNames } from './versions';

const NAME = /^[A-Za-z0-9][A-Za-z0-9+._-]*$/;
const VERSION = /^[A-Za-z0-9][A-Za-z0-9.+~^:_-]*$/;

const name = (value: string): string => checked('package name', value, NAME, 'an RPM package name');
const edition = (pkgName: string, evr: string): string =>
  `${name(pkgName)}=${checked('version', evr, VERSION, 'an RPM [epoch:]version-release').replace(/^0+:/, '')}`;

const ZYPPER = ['zypper', '--non-interactive'];

function versionsProbe(packages: readonly JobPackage[]): Command {
  return probe(
    { kind: 'versions' },
    'rpm',
    '-q',
    '--qf',
    '%{NAME} %{EPOCHNUM}:%{VERSION}-%{RELEASE}\\n',
    ...uniqueNames(packages).map(name),
  );
}

export const zypper: PackageManagerCommands = {
  packageManager: 'zypper',
  shell: 'posix',
  environment: { LC_ALL: 'C' },

  backup(packages, hook, jobId) {
    return [versionsProbe(packages), ...(hook ? takeSnapshot(hook, jobId) : [])];
  },

  install(packages) {
    const exact = packages.filter((p) => p.targetVersion !== null);
    const newest = packages.filter((p) => p.targetVersion === null);
    return [
      ...(exact.length > 0
        ? [
            run(
              ...ZYPPER,
              'install',
              '--auto-agree-with-licenses',
              ...exact.map((p) => edition(p.name, p.targetVersion ?? '')),
            ),
          ]
        : []),
      // `update` (not `install`): only what the host has, to the newest version.
      ...(newest.length > 0
        ? [run(...ZYPPER, 'update', '--auto-agree-with-licenses', ...uniqueNames(newest).map(name))]
        : []),
    ];
  },

  verify(packages, healthChecks) {
    return [
      report,
      versionsProbe(packages),
      ...healthChecks.map((service) =>
        probe(
          { kind: 'health', service: serviceName(service), active: { exit: 0 } },
          'systemctl',
          'is-active',
          '--quiet',
          service,
        ),
      ),
      // ZYPPER_EXIT_INF_REBOOT_NEEDED: 102 means a reboot is needed, 0 that it is not.
      probe({ kind: 'reboot', required: { exit: 102 }, notRequired: { exit: 0 } }, 'zypper', 'needs-rebooting'),
    ];
  },

  parseInstalled(output) {
    return parseNameVersionLines(output, rpm);
  },

  rollback(packages, recorded) {
    const specs = recordedPackages(packages, recorded).map(({ pkg, version }) => edition(pkg.name, version));
    return [
      ...(specs.length > 0 ? [run(...ZYPPER, 'install', '--oldpackage', '--auto-agree-with-licenses', ...specs)] : []),
      report,
    ];
  },

  checkInstalled(pkg, installed, recorded) {
    return checkVersion(rpm, pkg, installed, recorded);
  },
};
