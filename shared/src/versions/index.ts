/**
 * Which versioning scheme each ecosystem uses. Ecosystems are OSV's names without the release
 * suffix (`Debian:12` uses `Debian`); a missing ecosystem in the record below is a type error.
 */
import { apk } from './apk';
import { cran } from './cran';
import { dpkg } from './dpkg';
import { go } from './go';
import { hackage } from './hackage';
import { maven } from './maven';
import { nuget } from './nuget';
import { packagist } from './packagist';
import { pep440 } from './pep440';
import { pub } from './pub';
import { rpm } from './rpm';
import { rubygems } from './rubygems';
import { type InvalidVersion, invalid, type Order, type VersionScheme } from './scheme';
import { semver } from './semver';
import { windowsBuild } from './windows';

export type { InvalidVersion, Order, VersionScheme } from './scheme';
export { isInvalid } from './scheme';

export const ecosystems = [
  'Debian',
  'Ubuntu',
  'Red Hat',
  'AlmaLinux',
  'Rocky Linux',
  'SUSE',
  'openSUSE',
  'Amazon Linux',
  'Alpine',
  'Wolfi',
  'Chainguard',
  'npm',
  'crates.io',
  'Hex',
  'Go',
  'PyPI',
  'Maven',
  'NuGet',
  'RubyGems',
  'Packagist',
  'Pub',
  'CRAN',
  'Hackage',
  'Windows',
] as const;
export type Ecosystem = (typeof ecosystems)[number];

export const schemes: Readonly<Record<Ecosystem, VersionScheme>> = {
  Debian: dpkg,
  Ubuntu: dpkg,
  'Red Hat': rpm,
  AlmaLinux: rpm,
  'Rocky Linux': rpm,
  SUSE: rpm,
  openSUSE: rpm,
  'Amazon Linux': rpm,
  Alpine: apk,
  Wolfi: apk,
  Chainguard: apk,
  npm: semver,
  'crates.io': semver,
  Hex: semver,
  Go: go,
  PyPI: pep440,
  Maven: maven,
  NuGet: nuget,
  RubyGems: rubygems,
  Packagist: packagist,
  Pub: pub,
  CRAN: cran,
  Hackage: hackage,
  Windows: windowsBuild,
};

/** `Debian:12` -> `Debian`; `Ubuntu:22.04:LTS` -> `Ubuntu`; `npm` -> `npm`. */
export function ecosystemBase(ecosystem: string): string {
  const colon = ecosystem.indexOf(':');
  return colon === -1 ? ecosystem : ecosystem.slice(0, colon);
}

/** The scheme of an ecosystem, with or without its release suffix; undefined when unknown. */
export function schemeFor(ecosystem: string): VersionScheme | undefined {
  const base = ecosystemBase(ecosystem);
  return Object.hasOwn(schemes, base) ? schemes[base as Ecosystem] : undefined;
}

function unknownEcosystem(ecosystem: string, version: string): InvalidVersion {
  return invalid(version, `no version scheme is known for ecosystem "${ecosystem}"`);
}

/** -1, 0 or 1 as the ecosystem's package manager orders `a` and `b`, or which one is invalid and why. */
export function compare(ecosystem: string, a: string, b: string): Order | InvalidVersion {
  return schemeFor(ecosystem)?.compare(a, b) ?? unknownEcosystem(ecosystem, a);
}

/** An order-preserving key of a version: plain string order of keys is the ecosystem's version order. */
export function versionKey(ecosystem: string, version: string): string | InvalidVersion {
  return schemeFor(ecosystem)?.key(version) ?? unknownEcosystem(ecosystem, version);
}
