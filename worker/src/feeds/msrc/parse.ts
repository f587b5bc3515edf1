/**
 * A monthly MSRC CVRF document in Patchboard's normal form: one advisory per vulnerability
 * (`MSRC-CVE-2024-21307`, so it never collides with another source's advisory named by the bare
 * CVE), whose Windows products become the host ecosystems of their builds (windows-products.ts),
 * fixed at the vendor fix's FixedBuild or by having one of its KBs installed. Products hosts do not
 * report as a Windows build (Office, .NET, Edge, ...) are kept aside as skipped.
 */
import type { AdvisoryDocument, AffectedPackage } from '@patchboard/shared/schemas/advisory';
import { compare, isInvalid } from '@patchboard/shared/versions/index';
import * as v from 'valibot';
import { issueDetails } from '../../http/validate';
import { WINDOWS_PACKAGE } from '../../inventory/for-host';
import type { FeedRecord } from '../feed';
import { digestHex } from '../http';
import { KNOWN_AFFECTED, MonthlyDocument, MsrcVulnerability, msrcTime, RemediationType, ThreatType } from './input';
import { normalizeKb, supersededKbs } from './kb';
import { htmlToText } from './text';
import { windowsEcosystem } from './windows-products';

type Advisory = AdvisoryDocument;
type Remediation = Advisory['remediations'][number];
type Skipped = Advisory['skipped'][number];

/** Quarantined content is kept short: enough to see what was wrong, not a whole monthly document. */
const QUARANTINE_CONTENT = 2048;

/** Ecosystem named in `skipped` for MSRC products that are no Windows build. */
const NOT_WINDOWS_ECOSYSTEM = 'Microsoft';

/** What the rest of a document tells about its vulnerabilities. */
interface MonthContext {
  readonly release: string;
  readonly initialReleaseDate: string | null;
  readonly currentReleaseDate: string;
  /** ProductID -> product name, from ProductTree.FullProductName. */
  readonly products: ReadonlyMap<string, string>;
}

export interface ParsedVulnerability {
  readonly advisory: Advisory;
  /** [newer KB, the KB it replaces], from the vendor fixes' Supercedence. */
  readonly supersedence: (readonly [string, string])[];
}

export interface ParsedMonth {
  /** The document's own release id and CurrentReleaseDate; null when the document was refused. */
  readonly release: string | null;
  readonly currentReleaseDate: string | null;
  /** One advisory per vulnerability, or a quarantine record for each that could not be read. */
  readonly records: FeedRecord[];
}

function describe(issues: readonly v.BaseIssue<unknown>[]): string {
  const first = issueDetails(issues)[0];
  return first ? `${first.path ? `${first.path}: ` : ''}${first.message}` : 'malformed';
}

function unique<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}

/** An http(s) URL, or null: anything else is not a link Patchboard hands on. */
function httpUrl(raw: string | null | undefined): string | null {
  const url = raw?.trim();
  return url && /^https?:\/\//i.test(url) ? url : null;
}

/** CSAF restart_required category of MSRC's Yes / No (Maybe says nothing CSAF can carry). */
function restartCategory(raw: { Value?: string | null | undefined } | string | null | undefined): string | null {
  const value = (typeof raw === 'string' ? raw : raw?.Value)?.trim().toLowerCase();
  if (value === 'yes') return 'machine';
  if (value === 'no') return 'none';
  return null;
}

/** Whether FixedBuild is a readable build of the release the ecosystem names (`10.0.20348.2227` of `Windows:10.0.20348`). */
function isBuildOf(ecosystem: string, build: string): boolean {
  const release = ecosystem.slice(ecosystem.indexOf(':') + 1);
  return !isInvalid(compare(ecosystem, build, build)) && build.startsWith(`${release}.`);
}

function highestBuild(ecosystem: string, builds: readonly string[]): string | undefined {
  return [...builds].sort((a, b) => {
    const order = compare(ecosystem, a, b);
    return isInvalid(order) ? 0 : order;
  })[builds.length - 1];
}

/**
 * `Publicly Disclosed:No;Exploited:Yes;Latest Software Release:Exploitation More Likely` as
 * `Exploited:Yes; Publicly Disclosed:No; Latest Software Release:Exploitation More Likely`:
 * whether it is exploited first, the exploitability assessments after.
 */
function exploitStatus(raw: string): string {
  const parts = raw
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const colon = part.indexOf(':');
      return colon === -1 ? part : `${part.slice(0, colon).trim()}:${part.slice(colon + 1).trim()}`;
    });
  const rank = (part: string) => (part.startsWith('Exploited:') ? 0 : part.startsWith('Publicly Disclosed:') ? 1 : 2);
  return parts
    .map((part, index) => ({ part, index }))
    .sort((a, b) => rank(a.part) - rank(b.part) || a.index - b.index)
    .map((p) => p.part)
    .join('; ');
}

/** A threat's own date, when it has one: MSRC writes `0001-01-01T00:00:00` with DateSpecified false otherwise. */
function threatDate(threat: { Date?: string | null | undefined; DateSpecified?: boolean | undefined }): string | null {
  if (threat.DateSpecified === false) return null;
  const date = msrcTime(threat.Date);
  return date !== null && date >= '1990' ? date : null;
}

function cvssType(vector: string): string | undefined {
  if (vector.startsWith('CVSS:3.')) return 'CVSS_V3';
  if (vector.startsWith('CVSS:4.')) return 'CVSS_V4';
  return undefined;
}

interface EcosystemFixes {
  readonly products: string[];
  readonly builds: string[];
  readonly kbs: Set<string>;
  readonly problems: string[];
}

/** The advisory of one vulnerability of a monthly document. */
export function parseVulnerability(vuln: MsrcVulnerability, month: MonthContext): ParsedVulnerability {
  const nameOf = (id: string) => month.products.get(id) ?? `ProductID ${id}`;
  const vendorFixes = vuln.Remediations.filter((r) => r.Type === RemediationType.vendorFix);

  // Affected: the known-affected products, and any product a vendor fix names.
  const affectedIds = unique([
    ...vuln.ProductStatuses.filter((s) => s.Type === KNOWN_AFFECTED).flatMap((s) => s.ProductID),
    ...vendorFixes.flatMap((r) => r.ProductID),
  ]);
  const skipped = new Map<string, Skipped>();
  const byEcosystem = new Map<string, EcosystemFixes>();
  for (const id of affectedIds) {
    const name = nameOf(id);
    const ecosystem = windowsEcosystem(name);
    if (!ecosystem) {
      skipped.set(`${NOT_WINDOWS_ECOSYSTEM} ${name}`, {
        ecosystem: NOT_WINDOWS_ECOSYSTEM,
        package: name,
        reason: 'not a Windows release: hosts do not report it as a build to match',
      });
      continue;
    }
    let fixes = byEcosystem.get(ecosystem);
    if (!fixes) {
      fixes = { products: [], builds: [], kbs: new Set(), problems: [] };
      byEcosystem.set(ecosystem, fixes);
    }
    fixes.products.push(name);
    for (const fix of vendorFixes.filter((r) => r.ProductID.includes(id))) {
      const kb = normalizeKb(fix.Description?.Value);
      if (kb) fixes.kbs.add(kb);
      const build = fix.FixedBuild?.trim();
      if (!build) continue;
      if (isBuildOf(ecosystem, build)) fixes.builds.push(build);
      else fixes.problems.push(`${name}: FixedBuild "${build}" is not a build of ${ecosystem}`);
    }
  }

  const affected: AffectedPackage[] = [];
  // Plain code-unit order, not the locale's: the same document must give the same advisory anywhere.
  for (const [ecosystem, fixes] of [...byEcosystem].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const fixed = highestBuild(ecosystem, fixes.builds);
    if (fixed === undefined) {
      // Without a build the host could only be judged by its KBs, which older documents name alone;
      // reporting every host of the release as affected until a KB chain proves otherwise is worse.
      const why =
        fixes.problems.length > 0
          ? fixes.problems.join('; ')
          : `no vendor fix with a FixedBuild for ${unique(fixes.products).join(', ')}`;
      skipped.set(`${ecosystem} ${WINDOWS_PACKAGE}`, { ecosystem, package: WINDOWS_PACKAGE, reason: why });
      continue;
    }
    affected.push({
      ecosystem,
      package: WINDOWS_PACKAGE,
      // Several fixes of one release (a hotpatch beside the cumulative update): the highest build
      // is the one every host reaches; hosts on another path are recognised by their KB.
      intervals: [{ fixed }],
      ...(fixes.kbs.size > 0 && { fixedBy: { kbs: [...fixes.kbs].sort() } }),
    });
  }

  const packageOf = (id: string) => {
    const ecosystem = windowsEcosystem(nameOf(id));
    return ecosystem ? `${ecosystem} ${WINDOWS_PACKAGE}` : nameOf(id);
  };
  const remediations = new Map<string, Remediation>();
  const supersedence = new Map<string, readonly [string, string]>();
  for (const r of vuln.Remediations) {
    const category =
      r.Type === RemediationType.vendorFix
        ? 'vendor_fix'
        : r.Type === RemediationType.mitigation
          ? 'mitigation'
          : r.Type === RemediationType.workaround
            ? 'workaround'
            : undefined;
    if (!category) continue;
    const description = r.Description?.Value ?? '';
    const kb = category === 'vendor_fix' ? normalizeKb(description) : undefined;
    const details = kb ?? (htmlToText(description) || r.SubType?.trim() || category);
    const url = httpUrl(r.URL);
    const restartRequired = restartCategory(r.RestartRequired);
    const key = JSON.stringify([category, details, url, restartRequired]);
    const packages = r.ProductID.map(packageOf);
    const seen = remediations.get(key);
    remediations.set(key, {
      category,
      details,
      url,
      restartRequired,
      packages: unique([...(seen?.packages ?? []), ...packages]),
    });
    if (kb) {
      for (const older of supersededKbs(r.Supercedence)) {
        if (older !== kb) supersedence.set(`${kb} ${older}`, [kb, older]);
      }
    }
  }

  const threats: Advisory['threats'] = [];
  const seenThreats = new Set<string>();
  for (const threat of vuln.Threats) {
    const raw = threat.Description?.Value?.trim();
    if (!raw) continue;
    const category =
      threat.Type === ThreatType.exploitStatus
        ? 'exploit_status'
        : threat.Type === ThreatType.impact
          ? 'impact'
          : undefined;
    if (!category) continue; // severity ratings are per product and CVSS says more
    const details = category === 'exploit_status' ? exploitStatus(raw) : raw;
    if (seenThreats.has(`${category} ${details}`)) continue;
    seenThreats.add(`${category} ${details}`);
    threats.push({ category, details, date: threatDate(threat) });
  }

  const severity = unique(vuln.CVSSScoreSets.map((s) => s.Vector?.trim() ?? '').filter((vector) => vector !== ''))
    .map((score) => ({ type: cvssType(score), score }))
    .filter((s): s is { type: string; score: string } => s.type !== undefined);

  const revisions = vuln.RevisionHistory.map((r) => r.Date)
    .filter((d): d is string => typeof d === 'string')
    .sort();
  const description = vuln.Notes.find((n) => n.Title?.trim().toLowerCase() === 'description')?.Value;
  const id = vuln.CVE;
  const isCve = id.startsWith('CVE-');
  return {
    advisory: {
      id: `MSRC-${id}`,
      source: 'msrc',
      summary: vuln.Title?.Value?.trim() || null,
      details: (description && htmlToText(description)) || null,
      published: revisions[0] ?? month.initialReleaseDate ?? month.currentReleaseDate,
      modified: revisions[revisions.length - 1] ?? month.currentReleaseDate,
      withdrawn: null,
      aliases: [id],
      cves: isCve ? [id] : [],
      references: [{ type: 'ADVISORY', url: `https://msrc.microsoft.com/update-guide/vulnerability/${id}` }],
      affected,
      skipped: [...skipped.values()],
      severity,
      remediations: [...remediations.values()],
      notAffected: [],
      threats,
    },
    supersedence: [...supersedence.values()],
  };
}

/**
 * What a vulnerability's advisory is made of, for its content hash: the entry as received, the
 * names of the products it refers to, and the document's dates when it has no dates of its own.
 * A revised month thus changes the hash of the vulnerabilities that changed, not of all of them.
 */
function hashInput(raw: unknown, vuln: MsrcVulnerability, month: MonthContext): string {
  const ids = unique([
    ...vuln.ProductStatuses.flatMap((s) => s.ProductID),
    ...vuln.Threats.flatMap((t) => t.ProductID),
    ...vuln.CVSSScoreSets.flatMap((s) => s.ProductID),
    ...vuln.Remediations.flatMap((r) => r.ProductID),
  ]).sort();
  const names = ids.map((id) => [id, month.products.get(id) ?? null]);
  const dates = vuln.RevisionHistory.length === 0 ? [month.initialReleaseDate, month.currentReleaseDate] : null;
  return JSON.stringify([raw, names, dates]);
}

function quarantine(document: string, reason: string, content: string): FeedRecord {
  return { kind: 'quarantine', document, reason, content: content.slice(0, QUARANTINE_CONTENT) };
}

function cveOf(raw: unknown): string | undefined {
  const cve = typeof raw === 'object' && raw !== null ? (raw as { CVE?: unknown }).CVE : undefined;
  return typeof cve === 'string' && /^[A-Za-z0-9-]{1,32}$/.test(cve) ? cve : undefined;
}

/**
 * Reads a monthly CVRF document (parsed JSON; `text` as received, for the quarantine of a refused
 * one). A document that is not one is a single quarantine record; a vulnerability that does not
 * validate is quarantined alone and the others go on. `label` names the document in quarantine
 * records until its own id is known (the release id it was fetched as, or `import`).
 */
export async function parseMonthlyDocument(value: unknown, label: string, text?: string): Promise<ParsedMonth> {
  const checked = v.safeParse(MonthlyDocument, value);
  if (!checked.success) {
    const content = text ?? JSON.stringify(value) ?? '';
    return {
      release: null,
      currentReleaseDate: null,
      records: [quarantine(`MSRC ${label}`, `not an MSRC CVRF document: ${describe(checked.issues)}`, content)],
    };
  }
  const document = checked.output;
  const tracking = document.DocumentTracking;
  const month: MonthContext = {
    release: tracking.Identification.ID.Value,
    initialReleaseDate: tracking.InitialReleaseDate ?? null,
    currentReleaseDate: tracking.CurrentReleaseDate,
    products: new Map(
      (document.ProductTree?.FullProductName ?? []).map((p) => [
        p.ProductID,
        p.Value?.trim() || `ProductID ${p.ProductID}`,
      ]),
    ),
  };
  const records: FeedRecord[] = [];
  for (const [index, raw] of document.Vulnerability.entries()) {
    const vuln = v.safeParse(MsrcVulnerability, raw);
    const cve = cveOf(raw);
    const name = cve ? `MSRC-${cve}` : `MSRC ${month.release} Vulnerability[${index}]`;
    if (!vuln.success) {
      records.push(
        quarantine(name, `not a valid MSRC vulnerability: ${describe(vuln.issues)}`, JSON.stringify(raw) ?? ''),
      );
      continue;
    }
    const parsed = parseVulnerability(vuln.output, month);
    records.push({
      kind: 'advisory',
      advisory: parsed.advisory,
      contentHash: await digestHex('SHA-256', hashInput(raw, vuln.output, month)),
      supersedence: parsed.supersedence,
    });
  }
  return { release: month.release, currentReleaseDate: month.currentReleaseDate, records };
}
