/**
 * Deployments in D1: their rows, rings, items and jobs, and the guarded change that every state
 * transition goes through (see `transitionStatements`).
 */
import type { DeploymentStatus, JobStatus, JobStep, RingStatus } from '@patchboard/shared/schemas/deployment';

export interface DeploymentRow {
  id: number;
  tenant_id: string;
  title: string;
  status: DeploymentStatus;
  target: string;
  hosts: string;
  created_by: string;
  created_at: string;
  submitted_at: string | null;
  approved_by: string | null;
  approved_at: string | null;
  decision_note: string | null;
  started_at: string | null;
  ended_at: string | null;
  halt_reason: string | null;
  updated_at: string;
  version: number;
  transition: string | null;
}

export interface RingRow {
  deployment_id: number;
  position: number;
  ring: string;
  window_ids: string;
  soak_minutes: number;
  success_threshold: number;
  health_checks: string;
  status: RingStatus;
  started_at: string | null;
  installed_at: string | null;
  soak_until: string | null;
  finished_at: string | null;
  gate: string | null;
}

/** An item with its host, as the deployment's detail, jobs and runbook need it. */
export interface ItemRow {
  deployment_id: number;
  host_id: number;
  hostname: string;
  ring: string;
  os_family: string;
  ecosystem: string;
  package: string;
  target_version: string | null;
  kb: string | null;
  advisory_ids: string;
  finding_ids: string;
}

export interface JobRow {
  id: number;
  tenant_id: string;
  deployment_id: number;
  position: number;
  host_id: number;
  hostname: string;
  kind: 'patch' | 'check';
  package_manager: string;
  status: JobStatus;
  step: JobStep;
  lease: string | null;
  lease_expires_at: string | null;
  claims: number;
  backup: string | null;
  reboot_required: number | null;
  result: string | null;
  created_at: string;
  started_at: string | null;
  installed_at: string | null;
  finished_at: string | null;
  updated_at: string;
}

export interface JobStepRow {
  id: number;
  job_id: number;
  step: Exclude<JobStep, 'done'>;
  commands: string;
  results: string;
  ok: number | null;
  log: string;
  started_at: string;
  reported_at: string | null;
}

const JOB_COLUMNS = `j.id, j.tenant_id, j.deployment_id, j.position, j.host_id, h.hostname, j.kind, j.package_manager, j.status,
  j.step, j.lease, j.lease_expires_at, j.claims, j.backup, j.reboot_required, j.result, j.created_at, j.started_at,
  j.installed_at, j.finished_at, j.updated_at`;

export async function findDeployment(db: D1Database, tenantId: string, id: number): Promise<DeploymentRow | null> {
  return db
    .prepare('SELECT * FROM deployments WHERE tenant_id = ?1 AND id = ?2')
    .bind(tenantId, id)
    .first<DeploymentRow>();
}

export async function listDeployments(
  db: D1Database,
  tenantId: string,
  filter: { status?: DeploymentStatus | undefined; beforeId?: number | undefined; limit: number },
): Promise<DeploymentRow[]> {
  const { results } = await db
    .prepare(
      `SELECT * FROM deployments WHERE tenant_id = ?1 AND (?2 IS NULL OR status = ?2) AND (?3 IS NULL OR id < ?3)
       ORDER BY id DESC LIMIT ?4`,
    )
    .bind(tenantId, filter.status ?? null, filter.beforeId ?? null, filter.limit)
    .all<DeploymentRow>();
  return results;
}

export async function ringsOf(db: D1Database, deploymentId: number): Promise<RingRow[]> {
  const { results } = await db
    .prepare('SELECT * FROM deployment_rings WHERE deployment_id = ?1 ORDER BY position')
    .bind(deploymentId)
    .all<RingRow>();
  return results;
}

/** Rings of many deployments at once (a list page), by deployment id. */
export async function ringsOfMany(db: D1Database, ids: readonly number[]): Promise<Map<number, RingRow[]>> {
  const byDeployment = new Map<number, RingRow[]>();
  if (ids.length === 0) return byDeployment;
  const { results } = await db
    .prepare(
      'SELECT r.* FROM json_each(?1) j JOIN deployment_rings r ON r.deployment_id = j.value ORDER BY r.deployment_id, r.position',
    )
    .bind(JSON.stringify(ids))
    .all<RingRow>();
  for (const row of results) {
    const list = byDeployment.get(row.deployment_id) ?? [];
    list.push(row);
    byDeployment.set(row.deployment_id, list);
  }
  return byDeployment;
}

export async function itemsOf(db: D1Database, deploymentId: number, hostId?: number): Promise<ItemRow[]> {
  const { results } = await db
    .prepare(
      `SELECT i.deployment_id, i.host_id, h.hostname, h.ring, h.os_family, h.ecosystem, i.package, i.target_version, i.kb,
              i.advisory_ids, i.finding_ids
       FROM deployment_items i JOIN hosts h ON h.id = i.host_id
       WHERE i.deployment_id = ?1 AND (?2 IS NULL OR i.host_id = ?2) ORDER BY h.hostname, i.package`,
    )
    .bind(deploymentId, hostId ?? null)
    .all<ItemRow>();
  return results;
}

/** Per ring position: how many hosts the deployment touches there. */
export async function hostCountsByRing(db: D1Database, deploymentId: number): Promise<Map<string, number>> {
  const { results } = await db
    .prepare(
      `SELECT h.ring, count(DISTINCT i.host_id) AS n FROM deployment_items i JOIN hosts h ON h.id = i.host_id
       WHERE i.deployment_id = ?1 GROUP BY h.ring`,
    )
    .bind(deploymentId)
    .all<{ ring: string; n: number }>();
  return new Map(results.map((r) => [r.ring, r.n]));
}

export async function jobsOf(db: D1Database, deploymentId: number): Promise<JobRow[]> {
  const { results } = await db
    .prepare(
      `SELECT ${JOB_COLUMNS} FROM jobs j JOIN hosts h ON h.id = j.host_id WHERE j.deployment_id = ?1
       ORDER BY j.position, j.kind DESC, h.hostname`,
    )
    .bind(deploymentId)
    .all<JobRow>();
  return results;
}

export async function findJob(db: D1Database, tenantId: string, hostId: number, id: number): Promise<JobRow | null> {
  return db
    .prepare(
      `SELECT ${JOB_COLUMNS} FROM jobs j JOIN hosts h ON h.id = j.host_id WHERE j.id = ?1 AND j.tenant_id = ?2 AND j.host_id = ?3`,
    )
    .bind(id, tenantId, hostId)
    .first<JobRow>();
}

export async function stepsOf(db: D1Database, jobIds: readonly number[]): Promise<JobStepRow[]> {
  if (jobIds.length === 0) return [];
  const { results } = await db
    .prepare('SELECT s.* FROM json_each(?1) j JOIN job_steps s ON s.job_id = j.value ORDER BY s.job_id, s.id')
    .bind(JSON.stringify(jobIds))
    .all<JobStepRow>();
  return results;
}

/**
 * The first statement of every state change of a deployment: it bumps the version it read and
 * writes the change's own token. Guard the change's other statements with `GUARD` (bound to the
 * deployment id as ?1 and the token as ?2) so they run only if this change won.
 */
export function claimTransitionStatement(
  db: D1Database,
  row: Pick<DeploymentRow, 'id' | 'tenant_id' | 'version'>,
  token: string,
  now: string,
  set: Readonly<Record<string, string | number | null>> = {},
): D1PreparedStatement {
  const columns = Object.keys(set);
  for (const column of columns) {
    if (!/^[a-z_]+$/.test(column)) throw new Error(`not a column: ${column}`);
  }
  const assignments = columns.map((column, i) => `, ${column} = ?${i + 6}`).join('');
  return db
    .prepare(
      `UPDATE deployments SET version = version + 1, transition = ?4, updated_at = ?5${assignments}
       WHERE id = ?1 AND tenant_id = ?2 AND version = ?3 RETURNING id`,
    )
    .bind(row.id, row.tenant_id, row.version, token, now, ...columns.map((c) => set[c] ?? null));
}

/** `WHERE` clause that holds only while the deployment ?1 carries the change's token ?2. */
export const GUARD = 'EXISTS (SELECT 1 FROM deployments WHERE id = ?1 AND transition = ?2)';

/** A random token for one state change. */
export function transitionToken(): string {
  return crypto.randomUUID();
}
