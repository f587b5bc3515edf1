/** Deployments as the API answers them, from their rows. */
import type {
  Deployment,
  DeploymentHosts,
  DeploymentTarget,
  JobStatus,
  JobStep,
} from '@patchboard/shared/schemas/deployment';
import type { DeploymentRow, ItemRow, JobRow, RingRow } from '../db/deployments';
import type { Opening } from './windows';

type Gate = { passed: boolean; succeeded: number; total: number; reasons: string[] };

export interface RingExtras {
  /** Hosts the deployment has items for, per ring name. */
  readonly hostsByRing: ReadonlyMap<string, number>;
  /** Next opening per ring position. */
  readonly nextOpenings: ReadonlyMap<number, Opening | null>;
  /** Advisory ids the deployment closes. */
  readonly advisories: readonly string[];
}

export function toDeployment(row: DeploymentRow, rings: readonly RingRow[], extras: RingExtras): Deployment {
  return {
    id: row.id,
    title: row.title,
    status: row.status,
    target: JSON.parse(row.target) as DeploymentTarget,
    hosts: JSON.parse(row.hosts) as DeploymentHosts,
    rings: rings.map((r) => {
      const opening = extras.nextOpenings.get(r.position) ?? null;
      return {
        position: r.position,
        ring: r.ring,
        status: r.status,
        windows: JSON.parse(r.window_ids) as number[],
        soakMinutes: r.soak_minutes,
        successThreshold: r.success_threshold,
        healthChecks: JSON.parse(r.health_checks) as string[],
        hosts: extras.hostsByRing.get(r.ring) ?? 0,
        nextOpening: opening ? { start: opening.start.toISOString(), end: opening.end.toISOString() } : null,
        startedAt: r.started_at,
        installedAt: r.installed_at,
        soakUntil: r.soak_until,
        finishedAt: r.finished_at,
        gate: r.gate ? (JSON.parse(r.gate) as Gate) : null,
      };
    }),
    advisories: [...extras.advisories],
    createdBy: row.created_by,
    createdAt: row.created_at,
    submittedAt: row.submitted_at,
    approvedBy: row.approved_by,
    approvedAt: row.approved_at,
    decisionNote: row.decision_note,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    haltReason: row.halt_reason,
  };
}

export function toItem(item: ItemRow) {
  return {
    hostname: item.hostname,
    ring: item.ring,
    package: item.package,
    targetVersion: item.target_version,
    kb: item.kb,
    advisories: JSON.parse(item.advisory_ids) as string[],
  };
}

export function toJobSummary(job: JobRow) {
  return {
    id: job.id,
    hostname: job.hostname,
    kind: job.kind,
    status: job.status as JobStatus,
    step: job.step as JobStep,
    packageManager: job.package_manager,
    rebootRequired: job.reboot_required === null ? null : job.reboot_required === 1,
    result: job.result,
    claims: job.claims,
    startedAt: job.started_at,
    finishedAt: job.finished_at,
  };
}
