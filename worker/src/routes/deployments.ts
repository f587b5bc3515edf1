import { routes } from '@patchboard/shared/api';
import type { Hono } from 'hono';
import { auditStatement } from '../db/audit';
import {
  type DeploymentRow,
  findDeployment,
  itemsOf,
  jobsOf,
  listDeployments,
  ringsOf,
  ringsOfMany,
} from '../db/deployments';
import { takeSnapshot, UnsafeArgumentError } from '../deploy/commands';
import { createDeployment, decideDeployment } from '../deploy/lifecycle';
import { DEFAULT_PLAN, loadPlan } from '../deploy/plan';
import { runbookFor } from '../deploy/runbook-view';
import { toDeployment, toItem, toJobSummary } from '../deploy/view';
import { ringOpenings } from '../deploy/windows';
import { DEFAULT_PAGE_SIZE, decodeCursor, pageOf } from '../http/cursor';
import { ApiError, badRequest, notFound } from '../http/errors';
import { type AppEnv, auditActor, mount } from '../http/routing';

/** Per deployment: hosts per ring and the advisories it closes, read in one pass over its items. */
async function extrasOf(db: D1Database, tenantId: string, rows: readonly DeploymentRow[], now: Date) {
  const ids = rows.map((r) => r.id);
  const { results } = await db
    .prepare(
      `SELECT i.deployment_id, h.ring, count(DISTINCT i.host_id) AS hosts,
              (SELECT json_group_array(DISTINCT a.value) FROM deployment_items x, json_each(x.advisory_ids) a
               WHERE x.deployment_id = i.deployment_id) AS advisories
       FROM json_each(?1) j JOIN deployment_items i ON i.deployment_id = j.value JOIN hosts h ON h.id = i.host_id
       GROUP BY i.deployment_id, h.ring`,
    )
    .bind(JSON.stringify(ids))
    .all<{ deployment_id: number; ring: string; hosts: number; advisories: string }>();
  const rings = await ringsOfMany(db, ids);
  const openings = await ringOpenings(db, tenantId, rings, now);
  return new Map(
    rows.map((row) => {
      const mine = results.filter((r) => r.deployment_id === row.id);
      const advisories = mine[0] ? (JSON.parse(mine[0].advisories) as string[]).sort() : [];
      return [
        row.id,
        {
          rings: rings.get(row.id) ?? [],
          extras: {
            hostsByRing: new Map(mine.map((r) => [r.ring, r.hosts])),
            nextOpenings: openings.get(row.id) ?? new Map(),
            advisories,
          },
        },
      ];
    }),
  );
}

async function deploymentOf(db: D1Database, tenantId: string, id: number, now: Date) {
  const row = await findDeployment(db, tenantId, id);
  if (!row) throw notFound(`deployment #${id}`);
  const extras = (await extrasOf(db, tenantId, [row], now)).get(row.id);
  return {
    row,
    deployment: toDeployment(row, extras?.rings ?? (await ringsOf(db, id)), extras?.extras ?? emptyExtras),
  };
}

const emptyExtras = { hostsByRing: new Map(), nextOpenings: new Map(), advisories: [] };

interface HookRow {
  id: number;
  name: string;
  kind: 'lvm' | 'btrfs' | 'zfs' | 'command';
  target: string;
  scope_kind: string;
  scope_value: string;
  created_at: string;
}

function toHook(row: HookRow) {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    target: row.kind === 'command' ? (JSON.parse(row.target) as string[]) : row.target,
    appliesTo: { kind: row.scope_kind, value: row.scope_kind === 'all' ? null : row.scope_value },
    createdAt: row.created_at,
  };
}

function mountSnapshotHooks(app: Hono<AppEnv>): void {
  mount(app, routes.listSnapshotHooks, async (c, { principal }) => {
    const { results } = await c.env.DB.prepare('SELECT * FROM snapshot_hooks WHERE tenant_id = ?1 ORDER BY name')
      .bind(principal.tenantId)
      .all<HookRow>();
    return { items: results.map(toHook) };
  });

  mount(app, routes.createSnapshotHook, async (c, { body, principal, now }) => {
    const target = Array.isArray(body.target) ? JSON.stringify(body.target) : body.target;
    if (Array.isArray(body.target) !== (body.kind === 'command')) {
      throw badRequest('target is an argv (array of strings) for kind "command", and a string for lvm, btrfs and zfs');
    }
    try {
      // The commands it will generate, checked now rather than at a host's backup.
      takeSnapshot({ kind: body.kind, target }, 1);
    } catch (err) {
      if (err instanceof UnsafeArgumentError) throw badRequest(`target: ${err.message}`);
      throw err;
    }
    const scopeValue = body.appliesTo.kind === 'all' ? '' : body.appliesTo.value;
    const exists = await c.env.DB.prepare('SELECT 1 FROM snapshot_hooks WHERE tenant_id = ?1 AND name = ?2')
      .bind(principal.tenantId, body.name)
      .first();
    if (exists) throw new ApiError(409, 'conflict', `a snapshot hook named "${body.name}" exists`);
    const actor = auditActor(principal, now);
    const [inserted] = await c.env.DB.batch<HookRow>([
      c.env.DB.prepare(
        `INSERT INTO snapshot_hooks (tenant_id, name, kind, target, scope_kind, scope_value, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (tenant_id, name) DO NOTHING RETURNING *`,
      ).bind(principal.tenantId, body.name, body.kind, target, body.appliesTo.kind, scopeValue, actor.at),
      auditStatement(
        c.env.DB,
        {
          ...actor,
          action: 'snapshot_hook.create',
          target: `snapshot_hook:${body.name}`,
          summary: { kind: body.kind, target: body.target, appliesTo: body.appliesTo },
        },
        { onlyIfChanged: true },
      ),
    ]);
    const row = inserted?.results[0];
    if (!row) throw new ApiError(409, 'conflict', `a snapshot hook named "${body.name}" exists`);
    return toHook(row);
  });

  mount(app, routes.deleteSnapshotHook, async (c, { params, principal, now }) => {
    const row = await c.env.DB.prepare('SELECT * FROM snapshot_hooks WHERE tenant_id = ?1 AND id = ?2')
      .bind(principal.tenantId, params.id)
      .first<HookRow>();
    if (!row) throw notFound(`snapshot hook ${params.id}`);
    const actor = auditActor(principal, now);
    await c.env.DB.batch([
      c.env.DB.prepare('DELETE FROM snapshot_hooks WHERE tenant_id = ?1 AND id = ?2').bind(
        principal.tenantId,
        params.id,
      ),
      auditStatement(
        c.env.DB,
        { ...actor, action: 'snapshot_hook.delete', target: `snapshot_hook:${row.name}`, summary: toHook(row) },
        { onlyIfChanged: true },
      ),
    ]);
    return undefined;
  });
}

export function mountDeployments(app: Hono<AppEnv>): void {
  mountSnapshotHooks(app);
  mount(app, routes.getDeploymentPlan, async (c, { principal }) => loadPlan(c.env.DB, principal.tenantId));

  mount(app, routes.putDeploymentPlan, async (c, { body, principal, now }) => {
    const actor = auditActor(principal, now);
    const before = await loadPlan(c.env.DB, principal.tenantId);
    await c.env.DB.batch([
      c.env.DB.prepare(
        `INSERT INTO deployment_plans (tenant_id, plan, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4)
           ON CONFLICT (tenant_id) DO UPDATE SET plan = excluded.plan, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      ).bind(principal.tenantId, JSON.stringify(body.plan), actor.at, actor.actor),
      auditStatement(c.env.DB, {
        ...actor,
        action: 'deployment_plan.update',
        target: `tenant:${principal.tenantId}`,
        summary: {
          before: before.custom ? before.plan : null,
          after: body.plan,
          default: DEFAULT_PLAN === before.plan,
        },
      }),
    ]);
    return { plan: body.plan, custom: true };
  });

  mount(app, routes.createDeployment, async (c, { body, principal, now }) => {
    const plan = body.plan ?? (await loadPlan(c.env.DB, principal.tenantId)).plan;
    const id = await createDeployment(
      c.env.DB,
      principal,
      { title: body.title, target: body.target, hosts: body.hosts, plan, submit: body.submit },
      now,
    );
    return (await deploymentOf(c.env.DB, principal.tenantId, id, now)).deployment;
  });

  // Before the {id} routes, which would not match "schedule" anyway (ids are digits), but keep the order obvious.
  mount(app, routes.scheduleDeployment, async (c, { body, principal, now }) => {
    const { plan } = await loadPlan(c.env.DB, principal.tenantId);
    const id = await createDeployment(
      c.env.DB,
      principal,
      { title: body.title, target: { kind: 'advisories', ids: body.ids }, hosts: { kind: 'all' }, plan, submit: true },
      now,
    );
    return (await deploymentOf(c.env.DB, principal.tenantId, id, now)).deployment;
  });

  mount(app, routes.listDeployments, async (c, { query, principal, now }) => {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const [beforeId] = decodeCursor(query.cursor, ['number']) ?? [];
    const rows = await listDeployments(c.env.DB, principal.tenantId, {
      status: query.status,
      beforeId,
      limit: limit + 1,
    });
    const extras = await extrasOf(c.env.DB, principal.tenantId, rows.slice(0, limit), now);
    return pageOf(
      rows,
      limit,
      (row) => {
        const e = extras.get(row.id);
        return toDeployment(row, e?.rings ?? [], e?.extras ?? emptyExtras);
      },
      (row) => [row.id],
    );
  });

  mount(app, routes.getDeployment, async (c, { params, principal, now }) => {
    const { deployment } = await deploymentOf(c.env.DB, principal.tenantId, params.id, now);
    const [items, jobs] = await Promise.all([itemsOf(c.env.DB, params.id), jobsOf(c.env.DB, params.id)]);
    return { ...deployment, items: items.map(toItem), jobs: jobs.map(toJobSummary) };
  });

  mount(app, routes.getRunbook, async (c, { params, principal, now }) => {
    const markdown = await runbookFor(c.env.DB, principal.tenantId, params.id, now);
    if (markdown === null) throw notFound(`deployment #${params.id}`);
    return new Response(markdown, {
      headers: {
        'content-type': 'text/markdown; charset=utf-8',
        'content-disposition': `attachment; filename="patchboard-deployment-${params.id}-runbook.md"`,
      },
    });
  });

  for (const [contract, action] of [
    [routes.submitDeployment, 'submit'],
    [routes.approveDeployment, 'approve'],
    [routes.rejectDeployment, 'reject'],
    [routes.cancelDeployment, 'cancel'],
  ] as const) {
    mount(app, contract, async (c, { params, body, principal, now }) => {
      await decideDeployment(c.env.DB, principal, params.id, action, body.note ?? null, now);
      return (await deploymentOf(c.env.DB, principal.tenantId, params.id, now)).deployment;
    });
  }
}
