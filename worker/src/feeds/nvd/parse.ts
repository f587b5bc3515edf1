import * as v from 'valibot';
import type { CveRecord, FeedRecord } from '../feed';
import { CvssMetric, type NvdCve, NvdPage, NvdVulnerability } from './input';

type Quarantine = Extract<FeedRecord, { kind: 'quarantine' }>;

/** Valibot issues as one line: `cve.lastModified: lastModified must be ...; ...`. */
export function issuesText(issues: readonly v.BaseIssue<unknown>[]): string {
  return issues.map((issue) => `${v.getDotPath(issue) ?? '(document)'}: ${issue.message}`).join('; ');
}

/** NVD's zone-less timestamps are UTC; stored as `2023-10-18T18:00:24.900Z` like every other time. */
export function nvdTime(value: string): string {
  const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/.test(value) ? value : `${value}Z`;
  return new Date(zoned).toISOString();
}

/**
 * The score to keep of one CVSS version: NVD's own (`Primary`) when there is one, else the first
 * a CNA gave (`Secondary`), which is all a CVE awaiting analysis has. Malformed entries are passed over.
 */
function chosenMetric(metrics: readonly unknown[] | undefined): CvssMetric | null {
  const valid = (metrics ?? []).flatMap((m) => {
    const parsed = v.safeParse(CvssMetric, m);
    return parsed.success ? [parsed.output] : [];
  });
  return valid.find((m) => m.type === 'Primary') ?? valid[0] ?? null;
}

function score(metric: CvssMetric | null): CveRecord['cvss3'] {
  return metric ? { vector: metric.cvssData.vectorString, score: metric.cvssData.baseScore } : null;
}

/** CVSS 3.1, else 3.0: a Primary 3.0 score still beats a Secondary 3.1 one. */
function cvss3(metrics: NvdCve['metrics']): CveRecord['cvss3'] {
  const v31 = chosenMetric(metrics.cvssMetricV31);
  const v30 = chosenMetric(metrics.cvssMetricV30);
  if (v31?.type !== 'Primary' && v30?.type === 'Primary') return score(v30);
  return score(v31 ?? v30);
}

/** CWE ids named by any source, once each, in order; NVD's placeholders (NVD-CWE-noinfo, NVD-CWE-Other) are not ids. */
function cwes(weaknesses: NvdCve['weaknesses']): string[] {
  const ids = weaknesses.flatMap((w) =>
    w.description.flatMap((d) => {
      const value = (d as { value?: unknown } | null)?.value;
      return typeof value === 'string' && /^CWE-\d+$/.test(value) ? [value] : [];
    }),
  );
  return [...new Set(ids)];
}

export function cveRecord(cve: NvdCve): CveRecord {
  return {
    cve: cve.id,
    status: cve.vulnStatus,
    published: cve.published === undefined ? null : nvdTime(cve.published),
    modified: nvdTime(cve.lastModified),
    description: cve.descriptions.find((d) => d.lang === 'en')?.value ?? null,
    cvss3: cvss3(cve.metrics),
    cvss4: score(chosenMetric(cve.metrics.cvssMetricV40)),
    cwes: cwes(cve.weaknesses),
  };
}

export interface ParsedNvdPage {
  readonly page: NvdPage;
  readonly records: readonly CveRecord[];
  readonly quarantined: readonly Quarantine[];
}

function vulnerabilityName(raw: unknown, where: string, index: number): string {
  const id = (raw as { cve?: { id?: unknown } } | null)?.cve?.id;
  return typeof id === 'string' && id !== '' ? `nvd:${id}` : `nvd:${where}#${index}`;
}

/**
 * An API page: its envelope (for pagination) and its CVEs, each validated on its own.
 * `where` names the page in quarantine records when a CVE has no readable id.
 */
export function parseNvdPage(value: unknown, where: string): ParsedNvdPage | { error: string } {
  const page = v.safeParse(NvdPage, value);
  if (!page.success) return { error: `not an NVD CVE API 2.0 page: ${issuesText(page.issues)}` };
  const records: CveRecord[] = [];
  const quarantined: Quarantine[] = [];
  for (const [index, raw] of page.output.vulnerabilities.entries()) {
    const item = v.safeParse(NvdVulnerability, raw);
    if (item.success) {
      records.push(cveRecord(item.output.cve));
    } else {
      quarantined.push({
        kind: 'quarantine',
        document: vulnerabilityName(raw, where, index),
        reason: issuesText(item.issues),
        content: JSON.stringify(raw).slice(0, 2048),
      });
    }
  }
  return { page: page.output, records, quarantined };
}

/** A page as feed records: one `cve` record with its CVEs, then what was refused. */
export function nvdRecords(parsed: Pick<ParsedNvdPage, 'records' | 'quarantined'>): FeedRecord[] {
  return [
    ...(parsed.records.length > 0 ? [{ kind: 'cve' as const, records: parsed.records }] : []),
    ...parsed.quarantined,
  ];
}

/** Whether an upload looks like an NVD API 2.0 response (import detection). */
export function looksLikeNvdPage(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const page = value as { format?: unknown; vulnerabilities?: unknown; resultsPerPage?: unknown };
  if (page.format === 'NVD_CVE') return true;
  if (!Array.isArray(page.vulnerabilities) || typeof page.resultsPerPage !== 'number') return false;
  const first = page.vulnerabilities[0] as { cve?: { id?: unknown } } | undefined;
  return typeof first?.cve?.id === 'string';
}
