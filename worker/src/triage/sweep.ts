/**
 * The triage sweep: every unresolved finding of every tenant, one range of advisories at a time,
 * across as many cron runs as it takes. Requested when more CVE facts changed than can be named
 * (a daily EPSS file rescores them all); a new request restarts it from the first advisory. Each
 * run also triages findings that were never prioritised (a pass that failed after its report).
 */
import { type TriageOutcome, triage } from './pass';

const ADVISORIES_PER_STEP = 500;

export async function requestSweep(db: D1Database, now: Date): Promise<void> {
  await db
    .prepare(
      `INSERT INTO triage_sweep (id, requested_at, next_pk) VALUES (1, ?1, 0)
       ON CONFLICT (id) DO UPDATE SET requested_at = excluded.requested_at, next_pk = 0`,
    )
    .bind(now.toISOString())
    .run();
}

export interface SweepOutcome extends TriageOutcome {
  /** Whether a requested sweep is still unfinished. */
  pending: boolean;
}

export async function runSweep(db: D1Database, clock: () => Date, budgetMs: number): Promise<SweepOutcome> {
  const started = Date.now();
  const outcome: SweepOutcome = { prioritised: 0, events: 0, pending: false };
  const add = (more: TriageOutcome) => {
    outcome.prioritised += more.prioritised;
    outcome.events += more.events;
  };
  add(await triage(db, { kind: 'unprioritised' }, clock()));

  const state = await db
    .prepare('SELECT requested_at, next_pk, (SELECT max(pk) FROM advisories) AS last_pk FROM triage_sweep WHERE id = 1')
    .first<{ requested_at: string; next_pk: number; last_pk: number | null }>();
  if (!state) return outcome;
  let next = state.next_pk;
  const last = state.last_pk ?? 0;
  while (next <= last && Date.now() - started < budgetMs) {
    const to = next + ADVISORIES_PER_STEP - 1;
    add(await triage(db, { kind: 'advisoryRange', fromPk: next, toPk: to }, clock()));
    next = to + 1;
    // Progress is kept only while the request is the same one; a newer request restarts the sweep.
    await db
      .prepare('UPDATE triage_sweep SET next_pk = ?2 WHERE id = 1 AND requested_at = ?1')
      .bind(state.requested_at, next)
      .run();
  }
  if (next > last) {
    await db.prepare('DELETE FROM triage_sweep WHERE id = 1 AND requested_at = ?1').bind(state.requested_at).run();
  } else {
    outcome.pending = true;
  }
  return outcome;
}
