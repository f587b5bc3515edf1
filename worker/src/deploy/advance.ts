/**
 * Moves a deployment forward: reads its state, asks machine.ts what to do, and applies it in one
 * guarded batch (with its audit entries and events), again until nothing more can happen now.
 * Called after every change that can unblock a deployment (an approval, a job's end, a software
 * report) and by the cron for what only time unblocks (soak times, windows).
 */
import { compare, isInvalid } from '@patchboard/shared/versions/index';
import { AUDIT_COLUMNS } from '../db/audit';
import {
  claimTransitionStatement,
  type DeploymentRow,
  findDeployment,
  GUARD,
  type RingRow,
  transitionToken,
} from '../db/deployments';
import { EVENT_COLUMNS } from '../db/events';
import { type Decision, type DeploymentState, decide, type GateResult, type JobCounts, judgeGate } from './machine';
import { packageManagerFor } from './steps';

/** Who moves it: a person (approval), an agent (its job ended) or the scheduler. */
export interface Mover {
  readonly actor: string;
  readonly actorRole: string;
}

export const SCHEDULER: Mover = { actor: 'scheduler', actorRole: 'system' };

/** More steps than any plan can need in one go (10 rings x 4 transitions): a bug, not a wait. */
const MAX_STEPS = 50;

const NO_JOBS: JobCounts = { total: 0, pending: 0, succeeded: 0, failed: 0, rolledBack: 0, cancelled: 0 };

interface CountRow {
  position: number;
  kind: 'patch' | 'check';
  total: number;
  pending: number;
  succeeded: number;
  failed: number;
  rolled_back: number;
  cancelled: number;
}

export async function loadState(
  db: D1Database,
  row: DeploymentRow,
): Promise<{ state: DeploymentState; rings: RingRow[] }> {
  const [rings, counts, hosts] = await db.batch<unknown>([
    db.prepare('SELECT * FROM deployment_rings WHERE deployment_id = ?1 ORDER BY position').bind(row.id),
    db
      .prepare(
        `SELECT position, kind, count(*) AS total, sum(status IN ('queued', 'claimed')) AS pending,
                sum(status = 'succeeded') AS succeeded, sum(status = 'failed') AS failed,
                sum(status = 'rolled_back') AS rolled_back, sum(status = 'cancelled') AS cancelled
         FROM jobs WHERE deployment_id = ?1 GROUP BY position, kind`,
      )
      .bind(row.id),
    db
      .prepare(
        `SELECT h.ring, count(DISTINCT i.host_id) AS n FROM deployment_items i JOIN hosts h ON h.id = i.host_id
         WHERE i.deployment_id = ?1 GROUP BY h.ring`,
      )
      .bind(row.id),
  ]);
  const ringRows = (rings?.results ?? []) as RingRow[];
  const countRows = (counts?.results ?? []) as CountRow[];
  const hostsByRing = new Map(((hosts?.results ?? []) as { ring: string; n: number }[]).map((r) => [r.ring, r.n]));
  const countsOf = (position: number, kind: 'patch' | 'check'): JobCounts => {
    const c = countRows.find((r) => r.position === position && r.kind === kind);
    return c
      ? {
          total: c.total,
          pending: c.pending,
          succeeded: c.succeeded,
          failed: c.failed,
          rolledBack: c.rolled_back,
          cancelled: c.cancelled,
        }
      : NO_JOBS;
  };
  return {
    rings: ringRows,
    state: {
      status: row.status,
      rings: ringRows.map((r) => ({
        position: r.position,
        ring: r.ring,
        status: r.status,
        soakMinutes: r.soak_minutes,
        successThreshold: r.success_threshold,
        healthChecks: JSON.parse(r.health_checks) as string[],
        soakUntil: r.soak_until,
        hosts: hostsByRing.get(r.ring) ?? 0,
        patch: countsOf(r.position, 'patch'),
        check: countsOf(r.position, 'check'),
      })),
    },
  };
}

/** An audit entry written only if the change holding `token` won. */
export function guardedAudit(
  db: D1Database,
  row: Pick<DeploymentRow, 'id' | 'tenant_id'>,
  token: string,
  at: string,
  mover: Mover,
  action: string,
  summary: Readonly<Record<string, unknown>>,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO ${AUDIT_COLUMNS} SELECT ?3, ?4, ?5, ?6, ?7, 'deployment:' || CAST(?1 AS INTEGER), ?8 WHERE ${GUARD}`,
    )
    .bind(row.id, token, row.tenant_id, at, mover.actor, mover.actorRole, action, JSON.stringify(summary));
}

/** Findings this deployment scheduled go back to open when it ends without fixing them (unless another running deployment holds them). */
export function releaseFindingsStatement(
  db: D1Database,
  row: Pick<DeploymentRow, 'id' | 'tenant_id'>,
  token: string,
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE findings SET status = 'open'
       WHERE tenant_id = ?3 AND status = 'scheduled' AND ${GUARD}
         AND id IN (SELECT value FROM deployment_items i, json_each(i.finding_ids) WHERE i.deployment_id = ?1)
         AND id NOT IN (SELECT value FROM deployments d JOIN deployment_items i ON i.deployment_id = d.id, json_each(i.finding_ids)
                        WHERE d.tenant_id = ?3 AND d.id <> ?1 AND d.status IN ('approved', 'running'))`,
    )
    .bind(row.id, token, row.tenant_id);
}

/** Hosts of a ring and their package manager: the jobs a ring starts with. */
async function ringJobs(
  db: D1Database,
  row: DeploymentRow,
  ring: RingRow,
): Promise<{ hostId: number; manager: string }[]> {
  const { results } = await db
    .prepare(
      `SELECT DISTINCT i.host_id, h.os_family, h.os_release FROM deployment_items i JOIN hosts h ON h.id = i.host_id
       WHERE i.deployment_id = ?1 AND h.ring = ?2 ORDER BY h.hostname`,
    )
    .bind(row.id, ring.ring)
    .all<{ host_id: number; os_family: string; os_release: string }>();
  return results.flatMap((r) => {
    const manager = packageManagerFor(r.os_family, r.os_release);
    return manager ? [{ hostId: r.host_id, manager }] : [];
  });
}

function insertJobsStatement(
  db: D1Database,
  row: DeploymentRow,
  token: string,
  position: number,
  kind: 'patch' | 'check',
  jobs: readonly { hostId: number; manager: string }[],
  at: string,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO jobs (tenant_id, deployment_id, position, host_id, kind, package_manager, status, step, created_at, updated_at)
       SELECT ?3, ?1, ?4, j.value ->> 0, ?5, j.value ->> 1, 'queued', ?6, ?7, ?7 FROM json_each(?8) j WHERE ${GUARD}
       ON CONFLICT (deployment_id, position, host_id, kind) DO NOTHING`,
    )
    .bind(
      row.id,
      token,
      row.tenant_id,
      position,
      kind,
      kind === 'patch' ? 'backup' : 'verify',
      at,
      JSON.stringify(jobs.map((j) => [j.hostId, j.manager])),
    );
}

/**
 * What the gate of a ring sees: for each host whose install succeeded, whether its latest software
 * report (after the install) shows every item at its fixed version or later (a KB: installed); the
 * hosts whose post-soak health check failed.
 */
async function gateEvidence(db: D1Database, row: DeploymentRow, ring: RingRow, state: DeploymentState) {
  const [items, checks] = await db.batch<unknown>([
    db
      .prepare(
        `SELECT h.hostname, h.ecosystem, h.last_seen_at, j.installed_at, i.package, i.target_version, i.kb,
                (SELECT json_group_array(p.version) FROM installed_packages p
                 WHERE p.host_id = h.id AND p.ecosystem = h.ecosystem AND p.name = i.package) AS installed,
                (SELECT count(*) FROM installed_hotfixes x WHERE x.host_id = h.id AND x.kb = i.kb) AS has_kb
         FROM jobs j JOIN hosts h ON h.id = j.host_id
         JOIN deployment_items i ON i.deployment_id = j.deployment_id AND i.host_id = j.host_id
         WHERE j.deployment_id = ?1 AND j.position = ?2 AND j.kind = 'patch' AND j.status = 'succeeded'`,
      )
      .bind(row.id, ring.position),
    db
      .prepare(
        `SELECT h.hostname FROM jobs j JOIN hosts h ON h.id = j.host_id
         WHERE j.deployment_id = ?1 AND j.position = ?2 AND j.kind = 'check' AND j.status <> 'succeeded' ORDER BY h.hostname`,
      )
      .bind(row.id, ring.position),
  ]);
  const notShowingFix = new Set<string>();
  for (const item of (items?.results ?? []) as {
    hostname: string;
    ecosystem: string;
    last_seen_at: string | null;
    installed_at: string | null;
    package: string;
    target_version: string | null;
    kb: string | null;
    installed: string;
    has_kb: number;
  }[]) {
    const fresh = item.last_seen_at !== null && item.installed_at !== null && item.last_seen_at >= item.installed_at;
    let shows: boolean;
    if (item.kb) shows = item.has_kb > 0;
    else {
      const versions = JSON.parse(item.installed) as string[];
      shows =
        versions.length > 0 &&
        versions.every((v) => {
          if (item.target_version === null) return true;
          const order = compare(item.ecosystem, v, item.target_version);
          return !isInvalid(order) && order >= 0;
        });
    }
    if (!fresh || !shows) notShowingFix.add(item.hostname);
  }
  const ringState = state.rings.find((r) => r.position === ring.position);
  return {
    successThreshold: ring.success_threshold,
    patch: ringState?.patch ?? NO_JOBS,
    check: ringState?.check ?? NO_JOBS,
    notShowingFix: [...notShowingFix].sort(),
    unhealthy: ((checks?.results ?? []) as { hostname: string }[]).map((c) => c.hostname),
  };
}

function ringFailedEvent(
  db: D1Database,
  row: DeploymentRow,
  token: string,
  ring: RingRow,
  reasons: readonly string[],
  at: string,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO ${EVENT_COLUMNS} SELECT ?3, ?4, 'ring.failed', 'deployment:' || CAST(?1 AS INTEGER), ?5, ?6, ?7 WHERE ${GUARD}
       ON CONFLICT (tenant_id, dedupe_key) DO NOTHING`,
    )
    .bind(
      row.id,
      token,
      row.tenant_id,
      at,
      `Ring ${ring.ring} of deployment #${row.id} (${row.title}) failed: ${reasons[0] ?? 'gate failed'}; the deployment is halted`,
      JSON.stringify({ deployment: row.id, ring: ring.ring, reasons }),
      `ring.failed:${row.id}:${ring.position}`,
    );
}

/** The statements of one decision (after the transition claim), guarded by its token. */
async function statementsFor(
  db: D1Database,
  row: DeploymentRow,
  rings: readonly RingRow[],
  state: DeploymentState,
  decision: Decision,
  token: string,
  at: string,
  mover: Mover,
): Promise<{ set: Record<string, string | number | null>; statements: D1PreparedStatement[] }> {
  const ringAt = (position: number) => {
    const ring = rings.find((r) => r.position === position);
    if (!ring) throw new Error(`deployment ${row.id} has no ring at ${position}`);
    return ring;
  };
  const setRing = (position: number, sql: string, ...values: (string | number | null)[]) =>
    db
      .prepare(`UPDATE deployment_rings SET ${sql} WHERE deployment_id = ?1 AND position = ?3 AND ${GUARD}`)
      .bind(row.id, token, position, ...values);
  const audit = (action: string, summary: Record<string, unknown>) =>
    guardedAudit(db, row, token, at, mover, action, summary);

  switch (decision.kind) {
    case 'start':
      return { set: { status: 'running', started_at: at }, statements: [audit('deployment.start', {})] };
    case 'skip-ring': {
      const ring = ringAt(decision.position);
      return {
        set: {},
        statements: [
          setRing(decision.position, "status = 'skipped', finished_at = ?4", at),
          audit('ring.skip', { ring: ring.ring, reason: 'no host of the deployment is in this ring' }),
        ],
      };
    }
    case 'start-ring': {
      const ring = ringAt(decision.position);
      const jobs = await ringJobs(db, row, ring);
      return {
        set: {},
        statements: [
          setRing(decision.position, "status = 'running', started_at = ?4", at),
          insertJobsStatement(db, row, token, decision.position, 'patch', jobs, at),
          audit('ring.start', { ring: ring.ring, jobs: jobs.length }),
        ],
      };
    }
    case 'installed': {
      const ring = ringAt(decision.position);
      return {
        set: {},
        statements: [
          setRing(decision.position, "status = 'soaking', installed_at = ?4, soak_until = ?5", at, decision.soakUntil),
          audit('ring.soak', { ring: ring.ring, soakUntil: decision.soakUntil }),
        ],
      };
    }
    case 'start-checks': {
      const ring = ringAt(decision.position);
      const { results } = await db
        .prepare(
          `SELECT host_id, package_manager FROM jobs
           WHERE deployment_id = ?1 AND position = ?2 AND kind = 'patch' AND status = 'succeeded'`,
        )
        .bind(row.id, decision.position)
        .all<{ host_id: number; package_manager: string }>();
      const jobs = results.map((r) => ({ hostId: r.host_id, manager: r.package_manager }));
      return {
        set: {},
        statements: [
          setRing(decision.position, "status = 'checking'"),
          insertJobsStatement(db, row, token, decision.position, 'check', jobs, at),
          audit('ring.check', { ring: ring.ring, hosts: jobs.length }),
        ],
      };
    }
    case 'gate': {
      const ring = ringAt(decision.position);
      const result = judgeGate(await gateEvidence(db, row, ring, state));
      return result.passed ? passRing(ring, result) : failRing(ring, result.reasons, result);
    }
    case 'fail-ring': {
      const ring = ringAt(decision.position);
      const total = state.rings.find((r) => r.position === decision.position)?.patch;
      return failRing(ring, decision.reasons, {
        passed: false,
        succeeded: total?.succeeded ?? 0,
        total: total?.total ?? 0,
        reasons: decision.reasons,
      });
    }
    case 'complete':
      return {
        set: { status: 'completed', ended_at: at },
        statements: [releaseFindingsStatement(db, row, token), audit('deployment.complete', {})],
      };
  }

  function passRing(ring: RingRow, gate: GateResult) {
    return {
      set: {},
      statements: [
        setRing(ring.position, "status = 'passed', finished_at = ?4, gate = ?5", at, JSON.stringify(gate)),
        audit('ring.pass', { ring: ring.ring, gate }),
      ],
    };
  }

  function failRing(ring: RingRow, reasons: readonly string[], gate: GateResult) {
    const reason = `ring ${ring.ring} failed its gate: ${reasons.join('; ')}`;
    return {
      set: { status: 'halted', ended_at: at, halt_reason: reason },
      statements: [
        setRing(ring.position, "status = 'failed', finished_at = ?4, gate = ?5", at, JSON.stringify(gate)),
        db
          .prepare(
            `UPDATE deployment_rings SET status = 'cancelled' WHERE deployment_id = ?1 AND position > ?3 AND status = 'pending' AND ${GUARD}`,
          )
          .bind(row.id, token, ring.position),
        // Jobs not yet handed out never run; those running finish their step (verify or roll back).
        db
          .prepare(
            `UPDATE jobs SET status = 'cancelled', step = 'done', result = 'the deployment halted', finished_at = ?3, updated_at = ?3
             WHERE deployment_id = ?1 AND status = 'queued' AND ${GUARD}`,
          )
          .bind(row.id, token, at),
        releaseFindingsStatement(db, row, token),
        ringFailedEvent(db, row, token, ring, reasons, at),
        audit('ring.fail', { ring: ring.ring, gate }),
        audit('deployment.halt', { reason }),
      ],
    };
  }
}

/**
 * Advances the deployment as far as it can go at `now`; returns how many steps it took. Safe to
 * call from concurrent requests: a step that lost the race to another changes nothing, and the
 * loop reads the winner's state before deciding again.
 */
export async function advance(
  db: D1Database,
  tenantId: string,
  deploymentId: number,
  now: Date,
  mover: Mover = SCHEDULER,
): Promise<number> {
  const at = now.toISOString();
  for (let steps = 0; steps < MAX_STEPS; steps++) {
    const row = await findDeployment(db, tenantId, deploymentId);
    if (!row) return steps;
    const { state, rings } = await loadState(db, row);
    const decision = decide(state, now);
    if (!decision) return steps;
    const token = transitionToken();
    const { set, statements } = await statementsFor(db, row, rings, state, decision, token, at, mover);
    await db.batch([claimTransitionStatement(db, row, token, at, set), ...statements]);
  }
  throw new Error(`deployment ${deploymentId} did not settle after ${MAX_STEPS} steps`);
}

/** The cron's part: every deployment that is approved or running, of every tenant. */
export async function advanceAll(db: D1Database, now: Date): Promise<number> {
  const { results } = await db
    .prepare("SELECT id, tenant_id FROM deployments WHERE status IN ('approved', 'running') ORDER BY id")
    .all<{ id: number; tenant_id: string }>();
  let steps = 0;
  for (const { id, tenant_id } of results) steps += await advance(db, tenant_id, id, now);
  return steps;
}
