/**
 * Creating a deployment and the transitions people make (submit, approve, reject, cancel), each one
 * guarded batch with its audit entry; what time and agents move is in advance.ts.
 */

import type { DeploymentHosts, DeploymentTarget, Plan } from '@patchboard/shared/schemas/deployment';
import type { TenantPrincipal } from '../auth/principal';
import { AUDIT_COLUMNS } from '../db/audit';
import {
  claimTransitionStatement,
  type DeploymentRow,
  findDeployment,
  GUARD,
  transitionToken,
} from '../db/deployments';
import { EVENT_COLUMNS } from '../db/events';
import { ApiError, badRequest, forbidden, notFound } from '../http/errors';
import { advance, guardedAudit, type Mover, releaseFindingsStatement } from './advance';
import { type PlannedItem, resolveTarget } from './items';
import { PRODUCTION_RING } from './plan';
import { checkInstallable, packageManagerFor } from './steps';

const conflict = (message: string) => new ApiError(409, 'conflict', message);

/** How many names an error lists before it says "and N more". */
const LISTED = 10;

function listed(names: readonly string[]): string {
  const head = names.slice(0, LISTED).join(', ');
  return names.length > LISTED ? `${head} and ${names.length - LISTED} more` : head;
}

export interface NewDeployment {
  readonly title: string | undefined;
  readonly target: DeploymentTarget;
  readonly hosts: DeploymentHosts;
  readonly plan: Plan;
  readonly submit: boolean;
}

/** Why the items cannot be deployed with this plan, or null: every problem at once, each naming its hosts. */
async function planProblems(db: D1Database, tenantId: string, items: readonly PlannedItem[], plan: Plan) {
  const problems: string[] = [];
  const rings = new Set(plan.map((r) => r.ring));
  const outside = [...new Set(items.filter((i) => !rings.has(i.ring)).map((i) => `${i.hostname} (${i.ring})`))];
  if (outside.length > 0) problems.push(`hosts in rings the plan lacks: ${listed(outside)}`);
  const unmanaged = [
    ...new Set(items.filter((i) => !packageManagerFor(i.osFamily)).map((i) => `${i.hostname} (${i.osFamily})`)),
  ];
  if (unmanaged.length > 0)
    problems.push(`hosts whose OS has no package manager Patchboard drives: ${listed(unmanaged)}`);
  const noKb = [...new Set(items.filter((i) => i.osFamily === 'windows' && !i.kb).map((i) => i.hostname))];
  if (noKb.length > 0) problems.push(`Windows hosts whose fix names no KB to install: ${listed(noKb)}`);
  for (const item of items) {
    const unsafe = checkInstallable(item);
    if (unsafe) problems.push(`${item.hostname}: ${unsafe}`);
    if (problems.length > LISTED) break;
  }
  const windowIds = [...new Set(plan.flatMap((r) => r.windows))];
  if (windowIds.length > 0) {
    const { results } = await db
      .prepare('SELECT id FROM maintenance_windows WHERE tenant_id = ?1 AND id IN (SELECT value FROM json_each(?2))')
      .bind(tenantId, JSON.stringify(windowIds))
      .all<{ id: number }>();
    const known = new Set(results.map((r) => r.id));
    const missing = windowIds.filter((id) => !known.has(id));
    if (missing.length > 0) problems.push(`unknown maintenance windows: ${missing.join(', ')}`);
  }
  return problems;
}

function describeTarget(target: DeploymentTarget, advisories: readonly string[]): string {
  if (target.kind === 'packages') return target.packages.map((p) => `${p.name} ${p.version}`).join(', ');
  return advisories.length > 0 ? advisories.join(', ') : `${target.ids.length} findings`;
}

function approvalEvent(
  db: D1Database,
  row: Pick<DeploymentRow, 'id' | 'tenant_id'>,
  token: string,
  at: string,
  title: string,
) {
  return db
    .prepare(
      `INSERT INTO ${EVENT_COLUMNS} SELECT ?3, ?4, 'approval.waiting', 'deployment:' || CAST(?1 AS INTEGER), ?5, ?6, ?7 WHERE ${GUARD}
       ON CONFLICT (tenant_id, dedupe_key) DO NOTHING`,
    )
    .bind(
      row.id,
      token,
      row.tenant_id,
      at,
      `Deployment #${row.id} waits for approval: ${title}`,
      JSON.stringify({ deployment: row.id }),
      `approval.waiting:deployment:${row.id}:${token}`,
    );
}

/** Creates the deployment with its rings and items (and submits it if asked); returns its id. */
export async function createDeployment(
  db: D1Database,
  principal: TenantPrincipal,
  request: NewDeployment,
  now: Date,
): Promise<number> {
  const tenantId = principal.tenantId;
  const resolved = await resolveTarget(db, tenantId, request.target, request.hosts);
  if (resolved.unknown.length > 0) {
    throw badRequest(`the target names what this tenant does not have: ${listed(resolved.unknown)}`);
  }
  if (resolved.items.length === 0) {
    throw badRequest(
      'nothing to deploy: no selected host has an unresolved finding (or an older version) of the target',
    );
  }
  const problems = await planProblems(db, tenantId, resolved.items, request.plan);
  if (problems.length > 0) throw badRequest(`cannot deploy: ${problems.join('; ')}`);

  const at = now.toISOString();
  const title = request.title ?? `Patch ${describeTarget(request.target, resolved.advisories)}`.slice(0, 200);
  const newest = '(SELECT max(id) FROM deployments WHERE tenant_id = ?1)';
  const statements: D1PreparedStatement[] = [
    db
      .prepare(
        `INSERT INTO deployments (tenant_id, title, status, target, hosts, created_by, created_at, submitted_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?7) RETURNING id`,
      )
      .bind(
        tenantId,
        title,
        request.submit ? 'awaiting_approval' : 'draft',
        JSON.stringify(request.target),
        JSON.stringify(request.hosts),
        principal.prefix,
        at,
        request.submit ? at : null,
      ),
    db
      .prepare(
        `INSERT INTO deployment_rings (deployment_id, position, ring, window_ids, soak_minutes, success_threshold, health_checks)
         SELECT ${newest}, j.key, j.value ->> 'ring', json(j.value -> 'windows'), j.value ->> 'soakMinutes',
                j.value ->> 'successThreshold', json(j.value -> 'healthChecks')
         FROM json_each(?2) j`,
      )
      .bind(tenantId, JSON.stringify(request.plan)),
    db
      .prepare(
        `INSERT INTO deployment_items (deployment_id, host_id, package, target_version, kb, advisory_ids, finding_ids)
         SELECT ${newest}, j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3, json(j.value -> 4), json(j.value -> 5)
         FROM json_each(?2) j`,
      )
      .bind(
        tenantId,
        JSON.stringify(
          resolved.items.map((i) => [i.hostId, i.package, i.targetVersion, i.kb, i.advisories, i.findings]),
        ),
      ),
    db
      .prepare(
        `INSERT INTO ${AUDIT_COLUMNS} SELECT ?1, ?2, ?3, ?4, 'deployment.create', 'deployment:' || ${newest}, ?5`,
      )
      .bind(
        tenantId,
        at,
        principal.prefix,
        principal.role,
        JSON.stringify({
          title,
          target: request.target,
          hosts: new Set(resolved.items.map((i) => i.hostId)).size,
          items: resolved.items.length,
          plan: request.plan.map((r) => r.ring),
          submitted: request.submit,
        }),
      ),
  ];
  if (request.submit) {
    statements.push(
      db
        .prepare(
          `INSERT INTO ${EVENT_COLUMNS} SELECT ?1, ?2, 'approval.waiting', 'deployment:' || ${newest},
             'Deployment #' || ${newest} || ' waits for approval: ' || ?3, json_object('deployment', ${newest}),
             'approval.waiting:deployment:' || ${newest} || ':created'`,
        )
        .bind(tenantId, at, title),
    );
  }
  const [inserted] = await db.batch<{ id: number }>(statements);
  const id = inserted?.results[0]?.id;
  if (id === undefined) throw new Error('the inserted deployment was not returned');
  return id;
}

export type Action = 'submit' | 'approve' | 'reject' | 'cancel';

const FROM: Record<Action, readonly DeploymentRow['status'][]> = {
  submit: ['draft'],
  approve: ['awaiting_approval'],
  reject: ['awaiting_approval'],
  cancel: ['draft', 'awaiting_approval', 'approved', 'running'],
};

/**
 * A person's decision on a deployment. Two approvers acting at once: both read the same version,
 * one claims it, and the other's batch changes nothing and answers 409.
 */
export async function decideDeployment(
  db: D1Database,
  principal: TenantPrincipal,
  id: number,
  action: Action,
  note: string | null,
  now: Date,
): Promise<void> {
  const row = await findDeployment(db, principal.tenantId, id);
  if (!row) throw notFound(`deployment #${id}`);
  if (!FROM[action].includes(row.status)) {
    throw conflict(
      `deployment #${id} is ${row.status.replace('_', ' ')}; it can be ${action === 'cancel' ? 'cancelled' : `${action}d`} only when ${FROM[action].join(' or ').replace('_', ' ')}`,
    );
  }
  if (action === 'approve' && row.created_by === principal.prefix) {
    const { results } = await db
      .prepare('SELECT ring FROM deployment_rings WHERE deployment_id = ?1 AND ring = ?2')
      .bind(id, PRODUCTION_RING)
      .all();
    // Four eyes on production. Identities are tokens (see the same rule on risk exceptions).
    if (results.length > 0) {
      throw forbidden(
        `deployment #${id} was created with this token (${principal.prefix}) and reaches the ${PRODUCTION_RING} ring; another approver must approve it`,
      );
    }
  }
  const at = now.toISOString();
  const token = transitionToken();
  const mover: Mover = { actor: principal.prefix, actorRole: principal.role };
  const audit = (summary: Record<string, unknown>) =>
    guardedAudit(db, row, token, at, mover, `deployment.${action}`, { from: row.status, ...summary });
  let set: Record<string, string | number | null>;
  const statements: D1PreparedStatement[] = [];
  switch (action) {
    case 'submit':
      set = { status: 'awaiting_approval', submitted_at: at };
      statements.push(approvalEvent(db, row, token, at, row.title), audit({}));
      break;
    case 'approve':
      set = { status: 'approved', approved_by: principal.prefix, approved_at: at, decision_note: note };
      statements.push(
        // The findings it will fix are scheduled from now on (reopened if it ends without fixing them).
        db
          .prepare(
            `UPDATE findings SET status = 'scheduled'
             WHERE tenant_id = ?3 AND status = 'open' AND ${GUARD}
               AND id IN (SELECT value FROM deployment_items i, json_each(i.finding_ids) WHERE i.deployment_id = ?1)`,
          )
          .bind(row.id, token, row.tenant_id),
        audit({ note }),
      );
      break;
    case 'reject':
      set = { status: 'rejected', decision_note: note, ended_at: at };
      statements.push(audit({ note }));
      break;
    case 'cancel':
      set = { status: 'cancelled', ended_at: at, halt_reason: note ? `cancelled: ${note}` : 'cancelled' };
      statements.push(
        db
          .prepare(
            `UPDATE jobs SET status = 'cancelled', step = 'done', result = 'the deployment was cancelled', finished_at = ?3, updated_at = ?3
             WHERE deployment_id = ?1 AND status = 'queued' AND ${GUARD}`,
          )
          .bind(row.id, token, at),
        db
          .prepare(
            `UPDATE deployment_rings SET status = 'cancelled' WHERE deployment_id = ?1 AND status IN ('pending', 'running', 'soaking', 'checking') AND ${GUARD}`,
          )
          .bind(row.id, token),
        releaseFindingsStatement(db, row, token),
        audit({ note }),
      );
      break;
  }
  const [claimed] = await db.batch([claimTransitionStatement(db, row, token, at, set), ...statements]);
  if (!claimed?.results.length) {
    throw conflict(`deployment #${id} changed while this request was deciding; read it again`);
  }
  if (action === 'approve') await advance(db, principal.tenantId, id, now, mover);
}
