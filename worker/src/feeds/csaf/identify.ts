/**
 * What a CSAF product is in Patchboard's terms: a package of a host ecosystem at a version (or
 * over a version range), something hosts never install (a source rpm, debuginfo), or a vendor
 * product Patchboard cannot match (no purl, no platform it knows).
 *
 * The ecosystem comes from the platform a package ships in when the tree says so
 * (`openssl-1:3.0.7-27.el9.x86_64 default_component_of AppStream-9.4.0.Z.MAIN`, whose CPE
 * `cpe:/a:redhat:enterprise_linux:9::appstream` makes it `Red Hat:9`), else from the package's own
 * purl (`pkg:deb/debian/openssl@...?distro=debian-12`, `pkg:npm/lodash@4.17.20`). Red Hat's
 * extended-support streams keep their own names through normalizeEcosystem (`Red Hat:9.2:eus`).
 */
import { normalizeEcosystem } from '@patchboard/shared/ecosystems';
import { PackageURL } from 'packageurl-js';
import { WINDOWS_PACKAGE } from '../../inventory/for-host';
import { packageFromPurl } from '../../inventory/purl';
import { windowsEcosystem } from '../msrc/windows-products';
import type { Product, ProductIndex } from './products';

export type Identity =
  | {
      readonly kind: 'package';
      readonly ecosystem: string;
      readonly package: string;
      /** The exact version this product is, when it is one. */
      readonly version?: string;
      /** A version range (`vers:rpm/<1.2-3`, or Microsoft's `<10.0.20348.2227`), when it is one. */
      readonly range?: string;
    }
  /**
   * Not something a host installs: debuginfo / debugsource packages, and source packages (named
   * in `source`, with their ecosystem when known, since an advisory may list nothing else).
   */
  | { readonly kind: 'ignored'; readonly source?: { readonly ecosystem: string; readonly package: string } }
  | {
      readonly kind: 'unmatched';
      /** The vendor (or the platform) and the product, for `skipped` and `notAffected`. */
      readonly ecosystem: string;
      readonly package: string;
      /** The product's full name, for remediations. */
      readonly label: string;
      readonly reason: string;
    };

interface OsPackage {
  readonly kind: 'os';
  readonly type: 'rpm' | 'deb' | 'apk';
  readonly name: string;
  readonly version?: string;
  readonly arch?: string;
  /** The ecosystem the purl itself names (its distro qualifier), if any. */
  readonly ecosystem?: string;
}

type Component = OsPackage | { readonly kind: 'other'; readonly type: string } | { readonly kind: 'none' };

/** `name-epoch:version-release.arch`, as Red Hat names products (`git-lfs-0:2.13.3-3.el8_6.1.x86_64`). */
const NEVRA = /^(?<name>.+)-(?<epoch>\d+):(?<version>[^:\s-]+)-(?<release>[^:\s-]+)\.(?<arch>[A-Za-z0-9_]+)$/;

function parseNevra(text: string) {
  const match = NEVRA.exec(text.trim());
  const g = match?.groups;
  if (!g?.name || !g.epoch || !g.version || !g.release || !g.arch) return undefined;
  return { name: g.name, epoch: g.epoch, versionRelease: `${g.version}-${g.release}`, arch: g.arch };
}

function qualifier(purl: PackageURL, key: string): string | undefined {
  const qualifiers = purl.qualifiers;
  if (qualifiers === undefined || !Object.hasOwn(qualifiers, key)) return undefined;
  // URLSearchParams (inside the library) reads an unencoded `+` as a space; no version or arch has one.
  const value = qualifiers[key]?.replaceAll(' ', '+').trim();
  return value === '' ? undefined : value;
}

/** The host ecosystem an OS purl's `distro` qualifier names. */
function purlDistroEcosystem(
  type: string,
  namespace: string | undefined,
  distro: string | undefined,
): string | undefined {
  const ns = namespace?.toLowerCase();
  if (type === 'apk' && ns === 'wolfi') return 'Wolfi';
  if (type === 'apk' && ns === 'chainguard') return 'Chainguard';
  if (distro === undefined) return undefined;
  const d = distro.toLowerCase();
  const release = (prefix: string) => new RegExp(`^(?:${prefix}-)?(\\d+(?:\\.\\d+)*)$`).exec(d)?.[1];
  if (type === 'deb' && ns === 'debian') {
    const r = release('debian');
    return r ? `Debian:${r.split('.')[0]}` : undefined;
  }
  if (type === 'deb' && ns === 'ubuntu') {
    const r = release('ubuntu');
    return r && /^\d{2}\.\d{2}/.test(r) ? `Ubuntu:${r.split('.').slice(0, 2).join('.')}` : undefined;
  }
  if (type === 'apk' && ns === 'alpine') {
    const r = release('alpine');
    return r?.includes('.') ? `Alpine:v${r.split('.').slice(0, 2).join('.')}` : undefined;
  }
  if (type === 'rpm' && ns === 'redhat') {
    const r = release('(?:redhat|rhel)');
    return r ? `Red Hat:${r.split('.')[0]}` : undefined;
  }
  if (type === 'rpm' && ns === 'almalinux') {
    const r = release('almalinux');
    return r ? `AlmaLinux:${r.split('.')[0]}` : undefined;
  }
  if (type === 'rpm' && (ns === 'rocky' || ns === 'rockylinux')) {
    const r = release('(?:rocky|rockylinux)');
    return r ? `Rocky Linux:${r.split('.')[0]}` : undefined;
  }
  return undefined;
}

/**
 * The host ecosystem of a platform CPE: any Red Hat product the way Red Hat's own OSV conversion
 * names it (`cpe:/a:redhat:rhel_eus:9.2::appstream` -> `Red Hat:rhel_eus:9.2::appstream` ->
 * `Red Hat:9.2:eus`), and the Debian, Ubuntu and Alpine releases.
 */
export function cpeEcosystem(cpe: string): string | undefined {
  const text = cpe.trim();
  let fields: string[];
  if (text.startsWith('cpe:/')) {
    fields = text.slice(5).split(':');
  } else if (text.startsWith('cpe:2.3:')) {
    fields = text
      .slice(8)
      .split(':')
      .map((f) => (f === '*' || f === '-' ? '' : f));
  } else {
    return undefined;
  }
  const [, vendor, product, version] = fields.map((f) => f.toLowerCase());
  if (!vendor || !product) return undefined;
  if (vendor === 'redhat') {
    const rest = text.startsWith('cpe:/') ? fields.slice(2).join(':') : [product, version ?? ''].join(':');
    return normalizeEcosystem(`Red Hat:${rest.replace(/:+$/, '')}`);
  }
  if (!version || !/^\d+(\.\d+)*$/.test(version)) return undefined;
  if (vendor === 'debian' && product === 'debian_linux') return `Debian:${version.split('.')[0]}`;
  if (vendor === 'canonical' && product === 'ubuntu_linux') return `Ubuntu:${version}`;
  if (vendor === 'alpinelinux' && product === 'alpine_linux') {
    return `Alpine:v${version.split('.').slice(0, 2).join('.')}`;
  }
  if (vendor === 'almalinux' && product === 'almalinux') return `AlmaLinux:${version.split('.')[0]}`;
  return undefined;
}

/**
 * The package a product is: from its purl, else (Red Hat's older documents have no purls) from a
 * product id or name in NEVRA form. An rpm's version always carries its epoch, taken from the
 * purl's `epoch` qualifier or, when the purl has none, from the NEVRA of the product id, which
 * Red Hat always writes with it; 0 when neither says (rpm's own default).
 */
function componentOf(product: Product): Component {
  const nevra = parseNevra(product.id) ?? parseNevra(product.name);
  if (product.purl === undefined) {
    if (!nevra) return { kind: 'none' };
    return {
      kind: 'os',
      type: 'rpm',
      name: nevra.name,
      version: `${nevra.epoch}:${nevra.versionRelease}`,
      arch: nevra.arch,
    };
  }
  let purl: PackageURL;
  try {
    purl = PackageURL.fromString(product.purl.trim());
  } catch {
    return { kind: 'other', type: 'invalid purl' };
  }
  if (purl.type !== 'rpm' && purl.type !== 'deb' && purl.type !== 'apk') return { kind: 'other', type: purl.type };
  const arch = qualifier(purl, 'arch');
  let version = purl.version || undefined;
  const epoch = qualifier(purl, 'epoch');
  if (version !== undefined && !version.includes(':')) {
    if (epoch !== undefined && /^\d+$/.test(epoch)) {
      version = `${epoch}:${version}`;
    } else if (purl.type === 'rpm') {
      const fromId = nevra && nevra.name === purl.name && nevra.versionRelease === version ? nevra.epoch : '0';
      version = `${fromId}:${version}`;
    }
  }
  const ecosystem = purlDistroEcosystem(purl.type, purl.namespace, qualifier(purl, 'distro'));
  return {
    kind: 'os',
    type: purl.type,
    name: purl.name,
    ...(version !== undefined && { version }),
    ...(arch !== undefined && { arch }),
    ...(ecosystem !== undefined && { ecosystem }),
  };
}

function isSource(pkg: OsPackage): boolean {
  return pkg.arch === 'src' || pkg.arch === 'nosrc' || pkg.arch === 'source';
}

/** Source packages and debug symbols are built, not installed on the hosts we match. */
function notInstalled(pkg: OsPackage): boolean {
  return isSource(pkg) || (pkg.type === 'rpm' && /-debug(info|source)(-|$)/.test(pkg.name));
}

function ignored(pkg: OsPackage, ecosystem: string | undefined): Identity {
  return isSource(pkg) && ecosystem !== undefined
    ? { kind: 'ignored', source: { ecosystem, package: pkg.name } }
    : { kind: 'ignored' };
}

/** A vendor's product, named by its vendor and product branches (or what is known instead). */
function unmatched(product: Product, reason: string, publisher: string): Identity {
  return {
    kind: 'unmatched',
    ecosystem: product.vendor ?? publisher,
    package: product.productName ?? product.productFamily ?? product.name,
    label: product.name,
    reason,
  };
}

function versionOrRange(product: Product): { version?: string; range?: string } {
  return {
    ...(product.version !== undefined && { version: product.version }),
    ...(product.versionRange !== undefined && { range: product.versionRange }),
  };
}

function identifyPlain(product: Product, publisher: string): Identity {
  if (product.purl !== undefined) {
    const component = componentOf(product);
    if (component.kind === 'os') {
      if (notInstalled(component)) return ignored(component, component.ecosystem);
      if (component.ecosystem === undefined) {
        return unmatched(product, `purl names no distribution release (${product.purl})`, publisher);
      }
      return {
        kind: 'package',
        ecosystem: component.ecosystem,
        package: component.name,
        ...(component.version !== undefined ? { version: component.version } : versionOrRange(product)),
      };
    }
    const language = packageFromPurl(product.purl);
    if (language.kind === 'package' && language.package.ecosystem !== undefined) {
      return {
        kind: 'package',
        ecosystem: language.package.ecosystem,
        package: language.package.name,
        ...(language.package.version !== '' ? { version: language.package.version } : versionOrRange(product)),
      };
    }
    return unmatched(
      product,
      `purl type "${component.kind === 'other' ? component.type : 'unknown'}" is not matched`,
      publisher,
    );
  }
  // Microsoft names Windows releases, with builds as versions (`10.0.20348.2227`) or ranges
  // (`<10.0.20348.2227`); a host's own build is its package `windows` (inventory/for-host.ts).
  if (/^microsoft\b/i.test(product.vendor ?? publisher)) {
    const ecosystem = windowsEcosystem(product.productName ?? product.name);
    if (ecosystem) return { kind: 'package', ecosystem, package: WINDOWS_PACKAGE, ...versionOrRange(product) };
  }
  const nevra = componentOf(product);
  if (nevra.kind === 'os' && notInstalled(nevra)) return { kind: 'ignored' };
  return unmatched(product, 'no purl or platform that names a host ecosystem', publisher);
}

function identifyComponent(
  product: Product,
  relationship: NonNullable<Product['relationship']>,
  index: ProductIndex,
  publisher: string,
): Identity {
  const component = index.products.get(relationship.component);
  const platform = index.products.get(relationship.platform);
  if (!component)
    return unmatched(product, `component ${relationship.component} is not in the product tree`, publisher);
  const parts = componentOf(component);
  if (parts.kind === 'os') {
    // The platform says which stream (RHEL 9 or 9.2 EUS); the purl's distro is the fallback.
    const ecosystem = (platform?.cpe !== undefined ? cpeEcosystem(platform.cpe) : undefined) ?? parts.ecosystem;
    if (notInstalled(parts)) return ignored(parts, ecosystem);
    if (ecosystem === undefined) {
      return {
        kind: 'unmatched',
        ecosystem: platform?.name ?? publisher,
        package: parts.name,
        label: product.name,
        reason: `platform ${relationship.platform} names no host ecosystem`,
      };
    }
    return {
      kind: 'package',
      ecosystem,
      package: parts.name,
      ...(parts.version !== undefined ? { version: parts.version } : versionOrRange(component)),
    };
  }
  // A language package or a container image inside a vendor's product is that product's, not
  // the public package of that name a host may have installed on its own.
  const what = parts.kind === 'other' ? `a ${parts.type} component` : 'a component without a purl';
  return {
    kind: 'unmatched',
    ecosystem: platform?.name ?? publisher,
    package: component.name,
    label: product.name,
    reason: `${what} of ${platform?.name ?? relationship.platform}`,
  };
}

/** Identifies products by id, each once per document. */
export function identifier(index: ProductIndex, publisher: string): (id: string) => Identity {
  const known = new Map<string, Identity>();
  return (id) => {
    let identity = known.get(id);
    if (identity === undefined) {
      const product = index.products.get(id);
      if (!product) {
        identity = {
          kind: 'unmatched',
          ecosystem: publisher,
          package: id,
          label: id,
          reason: 'not in the product tree',
        };
      } else if (product.relationship) {
        identity = identifyComponent(product, product.relationship, index, publisher);
      } else {
        identity = identifyPlain(product, publisher);
      }
      known.set(id, identity);
    }
    return identity;
  };
}
