/**
 * Maintenance windows in D1: create, change, delete (each with its audit entry in the same batch),
 * list, find, and the windows that apply to a host (worker/src/deploy/window-scope.ts is the
 * same match as a pure function).
 */
import type { MaintenanceWindow, WindowScope } from '@patchboard/shared/schemas/window';
import { NEXT_OPENINGS } from '@patchboard/shared/schemas/window';
import { upcomingOpenings, type WindowSpec } from '@patchboard/shared/windows/openings';
import { parseRule } from '@patchboard/shared/windows/rule';
import { AUDIT_COLUMNS, type AuditActor, auditStatement } from './audit';

export type ScopeKind = WindowScope['kind'];

export interface WindowRow {
  id: number;
  tenant_id: string;
  name: string;
  /** Canonical rule text (shared/src/windows/rule.ts). */
  rule: string;
  time_zone: string;
  /** JSON array of local dates, sorted. */
  blackouts: string;
  scope_kind: ScopeKind;
  /** '' for kind all. */
  scope_value: string;
  created_at: string;
  updated_at: string;
}

const COLUMNS = 'id, tenant_id, name, rule, time_zone, blackouts, scope_kind, scope_value, created_at, updated_at';

/** Deployments that still may run jobs, so still read their rings' windows. */
const UNFINISHED = `('draft', 'awaiting_approval', 'approved', 'running', 'halted')`;

/** A window as the API shows it and the rule engine reads it. */
export interface WindowValues {
  readonly name: string;
  readonly rule: string;
  readonly timeZone: string;
  readonly blackouts: readonly string[];
  readonly appliesTo: WindowScope;
}

export function valuesOf(row: WindowRow): WindowValues {
  return {
    name: row.name,
    rule: row.rule,
    timeZone: row.time_zone,
    blackouts: JSON.parse(row.blackouts) as string[],
    appliesTo:
      row.scope_kind === 'all' ? { kind: 'all' } : ({ kind: row.scope_kind, value: row.scope_value } as WindowScope),
  };
}

/**
 * What openings are computed from, or null if the stored rule no longer parses (it was checked
 * when written; only a stricter grammar later could make it fail, and then the window never opens).
 */
export function windowSpec(row: Pick<WindowRow, 'rule' | 'time_zone' | 'blackouts'>): WindowSpec | null {
  const parsed = parseRule(row.rule);
  if (!parsed.ok) return null;
  return { rule: parsed.rule, timeZone: row.time_zone, blackouts: JSON.parse(row.blackouts) as string[] };
}

export function toMaintenanceWindow(row: WindowRow, now: Date): MaintenanceWindow {
  const spec = windowSpec(row);
  const values = valuesOf(row);
  return {
    id: row.id,
    name: row.name,
    rule: row.rule,
    timeZone: row.time_zone,
    blackouts: [...values.blackouts],
    appliesTo: values.appliesTo.kind === 'all' ? { kind: 'all', value: null } : values.appliesTo,
    nextOpenings: (spec ? upcomingOpenings(spec, now, NEXT_OPENINGS) : []).map((o) => ({
      start: o.start.toISOString(),
      end: o.end.toISOString(),
    })),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const scopeValue = (scope: WindowScope) => (scope.kind === 'all' ? '' : scope.value);

/** How the audit log states a window's values. */
function summaryOf(values: WindowValues) {
  return {
    name: values.name,
    rule: values.rule,
    timeZone: values.timeZone,
    blackouts: values.blackouts,
    appliesTo: values.appliesTo,
  };
}

/** Creating a window and its `window.create` entry. The first statement answers the row (RETURNING). */
export function insertWindowStatements(db: D1Database, actor: AuditActor, values: WindowValues): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `INSERT INTO maintenance_windows (tenant_id, name, rule, time_zone, blackouts, scope_kind, scope_value,
                                          created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8) RETURNING ${COLUMNS}`,
      )
      .bind(
        actor.tenantId,
        values.name,
        values.rule,
        values.timeZone,
        JSON.stringify(values.blackouts),
        values.appliesTo.kind,
        scopeValue(values.appliesTo),
        actor.at,
      ),
    // Names are unique per tenant, so the name finds the id the insert took.
    db
      .prepare(
        `INSERT INTO ${AUDIT_COLUMNS}
         SELECT ?1, ?2, ?3, ?4, 'window.create', 'window:' || id, ?6
         FROM maintenance_windows WHERE tenant_id = ?1 AND name = ?5`,
      )
      .bind(actor.tenantId, actor.at, actor.actor, actor.actorRole, values.name, JSON.stringify(summaryOf(values))),
  ];
}

/**
 * Changing a window to `after` and its `window.update` entry with the fields that changed (before
 * and after). The first statement answers the row (RETURNING).
 */
export function updateWindowStatements(
  db: D1Database,
  actor: AuditActor,
  before: WindowRow,
  after: WindowValues,
): D1PreparedStatement[] {
  const old = summaryOf(valuesOf(before));
  const next = summaryOf(after);
  const changed = (Object.keys(next) as (keyof typeof next)[]).filter(
    (key) => JSON.stringify(old[key]) !== JSON.stringify(next[key]),
  );
  return [
    db
      .prepare(
        `UPDATE maintenance_windows SET name = ?3, rule = ?4, time_zone = ?5, blackouts = ?6, scope_kind = ?7,
                scope_value = ?8, updated_at = ?9
         WHERE tenant_id = ?1 AND id = ?2 RETURNING ${COLUMNS}`,
      )
      .bind(
        actor.tenantId,
        before.id,
        after.name,
        after.rule,
        after.timeZone,
        JSON.stringify(after.blackouts),
        after.appliesTo.kind,
        scopeValue(after.appliesTo),
        actor.at,
      ),
    auditStatement(
      db,
      {
        ...actor,
        action: 'window.update',
        target: `window:${before.id}`,
        summary: {
          changed,
          before: Object.fromEntries(changed.map((key) => [key, old[key]])),
          after: Object.fromEntries(changed.map((key) => [key, next[key]])),
        },
      },
      { onlyIfChanged: true },
    ),
  ];
}

/** Names the window: an unfinished deployment's ring, or the tenant's default plan. */
const referencedSql = `(EXISTS (SELECT 1 FROM deployments d JOIN deployment_rings r ON r.deployment_id = d.id
                                WHERE d.tenant_id = ?1 AND d.status IN ${UNFINISHED}
                                  AND EXISTS (SELECT 1 FROM json_each(r.window_ids) j WHERE j.value = CAST(?2 AS INTEGER)))
   OR EXISTS (SELECT 1 FROM deployment_plans p, json_each(p.plan) ring, json_each(ring.value, '$.windows') w
              WHERE p.tenant_id = ?1 AND w.value = CAST(?2 AS INTEGER)))`;

/**
 * Deleting a window and its `window.delete` entry, unless a deployment that may still run or the
 * default plan names it (checked in the same statement, so a plan saved meanwhile cannot lose it).
 */
export function deleteWindowStatements(db: D1Database, actor: AuditActor, row: WindowRow): D1PreparedStatement[] {
  return [
    db
      .prepare(`DELETE FROM maintenance_windows WHERE tenant_id = ?1 AND id = ?2 AND NOT ${referencedSql}`)
      .bind(actor.tenantId, row.id),
    auditStatement(
      db,
      { ...actor, action: 'window.delete', target: `window:${row.id}`, summary: summaryOf(valuesOf(row)) },
      { onlyIfChanged: true },
    ),
  ];
}

/** Which unfinished deployments and whether the default plan name the window: why it cannot be deleted. */
export async function windowReferences(
  db: D1Database,
  tenantId: string,
  id: number,
): Promise<{ deployments: number[]; defaultPlan: boolean }> {
  const [deployments, plan] = await db.batch<{ id: number } | { n: number }>([
    db
      .prepare(
        `SELECT DISTINCT d.id FROM deployments d JOIN deployment_rings r ON r.deployment_id = d.id
         WHERE d.tenant_id = ?1 AND d.status IN ${UNFINISHED}
           AND EXISTS (SELECT 1 FROM json_each(r.window_ids) j WHERE j.value = CAST(?2 AS INTEGER))
         ORDER BY d.id LIMIT 20`,
      )
      .bind(tenantId, id),
    db
      .prepare(
        `SELECT count(*) AS n FROM deployment_plans p, json_each(p.plan) ring, json_each(ring.value, '$.windows') w
         WHERE p.tenant_id = ?1 AND w.value = CAST(?2 AS INTEGER)`,
      )
      .bind(tenantId, id),
  ]);
  return {
    deployments: ((deployments?.results ?? []) as { id: number }[]).map((r) => r.id),
    defaultPlan: ((plan?.results[0] as { n: number } | undefined)?.n ?? 0) > 0,
  };
}

export async function findWindow(db: D1Database, tenantId: string, id: number): Promise<WindowRow | null> {
  return db
    .prepare(`SELECT ${COLUMNS} FROM maintenance_windows WHERE tenant_id = ?1 AND id = ?2`)
    .bind(tenantId, id)
    .first<WindowRow>();
}

export async function findWindowByName(db: D1Database, tenantId: string, name: string): Promise<WindowRow | null> {
  return db
    .prepare(`SELECT ${COLUMNS} FROM maintenance_windows WHERE tenant_id = ?1 AND name = ?2`)
    .bind(tenantId, name)
    .first<WindowRow>();
}

/** The tenant's windows by name. */
export async function listWindows(db: D1Database, tenantId: string): Promise<WindowRow[]> {
  const { results } = await db
    .prepare(`SELECT ${COLUMNS} FROM maintenance_windows WHERE tenant_id = ?1 ORDER BY name, id`)
    .bind(tenantId)
    .all<WindowRow>();
  return results;
}

/**
 * The windows that apply to a host of the tenant, by name: those for all hosts, its ring, one of
 * its tags (host_tags) or its hostname. None for a host of another tenant.
 */
export async function windowsForHost(db: D1Database, tenantId: string, hostId: number): Promise<WindowRow[]> {
  const { results } = await db
    .prepare(
      `SELECT ${COLUMNS.split(', ')
        .map((c) => `w.${c}`)
        .join(', ')}
       FROM maintenance_windows w JOIN hosts h ON h.id = ?2 AND h.tenant_id = ?1
       WHERE w.tenant_id = ?1
         AND (w.scope_kind = 'all'
           OR (w.scope_kind = 'ring' AND w.scope_value = h.ring)
           OR (w.scope_kind = 'hostname' AND w.scope_value = h.hostname)
           OR (w.scope_kind = 'tag' AND EXISTS (SELECT 1 FROM host_tags t WHERE t.host_id = h.id AND t.tag = w.scope_value)))
       ORDER BY w.name, w.id`,
    )
    .bind(tenantId, hostId)
    .all<WindowRow>();
  return results;
}
