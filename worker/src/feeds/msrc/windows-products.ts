/**
 * MSRC product names -> the host ecosystem of that Windows release (`Windows:<major.minor.build>`,
 * as shared/src/os.ts names a Windows host). The build of each release is the one Microsoft's
 * release information pages give:
 * - Windows 11: https://learn.microsoft.com/windows/release-health/windows11-release-information
 * - Windows 10: https://learn.microsoft.com/windows/release-health/release-information
 * - Windows Server: https://learn.microsoft.com/windows/release-health/windows-server-release-info
 * - Windows 7/8.1 and Server 2008/2012 (no such page any more): the builds that MSRC's own
 *   FixedBuild values of those products carry (e.g. 6.3.9600.21773 for Server 2012 R2).
 * Names are matched by prefix, so the editions MSRC lists separately (`for x64-based Systems`,
 * `for ARM64-based Systems`, `(Server Core installation)`) share their release's entry. The first
 * matching entry wins: `Windows Server 2012 R2` must come before `Windows Server 2012`. Anything
 * that matches no entry (Office, .NET, Edge, Windows Admin Center, ...) is not a Windows build a
 * host reports, and the parser sets it aside as skipped.
 */

interface WindowsRelease {
  readonly name: RegExp;
  /** major.minor.build */
  readonly build: string;
}

const releases: readonly WindowsRelease[] = [
  // Windows Server (release-health/windows-server-release-info)
  { name: /^Windows Server 2025\b/, build: '10.0.26100' },
  { name: /^Windows Server 2022, 23H2 Edition\b/, build: '10.0.25398' },
  { name: /^Windows Server 2022\b/, build: '10.0.20348' },
  { name: /^Windows Server 2019\b/, build: '10.0.17763' },
  { name: /^Windows Server 2016\b/, build: '10.0.14393' },
  // Semi-annual channel releases, named `Windows Server, version 20H2 (Server Core Installation)`.
  { name: /^Windows Server, version 20H2\b/i, build: '10.0.19042' },
  { name: /^Windows Server, version 2004\b/i, build: '10.0.19041' },
  { name: /^Windows Server, version 1909\b/i, build: '10.0.18363' },
  { name: /^Windows Server, version 1903\b/i, build: '10.0.18362' },
  { name: /^Windows Server, version 1803\b/i, build: '10.0.17134' },
  { name: /^Windows Server, version 1709\b/i, build: '10.0.16299' },
  // Legacy servers (builds from MSRC's FixedBuild values; 2008 SP2 moved from 6002 to 6003 in 2019).
  { name: /^Windows Server 2012 R2\b/, build: '6.3.9600' },
  { name: /^Windows Server 2012\b/, build: '6.2.9200' },
  { name: /^Windows Server 2008 R2\b/, build: '6.1.7601' },
  { name: /^Windows Server 2008\b/, build: '6.0.6003' },
  // Windows 11 (release-health/windows11-release-information). MSRC wrote `version` in lower case
  // for a while, and called 21H2 plainly `Windows 11 for x64-based Systems`.
  { name: /^Windows 11 Version 25H2\b/i, build: '10.0.26200' },
  { name: /^Windows 11 Version 24H2\b/i, build: '10.0.26100' },
  { name: /^Windows 11 Version 23H2\b/i, build: '10.0.22631' },
  { name: /^Windows 11 Version 22H2\b/i, build: '10.0.22621' },
  { name: /^Windows 11 (Version 21H2 )?for\b/i, build: '10.0.22000' },
  // Windows 10 (release-health/release-information); `Windows 10 for ...` is the original 1507.
  { name: /^Windows 10 Version 22H2\b/i, build: '10.0.19045' },
  { name: /^Windows 10 Version 21H2\b/i, build: '10.0.19044' },
  { name: /^Windows 10 Version 21H1\b/i, build: '10.0.19043' },
  { name: /^Windows 10 Version 20H2\b/i, build: '10.0.19042' },
  { name: /^Windows 10 Version 2004\b/i, build: '10.0.19041' },
  { name: /^Windows 10 Version 1909\b/i, build: '10.0.18363' },
  { name: /^Windows 10 Version 1903\b/i, build: '10.0.18362' },
  { name: /^Windows 10 Version 1809\b/i, build: '10.0.17763' },
  { name: /^Windows 10 Version 1803\b/i, build: '10.0.17134' },
  { name: /^Windows 10 Version 1709\b/i, build: '10.0.16299' },
  { name: /^Windows 10 Version 1703\b/i, build: '10.0.15063' },
  { name: /^Windows 10 Version 1607\b/i, build: '10.0.14393' },
  { name: /^Windows 10 Version 1511\b/i, build: '10.0.10586' },
  { name: /^Windows 10 for\b/i, build: '10.0.10240' },
  // Legacy clients (builds from MSRC's FixedBuild values).
  { name: /^Windows (RT )?8\.1\b/, build: '6.3.9600' },
  { name: /^Windows 7\b/, build: '6.1.7601' },
];

/** `Windows:10.0.20348` for `Windows Server 2022 (Server Core installation)`; undefined when not a Windows release. */
export function windowsEcosystem(productName: string): string | undefined {
  const name = productName.trim();
  const release = releases.find((r) => r.name.test(name));
  return release ? `Windows:${release.build}` : undefined;
}
