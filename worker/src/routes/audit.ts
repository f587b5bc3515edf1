import { routes } from '@patchboard/shared/api';
import type { Hono } from 'hono';
import { listAudit } from '../db/audit';
import { DEFAULT_PAGE_SIZE, decodeCursor, pageOf } from '../http/cursor';
import { type AppEnv, mount, scopeOf } from '../http/routing';

export function mountAudit(app: Hono<AppEnv>): void {
  mount(app, routes.listAudit, async (c, { query, principal }) => {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const [beforeId] = decodeCursor(query.cursor, ['number']) ?? [];
    const rows = await listAudit(c.env.DB, scopeOf(principal), { ...query, beforeId, limit: limit + 1 });
    return pageOf(
      rows,
      limit,
      (row) => ({
        id: row.id,
        at: row.at,
        actor: row.actor,
        actorRole: row.actor_role,
        action: row.action,
        target: row.target,
        summary: JSON.parse(row.summary) as Record<string, unknown>,
      }),
      (row) => [row.id],
    );
  });
}
