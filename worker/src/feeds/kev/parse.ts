import * as v from 'valibot';
import type { FeedRecord, KevEntry } from '../feed';
import { KevCatalog, KevVulnerability } from './input';

type Quarantine = Extract<FeedRecord, { kind: 'quarantine' }>;

/** What one catalog document holds: its entries, and the entries refused with why. */
export interface ParsedKevCatalog {
  readonly catalogVersion: string;
  readonly entries: readonly KevEntry[];
  readonly quarantined: readonly Quarantine[];
}

/** Valibot issues as one line: `dueDate: dueDate must be a date YYYY-MM-DD; ...`. */
export function issuesText(issues: readonly v.BaseIssue<unknown>[]): string {
  return issues.map((issue) => `${v.getDotPath(issue) ?? '(document)'}: ${issue.message}`).join('; ');
}

export function kevEntry(raw: KevVulnerability): KevEntry {
  return {
    cve: raw.cveID,
    vendor: raw.vendorProject,
    product: raw.product,
    name: raw.vulnerabilityName,
    description: raw.shortDescription,
    dateAdded: raw.dateAdded,
    dueDate: raw.dueDate,
    requiredAction: raw.requiredAction,
    ransomware: raw.knownRansomwareCampaignUse,
    notes: raw.notes,
  };
}

function entryName(raw: unknown, index: number): string {
  const id = typeof raw === 'object' && raw !== null ? (raw as { cveID?: unknown }).cveID : undefined;
  return typeof id === 'string' && id.trim() !== '' ? `kev:${id.trim()}` : `kev:vulnerabilities[${index}]`;
}

/**
 * A parsed KEV catalog: each entry validated on its own, so a malformed one becomes a quarantine
 * record and the others are kept. A document that is not a catalog at all answers an error.
 */
export function parseKevCatalog(value: unknown): ParsedKevCatalog | { error: string } {
  const catalog = v.safeParse(KevCatalog, value);
  if (!catalog.success) return { error: `not a KEV catalog: ${issuesText(catalog.issues)}` };
  const entries: KevEntry[] = [];
  const quarantined: Quarantine[] = [];
  for (const [index, raw] of catalog.output.vulnerabilities.entries()) {
    const entry = v.safeParse(KevVulnerability, raw);
    if (entry.success) {
      entries.push(kevEntry(entry.output));
    } else {
      quarantined.push({
        kind: 'quarantine',
        document: entryName(raw, index),
        reason: issuesText(entry.issues),
        content: JSON.stringify(raw).slice(0, 2048),
      });
    }
  }
  return { catalogVersion: catalog.output.catalogVersion, entries, quarantined };
}

/** Entries per `kev` record: a few thousand, so a runner stores one record in a few statements. */
export const KEV_RECORD_SIZE = 2_000;

/** The catalog as feed records, entries first in slices, then what was refused. */
export function kevRecords(parsed: ParsedKevCatalog): FeedRecord[] {
  const records: FeedRecord[] = [];
  for (let i = 0; i < parsed.entries.length; i += KEV_RECORD_SIZE) {
    records.push({ kind: 'kev', entries: parsed.entries.slice(i, i + KEV_RECORD_SIZE) });
  }
  return [...records, ...parsed.quarantined];
}

/** Whether a parsed JSON upload looks like a KEV catalog (import detection). */
export function looksLikeKevCatalog(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { catalogVersion, vulnerabilities } = value as { catalogVersion?: unknown; vulnerabilities?: unknown };
  if (typeof catalogVersion !== 'string' || !Array.isArray(vulnerabilities)) return false;
  const first: unknown = vulnerabilities[0];
  return vulnerabilities.length === 0 || (typeof first === 'object' && first !== null && 'cveID' in first);
}
