/**
 * The agent's side of a deployment: claiming a due job with a lease (each job handed out once,
 * only inside its host's maintenance window), and taking a step's report, judging it and answering
 * the next instruction (docs/agent-protocol.md).
 */
import type { Instruction, StepReport } from '@patchboard/shared/schemas/agent';
import { MAX_COMMAND_OUTPUT } from '@patchboard/shared/schemas/agent';
import type { JobStep } from '@patchboard/shared/schemas/deployment';
import type { TenantPrincipal } from '../auth/principal';
import { randomChars, sameDigest, sha256Hex } from '../auth/secrets';
import { AUDIT_COLUMNS } from '../db/audit';
import { findJob, type JobRow, type JobStepRow } from '../db/deployments';
import { ApiError, notFound } from '../http/errors';
import { advance } from './advance';
import { wireCommand } from './commands';
import { type Command, commandsForStep, type JobContext, judgeStep, type SnapshotHook } from './steps';
import { hostInWindow } from './windows';

/** A lease outlives the longest step we expect (a kernel update with its initramfs); each report renews it. */
export const LEASE_MS = 30 * 60_000;

/** At most this many of a host's due jobs are looked at per claim (they are handed out one at a time). */
const CANDIDATES = 10;

/** Logs kept per step (the agent sends the tail). */
const MAX_LOG = 64 * 1024;

const conflict = (message: string) => new ApiError(409, 'conflict', message);

interface Candidate extends JobRow {
  window_ids: string;
  health_checks: string;
  ring: string;
}

/** The job's packages, snapshot hook and health checks: what its commands are made from. */
async function contextOf(db: D1Database, job: JobRow, healthChecks: readonly string[]): Promise<JobContext> {
  const [items, hooks] = await db.batch<unknown>([
    db
      .prepare(
        `SELECT i.package, i.target_version, i.kb, i.advisory_ids FROM deployment_items i
         WHERE i.deployment_id = ?1 AND i.host_id = ?2 ORDER BY i.package`,
      )
      .bind(job.deployment_id, job.host_id),
    db
      .prepare(
        `SELECT k.kind, k.target FROM snapshot_hooks k JOIN hosts h ON h.id = ?2
         WHERE k.tenant_id = ?1 AND (k.scope_kind = 'all' OR (k.scope_kind = 'ring' AND k.scope_value = h.ring)
           OR (k.scope_kind = 'hostname' AND k.scope_value = h.hostname)
           OR (k.scope_kind = 'tag' AND EXISTS (SELECT 1 FROM host_tags t WHERE t.host_id = h.id AND t.tag = k.scope_value)))
         ORDER BY CASE k.scope_kind WHEN 'hostname' THEN 0 WHEN 'tag' THEN 1 WHEN 'ring' THEN 2 ELSE 3 END, k.id LIMIT 1`,
      )
      .bind(job.tenant_id, job.host_id),
  ]);
  const hook = ((hooks?.results ?? []) as SnapshotHook[])[0] ?? null;
  return {
    job,
    packages: (
      (items?.results ?? []) as {
        package: string;
        target_version: string | null;
        kb: string | null;
        advisory_ids: string;
      }[]
    ).map((i) => ({
      name: i.package,
      targetVersion: i.target_version,
      kb: i.kb,
      advisories: JSON.parse(i.advisory_ids) as string[],
    })),
    hook: job.kind === 'patch' ? hook : null,
    healthChecks,
    backup: job.backup ? new Map(Object.entries(JSON.parse(job.backup) as Record<string, string>)) : null,
  };
}

function issueStepStatement(
  db: D1Database,
  job: JobRow,
  token: string,
  step: Exclude<JobStep, 'done'>,
  commands: readonly Command[],
  at: string,
) {
  return db
    .prepare(
      `INSERT INTO job_steps (job_id, step, commands, started_at)
       SELECT ?1, ?3, ?4, ?5 WHERE EXISTS (SELECT 1 FROM jobs WHERE id = ?1 AND transition = ?2)`,
    )
    .bind(job.id, token, step, JSON.stringify(commands), at);
}

function jobAudit(
  db: D1Database,
  job: JobRow,
  token: string,
  at: string,
  principal: TenantPrincipal,
  action: string,
  summary: Record<string, unknown>,
) {
  return db
    .prepare(
      `INSERT INTO ${AUDIT_COLUMNS} SELECT ?3, ?4, ?5, ?6, ?7, 'job:' || CAST(?1 AS INTEGER), ?8
       WHERE EXISTS (SELECT 1 FROM jobs WHERE id = ?1 AND transition = ?2)`,
    )
    .bind(job.id, token, job.tenant_id, at, principal.prefix, principal.role, action, JSON.stringify(summary));
}

/**
 * Hands the agent's host its next due job, or null. The claim is one conditional UPDATE: of any
 * number of concurrent polls, exactly one finds the job still queued (or its lease expired) and
 * takes it; the others see it taken and go on to the next candidate or get nothing.
 */
export async function claimJob(db: D1Database, principal: TenantPrincipal, now: Date): Promise<Instruction | null> {
  if (principal.hostId === null) return null;
  const at = now.toISOString();
  const { results } = await db
    .prepare(
      `SELECT j.*, h.hostname, r.window_ids, r.health_checks, r.ring FROM jobs j
       JOIN hosts h ON h.id = j.host_id
       JOIN deployments d ON d.id = j.deployment_id
       JOIN deployment_rings r ON r.deployment_id = j.deployment_id AND r.position = j.position
       WHERE j.host_id = ?1 AND j.tenant_id = ?2
         AND (j.status = 'queued' OR (j.status = 'claimed' AND j.lease_expires_at <= ?3))
         AND d.status = 'running' AND r.status IN ('running', 'checking')
       ORDER BY j.id LIMIT ?4`,
    )
    .bind(principal.hostId, principal.tenantId, at, CANDIDATES)
    .all<Candidate>();
  for (const job of results) {
    // Never outside a window: not for a first claim, not for taking over an expired lease.
    if (!(await hostInWindow(db, principal.tenantId, job.host_id, JSON.parse(job.window_ids) as number[], now)))
      continue;
    const context = await contextOf(db, job, JSON.parse(job.health_checks) as string[]);
    const step = job.step === 'done' ? null : job.step;
    if (!step) continue;
    const commands = commandsForStep(context, step);
    const lease = randomChars(32);
    const token = crypto.randomUUID();
    const [claimed] = await db.batch([
      db
        .prepare(
          `UPDATE jobs SET status = 'claimed', lease = ?2, lease_expires_at = ?3, claims = claims + 1,
             started_at = coalesce(started_at, ?4), updated_at = ?4, transition = ?5
           WHERE id = ?1 AND (status = 'queued' OR (status = 'claimed' AND lease_expires_at <= ?4)) RETURNING id`,
        )
        .bind(job.id, await sha256Hex(lease), new Date(now.getTime() + LEASE_MS).toISOString(), at, token),
      issueStepStatement(db, job, token, step, commands, at),
      jobAudit(db, job, token, at, principal, 'job.claim', {
        deployment: job.deployment_id,
        ring: job.ring,
        kind: job.kind,
        step,
        takeover: job.status === 'claimed',
      }),
    ]);
    if (claimed?.results.length) return { job: job.id, lease, step, commands: commands.map(wireCommand) };
  }
  return null;
}

/**
 * Takes a step's report: checks the lease and the step, judges the results, moves the job to its
 * next step (or its end) in one guarded batch, and answers the next instruction. A job's end
 * advances its deployment (a ring may be done, or have failed).
 */
export async function reportStep(
  db: D1Database,
  principal: TenantPrincipal,
  jobId: number,
  report: StepReport,
  now: Date,
): Promise<Instruction> {
  if (principal.hostId === null) throw notFound(`job ${jobId}`);
  const job = await findJob(db, principal.tenantId, principal.hostId, jobId);
  if (!job) throw notFound(`job ${jobId}`);
  if (job.status !== 'claimed' || !job.lease || !sameDigest(await sha256Hex(report.lease), job.lease)) {
    throw conflict(
      `job ${jobId} is not held with this lease (it is ${job.status}); claim again with GET /v1/agent/jobs`,
    );
  }
  if (report.step !== job.step) {
    throw conflict(`job ${jobId} is at step ${job.step}, not ${report.step}`);
  }
  const issued = await db
    .prepare('SELECT * FROM job_steps WHERE job_id = ?1 AND step = ?2 AND reported_at IS NULL ORDER BY id DESC LIMIT 1')
    .bind(job.id, job.step)
    .first<JobStepRow>();
  if (!issued) throw conflict(`step ${job.step} of job ${jobId} was already reported`);
  const commands = JSON.parse(issued.commands) as Command[];
  if (report.results.length > commands.length) {
    throw new ApiError(
      400,
      'validation_failed',
      `step ${job.step} has ${commands.length} commands, the report has ${report.results.length} results`,
    );
  }
  const ring = await db
    .prepare('SELECT health_checks, ring FROM deployment_rings WHERE deployment_id = ?1 AND position = ?2')
    .bind(job.deployment_id, job.position)
    .first<{ health_checks: string; ring: string }>();
  const context = await contextOf(db, job, JSON.parse(ring?.health_checks ?? '[]') as string[]);
  const results = report.results.map((r) => ({ exit: r.exit, output: r.output.slice(-MAX_COMMAND_OUTPUT) }));
  const verdict = judgeStep(context, job.step as Exclude<JobStep, 'done'>, commands, results);

  // A deployment that halted or was cancelled before anything was installed stops here.
  const deployment = await db
    .prepare('SELECT status FROM deployments WHERE id = ?1')
    .bind(job.deployment_id)
    .first<{ status: string }>();
  let next = verdict.next;
  let status = verdict.status;
  let reason = verdict.reason;
  if (deployment?.status !== 'running' && job.step === 'backup' && next === 'install') {
    next = 'done';
    status = 'cancelled';
    reason = `the deployment is ${deployment?.status ?? 'gone'}; nothing was installed`;
  }
  const nextContext: JobContext = verdict.backup
    ? { ...context, backup: new Map(Object.entries(verdict.backup)) }
    : context;
  const nextCommands = next === 'done' ? [] : commandsForStep(nextContext, next);

  const at = now.toISOString();
  const token = crypto.randomUUID();
  const ended = next === 'done';
  const statements = [
    db
      .prepare(
        `UPDATE jobs SET step = ?3, status = ?4, lease_expires_at = ?5, updated_at = ?6, transition = ?7,
           backup = coalesce(?8, backup), reboot_required = coalesce(?9, reboot_required),
           installed_at = CASE WHEN ?10 THEN ?6 ELSE installed_at END,
           finished_at = CASE WHEN ?11 THEN ?6 ELSE finished_at END, result = coalesce(?12, result),
           lease = CASE WHEN ?11 THEN NULL ELSE lease END
         WHERE id = ?1 AND step = ?2 AND status = 'claimed' AND lease = ?13 RETURNING id`,
      )
      .bind(
        job.id,
        job.step,
        next,
        ended ? status : 'claimed',
        ended ? null : new Date(now.getTime() + LEASE_MS).toISOString(),
        at,
        token,
        verdict.backup ? JSON.stringify(verdict.backup) : null,
        verdict.rebootRequired === undefined ? null : Number(verdict.rebootRequired),
        job.step === 'install' && verdict.ok ? 1 : 0,
        ended ? 1 : 0,
        reason,
        job.lease,
      ),
    db
      .prepare(
        `UPDATE job_steps SET results = ?3, ok = ?4, log = ?5, reported_at = ?6
         WHERE id = ?1 AND EXISTS (SELECT 1 FROM jobs WHERE id = ?7 AND transition = ?2)`,
      )
      .bind(issued.id, token, JSON.stringify(results), Number(verdict.ok), report.log.slice(-MAX_LOG), at, job.id),
    jobAudit(db, job, token, at, principal, ended ? 'job.finish' : 'job.step', {
      deployment: job.deployment_id,
      step: job.step,
      ok: verdict.ok,
      exits: results.map((r) => r.exit),
      ...(ended ? { result: status, reason } : { next }),
    }),
  ];
  if (next !== 'done') statements.push(issueStepStatement(db, job, token, next, nextCommands, at));
  const [updated] = await db.batch(statements);
  if (!updated?.results.length) throw conflict(`job ${jobId} changed while this report was judged; claim again`);
  if (ended)
    await advance(db, principal.tenantId, job.deployment_id, now, {
      actor: principal.prefix,
      actorRole: principal.role,
    });
  return {
    job: job.id,
    lease: report.lease,
    step: next,
    commands: nextCommands.map(wireCommand),
    ...(ended ? { result: status as 'succeeded' | 'failed' | 'rolled_back' | 'cancelled', reason: reason ?? '' } : {}),
  };
}
