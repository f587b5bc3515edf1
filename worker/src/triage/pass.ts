/**
 * The triage pass: after anything that changes a finding's inputs, it applies risk exceptions and
 * gives every unresolved finding in scope its priority, due date, SSVC decision and explanation.
 *
 * A decision depends only on the advisory, the tenant's policy and three host attributes
 * (criticality, internet exposure, ring), so it is computed once per distinct combination in JS
 * (where the CVSS library and the policy live) and written to every finding that shares it by one
 * SQL statement per chunk, which rewrites only the findings whose values change. A finding that
 * becomes P1, or whose advisory becomes KEV-listed, is announced to the toolbar in the same
 * transaction as the change (one event per tenant and advisory), so an event is never lost and,
 * since the next pass finds the values already set, never repeated.
 *
 * Triage is derived state and is not audited finding by finding: what triggered it (a software
 * report, an import, a policy change) is in the audit log, and each finding carries its reason.
 */
import { chunks } from '../db/chunks';
import { EVENT_COLUMNS } from '../db/events';
import { exceptionStatements } from './exceptions';
import { loadPolicies } from './policy';
import { decidePriority } from './priority';
import { type TriageScope, triageScopeSql } from './scope';
import { loadSignals } from './signals';

/** Advisories decided per round trip; their decisions are written in chunks of DECISIONS_PER_STATEMENT. */
const ADVISORIES_PER_ROUND = 200;
const DECISIONS_PER_STATEMENT = 250;

export interface TriageOutcome {
  /** Findings whose priority, due date, reason or KEV flag changed. */
  prioritised: number;
  /** Events stored for the toolbar (new P1, newly KEV-listed). */
  events: number;
}

interface ProfileRow {
  tenant_id: string;
  advisory_pk: number;
  criticality: number;
  internet_facing: number;
  ring: string;
}

/** A decision as the statements read it from JSON: see DECISIONS. */
type DecisionRow = [
  tenantId: string,
  advisoryPk: number,
  criticality: number,
  internetFacing: number,
  ring: string,
  priority: number,
  reason: string,
  ssvc: string,
  slaSeconds: number,
  kevDue: string | null,
  kev: number,
];

const DECISIONS = `d AS (
  SELECT value ->> 0 AS tenant_id, value ->> 1 AS pk, value ->> 2 AS crit, value ->> 3 AS inet, value ->> 4 AS ring,
         value ->> 5 AS priority, value ->> 6 AS reason, value ->> 7 AS ssvc, value ->> 8 AS sla_seconds,
         value ->> 9 AS kev_due, value ->> 10 AS kev
  FROM json_each(?1))`;

/** The findings a decision applies to, and the host attributes it was made for. */
const APPLIES = `f.advisory_pk = d.pk AND f.tenant_id = d.tenant_id AND h.id = f.host_id
  AND h.criticality = d.crit AND h.internet_facing = d.inet AND h.ring = d.ring`;

/** Due: the SLA from first seen (or reopened), capped by the KEV due date (end of that day, UTC). */
const DUE = `min(coalesce(d.kev_due, '9999'),
  strftime('%Y-%m-%dT%H:%M:%fZ', coalesce(f.reopened_at, f.first_seen_at), '+' || d.sla_seconds || ' seconds'))`;

const hostsPhrase = `count(DISTINCT f.host_id) || CASE count(DISTINCT f.host_id) WHEN 1 THEN ' host' ELSE ' hosts' END
  || CASE WHEN count(DISTINCT CASE WHEN h.ring = 'prod' THEN h.id END) > 0
          THEN ' (' || count(DISTINCT CASE WHEN h.ring = 'prod' THEN h.id END) || ' in prod)' ELSE '' END`;
const cvesPhrase = `coalesce(' (' || (SELECT group_concat(value, ', ') FROM json_each(a.cves)) || ')', '')`;
const eventPayload = `json_object('advisory', a.id, 'cves', json(a.cves), 'priority', min(d.priority),
  'hosts', count(DISTINCT f.host_id), 'prodHosts', count(DISTINCT CASE WHEN h.ring = 'prod' THEN h.id END),
  'hostnames', json_group_array(DISTINCT h.hostname ORDER BY h.hostname), 'reason', d.reason)`;

function eventStatement(
  db: D1Database,
  kind: 'finding.kev' | 'finding.p1',
  condition: string,
  summary: string,
  scope: { where: string; binds: readonly (string | number | null)[] },
  decisions: string,
  at: string,
): D1PreparedStatement {
  return db
    .prepare(
      `WITH ${DECISIONS}
       INSERT INTO ${EVENT_COLUMNS}
       SELECT f.tenant_id, ?2, '${kind}', 'advisory:' || a.id, ${summary}, ${eventPayload},
              '${kind}:' || a.id || ':' || min(f.id)
       FROM d JOIN findings f ON f.advisory_pk = d.pk AND f.tenant_id = d.tenant_id
         JOIN hosts h ON ${APPLIES} JOIN advisories a ON a.pk = f.advisory_pk
       WHERE f.status IN ('open', 'scheduled') AND ${condition} AND ${scope.where}
       GROUP BY f.tenant_id, f.advisory_pk
       ON CONFLICT (tenant_id, dedupe_key) DO NOTHING`,
    )
    .bind(decisions, at, ...scope.binds);
}

function writeStatements(
  db: D1Database,
  scope: { where: string; binds: readonly (string | number | null)[] },
  decisions: string,
  at: string,
): D1PreparedStatement[] {
  return [
    // Events read the values before the update, so they come first in the same transaction.
    eventStatement(
      db,
      'finding.kev',
      'f.kev = 0 AND d.kev = 1',
      `'On CISA KEV: ' || a.id || ${cvesPhrase} || ' affects ' || ${hostsPhrase}`,
      scope,
      decisions,
      at,
    ),
    eventStatement(
      db,
      'finding.p1',
      'f.priority IS NOT 1 AND d.priority = 1 AND NOT (f.kev = 0 AND d.kev = 1)',
      `'P1: ' || a.id || ${cvesPhrase} || ' on ' || ${hostsPhrase}`,
      scope,
      decisions,
      at,
    ),
    db
      .prepare(
        `WITH ${DECISIONS}
         UPDATE findings AS f SET priority = d.priority, priority_reason = d.reason, ssvc = d.ssvc, kev = d.kev,
           due_at = ${DUE}, ring = d.ring
         FROM d, hosts h
         WHERE ${APPLIES} AND f.status <> 'resolved' AND ${scope.where}
           AND (f.priority IS NOT d.priority OR f.priority_reason IS NOT d.reason OR f.ssvc IS NOT d.ssvc
                OR f.kev IS NOT d.kev OR f.ring IS NOT d.ring OR f.due_at IS NOT ${DUE})`,
      )
      .bind(decisions, at, ...scope.binds),
  ];
}

/** Runs the pass over a scope; safe to repeat and to run concurrently (it converges, events are deduplicated). */
export async function triage(db: D1Database, scope: TriageScope, now: Date): Promise<TriageOutcome> {
  const at = now.toISOString();
  const outcome: TriageOutcome = { prioritised: 0, events: 0 };
  const exceptions = exceptionStatements(db, triageScopeSql(scope, 2), at);
  if (exceptions.length > 0) await db.batch(exceptions);

  const first = triageScopeSql(scope, 1);
  const { results: advisoryRows } = await db
    .prepare(`SELECT DISTINCT f.advisory_pk FROM findings f WHERE f.status <> 'resolved' AND ${first.where}`)
    .bind(...first.binds)
    .all<{ advisory_pk: number }>();

  for (const pks of chunks(
    advisoryRows.map((r) => r.advisory_pk),
    ADVISORIES_PER_ROUND,
  )) {
    const scoped = triageScopeSql(scope, 2);
    const { results: profiles } = await db
      .prepare(
        `SELECT DISTINCT f.tenant_id, f.advisory_pk, h.criticality, h.internet_facing, h.ring
         FROM findings f JOIN hosts h ON h.id = f.host_id
         WHERE f.advisory_pk IN (SELECT value FROM json_each(?1)) AND f.status <> 'resolved' AND ${scoped.where}`,
      )
      .bind(JSON.stringify(pks), ...scoped.binds)
      .all<ProfileRow>();
    const signals = await loadSignals(db, pks);
    const policies = await loadPolicies(db, [...new Set(profiles.map((p) => p.tenant_id))]);

    const decisions: DecisionRow[] = [];
    for (const profile of profiles) {
      const facts = signals.get(profile.advisory_pk);
      const policy = policies.get(profile.tenant_id);
      if (!facts || !policy) continue;
      const decision = decidePriority(
        facts,
        { criticality: profile.criticality, internetFacing: profile.internet_facing === 1, ring: profile.ring },
        policy,
      );
      decisions.push([
        profile.tenant_id,
        profile.advisory_pk,
        profile.criticality,
        profile.internet_facing,
        profile.ring,
        decision.priority,
        decision.reason,
        decision.ssvc,
        Math.round(decision.slaDays * 86_400),
        decision.kevDueDate ? `${decision.kevDueDate}T23:59:59.999Z` : null,
        decision.kev ? 1 : 0,
      ]);
    }
    for (const chunk of chunks(decisions, DECISIONS_PER_STATEMENT)) {
      const write = triageScopeSql(scope, 3);
      const results = await db.batch(writeStatements(db, write, JSON.stringify(chunk), at));
      outcome.events += (results[0]?.meta.changes ?? 0) + (results[1]?.meta.changes ?? 0);
      outcome.prioritised += results[2]?.meta.changes ?? 0;
    }
  }
  return outcome;
}
