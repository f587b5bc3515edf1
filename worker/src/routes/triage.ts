import { routes } from '@patchboard/shared/api';
import type { EventKind } from '@patchboard/shared/schemas/event';
import type { Policy } from '@patchboard/shared/schemas/policy';
import type { Hono } from 'hono';
import type * as v from 'valibot';
import { AUDIT_COLUMNS, auditStatement } from '../db/audit';
import { decodeCursor, encodeCursor } from '../http/cursor';
import { type AppEnv, auditActor, mount } from '../http/routing';
import { triage } from '../triage/pass';
import { DEFAULT_POLICY, describePolicy, loadPolicy, type StoredPolicy } from '../triage/policy';

const EVENTS_PAGE_SIZE = 100;

function policyDocument(stored: StoredPolicy) {
  return { ...stored, description: describePolicy(stored.policy) };
}

interface EventRow {
  id: number;
  at: string;
  kind: v.InferOutput<typeof EventKind>;
  subject: string;
  summary: string;
  payload: string;
}

export function mountTriage(app: Hono<AppEnv>): void {
  mount(app, routes.getPolicy, async (c, { principal }) =>
    policyDocument(await loadPolicy(c.env.DB, principal.tenantId)),
  );

  mount(app, routes.putPolicy, async (c, { body, principal, now }) => {
    const actor = auditActor(principal, now);
    await c.env.DB.batch([
      // The before-image is read inside the transaction, so of two admins writing at once the
      // second entry names the first one's policy as what it replaced.
      c.env.DB.prepare(
        `INSERT INTO ${AUDIT_COLUMNS}
         SELECT ?1, ?2, ?3, ?4, 'policy.update', 'policy', json_object(
           'before', json(coalesce((SELECT policy FROM tenant_policies WHERE tenant_id = ?1), '"default"')),
           'after', json(?5))`,
      ).bind(actor.tenantId, actor.at, actor.actor, actor.actorRole, JSON.stringify(body)),
      c.env.DB.prepare(
        `INSERT INTO tenant_policies (tenant_id, policy, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (tenant_id) DO UPDATE SET policy = excluded.policy, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      ).bind(principal.tenantId, JSON.stringify(body), actor.at, actor.actor),
    ]);
    await triage(c.env.DB, { kind: 'tenant', tenantId: principal.tenantId }, now);
    return policyDocument(await loadPolicy(c.env.DB, principal.tenantId));
  });

  mount(app, routes.deletePolicy, async (c, { principal, now }) => {
    const actor = auditActor(principal, now);
    const before = await loadPolicy(c.env.DB, principal.tenantId);
    if (before.custom) {
      await c.env.DB.batch([
        c.env.DB.prepare('DELETE FROM tenant_policies WHERE tenant_id = ?1').bind(principal.tenantId),
        auditStatement(
          c.env.DB,
          { ...actor, action: 'policy.reset', target: 'policy', summary: { before: before.policy satisfies Policy } },
          { onlyIfChanged: true },
        ),
      ]);
      await triage(c.env.DB, { kind: 'tenant', tenantId: principal.tenantId }, now);
    }
    return policyDocument({ policy: DEFAULT_POLICY, custom: false, updatedAt: null, updatedBy: null });
  });

  mount(app, routes.listEvents, async (c, { query, principal }) => {
    const limit = query.limit ?? EVENTS_PAGE_SIZE;
    if (query.since === 'now') {
      const last = await c.env.DB.prepare('SELECT max(id) AS id FROM events WHERE tenant_id = ?1')
        .bind(principal.tenantId)
        .first<{ id: number | null }>();
      return { items: [], cursor: encodeCursor([last?.id ?? 0]), more: false };
    }
    const [since] = decodeCursor(query.since, ['number']) ?? [0];
    const { results } = await c.env.DB.prepare(
      `SELECT id, at, kind, subject, summary, payload FROM events WHERE tenant_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3`,
    )
      .bind(principal.tenantId, since, limit + 1)
      .all<EventRow>();
    const page = results.slice(0, limit);
    const until = page.at(-1)?.id ?? since;
    // The answer to a cursor changes only when events arrive after it: its ETag is the range it covers.
    const etag = `"ev-${since}-${until}"`;
    if (c.req.header('if-none-match') === etag) return new Response(null, { status: 304, headers: { etag } });
    c.header('etag', etag);
    c.header('cache-control', 'private, no-cache');
    return {
      items: page.map((row) => ({
        kind: row.kind,
        at: row.at,
        subject: row.subject,
        summary: row.summary,
        payload: JSON.parse(row.payload) as Record<string, unknown>,
      })),
      cursor: encodeCursor([until]),
      more: results.length > limit,
    };
  });
}
