/**
 * From a package URL to a package, for every SBOM format: OS packages (deb, rpm, apk) keep their
 * package manager, language packages get their OSV ecosystem and the package name OSV uses.
 */

import type { PackageManager } from '@patchboard/shared/os';
import { PackageURL } from 'packageurl-js';
import type { ParsedPackage } from './model';
import { readSourceRpm, rpmEvr, withoutZeroEpoch } from './rpm';

const packageManagers = new Map<string, PackageManager>([
  ['deb', 'dpkg'],
  ['rpm', 'rpm'],
  ['apk', 'apk'],
]);

type OsvName = (namespace: string | undefined, name: string) => string;
const bare: OsvName = (_namespace, name) => name;
const slashed: OsvName = (namespace, name) => (namespace ? `${namespace}/${name}` : name);
const coloned: OsvName = (namespace, name) => (namespace ? `${namespace}:${name}` : name);

/** purl type -> OSV ecosystem and how OSV spells the package: `@types/node`, `org.slf4j:slf4j-api`, `golang.org/x/net`. */
const ecosystems = new Map<string, { readonly ecosystem: string; readonly name: OsvName }>([
  ['npm', { ecosystem: 'npm', name: slashed }],
  ['pypi', { ecosystem: 'PyPI', name: bare }],
  ['maven', { ecosystem: 'Maven', name: coloned }],
  ['golang', { ecosystem: 'Go', name: slashed }],
  ['cargo', { ecosystem: 'crates.io', name: bare }],
  ['gem', { ecosystem: 'RubyGems', name: bare }],
  ['nuget', { ecosystem: 'NuGet', name: bare }],
  ['composer', { ecosystem: 'Packagist', name: slashed }],
  ['hex', { ecosystem: 'Hex', name: bare }],
  ['pub', { ecosystem: 'Pub', name: bare }],
]);

/** What a document says beside the purl. */
export interface PurlContext {
  /** The component's own name and version, used only when the purl lacks them. */
  readonly name?: string;
  readonly version?: string;
  /** Source package stated by the document (Trivy properties, SPDX sourceInfo); wins over the purl's `upstream`. */
  readonly source?: string;
  readonly sourceVersion?: string;
}

export type PurlPackage =
  | { readonly kind: 'package'; readonly package: ParsedPackage }
  /** A purl of a type Patchboard does not track (generic, github, docker, oci, ...): skipped. */
  | { readonly kind: 'unsupported'; readonly type: string }
  | { readonly kind: 'invalid'; readonly message: string };

export function packageFromPurl(purlText: string, context: PurlContext = {}): PurlPackage {
  let purl: PackageURL;
  try {
    purl = PackageURL.fromString(purlText.trim());
  } catch (error) {
    return { kind: 'invalid', message: error instanceof Error ? error.message : 'not a package URL' };
  }
  const manager = packageManagers.get(purl.type);
  if (manager !== undefined) return { kind: 'package', package: osPackage(purl, manager, purlText.trim(), context) };
  const language = ecosystems.get(purl.type);
  if (language === undefined) return { kind: 'unsupported', type: purl.type };
  return {
    kind: 'package',
    package: {
      name: language.name(purl.namespace, purl.name),
      version: purl.version || context.version || '',
      ecosystem: language.ecosystem,
      purl: purlText.trim(),
    },
  };
}

function qualifier(purl: PackageURL, key: string): string | undefined {
  const qualifiers = purl.qualifiers;
  if (qualifiers === undefined || !Object.hasOwn(qualifiers, key)) return undefined;
  // The library reads qualifiers with URLSearchParams, which turns an unencoded `+` into a space;
  // no name, version or arch contains a space, and Debian versions are full of `+` (2.38.1-5+deb12u1).
  const value = qualifiers[key]?.replaceAll(' ', '+').trim();
  return value === '' ? undefined : value;
}

function osPackage(purl: PackageURL, manager: PackageManager, purlText: string, context: PurlContext): ParsedPackage {
  // Trivy and syft put a non-zero epoch in a qualifier (`epoch=1`) and leave it out of the version.
  const epoch = qualifier(purl, 'epoch');
  let version = purl.version || context.version || '';
  if (epoch !== undefined && /^\d+$/.test(epoch) && !version.includes(':') && version !== '') {
    version = `${epoch}:${version}`;
  }
  if (manager === 'rpm') version = withoutZeroEpoch(version);
  const arch = qualifier(purl, 'arch');
  return {
    name: purl.name,
    version,
    ...(arch !== undefined && { arch }),
    ...sourceOf(purl, manager, version, epoch, context),
    packageManager: manager,
    purl: purlText,
  };
}

type SourceFields = Pick<ParsedPackage, 'source' | 'sourceVersion'>;

/**
 * The source package: what the document states, else the purl's `upstream` qualifier (syft:
 * `util-linux@2.38.1-5` or `acl` for deb, the origin for apk, the .src.rpm file name for rpm).
 * Debian and Alpine packages without either are their own source (dpkg's rule; apk subpackages
 * share their origin's version); an rpm's source stays unknown.
 */
function sourceOf(
  purl: PackageURL,
  manager: PackageManager,
  version: string,
  epoch: string | undefined,
  context: PurlContext,
): SourceFields {
  const stated = context.source?.trim() || undefined;
  const upstream = stated === undefined ? upstreamOf(purl, manager, epoch) : undefined;
  const source = stated ?? upstream?.source ?? (manager === 'rpm' ? undefined : purl.name);
  if (source === undefined) return {};
  const statedVersion = stated === undefined ? upstream?.sourceVersion : context.sourceVersion?.trim() || undefined;
  const sourceVersion =
    manager === 'rpm' ? statedVersion && withoutZeroEpoch(statedVersion) : (statedVersion ?? version);
  return { source, ...(sourceVersion !== undefined && { sourceVersion }) };
}

function upstreamOf(purl: PackageURL, manager: PackageManager, epoch: string | undefined): SourceFields | undefined {
  const upstream = qualifier(purl, 'upstream');
  if (upstream === undefined) return undefined;
  if (manager === 'rpm') {
    const sourceRpm = readSourceRpm(upstream);
    if (sourceRpm !== undefined) {
      return { source: sourceRpm.name, sourceVersion: rpmEvr(epoch, sourceRpm.versionRelease) };
    }
    return { source: upstream };
  }
  const at = upstream.indexOf('@');
  if (at <= 0) return { source: upstream };
  return { source: upstream.slice(0, at), sourceVersion: upstream.slice(at + 1) };
}
