/** How the overlay writes numbers, dates and statuses: the same everywhere, and the same in every locale. */
import type { DeploymentStatus } from '@patchboard/shared/schemas/deployment';

/** The default plan's rings first, in its order; any other ring after them, by name. */
const RING_ORDER = ['test', 'pilot', 'prod'];

/** The production ring of the default plan, which "M in production" counts. */
export const PRODUCTION_RING = 'prod';

export function orderedRings(byRing: Readonly<Record<string, number>>): [string, number][] {
  const rank = (ring: string) => {
    const index = RING_ORDER.indexOf(ring);
    return index === -1 ? RING_ORDER.length : index;
  };
  return Object.entries(byRing).sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

/** `2024-04-16` of a date or an ISO timestamp (as given when it is neither). */
export function formatDate(value: string): string {
  const match = /^\d{4}-\d{2}-\d{2}/.exec(value);
  return match ? match[0] : value;
}

/** `2024-07-02 22:00 UTC`: timestamps in UTC, so an admin reads the same time as the dashboard. */
export function formatDateTime(value: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A share (0-1) as a percentage with one decimal: 0.97112 -> `97.1%`. */
export function formatShare(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

const STATUS_TEXT: Readonly<Record<DeploymentStatus, string>> = {
  draft: 'draft',
  awaiting_approval: 'awaiting approval',
  approved: 'approved',
  running: 'running',
  completed: 'completed',
  halted: 'halted',
  rolled_back: 'rolled back',
  rejected: 'rejected',
  cancelled: 'cancelled',
};

export function deploymentStatusText(status: string): string {
  return STATUS_TEXT[status as DeploymentStatus] ?? status.replaceAll('_', ' ');
}

/** A dashboard route as `patchboard:open` takes it, or null when the id has characters the route refuses. */
export function findingsRoute(id: string): string | null {
  const route = `#/findings?advisory=${id}`;
  return /^#\/[A-Za-z0-9/?&=._:-]*$/.test(route) ? route : null;
}

export function hostRoute(hostname: string): string | null {
  const route = `#/hosts/${hostname}`;
  return /^#\/[A-Za-z0-9/?&=._:-]*$/.test(route) ? route : null;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
