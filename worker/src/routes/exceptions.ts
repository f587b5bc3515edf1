import { routes } from '@patchboard/shared/api';
import { MAX_EXCEPTION_DAYS } from '@patchboard/shared/schemas/exception';
import type { Hono } from 'hono';
import {
  decideStatements,
  exceptedFindings,
  findException,
  listExceptions,
  type RiskExceptionRow,
  requestExceptionStatements,
  revokeStatements,
  toRiskException,
  vexRows,
} from '../db/exceptions';
import { findTenant } from '../db/tenants';
import { DEFAULT_PAGE_SIZE, decodeCursor, pageOf } from '../http/cursor';
import { ApiError, forbidden, notFound } from '../http/errors';
import { type AppContext, type AppEnv, auditActor, mount } from '../http/routing';
import { tenantExceptionStatements } from '../triage/exceptions';
import { csafVexDocument, openVexDocument } from '../triage/vex';
import { VERSION } from './meta';

/** Findings listed with one exception; GET /v1/findings?status=excepted lists them all. */
const DETAIL_FINDINGS = 100;
const DAY_MS = 86_400_000;

const conflict = (message: string) => new ApiError(409, 'conflict', message);

function expiryProblem(expiresAt: string, now: Date): string | null {
  const at = Date.parse(expiresAt);
  if (at <= now.getTime()) return `expiresAt must lie in the future (it is ${now.toISOString()} now)`;
  if (at > now.getTime() + MAX_EXCEPTION_DAYS * DAY_MS) {
    return `expiresAt is at most ${MAX_EXCEPTION_DAYS} days ahead; ask for a new exception when this one ends`;
  }
  return null;
}

/** Why a decision cannot be taken on the exception in its present state, or null if it can. */
function stateProblem(row: RiskExceptionRow, wanted: 'requested' | 'approved', now: Date): string | null {
  if (row.status !== wanted) {
    const by = row.decided_by ? ` by ${row.decided_by}` : '';
    return `exception #${row.id} is ${row.status}${by}; only a ${wanted} exception can be ${wanted === 'requested' ? 'decided' : 'revoked'}`;
  }
  if (wanted === 'requested' && row.expires_at <= now.toISOString()) {
    return `exception #${row.id} reached its expiry (${row.expires_at}) before it was decided; request a new one`;
  }
  return null;
}

async function detail(c: AppContext, tenantId: string, id: number, now: Date) {
  const row = await findException(c.env.DB, tenantId, id);
  if (!row) throw notFound(`exception #${id}`);
  const findings = await exceptedFindings(c.env.DB, tenantId, id, DETAIL_FINDINGS);
  return { ...toRiskException(row, now), findings };
}

export function mountExceptions(app: Hono<AppEnv>): void {
  mount(app, routes.createException, async (c, { body, principal, now }) => {
    const problem = expiryProblem(body.expiresAt, now);
    if (problem)
      throw new ApiError(400, 'validation_failed', `invalid body: ${problem}`, [
        { path: 'expiresAt', message: problem },
      ]);
    const [inserted] = await c.env.DB.batch<RiskExceptionRow>(
      requestExceptionStatements(c.env.DB, auditActor(principal, now), body),
    );
    const row = inserted?.results[0];
    if (!row) throw new Error('the inserted exception was not returned');
    return toRiskException(row, now);
  });

  mount(app, routes.listExceptions, async (c, { query, principal, now }) => {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const [beforeId] = decodeCursor(query.cursor, ['number']) ?? [];
    const rows = await listExceptions(c.env.DB, principal.tenantId, {
      status: query.status,
      beforeId,
      limit: limit + 1,
    });
    return pageOf(
      rows,
      limit,
      (row) => toRiskException(row, now),
      (row) => [row.id],
    );
  });

  // Before getException: Hono tries handlers in the order they were added, and {id} would take "export".
  mount(app, routes.exportExceptions, async (c, { query, principal, now }) => {
    const at = now.toISOString();
    const [tenant, rows] = await Promise.all([
      findTenant(c.env.DB, principal.tenantId),
      vexRows(c.env.DB, principal.tenantId, at),
    ]);
    if (!tenant) throw notFound('tenant');
    if (rows.findings.length === 0) {
      throw notFound('an excepted finding to state (no finding is under an approved, unexpired exception)');
    }
    const input = {
      tenant: { id: tenant.id, name: tenant.name },
      now,
      origin: new URL(c.req.url).origin,
      documentId: `urn:uuid:${crypto.randomUUID()}`,
      toolVersion: VERSION,
      ...rows,
    };
    const document = query.format === 'openvex' ? openVexDocument(input) : csafVexDocument(input);
    const filename = `patchboard-exceptions-${at.slice(0, 10)}.${query.format === 'openvex' ? 'openvex' : 'csaf'}.json`;
    c.header('content-disposition', `attachment; filename="${filename}"`);
    return document;
  });

  mount(app, routes.getException, async (c, { params, principal, now }) =>
    detail(c, principal.tenantId, params.id, now),
  );

  for (const [contract, decision] of [
    [routes.approveException, 'approved'],
    [routes.rejectException, 'rejected'],
  ] as const) {
    mount(app, contract, async (c, { params, body, principal, now }) => {
      const db = c.env.DB;
      const row = await findException(db, principal.tenantId, params.id);
      if (!row) throw notFound(`exception #${params.id}`);
      // Four eyes: whoever asked for a risk to be accepted never decides it. Identities are tokens,
      // so one person holding two tokens (say an operator's and an approver's) could still decide
      // their own request: which tokens a person holds is a policy matter for the tenant's admins.
      // The table's CHECK (decided_by <> requested_by) is the backstop of this rule.
      if (row.requested_by === principal.prefix) {
        throw forbidden(
          `exception #${row.id} was requested with this token (${principal.prefix}); another approver must decide it`,
        );
      }
      const problem = stateProblem(row, 'requested', now);
      if (problem) throw conflict(problem);
      const actor = auditActor(principal, now);
      const statements = decideStatements(db, actor, row.id, decision, body.note ?? null);
      // An approval excepts the findings it covers in the same transaction.
      if (decision === 'approved') statements.push(...tenantExceptionStatements(db, principal.tenantId, actor.at));
      const [update] = await db.batch(statements);
      if ((update?.meta.changes ?? 0) === 0) {
        // Another approver decided it (or it expired) between our read and our write.
        const current = await findException(db, principal.tenantId, row.id);
        throw conflict(
          (current && stateProblem(current, 'requested', now)) ??
            `exception #${row.id} changed meanwhile; read it again`,
        );
      }
      return detail(c, principal.tenantId, row.id, now);
    });
  }

  mount(app, routes.revokeException, async (c, { params, body, principal, now }) => {
    const db = c.env.DB;
    const row = await findException(db, principal.tenantId, params.id);
    if (!row) throw notFound(`exception #${params.id}`);
    const problem = stateProblem(row, 'approved', now);
    if (problem) throw conflict(problem);
    const actor = auditActor(principal, now);
    const [update] = await db.batch([
      ...revokeStatements(db, actor, row.id, body.note ?? null),
      ...tenantExceptionStatements(db, principal.tenantId, actor.at),
    ]);
    if ((update?.meta.changes ?? 0) === 0) {
      const current = await findException(db, principal.tenantId, row.id);
      throw conflict(
        (current && stateProblem(current, 'approved', now)) ?? `exception #${row.id} changed meanwhile; read it again`,
      );
    }
    return detail(c, principal.tenantId, row.id, now);
  });
}
