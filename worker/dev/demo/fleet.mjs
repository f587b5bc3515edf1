// @ts-check
/**
 * The demo fleet that `npm start` seeds into the `demo` tenant: 48 hosts on Debian 12, Ubuntu 22.04,
 * RHEL 9.4, Alpine 3.20 and Windows Server 2022, spread over the rings test, pilot and prod.
 *
 * Each host reports the base package list of its platform (data/, see data/NOTICE.md) in that
 * platform's native inventory format, varied per host:
 * - role packages (nginx, PostgreSQL, TigerVNC) stay only on the hosts whose role runs them;
 * - for every group in `olderVersions`, a seeded draw decides whether the host is patched (the base
 *   version) or behind (one of the older real versions of the same release), so that real vendor
 *   advisories apply to some hosts and not to others;
 * - kernels: the newest installed build lags like the other groups, and most hosts keep the
 *   previous build installed, as package managers do;
 * - Windows hosts have the 2024 cumulative updates up to a host-specific month.
 * The draws are keyed by hostname, so the fleet is the same on every call and on every machine.
 */
import { readFileSync } from 'node:fs';

/** @typedef {'debian' | 'ubuntu' | 'rhel' | 'alpine' | 'windows'} Platform */
/** @typedef {'test' | 'pilot' | 'prod'} RingName */

/**
 * @typedef {object} DemoHost
 * @property {string} hostname
 * @property {{ os: { family: Platform, release: string }, ring: RingName, criticality: number, internetFacing: boolean, tags: string[], owner: string }} host
 *   body of `PUT /v1/hosts/{hostname}`
 * @property {{ contentType: string, body: string }} software body of `PUT /v1/hosts/{hostname}/software`
 */

/**
 * A set of binary packages built from one source that move together, and the older real versions
 * of that source for the same release. A version without an epoch takes the epoch of the package's
 * base version (bsdutils `1:`, bind `32:`), as the packages of one source do.
 * @typedef {{ packages: readonly string[], versions: readonly string[], origin: string }} OlderVersions
 */

/** @typedef {{ version: string, packages: readonly { name: string, source?: string, sourceVersion?: string }[] }} KernelBuild */

/** @type {Readonly<Record<Exclude<Platform, 'windows'>, readonly OlderVersions[]>>} */
export const olderVersions = {
  debian: [
    {
      packages: ['openssl', 'libssl3', 'libssl-dev'],
      versions: ['3.0.11-1~deb12u2', '3.0.13-1~deb12u1', '3.0.14-1~deb12u2', '3.0.15-1~deb12u1', '3.0.17-1~deb12u2'],
      origin: 'changelog.Debian.gz of libssl3 on the Debian 12 machine',
    },
    {
      packages: [
        'libc6',
        'libc-bin',
        'libc-dev-bin',
        'libc-devtools',
        'libc-l10n',
        'libc6-dbg',
        'libc6-dev',
        'locales',
      ],
      versions: ['2.36-9+deb12u4', '2.36-9+deb12u7', '2.36-9+deb12u9', '2.36-9+deb12u10'],
      origin: 'changelog.Debian.gz of libc6 on the Debian 12 machine',
    },
    {
      packages: ['openssh-client', 'openssh-server', 'openssh-sftp-server'],
      versions: ['1:9.2p1-2+deb12u2', '1:9.2p1-2+deb12u3', '1:9.2p1-2+deb12u5'],
      origin: 'changelog.Debian.gz of openssh-client on the Debian 12 machine',
    },
    {
      packages: ['curl', 'libcurl4', 'libcurl3-gnutls', 'libcurl3-nss'],
      versions: ['7.88.1-10+deb12u5', '7.88.1-10+deb12u8', '7.88.1-10+deb12u12'],
      origin: 'changelog.Debian.gz of libcurl4 on the Debian 12 machine',
    },
    {
      packages: [
        'systemd',
        'systemd-sysv',
        'systemd-timesyncd',
        'libsystemd0',
        'libsystemd-shared',
        'libudev1',
        'libnss-systemd',
        'libpam-systemd',
      ],
      versions: ['252.26-1~deb12u2', '252.30-1~deb12u2', '252.33-1~deb12u1'],
      origin: 'changelog.Debian.gz of libsystemd0 on the Debian 12 machine',
    },
    {
      packages: ['libxml2', 'libxml2-dev'],
      versions: ['2.9.14+dfsg-1.3~deb12u1', '2.9.14+dfsg-1.3~deb12u2', '2.9.14+dfsg-1.3~deb12u4'],
      origin: 'changelog.Debian.gz of libxml2 on the Debian 12 machine',
    },
    {
      packages: ['postgresql-15', 'postgresql-client-15', 'libpq5', 'libpq-dev'],
      versions: ['15.6-0+deb12u1', '15.8-0+deb12u1', '15.10-0+deb12u1', '15.12-0+deb12u2'],
      origin: 'changelog.Debian.gz of postgresql-15 on the Debian 12 machine',
    },
    {
      packages: ['nginx', 'nginx-common'],
      versions: ['1.22.1-9', '1.22.1-9+deb12u1', '1.22.1-9+deb12u4'],
      origin: 'changelog.Debian.gz in nginx-common_1.22.1-9+deb12u9_all.deb from bookworm',
    },
    {
      packages: ['sudo'],
      versions: ['1.9.13p3-1+deb12u1', '1.9.13p3-1+deb12u2'],
      origin: 'changelog.Debian.gz in sudo_1.9.13p3-1+deb12u4_amd64.deb from bookworm',
    },
    {
      // Also sets the host's release: base-files 12.4+deb12uN ships /etc/debian_version 12.N.
      packages: ['base-files'],
      versions: ['12.4+deb12u5', '12.4+deb12u7', '12.4+deb12u8', '12.4+deb12u10'],
      origin: 'changelog.gz of base-files on the Debian 12 machine',
    },
  ],
  ubuntu: [
    {
      packages: ['openssl', 'libssl3'],
      versions: ['3.0.2-0ubuntu1.10', '3.0.2-0ubuntu1.12', '3.0.2-0ubuntu1.15'],
      origin: 'public jammy package lists and scan reports',
    },
    {
      packages: ['libc6', 'libc-bin', 'locales'],
      versions: ['2.35-0ubuntu3.1', '2.35-0ubuntu3.4', '2.35-0ubuntu3.5'],
      origin: 'public jammy package lists and scan reports',
    },
    {
      packages: ['openssh-client', 'openssh-server', 'openssh-sftp-server'],
      versions: ['1:8.9p1-3ubuntu0.3', '1:8.9p1-3ubuntu0.4', '1:8.9p1-3ubuntu0.6'],
      origin: 'public jammy apt logs and package lists',
    },
    {
      packages: ['curl', 'libcurl4', 'libcurl3-gnutls'],
      versions: ['7.81.0-1ubuntu1.10', '7.81.0-1ubuntu1.16', '7.81.0-1ubuntu1.18', '7.81.0-1ubuntu1.20'],
      origin: 'public jammy package lists and scan reports (base 1.24 from the corpus OpenVEX)',
    },
    {
      packages: [
        'systemd',
        'systemd-sysv',
        'systemd-timesyncd',
        'libpam-systemd',
        'libnss-systemd',
        'udev',
        'libsystemd0',
        'libudev1',
      ],
      versions: ['249.11-0ubuntu3.9', '249.11-0ubuntu3.10'],
      origin: 'public jammy package lists and apt history logs',
    },
    {
      packages: ['libpam-modules', 'libpam-modules-bin', 'libpam-runtime', 'libpam0g'],
      versions: ['1.4.0-11ubuntu2.3'],
      origin: 'public jammy package list (ubuntu:22.04 image, 2023)',
    },
    {
      packages: ['libgssapi-krb5-2', 'libk5crypto3', 'libkrb5-3', 'libkrb5support0'],
      versions: ['1.19.2-2ubuntu0.2'],
      origin: 'public jammy package list (ubuntu:22.04 image, 2023)',
    },
    {
      packages: ['libgnutls30'],
      versions: ['3.7.3-4ubuntu1.2'],
      origin: 'public jammy package list (ubuntu:22.04 image, 2023)',
    },
    {
      packages: ['util-linux', 'mount', 'bsdutils', 'libblkid1', 'libmount1', 'libsmartcols1', 'libuuid1'],
      versions: ['2.37.2-4ubuntu3'],
      origin: 'public jammy package list (ubuntu:22.04 image, 2023)',
    },
    {
      packages: ['nginx', 'nginx-common', 'nginx-core'],
      versions: ['1.18.0-6ubuntu14.3'],
      origin: 'public jammy apt output',
    },
    {
      packages: ['postgresql-14', 'postgresql-client-14', 'libpq5'],
      versions: ['14.9-0ubuntu0.22.04.1'],
      origin: 'public pg_dump headers and package lists',
    },
  ],
  rhel: [
    {
      packages: ['openssl', 'openssl-libs'],
      versions: ['1:3.0.7-27.el9'],
      origin: 'RHEL 9.4 GA (RHSA-2024:2447 in public `dnf updateinfo` output)',
    },
    {
      packages: ['glibc', 'glibc-common', 'glibc-minimal-langpack', 'glibc-langpack-en', 'glibc-gconv-extra'],
      versions: ['2.34-100.el9', '2.34-100.el9_4.2'],
      origin: 'RHEL 9.4 GA and RHSA-2024:3339 (public dnf output)',
    },
    {
      packages: ['openssh', 'openssh-clients', 'openssh-server'],
      versions: ['8.7p1-38.el9', '8.7p1-38.el9_4.1'],
      origin: 'RHEL 9.4 GA and RHSA-2024:4312',
    },
    {
      packages: ['curl', 'libcurl'],
      versions: ['7.76.1-29.el9_4'],
      origin: 'RHEL 9.4 GA (public dnf output)',
    },
    {
      packages: ['python3', 'python3-libs', 'python-unversioned-command'],
      versions: ['3.9.18-3.el9_4.1', '3.9.18-3.el9_4.5'],
      origin: '3.9.18-3.el9_4.5 from the corpus RHSA-2024:6163, .1 from public rpm output',
    },
    {
      packages: ['bind-libs', 'bind-utils', 'bind-license'],
      versions: ['9.16.23-18.el9_4.1'],
      origin: 'public RHEL 9.4 rpm lists',
    },
    {
      packages: ['systemd', 'systemd-libs', 'systemd-pam', 'systemd-udev', 'systemd-rpm-macros'],
      versions: ['252-32.el9_4'],
      origin: 'RHSA-2024:2463 (public `dnf updateinfo` output)',
    },
    {
      // An el9_3 build left behind on a 9.4 host (tigervnc excluded from updates).
      packages: ['tigervnc-server', 'tigervnc-server-minimal', 'tigervnc-license', 'tigervnc-selinux'],
      versions: ['1.13.1-3.el9_3.3'],
      origin: 'corpus RHSA-2024:0010',
    },
  ],
  alpine: [
    {
      // Also sets the host's release: 3.3.0-r2 shipped with 3.20.0, 3.3.1-r0 with 3.20.1.
      packages: ['libcrypto3', 'libssl3', 'openssl'],
      versions: ['3.3.0-r2', '3.3.1-r0', '3.3.2-r0'],
      origin: 'public Alpine 3.20 package lists and apk upgrade output',
    },
    {
      packages: ['busybox', 'busybox-binsh', 'ssl_client'],
      versions: ['1.36.1-r28'],
      origin: 'public apk upgrade output (3.20.0 to 3.20.3)',
    },
    {
      packages: ['curl', 'libcurl'],
      versions: ['8.7.1-r0', '8.10.1-r0'],
      origin: 'public Alpine 3.20 package lists',
    },
    {
      packages: ['ca-certificates', 'ca-certificates-bundle'],
      versions: ['20240226-r0'],
      origin: 'public Alpine 3.20 package lists',
    },
    { packages: ['libexpat'], versions: ['2.6.2-r0'], origin: 'public Alpine 3.20 package list (2024-06)' },
    { packages: ['c-ares'], versions: ['1.28.1-r0'], origin: 'public Alpine 3.20 package list (2024-06)' },
    { packages: ['nghttp2-libs'], versions: ['1.62.0-r0'], origin: 'public Alpine 3.20 package list (2024-06)' },
    { packages: ['xz-libs'], versions: ['5.6.1-r3'], origin: 'public Alpine 3.20 package list (2024-06)' },
    { packages: ['apk-tools'], versions: ['2.14.4-r0'], origin: 'public apk upgrade output' },
    {
      packages: ['libncursesw', 'ncurses-terminfo-base'],
      versions: ['6.4_p20240420-r0'],
      origin: 'public Alpine 3.20 package list (2024-06)',
    },
  ],
};

/** Kernel builds, newest first; the base lists hold the first two. */
/** @type {Readonly<Record<'debian' | 'ubuntu' | 'rhel', readonly KernelBuild[]>>} */
const kernels = {
  debian: [
    '6.1.0-50:6.1.176-1',
    '6.1.0-38:6.1.147-1',
    '6.1.0-28:6.1.119-1',
    '6.1.0-25:6.1.106-3',
    '6.1.0-21:6.1.90-1',
  ].map((build) => {
    const [abi, version] = /** @type {[string, string]} */ (build.split(':'));
    const source = 'linux-signed-amd64';
    // The signed image's source version is the kernel's with `+` for the last `-` (6.1.176+1).
    const sourceVersion = version.replace(/-(\d+)$/, '+$1');
    return { version, packages: [{ name: `linux-image-${abi}-amd64`, source, sourceVersion }] };
  }),
  ubuntu: ['5.15.0-116.126', '5.15.0-105.115', '5.15.0-91.101', '5.15.0-76.83'].map((version) => {
    const abi = version.replace(/\.\d+$/, '');
    return {
      version,
      packages: [
        { name: `linux-image-${abi}-generic`, source: 'linux-signed' },
        { name: `linux-modules-${abi}-generic`, source: 'linux' },
      ],
    };
  }),
  rhel: ['5.14.0-427.42.1.el9_4', '5.14.0-427.20.1.el9_4', '5.14.0-427.18.1.el9_4', '5.14.0-427.13.1.el9_4'].map(
    (version) => ({
      version,
      packages: ['kernel', 'kernel-core', 'kernel-modules', 'kernel-modules-core'].map((name) => ({
        name,
        source: 'kernel',
      })),
    }),
  ),
};

/** Windows Server 2022 (build 20348) 2024 cumulative updates: KB -> OS build revision. */
const windowsBuilds = /** @type {const} */ ({
  KB5034129: 2227,
  KB5034770: 2322,
  KB5035857: 2340,
  KB5036909: 2402,
  KB5037422: 2461,
  KB5039227: 2527,
  KB5040437: 2582,
  KB5041160: 2655,
  KB5042881: 2700,
  KB5044281: 2762,
  KB5046616: 2849,
  KB5048654: 2966,
});

// ---------------------------------------------------------------------------------------------
// Fleet plan

/**
 * @typedef {object} Role
 * @property {Platform} platform
 * @property {string[]} tags
 * @property {string} owner
 * @property {boolean} internetFacing
 * @property {1 | 2} prodCriticality
 * @property {string[]} [packages] role package groups (keys of `rolePackages`) this role runs
 */

/** Packages of the base lists that only some roles run. */
/** @type {Readonly<Record<Exclude<Platform, 'windows'>, Readonly<Record<string, readonly string[]>>>>} */
const rolePackages = {
  debian: {
    nginx: ['nginx', 'nginx-common'],
    postgresql: [
      'postgresql',
      'postgresql-15',
      'postgresql-client-15',
      'postgresql-client-common',
      'postgresql-common',
      'postgresql-contrib',
    ],
  },
  ubuntu: {
    nginx: ['nginx', 'nginx-common', 'nginx-core'],
    // Browser tests on the CI runners need the Wayland client libraries.
    wayland: ['libwayland-client0', 'libwayland-cursor0', 'libwayland-egl1'],
    postgresql: [
      'postgresql',
      'postgresql-14',
      'postgresql-client-14',
      'postgresql-client-common',
      'postgresql-common',
      'libpq5',
    ],
  },
  rhel: {
    nginx: ['nginx', 'nginx-core', 'nginx-filesystem'],
    tigervnc: ['tigervnc-server', 'tigervnc-server-minimal', 'tigervnc-license', 'tigervnc-selinux'],
  },
  alpine: { nginx: ['nginx', 'pcre'] },
};

/** @type {Readonly<Record<string, Role>>} */
const roles = {
  web: {
    platform: 'debian',
    tags: ['web', 'dmz', 'team:storefront'],
    owner: 'storefront-ops@example.com',
    internetFacing: true,
    prodCriticality: 2,
    packages: ['nginx'],
  },
  db: {
    platform: 'debian',
    tags: ['db', 'pci', 'team:storefront'],
    owner: 'storefront-ops@example.com',
    internetFacing: false,
    prodCriticality: 1,
    packages: ['postgresql'],
  },
  app: {
    platform: 'debian',
    tags: ['app', 'team:storefront'],
    owner: 'storefront-ops@example.com',
    internetFacing: false,
    prodCriticality: 2,
  },
  api: {
    platform: 'ubuntu',
    tags: ['web', 'api', 'dmz', 'team:mobile'],
    owner: 'mobile-backend@example.com',
    internetFacing: true,
    prodCriticality: 2,
    packages: ['nginx'],
  },
  pay: {
    platform: 'ubuntu',
    tags: ['db', 'pci', 'team:payments'],
    owner: 'payments-oncall@example.com',
    internetFacing: false,
    prodCriticality: 1,
    packages: ['postgresql'],
  },
  ci: {
    platform: 'ubuntu',
    tags: ['ci', 'team:devtools'],
    owner: 'devtools@example.com',
    internetFacing: false,
    prodCriticality: 2,
    packages: ['wayland'],
  },
  mon: {
    platform: 'ubuntu',
    tags: ['monitoring', 'team:sre'],
    owner: 'sre@example.com',
    internetFacing: false,
    prodCriticality: 2,
  },
  erp: {
    platform: 'rhel',
    tags: ['erp', 'team:finance'],
    owner: 'finance-it@example.com',
    internetFacing: false,
    prodCriticality: 1,
    packages: ['nginx'],
  },
  vdi: {
    platform: 'rhel',
    tags: ['vdi', 'team:workplace'],
    owner: 'workplace-it@example.com',
    internetFacing: false,
    prodCriticality: 2,
    packages: ['tigervnc'],
  },
  dns: {
    platform: 'rhel',
    tags: ['dns', 'team:network'],
    owner: 'network-ops@example.com',
    internetFacing: false,
    prodCriticality: 1,
  },
  edge: {
    platform: 'alpine',
    tags: ['web', 'edge', 'dmz', 'team:network'],
    owner: 'network-ops@example.com',
    internetFacing: true,
    prodCriticality: 1,
    packages: ['nginx'],
  },
  cache: {
    platform: 'alpine',
    tags: ['cache', 'team:sre'],
    owner: 'sre@example.com',
    internetFacing: false,
    prodCriticality: 2,
  },
  dc: {
    platform: 'windows',
    tags: ['ad', 'dc', 'team:identity'],
    owner: 'identity@example.com',
    internetFacing: false,
    prodCriticality: 1,
  },
  file: {
    platform: 'windows',
    tags: ['file', 'team:workplace'],
    owner: 'workplace-it@example.com',
    internetFacing: false,
    prodCriticality: 2,
  },
  iis: {
    platform: 'windows',
    tags: ['web', 'iis', 'dmz', 'team:storefront'],
    owner: 'storefront-ops@example.com',
    internetFacing: true,
    prodCriticality: 2,
  },
};

/** How many hosts of each role sit in each ring: [test, pilot, prod]. */
/** @type {Readonly<Record<keyof typeof roles, readonly [number, number, number]>>} */
const plan = {
  web: [1, 1, 3],
  db: [1, 1, 2],
  app: [0, 1, 1],
  api: [1, 1, 2],
  pay: [0, 1, 2],
  ci: [1, 0, 1],
  mon: [0, 1, 1],
  erp: [1, 1, 3],
  vdi: [0, 1, 2],
  dns: [0, 0, 2],
  edge: [1, 1, 3],
  cache: [0, 1, 2],
  dc: [1, 1, 2],
  file: [0, 1, 1],
  iis: [0, 0, 2],
};

/** @type {readonly RingName[]} */
const rings = ['test', 'pilot', 'prod'];

/** Chance that a host is behind on a package group: prod lags the rings that patch first. */
/** @type {Readonly<Record<RingName, number>>} */
const behindChance = { test: 0.2, pilot: 0.35, prod: 0.5 };

/** Chance that a Windows server missed the latest monthly updates (reboots wait for a window). */
/** @type {Readonly<Record<RingName, number>>} */
const windowsBehindChance = { test: 0.25, pilot: 0.5, prod: 0.6 };

/** @type {Readonly<Record<Platform, { name: string, file: string, contentType: string }>>} */
const platforms = {
  debian: { name: 'Debian 12', file: 'debian-12.dpkg-status', contentType: 'text/x-dpkg-status' },
  ubuntu: { name: 'Ubuntu 22.04', file: 'ubuntu-22.04.dpkg-query', contentType: 'text/x-dpkg-query' },
  rhel: { name: 'RHEL 9.4', file: 'rhel-9.rpm-qa', contentType: 'text/x-rpm-qa' },
  alpine: { name: 'Alpine 3.20', file: 'alpine-3.20.apk-installed', contentType: 'text/x-apk-installed' },
  windows: {
    name: 'Windows Server 2022',
    file: 'windows-server-2022.hotfixes.json',
    contentType: 'application/x-windows-hotfix+json',
  },
};

/**
 * @typedef {{ hostname: string, role: Role, ring: RingName }} PlannedHost
 * @returns {PlannedHost[]}
 */
function plannedHosts() {
  /** @type {PlannedHost[]} */
  const hosts = [];
  for (const [roleName, counts] of Object.entries(plan)) {
    const role = roles[roleName];
    if (!role) throw new Error(`no role ${roleName}`);
    rings.forEach((ring, i) => {
      for (let n = 1; n <= (counts[i] ?? 0); n++) {
        hosts.push({ hostname: `${roleName}-${ring}-${String(n).padStart(2, '0')}`, role, ring });
      }
    });
  }
  return hosts;
}

/** The five platforms of the demo fleet with their host counts, for messages. */
export const demoPlatforms = /** @type {readonly { family: Platform, name: string, hosts: number }[]} */ (
  /** @type {Platform[]} */ (['debian', 'ubuntu', 'rhel', 'alpine', 'windows']).map((family) => ({
    family,
    name: platforms[family].name,
    hosts: plannedHosts().filter((h) => h.role.platform === family).length,
  }))
);

// ---------------------------------------------------------------------------------------------
// Seeded draws

/** @param {string} text */
function fnv1a(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * A number in [0, 1) fixed by the hostname and what it is drawn for (mulberry32, one step), so
 * that adding a package group does not change the draws of the others.
 * @param {string} hostname
 * @param {string} purpose
 */
function draw(hostname, purpose) {
  let t = (fnv1a(`${hostname}/${purpose}`) + 0x6d2b79f5) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/**
 * @template T
 * @param {readonly T[]} items
 * @param {number} r in [0, 1)
 * @returns {T}
 */
function pick(items, r) {
  const item = items[Math.floor(r * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

// ---------------------------------------------------------------------------------------------
// Native formats: each record keeps its text; only the version (and the versions that follow it)
// are edited, so the body stays in the platform's own format.

/** @typedef {{ name: string, version: string, lines: string[] }} PackageRecord */

/**
 * @typedef {object} Format
 * @property {(text: string) => PackageRecord[]} parse
 * @property {(records: PackageRecord[]) => string} render
 * @property {(record: PackageRecord, version: string, sourceVersion?: string) => PackageRecord} setVersion
 * @property {(name: string, version: string, source: string | undefined, sourceVersion: string | undefined) => PackageRecord} create
 *   a record for a package the base list does not hold (kernel builds)
 * @property {boolean} sorted whether the tool prints packages sorted by name
 */

/** @param {string} version */
const withoutEpoch = (version) => version.replace(/^\d+:/, '');

/**
 * The source version that goes with a new binary version: dpkg prints the source version only
 * when it differs from the binary's (an epoch only the binary has, a binNMU `+bN`).
 * @param {string} oldBinary
 * @param {string} oldSource
 * @param {string} newBinary
 */
function followSource(oldBinary, oldSource, newBinary) {
  if (oldSource === oldBinary) return newBinary;
  if (oldSource === withoutEpoch(oldBinary)) return withoutEpoch(newBinary);
  return withoutEpoch(newBinary).replace(/\+b\d+$/, '');
}

/** @param {string} text */
const stanzasOf = (text) =>
  text
    .split(/\n[ \t]*\n/)
    .map((block) => block.split('\n').filter((line) => line !== ''))
    .filter((lines) => lines.length > 0);

/**
 * @param {string[]} lines
 * @param {string} prefix
 */
function fieldValue(lines, prefix) {
  const line = lines.find((l) => l.startsWith(prefix));
  if (line === undefined) throw new Error(`stanza without ${prefix.trim()}: ${lines[0]}`);
  return line.slice(prefix.length).trim();
}

/** /var/lib/dpkg/status */
/** @type {Format} */
const dpkgStatus = {
  sorted: true,
  parse: (text) =>
    stanzasOf(text).map((lines) => ({
      name: fieldValue(lines, 'Package:'),
      version: fieldValue(lines, 'Version:'),
      lines,
    })),
  render: (records) => `${records.map((r) => r.lines.join('\n')).join('\n\n')}\n`,
  setVersion: (record, version, sourceVersion) => ({
    name: record.name,
    version,
    lines: record.lines.map((line) => {
      if (line.startsWith('Version:')) return `Version: ${version}`;
      const source = /^Source: (\S+) \((.+)\)$/.exec(line);
      if (source) {
        return `Source: ${source[1]} (${sourceVersion ?? followSource(record.version, source[2] ?? '', version)})`;
      }
      return line;
    }),
  }),
  create: (name, version, source, sourceVersion) => ({
    name,
    version,
    lines: [
      `Package: ${name}`,
      'Status: install ok installed',
      'Architecture: amd64',
      ...(source
        ? [`Source: ${source}${sourceVersion && sourceVersion !== version ? ` (${sourceVersion})` : ''}`]
        : []),
      `Version: ${version}`,
    ],
  }),
};

/** `dpkg-query -W -f='${Package}\t${Version}\t${Architecture}\t${source:Package}\t${source:Version}\n'` */
/** @type {Format} */
const dpkgQuery = {
  sorted: true,
  parse: (text) =>
    text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const [name = '', version = ''] = line.split('\t');
        return { name, version, lines: [line] };
      }),
  render: (records) => `${records.map((r) => r.lines.join('\n')).join('\n')}\n`,
  setVersion: (record, version, sourceVersion) => {
    const [name = '', oldVersion = '', arch = '', source = '', oldSource = ''] = (record.lines[0] ?? '').split('\t');
    const newSource = sourceVersion ?? followSource(oldVersion, oldSource, version);
    return { name, version, lines: [[name, version, arch, source, newSource].join('\t')] };
  },
  create: (name, version, source, sourceVersion) => ({
    name,
    version,
    lines: [[name, version, 'amd64', source ?? name, sourceVersion ?? version].join('\t')],
  }),
};

/** `rpm -qa --qf '%{NAME}\t%{EPOCHNUM}:%{VERSION}-%{RELEASE}\t%{ARCH}\t%{SOURCERPM}\n'` */
/** @type {Format} */
const rpmQa = {
  sorted: false,
  parse: dpkgQuery.parse,
  render: dpkgQuery.render,
  setVersion: (record, version) => {
    const [name = '', evr = '', arch = '', sourceRpm = ''] = (record.lines[0] ?? '').split('\t');
    const oldSuffix = `-${withoutEpoch(evr)}.src.rpm`;
    if (!sourceRpm.endsWith(oldSuffix))
      throw new Error(`${name}: source rpm ${sourceRpm} does not end in ${oldSuffix}`);
    const newEvr = version.includes(':') ? version : `0:${version}`;
    const newSourceRpm = `${sourceRpm.slice(0, -oldSuffix.length)}-${withoutEpoch(newEvr)}.src.rpm`;
    return { name, version: newEvr, lines: [[name, newEvr, arch, newSourceRpm].join('\t')] };
  },
  create: (name, version, source) => ({
    name,
    version: `0:${version}`,
    lines: [[name, `0:${version}`, 'x86_64', `${source ?? name}-${version}.src.rpm`].join('\t')],
  }),
};

/** /lib/apk/db/installed */
/** @type {Format} */
const apkInstalled = {
  sorted: false,
  parse: (text) =>
    stanzasOf(text).map((lines) => ({ name: fieldValue(lines, 'P:'), version: fieldValue(lines, 'V:'), lines })),
  render: dpkgStatus.render,
  setVersion: (record, version) => ({
    name: record.name,
    version,
    lines: record.lines.map((line) => {
      if (line.startsWith('V:')) return `V:${version}`;
      // Provides and dependencies that pin the package's own version (cmd:busybox=1.36.1-r29).
      if (line.startsWith('p:') || line.startsWith('D:')) return line.split(`=${record.version}`).join(`=${version}`);
      return line;
    }),
  }),
  create: () => {
    throw new Error('the Alpine demo hosts have no kernel package');
  },
};

/** @type {Readonly<Record<Exclude<Platform, 'windows'>, Format>>} */
const formats = { debian: dpkgStatus, ubuntu: dpkgQuery, rhel: rpmQa, alpine: apkInstalled };

// ---------------------------------------------------------------------------------------------
// Per-host variation

/** @type {Map<string, string>} */
const dataCache = new Map();
/** @param {string} file */
function readData(file) {
  let text = dataCache.get(file);
  if (text === undefined) {
    text = readFileSync(new URL(`./data/${file}`, import.meta.url), 'utf8');
    dataCache.set(file, text);
  }
  return text;
}

/**
 * @param {string} base
 * @param {string} version
 */
function withEpochOf(base, version) {
  const epoch = /^(\d+):/.exec(base);
  return epoch && !version.includes(':') ? `${epoch[1]}:${version}` : version;
}

/**
 * @param {PlannedHost} planned
 * @param {Exclude<Platform, 'windows'>} platform
 * @returns {{ body: string, versions: Map<string, string> }}
 */
function packageInventory(planned, platform) {
  const format = formats[platform];
  const { hostname, role, ring } = planned;
  let records = format.parse(readData(platforms[platform].file));

  // (a) role packages
  const keep = new Set(role.packages ?? []);
  const drop = new Set(
    Object.entries(rolePackages[platform])
      .filter(([group]) => !keep.has(group))
      .flatMap(([, names]) => names),
  );
  records = records.filter((r) => !drop.has(r.name));

  // (b) patched or behind, per group of packages built from one source
  for (const group of olderVersions[platform]) {
    const purpose = `older:${group.packages[0]}`;
    if (!records.some((r) => group.packages.includes(r.name))) continue;
    if (draw(hostname, purpose) >= behindChance[ring]) continue;
    const version = pick(group.versions, draw(hostname, `${purpose}:version`));
    records = records.map((r) =>
      group.packages.includes(r.name) ? format.setVersion(r, withEpochOf(r.version, version)) : r,
    );
  }

  // kernels: the newest installed build lags like a package group; most hosts keep the one before
  if (platform !== 'alpine') {
    const builds = kernels[platform];
    const kernelNames = new Set(builds.flatMap((b) => b.packages.map((p) => p.name)));
    const at = records.findIndex((r) => kernelNames.has(r.name));
    const newest =
      draw(hostname, 'kernel') < behindChance[ring]
        ? 1 + Math.floor(draw(hostname, 'kernel:build') * (builds.length - 1))
        : 0;
    const installed = builds.slice(newest, draw(hostname, 'kernel:keep') < 0.7 ? newest + 2 : newest + 1);
    /** @type {PackageRecord[]} */
    const added = installed.flatMap((build) =>
      build.packages.map((p) => format.create(p.name, build.version, p.source, p.sourceVersion)),
    );
    records = records.filter((r) => !kernelNames.has(r.name));
    // Debian's metapackage follows the newest installed image.
    const meta = records.findIndex((r) => r.name === 'linux-image-amd64');
    const newestBuild = installed[0];
    const metaRecord = records[meta];
    if (metaRecord && newestBuild) {
      records[meta] = format.setVersion(metaRecord, newestBuild.version, newestBuild.packages[0]?.sourceVersion);
    }
    records.splice(at < 0 ? records.length : Math.min(at, records.length), 0, ...added);
  }

  if (format.sorted) records.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { body: format.render(records), versions: new Map(records.map((r) => [r.name, r.version])) };
}

/**
 * @param {Exclude<Platform, 'windows'>} platform
 * @param {Map<string, string>} versions
 */
function releaseOf(platform, versions) {
  switch (platform) {
    case 'debian': {
      const point = /\+deb12u(\d+)$/.exec(versions.get('base-files') ?? '');
      return point ? `12.${point[1]}` : '12';
    }
    case 'ubuntu':
      return '22.04';
    case 'rhel':
      return '9.4';
    case 'alpine': {
      const openssl = versions.get('libcrypto3');
      return openssl === '3.3.0-r2' ? '3.20.0' : openssl === '3.3.1-r0' ? '3.20.1' : '3.20.3';
    }
  }
}

// Windows ---------------------------------------------------------------------------------------

/** @typedef {{ Source: string, Description: string, HotFixID: string, InstalledBy: string, InstalledOn: { value: string, DateTime: string }, PSComputerName: string, CSName: string }} HotFix */

const weekdays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const months = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * Windows PowerShell 5.1 serialises a DateTime as its /Date()/ value plus the DateTime text.
 * @param {number} ms midnight UTC of the day
 */
function installedOn(ms) {
  const d = new Date(ms);
  return {
    value: `/Date(${ms})/`,
    DateTime: `${weekdays[d.getUTCDay()]}, ${months[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()} 12:00:00 AM`,
  };
}

/**
 * `ConvertTo-Json` as Windows PowerShell 5.1 prints it: four-space indents, two spaces after the
 * colon, `\/` in strings, nested objects aligned after their key, CRLF line ends.
 * @param {HotFix[]} hotfixes
 */
function convertToJson51(hotfixes) {
  /** @param {string} s */
  const str = (s) => JSON.stringify(s).replaceAll('/', '\\/');
  const entries = hotfixes.map((h) => {
    const pad = ' '.repeat(24);
    return [
      '    {',
      `        "Source":  ${str(h.Source)},`,
      `        "Description":  ${str(h.Description)},`,
      `        "HotFixID":  ${str(h.HotFixID)},`,
      `        "InstalledBy":  ${str(h.InstalledBy)},`,
      '        "InstalledOn":  {',
      `${pad}    "value":  ${str(h.InstalledOn.value)},`,
      `${pad}    "DateTime":  ${str(h.InstalledOn.DateTime)}`,
      `${pad}},`,
      `        "PSComputerName":  ${str(h.PSComputerName)},`,
      `        "CSName":  ${str(h.CSName)}`,
      '    }',
    ].join('\r\n');
  });
  return `[\r\n${entries.join(',\r\n')}\r\n]\r\n`;
}

/** @type {Readonly<Record<RingName, readonly [number, number]>>} days between release and install */
const installLag = { test: [0, 3], pilot: [3, 8], prod: [7, 21] };

/** @param {PlannedHost} planned */
function hotfixInventory(planned) {
  const { hostname, ring } = planned;
  /** @type {HotFix[]} */
  const timeline = JSON.parse(readData(platforms.windows.file));
  const cumulative = timeline.filter((h) => h.HotFixID in windowsBuilds);
  // Behind hosts stopped 1-4 monthly updates ago.
  const monthsBehind =
    draw(hostname, 'windows') < windowsBehindChance[ring] ? 1 + Math.floor(draw(hostname, 'windows:months') * 4) : 0;
  const last = cumulative[cumulative.length - 1 - monthsBehind];
  if (!last) throw new Error('the Windows timeline is shorter than the lag');
  const lastIndex = timeline.indexOf(last);
  const computer = hostname.toUpperCase();
  const [minLag, maxLag] = installLag[ring];
  const hotfixes = timeline
    .slice(0, lastIndex + 1)
    // KB5034439 (WinRE) failed on servers with a small recovery partition; only some have it.
    .filter((h) => h.HotFixID in windowsBuilds || draw(hostname, `kb:${h.HotFixID}`) < 0.6)
    .map((h) => {
      const released = Number(/\d+/.exec(h.InstalledOn.value)?.[0]);
      const lag = minLag + Math.floor(draw(hostname, `lag:${h.HotFixID}`) * (maxLag - minLag + 1));
      return {
        ...h,
        Source: computer,
        InstalledOn: installedOn(released + lag * 86_400_000),
        PSComputerName: computer,
        CSName: computer,
      };
    });
  const build = windowsBuilds[/** @type {keyof typeof windowsBuilds} */ (last.HotFixID)];
  return { body: convertToJson51(hotfixes), release: `10.0.20348.${build}` };
}

// ---------------------------------------------------------------------------------------------

/**
 * The demo fleet: the same hosts with the same software on every call.
 * @returns {DemoHost[]}
 */
export function demoFleet() {
  return plannedHosts().map((planned, index) => {
    const { hostname, role, ring } = planned;
    const platform = role.platform;
    let release;
    let body;
    if (platform === 'windows') {
      ({ body, release } = hotfixInventory(planned));
    } else {
      const inventory = packageInventory(planned, platform);
      body = inventory.body;
      release = releaseOf(platform, inventory.versions);
    }
    return {
      hostname,
      host: {
        os: { family: platform, release },
        ring,
        criticality: ring === 'prod' ? role.prodCriticality : ring === 'pilot' ? 3 : 4,
        internetFacing: role.internetFacing,
        tags: [...role.tags],
        owner: role.owner,
        // One private address per host (10.20.<ring>.<n>), so consoles that show addresses get badges too.
        addresses: [`10.20.${['test', 'pilot', 'prod'].indexOf(ring) + 1}.${10 + index}`],
      },
      software: { contentType: platforms[platform].contentType, body },
    };
  });
}
