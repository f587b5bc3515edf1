/**
 * Reads what the sources say about advisories, for triage: the advisory's own CVSS vectors and
 * exploit status, and per CVE the KEV listing, the EPSS score and NVD's vectors. One round trip
 * per chunk of advisories, whatever their number of CVEs.
 */

import { type CvssReading, readCvss } from './cvss';
import type { AdvisorySignals, EpssFact, KevFact } from './priority';
import { vendorExploitation } from './priority';

export interface AdvisoryFacts extends AdvisorySignals {
  readonly pk: number;
  readonly id: string;
  readonly cves: readonly string[];
}

interface AdvisoryRow {
  pk: number;
  id: string;
  cves: string;
  severity: string | null;
  threats: string | null;
}

function parseArray<T>(text: string | null): T[] {
  if (!text) return [];
  const value: unknown = JSON.parse(text);
  return Array.isArray(value) ? (value as T[]) : [];
}

/** Signals of the advisories with these primary keys (missing ones are left out). */
export async function loadSignals(db: D1Database, pks: readonly number[]): Promise<Map<number, AdvisoryFacts>> {
  const facts = new Map<number, AdvisoryFacts>();
  if (pks.length === 0) return facts;
  const cvesOf = `SELECT DISTINCT j.value FROM advisories a, json_each(a.cves) j WHERE a.pk IN (SELECT value FROM json_each(?1))`;
  const [advisories, kev, epss, nvd] = await db.batch([
    db
      .prepare(
        `SELECT pk, id, cves, json_extract(document, '$.severity') AS severity, json_extract(document, '$.threats') AS threats
         FROM advisories WHERE pk IN (SELECT value FROM json_each(?1))`,
      )
      .bind(JSON.stringify(pks)),
    db
      .prepare(`SELECT cve, date_added, due_date, ransomware FROM kev_entries WHERE cve IN (${cvesOf})`)
      .bind(JSON.stringify(pks)),
    db.prepare(`SELECT cve, score, percentile FROM epss_scores WHERE cve IN (${cvesOf})`).bind(JSON.stringify(pks)),
    db
      .prepare(
        `SELECT cve, cvss3_vector, cvss4_vector FROM cve_records WHERE cve IN (${cvesOf}) AND status <> 'Rejected'`,
      )
      .bind(JSON.stringify(pks)),
  ]);

  const kevByCve = new Map<string, KevFact>();
  for (const row of (kev?.results ?? []) as {
    cve: string;
    date_added: string;
    due_date: string;
    ransomware: string;
  }[]) {
    kevByCve.set(row.cve, {
      cve: row.cve,
      dateAdded: row.date_added,
      dueDate: row.due_date,
      ransomware: row.ransomware,
    });
  }
  const epssByCve = new Map<string, EpssFact>();
  for (const row of (epss?.results ?? []) as { cve: string; score: number; percentile: number }[]) {
    epssByCve.set(row.cve, { cve: row.cve, score: row.score, percentile: row.percentile });
  }
  const vectorsByCve = new Map<string, string[]>();
  for (const row of (nvd?.results ?? []) as {
    cve: string;
    cvss3_vector: string | null;
    cvss4_vector: string | null;
  }[]) {
    vectorsByCve.set(
      row.cve,
      [row.cvss3_vector, row.cvss4_vector].filter((v): v is string => v !== null),
    );
  }

  for (const row of (advisories?.results ?? []) as AdvisoryRow[]) {
    const cves = parseArray<string>(row.cves);
    const vectors = new Set<string>();
    for (const severity of parseArray<{ type?: unknown; score?: unknown }>(row.severity)) {
      if (typeof severity.score === 'string') vectors.add(severity.score);
    }
    let kevFact: KevFact | null = null;
    let epssFact: EpssFact | null = null;
    let ransomwareKnown = false;
    for (const cve of cves) {
      const listed = kevByCve.get(cve);
      if (listed) {
        ransomwareKnown ||= listed.ransomware.toLowerCase() === 'known';
        if (!kevFact || listed.dateAdded < kevFact.dateAdded) kevFact = listed;
      }
      const scored = epssByCve.get(cve);
      if (scored && (!epssFact || scored.percentile > epssFact.percentile)) epssFact = scored;
      for (const vector of vectorsByCve.get(cve) ?? []) vectors.add(vector);
    }
    if (kevFact && ransomwareKnown) kevFact = { ...kevFact, ransomware: 'Known' };
    const cvss = [...vectors].map(readCvss).filter((r): r is CvssReading => r !== undefined);
    const threats = parseArray<{ category?: unknown; details?: unknown }>(row.threats).filter(
      (t): t is { category: string; details: string } =>
        typeof t.category === 'string' && typeof t.details === 'string',
    );
    facts.set(row.pk, {
      pk: row.pk,
      id: row.id,
      cves,
      kev: kevFact,
      epss: epssFact,
      cvss,
      vendorExploitation: vendorExploitation(threats),
    });
  }
  return facts;
}
