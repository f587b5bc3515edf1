/**
 * Ecosystem names as advisories write them, mapped to the names hosts carry, and how packages of
 * each ecosystem are matched. A host's ecosystem comes from os.ts (`Debian:12`, `Ubuntu:22.04`,
 * `Red Hat:9`); advisories use OSV's names, which sometimes say more (`Ubuntu:22.04:LTS`,
 * `Red Hat:enterprise_linux:9::appstream`). Mapping both to one name is what keeps an OS package
 * matched only against its own distribution's advisories for its own release.
 */
import { ecosystemBase } from './versions/index';

/**
 * The host-side ecosystem an advisory's ecosystem applies to, or the advisory's own name when it
 * names something hosts never are (it then matches nothing, which is the safe side).
 */
export function normalizeEcosystem(ecosystem: string): string {
  const parts = ecosystem.split(':');
  switch (parts[0]) {
    case 'Ubuntu': {
      // `Ubuntu:22.04:LTS` -> `Ubuntu:22.04`; `Ubuntu:Pro:16.04:LTS` (ESM) stays distinct from plain 16.04.
      const rest = parts.slice(1).filter((p) => p !== 'LTS');
      return ['Ubuntu', ...rest].join(':');
    }
    case 'Red Hat': {
      // `Red Hat:enterprise_linux:9::appstream` -> `Red Hat:9`. Extended-support streams
      // (`rhel_aus:8.6`, `rhel_e4s`, `rhel_tus`, `rhel_eus`, and `rhel_els:6` for extended life)
      // stay apart: they apply to hosts with that subscription, not to every RHEL host.
      const [, product, release] = parts;
      if (product === 'enterprise_linux' && release) return `Red Hat:${release.split('.')[0]}`;
      if (product && release && /^rhel_(aus|e4s|tus|eus|els)$/.test(product)) {
        return `Red Hat:${release}:${product.slice(5)}`;
      }
      return ecosystem;
    }
    default:
      return ecosystem;
  }
}

/**
 * Debian, Ubuntu and Alpine advisories name source packages (Alpine: the apk origin); one fix
 * covers every binary built from that source. Everywhere else the advisory names the package
 * as installed (rpm binary names, npm packages, ...).
 */
export function matchesBySource(ecosystem: string): boolean {
  const base = ecosystemBase(ecosystem);
  return base === 'Debian' || base === 'Ubuntu' || base === 'Alpine' || base === 'Wolfi' || base === 'Chainguard';
}

/** The name and version an installed package is matched by in its ecosystem. */
export function matchIdentity(
  ecosystem: string,
  pkg: { name: string; version: string; source?: string | null; sourceVersion?: string | null },
): { name: string; version: string } {
  if (matchesBySource(ecosystem)) {
    return { name: pkg.source || pkg.name, version: pkg.sourceVersion || pkg.version };
  }
  return { name: pkg.name, version: pkg.version };
}
