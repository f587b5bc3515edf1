import { routes } from '@patchboard/shared/api';
import { DEFAULT_OPENINGS } from '@patchboard/shared/schemas/window';
import { mergeOpenings, upcomingOpenings } from '@patchboard/shared/windows/openings';
import { formatLocal } from '@patchboard/shared/windows/zone';
import type { Hono } from 'hono';
import { findHost } from '../db/hosts';
import {
  deleteWindowStatements,
  findWindow,
  findWindowByName,
  insertWindowStatements,
  listWindows,
  toMaintenanceWindow,
  updateWindowStatements,
  valuesOf,
  type WindowRow,
  type WindowValues,
  windowReferences,
  windowSpec,
  windowsForHost,
} from '../db/windows';
import { ApiError, notFound } from '../http/errors';
import { type AppEnv, auditActor, mount } from '../http/routing';

/** Openings merged for GET /v1/hosts/{hostname}/windows. */
const HOST_OPENINGS = 10;

const conflict = (message: string) => new ApiError(409, 'conflict', message);

async function existing(db: D1Database, tenantId: string, id: number): Promise<WindowRow> {
  const row = await findWindow(db, tenantId, id);
  if (!row) throw notFound(`maintenance window #${id}`);
  return row;
}

/** 409 when another window of the tenant has the name. */
async function assertNameFree(db: D1Database, tenantId: string, name: string, self?: number): Promise<void> {
  const other = await findWindowByName(db, tenantId, name);
  if (other && other.id !== self) {
    throw conflict(`a maintenance window named "${name}" exists already (#${other.id}); choose another name`);
  }
}

export function mountWindows(app: Hono<AppEnv>): void {
  mount(app, routes.listWindows, async (c, { principal, now }) => {
    const rows = await listWindows(c.env.DB, principal.tenantId);
    return { items: rows.map((row) => toMaintenanceWindow(row, now)) };
  });

  mount(app, routes.createWindow, async (c, { body, principal, now }) => {
    const db = c.env.DB;
    await assertNameFree(db, principal.tenantId, body.name);
    const [inserted] = await db.batch<WindowRow>(insertWindowStatements(db, auditActor(principal, now), body));
    const row = inserted?.results[0];
    if (!row) throw new Error('the inserted window was not returned');
    return toMaintenanceWindow(row, now);
  });

  mount(app, routes.getWindow, async (c, { params, principal, now }) =>
    toMaintenanceWindow(await existing(c.env.DB, principal.tenantId, params.id), now),
  );

  mount(app, routes.updateWindow, async (c, { params, body, principal, now }) => {
    const db = c.env.DB;
    const before = await existing(db, principal.tenantId, params.id);
    const current = valuesOf(before);
    const after: WindowValues = {
      name: body.name ?? current.name,
      rule: body.rule ?? current.rule,
      timeZone: body.timeZone ?? current.timeZone,
      blackouts: body.blackouts ?? current.blackouts,
      appliesTo: body.appliesTo ?? current.appliesTo,
    };
    if (after.name !== before.name) await assertNameFree(db, principal.tenantId, after.name, before.id);
    const [updated] = await db.batch<WindowRow>(updateWindowStatements(db, auditActor(principal, now), before, after));
    const row = updated?.results[0];
    // Deleted between our read and our write.
    if (!row) throw notFound(`maintenance window #${params.id}`);
    return toMaintenanceWindow(row, now);
  });

  mount(app, routes.deleteWindow, async (c, { params, principal, now }) => {
    const db = c.env.DB;
    const row = await existing(db, principal.tenantId, params.id);
    const [deleted] = await db.batch(deleteWindowStatements(db, auditActor(principal, now), row));
    if ((deleted?.meta.changes ?? 0) > 0) return undefined;
    const uses = await windowReferences(db, principal.tenantId, row.id);
    const named = [
      ...(uses.deployments.length > 0 ? [`deployments ${uses.deployments.map((id) => `#${id}`).join(', ')}`] : []),
      ...(uses.defaultPlan ? ['the default ring plan'] : []),
    ];
    if (named.length === 0) throw notFound(`maintenance window #${row.id}`);
    throw conflict(
      `maintenance window #${row.id} ("${row.name}") is named by ${named.join(' and ')}; remove it from them (or let the deployments end) first`,
    );
  });

  mount(app, routes.listWindowOpenings, async (c, { params, query, principal, now }) => {
    const row = await existing(c.env.DB, principal.tenantId, params.id);
    const spec = windowSpec(row);
    const list = spec ? upcomingOpenings(spec, query.from ?? now, query.count ?? DEFAULT_OPENINGS) : [];
    return {
      id: row.id,
      name: row.name,
      rule: row.rule,
      timeZone: row.time_zone,
      items: list.map((o) => ({
        start: o.start.toISOString(),
        end: o.end.toISOString(),
        localStart: formatLocal(row.time_zone, o.start),
        localEnd: formatLocal(row.time_zone, o.end),
      })),
    };
  });

  mount(app, routes.getHostWindows, async (c, { params, principal, now }) => {
    const db = c.env.DB;
    const host = await findHost(db, principal.tenantId, params.hostname);
    if (!host) throw notFound(`host "${params.hostname}"`);
    const rows = await windowsForHost(db, principal.tenantId, host.id);
    const merged = mergeOpenings(
      rows.map((row) => {
        const spec = windowSpec(row);
        return { window: row, openings: spec ? upcomingOpenings(spec, now, HOST_OPENINGS) : [] };
      }),
      HOST_OPENINGS,
    );
    return {
      hostname: host.hostname,
      ring: host.ring,
      tags: JSON.parse(host.tags) as string[],
      windows: rows.map((row) => toMaintenanceWindow(row, now)),
      nextOpenings: merged.map((o) => ({
        start: o.start.toISOString(),
        end: o.end.toISOString(),
        windowId: o.window.id,
        windowName: o.window.name,
      })),
    };
  });
}
