/**
 * Turns the lookup statement's rows into one answer per requested id, in request order. Pure: the
 * tests feed it rows directly. Lists are put in a stable order here, whatever order SQLite used.
 */
import type { AdvisoryId } from '@patchboard/shared/ids';
import { type LookupAdvisory, type LookupItem, MAX_LOOKUP_CVES } from '@patchboard/shared/schemas/lookup';
import type { LookupRow } from './queries';

/** A requested id, as given, and what parsing made of it. */
export type Requested = { readonly id: string } & (AdvisoryId | { readonly reason: string });

/** Code-unit order: the same answer on every runtime, whatever its locale. */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Newest first (undated last), then by id. */
function newestFirst(a: LookupAdvisory, b: LookupAdvisory): number {
  if (a.published !== b.published) {
    if (a.published === null) return 1;
    if (b.published === null) return -1;
    return byText(b.published, a.published);
  }
  return byText(a.id, b.id);
}

function parseJson<T>(text: string | null, empty: T): T {
  return text === null ? empty : (JSON.parse(text) as T);
}

/** The answer for an id that is not recognised, or recognised but nowhere found. */
function unknownItem(requested: Requested, reason: string): LookupItem {
  const parsed = 'kind' in requested ? requested : undefined;
  return {
    id: requested.id,
    canonical: parsed?.canonical ?? null,
    kind: parsed?.kind ?? null,
    known: false,
    reason,
    advisories: [],
    advisoryCount: 0,
    cves: parsed?.kind === 'cve' ? [parsed.canonical] : [],
    cveCount: parsed?.kind === 'cve' ? 1 : 0,
    hosts: { affected: 0, byRing: {} },
    findings: { open: 0, scheduled: 0, excepted: 0, resolved: 0 },
    priority: null,
    kev: null,
    epss: null,
    fixedVersions: [],
    nextDeployment: null,
  };
}

function nextDeploymentOf(json: string | null): LookupItem['nextDeployment'] {
  const value = parseJson<[number, string, 'awaiting_approval' | 'approved' | 'running', string | null] | null>(
    json,
    null,
  );
  return value ? { id: value[0], title: value[1], status: value[2], ring: value[3] } : null;
}

/** One recognised id's answer from its row. */
export function itemOf(requested: Requested & AdvisoryId, row: LookupRow | undefined): LookupItem {
  const advisories = parseJson<[string, string, string | null, string | null, string | null][]>(
    row?.advisories ?? null,
    [],
  )
    .map(
      ([id, source, summary, published, withdrawn]): LookupAdvisory => ({ id, source, summary, published, withdrawn }),
    )
    .sort(newestFirst);
  const kev = parseJson<[string, string, string, string] | null>(row?.kev ?? null, null);
  const epss = parseJson<[string, number, number, string] | null>(row?.epss ?? null, null);
  // A CVE without advisory is still known when KEV, EPSS or NVD has it.
  const known =
    advisories.length > 0 || (requested.kind === 'cve' && (kev !== null || epss !== null || row?.nvd === 1));
  if (!row || !known) {
    return unknownItem(
      requested,
      requested.kind === 'cve'
        ? 'no advisory, KEV, EPSS or NVD record names this CVE'
        : 'no advisory this tenant can see names this id',
    );
  }
  const [open, scheduled, excepted, resolved] = parseJson<(number | null)[]>(row.statuses, []);
  const byRing = parseJson<Record<string, number>>(row.rings, {});
  const priority = parseJson<[number, string | null, string | null] | null>(row.priority, null);
  const cves = parseJson<string[]>(row.cves, []).sort(byText);
  return {
    id: requested.id,
    canonical: requested.canonical,
    kind: requested.kind,
    known: true,
    reason: null,
    advisories,
    advisoryCount: row.advisory_count,
    cves: cves.slice(0, MAX_LOOKUP_CVES),
    cveCount: cves.length,
    // A host has one ring, so the rings' distinct counts add up to the id's.
    hosts: { affected: Object.values(byRing).reduce((sum, n) => sum + n, 0), byRing },
    findings: { open: open ?? 0, scheduled: scheduled ?? 0, excepted: excepted ?? 0, resolved: resolved ?? 0 },
    priority: priority ? { highest: priority[0], dueAt: priority[1], explanation: priority[2] } : null,
    kev: kev ? { cve: kev[0], dateAdded: kev[1], dueDate: kev[2], ransomware: kev[3].toLowerCase() === 'known' } : null,
    epss: epss ? { cve: epss[0], score: epss[1], percentile: epss[2], date: epss[3] } : null,
    fixedVersions: parseJson<[string, string, string][]>(row.fixes, []).map(([ecosystem, pkg, version]) => ({
      ecosystem,
      package: pkg,
      version,
    })),
    nextDeployment: nextDeploymentOf(row?.next_deployment ?? null),
  };
}

/** One answer per requested id, in request order; `rows` are the statement's, by index. */
export function assemble(requested: readonly Requested[], rows: readonly LookupRow[]): LookupItem[] {
  const byIndex = new Map(rows.map((row) => [row.idx, row]));
  return requested.map((request, idx) =>
    'kind' in request ? itemOf(request, byIndex.get(idx)) : unknownItem(request, request.reason),
  );
}
