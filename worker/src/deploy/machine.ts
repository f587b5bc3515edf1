/**
 * The deployment state machine, as pure decisions over a snapshot of its state:
 *
 *   draft -> awaiting_approval -> approved -> running -> completed
 *                 |                              |-> halted (a ring failed its gate)
 *                 '-> rejected        (any not ended) -> cancelled
 *
 * and, while running, each ring in plan order: pending -> running (jobs in the hosts' windows) ->
 * soaking (all installed; wait the soak time) -> checking (health checks again, if the ring has
 * any) -> passed, or failed. Only a passed ring lets the next one start. worker/src/deploy/advance.ts
 * applies the decisions; keeping them pure lets tests walk every path with an injected clock.
 */
import type { DeploymentStatus, RingStatus } from '@patchboard/shared/schemas/deployment';

export interface JobCounts {
  readonly total: number;
  /** Not ended yet: queued or claimed. */
  readonly pending: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly rolledBack: number;
  readonly cancelled: number;
}

export interface RingState {
  readonly position: number;
  readonly ring: string;
  readonly status: RingStatus;
  readonly soakMinutes: number;
  readonly successThreshold: number;
  readonly healthChecks: readonly string[];
  readonly soakUntil: string | null;
  /** Hosts the deployment has items for in this ring. */
  readonly hosts: number;
  readonly patch: JobCounts;
  readonly check: JobCounts;
}

export interface DeploymentState {
  readonly status: DeploymentStatus;
  readonly rings: readonly RingState[];
}

export type Decision =
  | { readonly kind: 'start' }
  | { readonly kind: 'start-ring'; readonly position: number }
  | { readonly kind: 'skip-ring'; readonly position: number }
  | { readonly kind: 'installed'; readonly position: number; readonly soakUntil: string }
  | { readonly kind: 'start-checks'; readonly position: number }
  | { readonly kind: 'gate'; readonly position: number }
  | { readonly kind: 'fail-ring'; readonly position: number; readonly reasons: readonly string[] }
  | { readonly kind: 'complete' };

const ENDED_RINGS: ReadonlySet<RingStatus> = new Set(['passed', 'skipped']);

/** True once the share of hosts that can still succeed is below the ring's threshold. */
function cannotReachThreshold(ring: RingState): boolean {
  const lost = ring.patch.failed + ring.patch.rolledBack + ring.patch.cancelled;
  return ring.patch.total > 0 && (ring.patch.total - lost) / ring.patch.total < ring.successThreshold;
}

function failureReasons(ring: RingState): string[] {
  const { total, failed, rolledBack, cancelled } = ring.patch;
  const reasons = [
    `${total - failed - rolledBack - cancelled} of ${total} installs succeeded, below the threshold of ${Math.round(ring.successThreshold * 100)} %`,
  ];
  if (rolledBack > 0) reasons.push(`${rolledBack} host(s) failed verification and were rolled back`);
  if (failed > 0) reasons.push(`${failed} job(s) failed`);
  return reasons;
}

/** The next thing to do for a deployment at `now`, or null when it must wait (for agents, windows or time). */
export function decide(state: DeploymentState, now: Date): Decision | null {
  if (state.status === 'approved') return { kind: 'start' };
  if (state.status !== 'running') return null;
  const ring = state.rings.find((r) => !ENDED_RINGS.has(r.status));
  if (!ring) return { kind: 'complete' };
  switch (ring.status) {
    case 'pending':
      return ring.hosts === 0
        ? { kind: 'skip-ring', position: ring.position }
        : { kind: 'start-ring', position: ring.position };
    case 'running':
      if (cannotReachThreshold(ring))
        return { kind: 'fail-ring', position: ring.position, reasons: failureReasons(ring) };
      if (ring.patch.pending > 0) return null;
      return {
        kind: 'installed',
        position: ring.position,
        soakUntil: new Date(now.getTime() + ring.soakMinutes * 60_000).toISOString(),
      };
    case 'soaking':
      if (ring.soakUntil !== null && now.toISOString() < ring.soakUntil) return null;
      return ring.healthChecks.length > 0 && ring.patch.succeeded > 0
        ? { kind: 'start-checks', position: ring.position }
        : { kind: 'gate', position: ring.position };
    case 'checking':
      return ring.check.pending > 0 ? null : { kind: 'gate', position: ring.position };
    default:
      // failed or cancelled: the deployment has already ended.
      return null;
  }
}

/** The evidence a ring's gate decides on, gathered after its soak (and its health checks). */
export interface GateEvidence {
  readonly successThreshold: number;
  readonly patch: JobCounts;
  readonly check: JobCounts;
  /** Hosts whose install succeeded but whose latest software report does not show every fixed version. */
  readonly notShowingFix: readonly string[];
  /** Hosts whose health checks failed after the soak. */
  readonly unhealthy: readonly string[];
}

export interface GateResult {
  readonly passed: boolean;
  readonly succeeded: number;
  readonly total: number;
  readonly reasons: readonly string[];
}

/**
 * A ring passes when enough installs succeeded, every health check stayed green through the soak,
 * and a software report after the install shows the fixed version on each host that succeeded —
 * the agent's word alone is not evidence.
 */
export function judgeGate(evidence: GateEvidence): GateResult {
  const { patch } = evidence;
  const reasons: string[] = [];
  const share = patch.total === 0 ? 1 : patch.succeeded / patch.total;
  if (share < evidence.successThreshold) {
    reasons.push(
      `${patch.succeeded} of ${patch.total} installs succeeded, below the threshold of ${Math.round(evidence.successThreshold * 100)} %`,
    );
  }
  if (evidence.unhealthy.length > 0) {
    reasons.push(`health checks failed after the soak on ${evidence.unhealthy.join(', ')}`);
  }
  if (evidence.notShowingFix.length > 0) {
    reasons.push(
      `no software report showing the fixed versions since the install from ${evidence.notShowingFix.join(', ')}`,
    );
  }
  return { passed: reasons.length === 0, succeeded: patch.succeeded, total: patch.total, reasons };
}
