/**
 * Debian and Ubuntu: apt-get installs, dpkg-query records. apt-get and dpkg read the environment
 * the agent sets for them (`environment`): DEBIAN_FRONTEND=noninteractive keeps debconf from
 * asking, and the dpkg options keep changed configuration files without a prompt.
 */
import { dpkg } from '@patchboard/shared/versions/dpkg';
import { checked, probe, report, run, serviceName } from './safety';
import { takeSnapshot } from './snapshot';
import type { Command, JobPackage, PackageManagerCommands } from './types';
import { checkVersion, parseNameVersionLines, recordedPackages, uniqueNames } from './versions';

/** Debian policy: lower case, digits and `+-.`, at least two characters, starting alphanumeric. */
const NAME = /^[a-z0-9][a-z0-9+.-]+$/;
/** `[epoch:]upstream[-revision]`; starts with a letter or digit, so never an option. */
const VERSION = /^[A-Za-z0-9][A-Za-z0-9.+~:_-]*$/;

const name = (value: string): string => checked('package name', value, NAME, 'a Debian package name');
const version = (value: string): string => checked('version', value, VERSION, 'a Debian version');

const DPKG_OPTIONS = ['-o', 'Dpkg::Options::=--force-confdef', '-o', 'Dpkg::Options::=--force-confold'];

/** dpkg-query's format, not a template: dpkg-query expands the `\n` itself, so argv holds no newline. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own field syntax.
export const DPKG_QUERY_FORMAT = '-f=${Package} ${Version}\\n';

/** `dpkg-query -W -f=...` for the job's packages: `name version` per line. */
function versionsProbe(packages: readonly JobPackage[]): Command {
  return probe({ kind: 'versions' }, 'dpkg-query', '-W', DPKG_QUERY_FORMAT, ...uniqueNames(packages).map(name));
}

export const apt: PackageManagerCommands = {
  packageManager: 'apt',
  shell: 'posix',
  environment: { DEBIAN_FRONTEND: 'noninteractive', LC_ALL: 'C' },

  backup(packages, hook, jobId) {
    return [versionsProbe(packages), ...(hook ? takeSnapshot(hook, jobId) : [])];
  },

  install(packages) {
    const specs = packages.map((p) =>
      p.targetVersion === null ? name(p.name) : `${name(p.name)}=${version(p.targetVersion)}`,
    );
    return [
      // A probe: one unreachable repository makes `update` fail while the target versions may well
      // be in the lists already; if they are not, the install below fails and says which one.
      probe(undefined, 'apt-get', 'update'),
      // --only-upgrade: a package the host does not have is never installed by a patch job.
      run('apt-get', 'install', '-y', '--only-upgrade', ...DPKG_OPTIONS, ...specs),
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
      // Written by the packages' postinst (update-notifier-common, or Debian's kernel hooks).
      probe(
        { kind: 'reboot', required: { exit: 0 }, notRequired: { exit: 1 } },
        'test',
        '-e',
        '/var/run/reboot-required',
      ),
    ];
  },

  parseInstalled(output) {
    return parseNameVersionLines(output, dpkg);
  },

  rollback(packages, recorded) {
    const specs = recordedPackages(packages, recorded).map(({ pkg, version: v }) => `${name(pkg.name)}=${version(v)}`);
    return [
      ...(specs.length > 0 ? [run('apt-get', 'install', '-y', '--allow-downgrades', ...DPKG_OPTIONS, ...specs)] : []),
      report,
    ];
  },

  checkInstalled(pkg, installed, recorded) {
    return checkVersion(dpkg, pkg, installed, recorded);
  },
};
