/**
 * What a batch of stored feed records asks of triage: the advisories it stored or withdrew (by
 * scope), the CVEs whose KEV, EPSS or NVD facts changed, or, when those are too many to name (EPSS
 * rescores every CVE daily), a sweep of every finding by the cron.
 */
import { chunks } from '../db/chunks';
import { type TriageOutcome, triage } from './pass';
import { requestSweep } from './sweep';

/** More changed CVEs than this are left to the sweep rather than triaged at once. */
export const CVES_FOR_IMMEDIATE_TRIAGE = 2_000;
const IDS_PER_PASS = 500;

export class TriageWork {
  /** Advisory ids by scope ('' global, else a tenant id). */
  readonly advisories = new Map<string, Set<string>>();
  readonly cves = new Set<string>();
  sweep = false;

  advisory(scope: string, id: string): void {
    const ids = this.advisories.get(scope) ?? new Set<string>();
    ids.add(id);
    this.advisories.set(scope, ids);
  }

  changedCves(cves: readonly string[]): void {
    if (this.sweep) return;
    for (const cve of cves) this.cves.add(cve);
    if (this.cves.size > CVES_FOR_IMMEDIATE_TRIAGE) {
      this.sweep = true;
      this.cves.clear();
    }
  }
}

export async function runTriageWork(db: D1Database, work: TriageWork, now: Date): Promise<TriageOutcome> {
  const outcome: TriageOutcome = { prioritised: 0, events: 0 };
  const add = (more: TriageOutcome) => {
    outcome.prioritised += more.prioritised;
    outcome.events += more.events;
  };
  for (const [scope, ids] of work.advisories) {
    for (const chunk of chunks([...ids], IDS_PER_PASS)) {
      add(await triage(db, { kind: 'advisories', ids: chunk, tenantId: scope || null }, now));
    }
  }
  if (work.sweep) {
    await requestSweep(db, now);
  } else {
    for (const chunk of chunks([...work.cves], IDS_PER_PASS)) add(await triage(db, { kind: 'cves', cves: chunk }, now));
  }
  return outcome;
}
