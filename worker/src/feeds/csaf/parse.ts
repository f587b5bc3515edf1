/**
 * A CSAF 2.0 document in Patchboard's normal form. The product tree is flattened (identify.ts) and
 * each vulnerability's product status becomes version intervals per (ecosystem, package):
 * - `fixed` / `first_fixed` at version V: fixed in V, affected below it (`{ fixed: V }`);
 * - `known_affected`: V alone (`{ introduced: V, lastAffected: V }`), its `vers:` range, or, with
 *   neither, every version;
 * - `first_affected` / `last_affected` bound the intervals the way OSV events do;
 * - `known_not_affected` becomes `notAffected` with the VEX justification (the flag's label, else
 *   the impact statement), unless the same package is affected through another statement;
 * - `under_investigation` is not an affected interval (nothing is known yet): it is listed in
 *   `skipped` with that reason, so an admin sees it and nothing is matched on a guess;
 * - `recommended` says which version to install and adds nothing.
 * Packages of one ecosystem and name are merged across architectures, platforms (BaseOS and
 * AppStream are both `Red Hat:9`) and vulnerabilities.
 */
import { type AffectedInterval, intervalsFromOsv, intervalsFromVers, type OsvEvent } from '@patchboard/shared/ranges';
import type { AdvisoryDocument, AffectedPackage } from '@patchboard/shared/schemas/advisory';
import { compare, isInvalid, schemeFor } from '@patchboard/shared/versions/index';
import { normalizeKb } from '../msrc/kb';
import { type Identity, identifier } from './identify';
import type { CsafDocument, Vulnerability } from './input';
import { indexProducts, type ProductIndex, targetsOf } from './products';

const CVE = /^CVE-\d{4}-\d{4,}$/;
const remediationCategories = new Set(['vendor_fix', 'mitigation', 'workaround', 'none_available', 'no_fix_planned']);
type RemediationCategory = AdvisoryDocument['remediations'][number]['category'];

type PackageIdentity = Extract<Identity, { kind: 'package' }>;

class ParseError extends Error {}

function iso(value: string): string {
  return new Date(value).toISOString();
}

function keyOf(ecosystem: string, pkg: string): string {
  return `${ecosystem}\u0000${pkg}`;
}

/** `<10.0.20348.2227` (Microsoft) and `vers:rpm/<1.2-3` alike, as a vers: range; undefined when unreadable. */
function asVers(range: string): string | undefined {
  const text = range.trim();
  if (/^vers:/i.test(text)) return text;
  if (/^(?:[<>]=?|=)\s*\S/.test(text)) return `vers:generic/${text.replace(/\s+/g, '')}`;
  return undefined;
}

function checkVersion(identity: PackageIdentity, version: string): string {
  const check = compare(identity.ecosystem, version, version);
  if (isInvalid(check))
    throw new ParseError(`${identity.ecosystem} ${identity.package} version "${version}": ${check.reason}`);
  return version;
}

function rangeIntervals(identity: PackageIdentity, range: string): AffectedInterval[] {
  const vers = asVers(range);
  if (vers === undefined)
    throw new ParseError(`${identity.ecosystem} ${identity.package}: "${range}" is not a version range`);
  const result = intervalsFromVers(identity.ecosystem, vers);
  if ('error' in result) throw new ParseError(`${identity.ecosystem} ${identity.package}: ${result.error}`);
  return result.intervals;
}

/** The bounds one vulnerability states for one package, before they become intervals. */
interface Bounds {
  readonly identity: PackageIdentity;
  readonly events: OsvEvent[];
  readonly explicit: AffectedInterval[];
  firstAffected: boolean;
}

function intervalsOf(bounds: Bounds): AffectedInterval[] {
  const { identity, events, explicit } = bounds;
  let intervals: AffectedInterval[];
  if (bounds.firstAffected) {
    // A first affected version pairs with the fixed ones the way OSV events do.
    const result = intervalsFromOsv(identity.ecosystem, [{ type: 'ECOSYSTEM', events }], undefined);
    if ('error' in result) throw new ParseError(`${identity.ecosystem} ${identity.package}: ${result.error}`);
    intervals = result.intervals;
  } else {
    // Each fixed version on its own, as Red Hat's OSV conversion has it: two module streams of one
    // package (nodejs 18 and 20) fixed in one advisory each keep their interval.
    intervals = events.map((e) =>
      'fixed' in e ? { fixed: e.fixed } : 'last_affected' in e ? { lastAffected: e.last_affected } : {},
    );
  }
  return [...intervals, ...explicit];
}

/** The VEX justification of each product a vulnerability says is not affected. */
function justifications(index: ProductIndex, vulnerability: Vulnerability): Map<string, string> {
  const found = new Map<string, string>();
  for (const flag of vulnerability.flags ?? []) {
    for (const id of targetsOf(index, flag)) if (!found.has(id)) found.set(id, flag.label);
  }
  for (const threat of vulnerability.threats ?? []) {
    if (threat.category !== 'impact') continue;
    for (const id of targetsOf(index, threat)) if (!found.has(id)) found.set(id, threat.details.trim());
  }
  return found;
}

function unique<T>(items: Iterable<T>): T[] {
  const seen = new Map<string, T>();
  for (const item of items) {
    const key = JSON.stringify(item);
    if (!seen.has(key)) seen.set(key, item);
  }
  return [...seen.values()];
}

/** Everything the document says about packages, gathered across its vulnerabilities. */
class Packages {
  readonly affected = new Map<
    string,
    { ecosystem: string; package: string; intervals: Map<string, AffectedInterval> }
  >();
  readonly kbs = new Map<string, Set<string>>();
  readonly notAffected = new Map<string, { ecosystem: string; package: string; justification: string | null }>();
  readonly skipped = new Map<string, { ecosystem: string; package: string; reason: string }>();
  /** Products a vendor cannot be matched on, but which are stated affected. */
  readonly unmatchedAffected = new Set<string>();
  /** Source packages stated affected or fixed, by ecosystem. */
  readonly sources = new Map<string, Set<string>>();

  addIntervals(identity: PackageIdentity, intervals: readonly AffectedInterval[]): void {
    const key = keyOf(identity.ecosystem, identity.package);
    let entry = this.affected.get(key);
    if (!entry) {
      entry = { ecosystem: identity.ecosystem, package: identity.package, intervals: new Map() };
      this.affected.set(key, entry);
    }
    for (const interval of intervals) entry.intervals.set(JSON.stringify(interval), interval);
  }

  skip(ecosystem: string, pkg: string, reason: string): void {
    this.skipped.set(JSON.stringify([ecosystem, pkg, reason]), { ecosystem, package: pkg, reason });
  }

  notAffectedFor(ecosystem: string, pkg: string, justification: string | null): void {
    const key = keyOf(ecosystem, pkg);
    const known = this.notAffected.get(key);
    if (!known || (known.justification === null && justification !== null)) {
      this.notAffected.set(key, { ecosystem, package: pkg, justification });
    }
  }

  result(): Pick<AdvisoryDocument, 'affected' | 'notAffected' | 'skipped'> {
    const affected: AffectedPackage[] = [];
    for (const [key, entry] of this.affected) {
      if (entry.intervals.size === 0) continue;
      const kbs = this.kbs.get(key);
      affected.push({
        ecosystem: entry.ecosystem,
        package: entry.package,
        intervals: [...entry.intervals.values()],
        ...(kbs && kbs.size > 0 && { fixedBy: { kbs: [...kbs].sort() } }),
      });
    }
    // Some documents list only the source rpm of a fix (python3.9.src, whose binaries are
    // python3, python3-libs, ...): nothing to match, which an admin should see.
    for (const [ecosystem, names] of this.sources) {
      if (affected.some((a) => a.ecosystem === ecosystem)) continue;
      for (const name of names) {
        this.skip(ecosystem, name, 'only the source package is listed, not the binary packages built from it');
      }
    }
    // A package affected through any statement of the document is not also "not affected".
    const notAffected = [...this.notAffected.entries()]
      .filter(([key]) => !this.affected.has(key) && !this.unmatchedAffected.has(key))
      .map(([, entry]) => entry);
    return { affected, notAffected, skipped: [...this.skipped.values()] };
  }
}

function collectStatuses(
  vulnerability: Vulnerability,
  index: ProductIndex,
  identify: (id: string) => Identity,
  packages: Packages,
): void {
  const status = vulnerability.product_status;
  if (!status) return;
  const bounds = new Map<string, Bounds>();
  const boundsOf = (identity: PackageIdentity): Bounds => {
    const key = keyOf(identity.ecosystem, identity.package);
    let b = bounds.get(key);
    if (!b) {
      b = { identity, events: [], explicit: [], firstAffected: false };
      bounds.set(key, b);
    }
    return b;
  };
  const statements: [readonly string[] | undefined, 'fixed' | 'affected' | 'first' | 'last'][] = [
    [status.fixed, 'fixed'],
    [status.first_fixed, 'fixed'],
    [status.known_affected, 'affected'],
    [status.first_affected, 'first'],
    [status.last_affected, 'last'],
  ];
  for (const [ids, kind] of statements) {
    for (const id of ids ?? []) {
      const identity = identify(id);
      if (identity.kind === 'ignored') {
        if (identity.source) {
          const names = packages.sources.get(identity.source.ecosystem) ?? new Set<string>();
          names.add(identity.source.package);
          packages.sources.set(identity.source.ecosystem, names);
        }
        continue;
      }
      if (identity.kind === 'unmatched') {
        packages.skip(identity.ecosystem, identity.package, identity.reason);
        packages.unmatchedAffected.add(keyOf(identity.ecosystem, identity.package));
        continue;
      }
      if (!schemeFor(identity.ecosystem)) {
        packages.skip(identity.ecosystem, identity.package, 'no version scheme for this ecosystem');
        continue;
      }
      const b = boundsOf(identity);
      const version = identity.version === undefined ? undefined : checkVersion(identity, identity.version);
      if (kind === 'fixed') {
        // A fixed range (`>=4.2`) says nothing about which versions are affected.
        if (version !== undefined) b.events.push({ fixed: version });
      } else if (version !== undefined && kind === 'first') {
        b.events.push({ introduced: version });
        b.firstAffected = true;
      } else if (version !== undefined && kind === 'last') {
        b.events.push({ last_affected: version });
      } else if (version !== undefined) {
        b.explicit.push({ introduced: version, lastAffected: version });
      } else if (identity.range !== undefined) {
        b.explicit.push(...rangeIntervals(identity, identity.range));
      } else {
        b.explicit.push({});
      }
    }
  }
  for (const b of bounds.values()) packages.addIntervals(b.identity, intervalsOf(b));

  const why = justifications(index, vulnerability);
  for (const id of status.known_not_affected ?? []) {
    const identity = identify(id);
    if (identity.kind === 'ignored') continue;
    packages.notAffectedFor(identity.ecosystem, identity.package, why.get(id) ?? null);
  }
  for (const id of status.under_investigation ?? []) {
    const identity = identify(id);
    if (identity.kind === 'ignored') continue;
    packages.skip(identity.ecosystem, identity.package, 'under investigation: not yet known whether it is affected');
  }
}

const KB_IN_URL = /[?&/=]KB\s?(\d{6,8})\b/i;

function collectRemediations(
  vulnerability: Vulnerability,
  index: ProductIndex,
  identify: (id: string) => Identity,
  packages: Packages,
): AdvisoryDocument['remediations'] {
  const remediations: AdvisoryDocument['remediations'] = [];
  for (const remediation of vulnerability.remediations ?? []) {
    // CSAF 2.1 adds categories (fix_planned, optional_patch) that a 2.0 reader does not know.
    if (!remediationCategories.has(remediation.category)) continue;
    const names: string[] = [];
    const windows: string[] = [];
    for (const id of targetsOf(index, remediation)) {
      const identity = identify(id);
      if (identity.kind === 'package') {
        names.push(`${identity.ecosystem} ${identity.package}`);
        if (identity.ecosystem.startsWith('Windows:')) windows.push(keyOf(identity.ecosystem, identity.package));
      } else if (identity.kind === 'unmatched') {
        names.push(identity.label);
      }
    }
    // Microsoft's vendor fix names its KB (`5034129`) and links the Update Catalog.
    const kb =
      remediation.category === 'vendor_fix'
        ? (normalizeKb(remediation.details) ?? normalizeKb(KB_IN_URL.exec(remediation.url ?? '')?.[1]))
        : undefined;
    if (kb !== undefined) {
      for (const key of windows) {
        const set = packages.kbs.get(key) ?? new Set<string>();
        set.add(kb);
        packages.kbs.set(key, set);
      }
    }
    remediations.push({
      category: remediation.category as RemediationCategory,
      details: remediation.details,
      url: remediation.url ?? null,
      restartRequired: remediation.restart_required?.category ?? null,
      packages: [...new Set(names)],
    });
  }
  return remediations;
}

/**
 * The document's summary and description notes, then each vulnerability's description (Microsoft
 * describes only the vulnerability; Red Hat's summary is the erratum's topic).
 */
function details(document: CsafDocument): string | null {
  const describes = (n: { category: string }) => n.category === 'summary' || n.category === 'description';
  const text = [
    ...(document.document.notes ?? []).filter(describes),
    ...(document.vulnerabilities ?? []).flatMap((vuln) =>
      (vuln.notes ?? []).filter((n) => n.category === 'description'),
    ),
  ]
    .map((n) => n.text.trim())
    .filter((t) => t !== '');
  return text.length === 0 ? null : unique(text).join('\n\n');
}

/** CSAF's own reference categories: `self` (the advisory itself) and `external`. */
function referenceType(category: string | undefined): string {
  return category === 'self' ? 'ADVISORY' : 'WEB';
}

export function parseCsaf(document: CsafDocument): { advisory: AdvisoryDocument } | { error: string } {
  const id = document.document.tracking.id;
  const index = indexProducts(document.product_tree);
  const identify = identifier(index, document.document.publisher.name);
  const packages = new Packages();
  const remediations: AdvisoryDocument['remediations'] = [];
  const vulnerabilities = document.vulnerabilities ?? [];
  try {
    for (const vulnerability of vulnerabilities) {
      collectStatuses(vulnerability, index, identify, packages);
      remediations.push(...collectRemediations(vulnerability, index, identify, packages));
    }
  } catch (err) {
    if (err instanceof ParseError) return { error: err.message };
    throw err;
  }
  const cves = unique(vulnerabilities.flatMap((vuln) => (vuln.cve ? [vuln.cve.trim().toUpperCase()] : []))).filter(
    (c) => CVE.test(c),
  );
  // Other ids only when they are identifiers (GHSA-..., VU#421644), not a bare Bugzilla number or a URL.
  const otherIds = vulnerabilities.flatMap((vuln) => (vuln.ids ?? []).map((i) => i.text.trim()));
  const aliases = unique([
    ...cves,
    ...otherIds.filter((text) => /^[A-Za-z][A-Za-z0-9._:+#-]*\d[A-Za-z0-9._:+#-]*$/.test(text)),
  ]).filter((a) => a !== id);
  const references = new Map<string, { type: string | null; url: string }>();
  for (const ref of [
    ...(document.document.references ?? []),
    ...vulnerabilities.flatMap((vuln) => vuln.references ?? []),
  ]) {
    if (!references.has(ref.url)) references.set(ref.url, { type: referenceType(ref.category), url: ref.url });
  }
  const severity = unique(
    vulnerabilities.flatMap((vuln) =>
      (vuln.scores ?? []).flatMap((score) => [
        ...(score.cvss_v3 ? [{ type: 'CVSS_V3', score: score.cvss_v3.vectorString }] : []),
        ...(score.cvss_v2 ? [{ type: 'CVSS_V2', score: score.cvss_v2.vectorString }] : []),
      ]),
    ),
  );
  const threats = unique(
    vulnerabilities.flatMap((vuln) =>
      (vuln.threats ?? []).map((t) => ({
        category: t.category,
        details: t.details,
        date: t.date ? iso(t.date) : null,
      })),
    ),
  );
  return {
    advisory: {
      id,
      source: 'csaf',
      summary: document.document.title,
      details: details(document),
      published: iso(document.document.tracking.initial_release_date),
      modified: iso(document.document.tracking.current_release_date),
      // CSAF has no withdrawal; a provider deletes the document instead (Red Hat's deletions.csv).
      withdrawn: null,
      aliases,
      cves,
      references: [...references.values()],
      ...packages.result(),
      severity,
      remediations: unique(remediations),
      threats,
    },
  };
}
