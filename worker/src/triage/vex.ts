/**
 * A tenant's accepted risks as VEX documents, for auditors and for tools that read VEX: OpenVEX
 * 0.2.0 (https://github.com/openvex/spec) and CSAF 2.0 with the VEX profile (OASIS, section 4.5).
 *
 * What is stated comes from the findings that active exceptions except now, never from the
 * exceptions' scopes alone: a VEX statement says that a product IS affected, and only a finding
 * shows that (an exception for a ring may cover no host yet). Each statement is `affected`
 * (`known_affected`), since an exception accepts a risk rather than denying it, with the
 * compensating control as the action (OpenVEX `action_statement`, CSAF remediation of category
 * `mitigation`) and the expiry by which the hosts are to be patched.
 *
 * Products are the hosts, each with the installed packages that carry the vulnerable version:
 * by package URL where it is known (as reported in an SBOM, or built from the host's OS release
 * for deb, rpm and apk packages), else by name and version.
 */
import { PackageURL } from 'packageurl-js';
import { describeScope, type RiskExceptionRow, type VexFindingRow, type VexPackageRow } from '../db/exceptions';

export interface VexInput {
  readonly tenant: { readonly id: string; readonly name: string };
  readonly now: Date;
  /** The deployment's origin: hosts are named by their API URL under it, the CSAF publisher by it. */
  readonly origin: string;
  /** The OpenVEX document's IRI (a fresh `urn:uuid:` per export). */
  readonly documentId: string;
  readonly toolVersion: string;
  readonly exceptions: readonly RiskExceptionRow[];
  readonly findings: readonly VexFindingRow[];
  readonly packages: readonly VexPackageRow[];
}

export const OPENVEX_CONTEXT = 'https://openvex.dev/ns/v0.2.0';

/** An installed package as a VEX product: its purl when known, and a name a person reads. */
interface PackageProduct {
  readonly key: string;
  readonly label: string;
  readonly purl: string | null;
}

/** One excepted finding, resolved to what the documents state about it. */
interface Claim {
  readonly exception: RiskExceptionRow;
  readonly hostname: string;
  readonly advisory: string;
  readonly vulnerabilities: readonly string[];
  readonly packages: readonly PackageProduct[];
}

const isCve = (id: string) => /^CVE-\d{4}-\d{4,}$/.test(id);

/**
 * The vulnerabilities a finding is stated for. An exception for one CVE accepts only that CVE,
 * even when the finding's advisory fixes several. Otherwise the advisory's CVEs; an advisory with
 * none (a vendor's own id, a GHSA without CVE) is named by its own id, which both formats allow:
 * OpenVEX takes any vulnerability identifier, CSAF VEX takes `ids` instead of `cve`.
 */
function vulnerabilitiesOf(exception: RiskExceptionRow, finding: VexFindingRow): string[] {
  if (exception.target_kind === 'cve') return [exception.target_value];
  const cves = (JSON.parse(finding.cves) as string[]).filter(isCve);
  return cves.length > 0 ? cves : [finding.advisory];
}

const rpmNamespaces: Readonly<Record<string, string>> = {
  rhel: 'redhat',
  almalinux: 'almalinux',
  rocky: 'rocky',
  sles: 'suse',
  'opensuse-leap': 'opensuse',
  amzn: 'amazon',
};

/**
 * The purl of an OS package that was reported without one (dpkg-query, rpm -qa, apk): the
 * conventions of the purl spec's deb/rpm/apk types and of Trivy and Syft (`distro=debian-12.5`,
 * an rpm epoch as the `epoch` qualifier). Other ecosystems get theirs only from an SBOM.
 */
export function osPackagePurl(
  osFamily: string,
  osRelease: string,
  pkg: { readonly name: string; readonly version: string; readonly arch: string },
): string | null {
  const qualifiers: Record<string, string> = {};
  if (pkg.arch !== '') qualifiers.arch = pkg.arch;
  let type: string;
  let namespace: string;
  let version = pkg.version;
  if (osFamily === 'debian' || osFamily === 'ubuntu') {
    type = 'deb';
    namespace = osFamily;
  } else if (osFamily === 'alpine' || osFamily === 'wolfi') {
    type = 'apk';
    namespace = osFamily;
  } else if (rpmNamespaces[osFamily] !== undefined) {
    type = 'rpm';
    namespace = rpmNamespaces[osFamily];
    const epoch = /^(\d+):(.+)$/.exec(version);
    if (epoch?.[1] !== undefined && epoch[2] !== undefined) {
      version = epoch[2];
      if (epoch[1] !== '0') qualifiers.epoch = epoch[1];
    }
  } else {
    return null;
  }
  qualifiers.distro = `${namespace}-${osRelease}`;
  try {
    return new PackageURL(type, namespace, pkg.name, version, qualifiers, undefined).toString();
  } catch {
    return null; // a name the purl type refuses: the package is then named, not identified
  }
}

function claimsOf(input: VexInput): Claim[] {
  const exceptions = new Map(input.exceptions.map((e) => [e.id, e]));
  const packagesOf = new Map<number, VexPackageRow[]>();
  for (const row of input.packages) {
    const list = packagesOf.get(row.finding_id) ?? [];
    list.push(row);
    packagesOf.set(row.finding_id, list);
  }
  const claims: Claim[] = [];
  for (const finding of input.findings) {
    const exception = exceptions.get(finding.exception_id);
    if (!exception) continue;
    const installed = packagesOf.get(finding.finding_id) ?? [];
    const packages: PackageProduct[] =
      installed.length > 0
        ? installed.map((p) => {
            const purl = p.purl ?? osPackagePurl(finding.os_family, finding.os_release, p);
            const label = `${p.name} ${p.version}${p.arch ? ` (${p.arch})` : ''}`;
            return { key: purl ?? `${finding.ecosystem} ${label}`, label, purl };
          })
        : // The binaries are gone from the report but the finding is not resolved yet: name the package as the advisory does.
          [
            {
              key: `${finding.ecosystem} ${finding.package} ${finding.installed_version}`,
              label: `${finding.package} ${finding.installed_version}`,
              purl: null,
            },
          ];
    claims.push({
      exception,
      hostname: finding.hostname,
      advisory: finding.advisory,
      vulnerabilities: vulnerabilitiesOf(exception, finding),
      packages,
    });
  }
  return claims;
}

const sorted = <T>(values: Iterable<T>): T[] => [...values].sort();

function getOrInit<K, V>(map: Map<K, V>, key: K, init: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = init();
    map.set(key, value);
  }
  return value;
}

/** A sentence as typed, ended with a full stop when it has no closing punctuation. */
const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

function actionText(exception: RiskExceptionRow): string {
  return `Compensating control: ${sentence(exception.compensating_control)} Risk accepted until ${exception.expires_at}; patch the affected hosts by then.`;
}

function notesText(exception: RiskExceptionRow): string {
  return `Risk exception #${exception.id} (${describeScope(exception)}), requested by ${exception.requested_by}, approved by ${exception.decided_by ?? 'unknown'} on ${exception.decided_at ?? 'unknown'}: ${exception.reason}`;
}

function hostIri(origin: string, hostname: string): string {
  return `${origin}/v1/hosts/${encodeURIComponent(hostname)}`;
}

/** OpenVEX 0.2.0: one statement per exception and vulnerability, its products the hosts. */
export function openVexDocument(input: VexInput): Record<string, unknown> {
  interface Group {
    readonly exception: RiskExceptionRow;
    readonly name: string;
    readonly advisories: Set<string>;
    readonly hosts: Map<string, Set<string>>;
  }
  const groups = new Map<string, Group>();
  for (const claim of claimsOf(input)) {
    for (const name of claim.vulnerabilities) {
      const group = getOrInit(groups, `${claim.exception.id} ${name}`, () => ({
        exception: claim.exception,
        name,
        advisories: new Set<string>(),
        hosts: new Map<string, Set<string>>(),
      }));
      if (claim.advisory !== name) group.advisories.add(claim.advisory);
      const purls = getOrInit(group.hosts, claim.hostname, () => new Set<string>());
      for (const p of claim.packages) if (p.purl !== null) purls.add(p.purl);
    }
  }
  const statements = [...groups.values()].map((group) => {
    const { exception } = group;
    const decidedAt = exception.decided_at ?? input.now.toISOString();
    return {
      vulnerability: {
        name: group.name,
        ...(group.advisories.size > 0 && { aliases: sorted(group.advisories) }),
      },
      timestamp: decidedAt,
      products: sorted(group.hosts.keys()).map((hostname) => {
        const purls = sorted(group.hosts.get(hostname) ?? []);
        return {
          '@id': hostIri(input.origin, hostname),
          ...(purls.length > 0 && { subcomponents: purls.map((purl) => ({ '@id': purl, identifiers: { purl } })) }),
        };
      }),
      status: 'affected',
      status_notes: notesText(exception),
      action_statement: actionText(exception),
      action_statement_timestamp: decidedAt,
    };
  });
  return {
    '@context': OPENVEX_CONTEXT,
    '@id': input.documentId,
    author: input.tenant.name,
    role: 'Deployer accepting risks with compensating controls',
    timestamp: input.now.toISOString(),
    version: 1,
    tooling: `Patchboard ${input.toolVersion}`,
    statements,
  };
}

/**
 * CSAF 2.0 VEX (`csaf_vex`): hosts and packages in the product tree, each affected package on a
 * host as an `installed_on` relationship; one vulnerability per CVE (test 6.1.23 allows no
 * repeat), its products known_affected, and one `mitigation` remediation per exception (test
 * 6.1.27.10 wants one for every affected product).
 */
export function csafVexDocument(input: VexInput): Record<string, unknown> {
  const at = input.now.toISOString();
  const claims = claimsOf(input);

  const hostIds = new Map<string, string>();
  for (const hostname of sorted(new Set(claims.map((c) => c.hostname)))) hostIds.set(hostname, `HOST-${hostname}`);
  const packages = new Map<string, PackageProduct>();
  for (const claim of claims) for (const p of claim.packages) packages.set(p.key, p);
  const packageIds = new Map(sorted(packages.keys()).map((key, i) => [key, `PKG-${i + 1}`]));

  interface Installed {
    readonly id: string;
    readonly packageId: string;
    readonly hostId: string;
    readonly name: string;
  }
  const installed = new Map<string, Installed>();
  interface Vulnerability {
    readonly advisories: Set<string>;
    readonly byException: Map<number, { exception: RiskExceptionRow; products: Set<string> }>;
  }
  const vulnerabilities = new Map<string, Vulnerability>();
  for (const claim of claims) {
    const hostId = hostIds.get(claim.hostname) ?? '';
    const productIds = claim.packages.map((p) => {
      const packageId = packageIds.get(p.key) ?? '';
      const id = `${packageId}:${hostId}`;
      getOrInit(installed, id, () => ({ id, packageId, hostId, name: `${p.label} on ${claim.hostname}` }));
      return id;
    });
    for (const name of claim.vulnerabilities) {
      const vulnerability = getOrInit(vulnerabilities, name, () => ({
        advisories: new Set<string>(),
        byException: new Map(),
      }));
      vulnerability.advisories.add(claim.advisory);
      const entry = getOrInit(vulnerability.byException, claim.exception.id, () => ({
        exception: claim.exception,
        products: new Set<string>(),
      }));
      for (const id of productIds) entry.products.add(id);
    }
  }

  return {
    document: {
      category: 'csaf_vex',
      csaf_version: '2.0',
      lang: 'en',
      publisher: { category: 'user', name: input.tenant.name, namespace: input.origin },
      title: `Accepted risks of ${input.tenant.name}`,
      notes: [
        {
          category: 'summary',
          title: 'About this document',
          text: `Vulnerabilities that ${input.tenant.name} has accepted on some hosts for a limited time, each with the compensating control in place until its expiry, from the risk exceptions approved in Patchboard.`,
        },
      ],
      tracking: {
        id: `PATCHBOARD-VEX-${input.tenant.id}-${at.replace(/[-:.]/g, '')}`,
        status: 'final',
        version: '1',
        initial_release_date: at,
        current_release_date: at,
        revision_history: [{ date: at, number: '1', summary: 'Exported from the approved risk exceptions.' }],
        generator: { date: at, engine: { name: 'Patchboard', version: input.toolVersion } },
      },
    },
    product_tree: {
      full_product_names: [
        ...[...hostIds].map(([hostname, id]) => ({ name: `host ${hostname}`, product_id: id })),
        ...sorted(packages.keys()).map((key) => {
          const p = packages.get(key) as PackageProduct;
          return {
            name: p.label,
            product_id: packageIds.get(key) ?? '',
            ...(p.purl !== null && { product_identification_helper: { purl: p.purl } }),
          };
        }),
      ],
      relationships: [...installed.values()].map((r) => ({
        category: 'installed_on',
        product_reference: r.packageId,
        relates_to_product_reference: r.hostId,
        full_product_name: { name: r.name, product_id: r.id },
      })),
    },
    vulnerabilities: sorted(vulnerabilities.keys()).map((name) => {
      const vulnerability = vulnerabilities.get(name) as Vulnerability;
      const ids = sorted(vulnerability.advisories).filter((id) => id !== name || !isCve(name));
      const entries = [...vulnerability.byException.values()];
      return {
        ...(isCve(name) && { cve: name }),
        ...(ids.length > 0 && { ids: ids.map((text) => ({ system_name: 'advisory', text })) }),
        notes: [
          {
            category: 'general',
            title: 'Accepted risk',
            text: entries.map((entry) => notesText(entry.exception)).join('\n'),
          },
        ],
        product_status: { known_affected: sorted(new Set(entries.flatMap((entry) => [...entry.products]))) },
        remediations: entries.map(({ exception, products }) => ({
          category: 'mitigation',
          details: actionText(exception),
          ...(exception.decided_at !== null && { date: exception.decided_at }),
          product_ids: sorted(products),
        })),
      };
    }),
  };
}
