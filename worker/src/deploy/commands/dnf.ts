/**
 * RHEL and its rebuilds (AlmaLinux, Rocky, Oracle), Fedora and Amazon Linux: dnf installs, rpm
 * records. `yum` is the same family with yum's command names (EL7's yum, or the yum front end
 * of dnf on EL8+), so both come from one factory.
 */
import { rpm } from '@patchboard/shared/versions/rpm';
import { checked, probe, report, run, serviceName } from './safety';
import { takeSnapshot } from './snapshot';
import type { Command, JobPackage, PackageManagerCommands } from './types';
import { checkVersion, parseNameVersionLines, recordedPackages, uniqueNames } from './versions';

const NAME = /^[A-Za-z0-9][A-Za-z0-9+._-]*$/;
/** `[epoch:]version[-release]`, with rpm's `~` and `^`. */
const VERSION = /^[A-Za-z0-9][A-Za-z0-9.+~^:_-]*$/;
/**
 * Advisory ids that are updateinfo ids in the vendor's own repositories: Red Hat, AlmaLinux,
 * Rocky, Oracle, Amazon Linux and Fedora. Debian's or Ubuntu's ids never reach dnf.
 */
export const UPDATEINFO_ADVISORY =
  /^(?:(?:RH|AL|RL)[SBE]A-\d{4}:\d{1,6}|EL[SBE]A-\d{4}-\d{1,6}|ALAS(?:2|2022|2023)?-\d{4}-\d{1,6}|FEDORA(?:-EPEL)?-\d{4}-[0-9a-f]{6,12})$/;

const name = (value: string): string => checked('package name', value, NAME, 'an RPM package name');
const version = (value: string): string => checked('version', value, VERSION, 'an RPM [epoch:]version-release');

/** `name-[epoch:]version-release` as dnf reads a package spec; epoch 0 is left out. */
export const nevra = (pkgName: string, evr: string): string => `${name(pkgName)}-${version(evr).replace(/^0+:/, '')}`;

/** `rpm -q --qf '%{NAME} %{EPOCHNUM}:%{VERSION}-%{RELEASE}\n'`: every line carries its epoch, 0 when none. */
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

interface Dialect {
  readonly packageManager: 'dnf' | 'yum';
  readonly program: string;
  readonly upgrade: string;
  readonly upgradeMinimal: string;
  /** Rollback: dnf's `install NEVRA` moves to exactly that version (up or down, a no-op when there); EL7's yum needs `downgrade`. */
  readonly rollback: string;
  readonly needsRestarting: readonly string[];
}

function rpmFamily(dialect: Dialect): PackageManagerCommands {
  const { program } = dialect;
  return {
    packageManager: dialect.packageManager,
    shell: 'posix',
    // needs-restarting's answer is read from its English text.
    environment: { LC_ALL: 'C' },

    backup(packages, hook, jobId) {
      return [versionsProbe(packages), ...(hook ? takeSnapshot(hook, jobId) : [])];
    },

    install(packages) {
      // An exact NEVRA when the fixed version is known: the same version on every host, and the one
      // verify checks. Without one, the package's updateinfo advisories, restricted to the job's
      // packages; without either, the newest version.
      const exact = packages.filter((p) => p.targetVersion !== null);
      const rest = packages.filter((p) => p.targetVersion === null);
      const advisories = [...new Set(rest.flatMap((p) => p.advisories.filter((a) => UPDATEINFO_ADVISORY.test(a))))];
      const byAdvisory = rest.filter((p) => p.advisories.some((a) => UPDATEINFO_ADVISORY.test(a)));
      const newest = rest.filter((p) => !byAdvisory.includes(p));
      const commands: Command[] = [];
      if (exact.length > 0) {
        commands.push(run(program, dialect.upgrade, '-y', ...exact.map((p) => nevra(p.name, p.targetVersion ?? ''))));
      }
      if (byAdvisory.length > 0) {
        commands.push(
          run(
            program,
            dialect.upgradeMinimal,
            '-y',
            ...advisories.map((a) => `--advisory=${a}`),
            ...uniqueNames(byAdvisory).map(name),
          ),
        );
      }
      if (newest.length > 0) commands.push(run(program, dialect.upgrade, '-y', ...uniqueNames(newest).map(name)));
      return commands;
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
        // INVERTED sense: exit 1 means a reboot IS needed, 0 that it is not. dnf also exits 1 on
        // its own errors (a missing plugin), so "required" also asks for the sentence it prints.
        probe(
          {
            kind: 'reboot',
            required: { exit: 1, outputIncludes: 'Reboot is required' },
            notRequired: { exit: 0 },
          },
          ...dialect.needsRestarting,
        ),
      ];
    },

    parseInstalled(output) {
      return parseNameVersionLines(output, rpm);
    },

    rollback(packages, recorded) {
      const specs = recordedPackages(packages, recorded).map(({ pkg, version: v }) => nevra(pkg.name, v));
      return [...(specs.length > 0 ? [run(program, dialect.rollback, '-y', ...specs)] : []), report];
    },

    checkInstalled(pkg, installed, recorded) {
      return checkVersion(rpm, pkg, installed, recorded);
    },
  };
}

export const dnf = rpmFamily({
  packageManager: 'dnf',
  program: 'dnf',
  upgrade: 'upgrade',
  upgradeMinimal: 'upgrade-minimal',
  rollback: 'install',
  needsRestarting: ['dnf', 'needs-restarting', '-r'],
});

/** EL7's yum (update-minimal and needs-restarting from yum-utils); the same words work with EL8+'s yum. */
export const yum = rpmFamily({
  packageManager: 'yum',
  program: 'yum',
  upgrade: 'update',
  upgradeMinimal: 'update-minimal',
  rollback: 'downgrade',
  needsRestarting: ['needs-restarting', '-r'],
});
