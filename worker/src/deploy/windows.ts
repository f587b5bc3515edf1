/**
 * Maintenance windows as deployments use them: a job is handed out only while one of its host's
 * windows is open (the ring's own windows when the plan names some, else the host's by ring, tag
 * or hostname), and each ring shows when its hosts can next be patched.
 */
import { nextOpening, type Opening, openingAt, type WindowSpec } from '@patchboard/shared/windows/openings';
import { parseRule } from '@patchboard/shared/windows/rule';
import type { RingRow } from '../db/deployments';
import { appliesTo, type ScopedWindow, type WindowHost } from './window-scope';

export type { Opening };

interface WindowRow {
  id: number;
  rule: string;
  time_zone: string;
  blackouts: string;
  scope_kind: 'all' | 'ring' | 'tag' | 'hostname';
  scope_value: string;
}

export interface TenantWindow extends WindowSpec, ScopedWindow {
  readonly id: number;
}

export type HostScope = WindowHost;

export async function tenantWindows(db: D1Database, tenantId: string): Promise<TenantWindow[]> {
  const { results } = await db
    .prepare(
      'SELECT id, rule, time_zone, blackouts, scope_kind, scope_value FROM maintenance_windows WHERE tenant_id = ?1 ORDER BY id',
    )
    .bind(tenantId)
    .all<WindowRow>();
  return results.flatMap((row) => {
    const parsed = parseRule(row.rule);
    // Rules are validated when stored; one that no longer parses opens nothing rather than everything.
    if (!parsed.ok) return [];
    return [
      {
        id: row.id,
        rule: parsed.rule,
        timeZone: row.time_zone,
        blackouts: JSON.parse(row.blackouts) as string[],
        scope_kind: row.scope_kind,
        scope_value: row.scope_value,
      },
    ];
  });
}

/** The windows a job of this host may run in: the plan's ring windows if it names any, else the host's own. */
export function windowsForJob(
  windows: readonly TenantWindow[],
  host: HostScope,
  planWindowIds: readonly number[],
): TenantWindow[] {
  return planWindowIds.length > 0
    ? windows.filter((w) => planWindowIds.includes(w.id))
    : windows.filter((w) => appliesTo(w, host));
}

async function hostScope(db: D1Database, tenantId: string, hostId: number): Promise<HostScope | null> {
  const row = await db
    .prepare(
      `SELECT h.hostname, h.ring, (SELECT json_group_array(tag) FROM host_tags WHERE host_id = h.id) AS tags
       FROM hosts h WHERE h.id = ?1 AND h.tenant_id = ?2`,
    )
    .bind(hostId, tenantId)
    .first<{ hostname: string; ring: string; tags: string }>();
  return row ? { hostname: row.hostname, ring: row.ring, tags: JSON.parse(row.tags) as string[] } : null;
}

/** Whether one of the host's windows for this ring is open at `now`. A host with no window is never patched. */
export async function hostInWindow(
  db: D1Database,
  tenantId: string,
  hostId: number,
  planWindowIds: readonly number[],
  now: Date,
): Promise<boolean> {
  const host = await hostScope(db, tenantId, hostId);
  if (!host) return false;
  const windows = windowsForJob(await tenantWindows(db, tenantId), host, planWindowIds);
  return windows.some((w) => openingAt(w, now) !== null);
}

/** The earliest opening (in progress or next) among windows, or null. */
export function earliestOpening(windows: readonly WindowSpec[], now: Date): Opening | null {
  let best: Opening | null = null;
  for (const window of windows) {
    const opening = nextOpening(window, now);
    if (opening && (!best || opening.start < best.start)) best = opening;
  }
  return best;
}

/**
 * For each deployment and ring position: when the ring's hosts can next be patched (the earliest
 * opening of any window that applies to one of its hosts), or null when no window applies.
 */
export async function ringOpenings(
  db: D1Database,
  tenantId: string,
  rings: ReadonlyMap<number, readonly RingRow[]>,
  now: Date,
): Promise<Map<number, Map<number, Opening | null>>> {
  const result = new Map<number, Map<number, Opening | null>>();
  if (rings.size === 0) return result;
  const windows = await tenantWindows(db, tenantId);
  const { results } = await db
    .prepare(
      `SELECT DISTINCT i.deployment_id, h.hostname, h.ring, (SELECT json_group_array(tag) FROM host_tags WHERE host_id = h.id) AS tags
       FROM json_each(?1) j JOIN deployment_items i ON i.deployment_id = j.value JOIN hosts h ON h.id = i.host_id`,
    )
    .bind(JSON.stringify([...rings.keys()]))
    .all<{ deployment_id: number; hostname: string; ring: string; tags: string }>();
  for (const [deploymentId, list] of rings) {
    const byPosition = new Map<number, Opening | null>();
    for (const ring of list) {
      const planIds = JSON.parse(ring.window_ids) as number[];
      const hosts = results
        .filter((h) => h.deployment_id === deploymentId && h.ring === ring.ring)
        .map((h) => ({ hostname: h.hostname, ring: h.ring, tags: JSON.parse(h.tags) as string[] }));
      const applying = windows.filter((w) => hosts.some((host) => windowsForJob([w], host, planIds).length > 0));
      byPosition.set(ring.position, earliestOpening(applying, now));
    }
    result.set(deploymentId, byPosition);
  }
  return result;
}
