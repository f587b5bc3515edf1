import { routes } from '@patchboard/shared/api';
import type { Hono } from 'hono';
import { listFindings, toFinding } from '../db/findings';
import { findHost } from '../db/hosts';
import { DEFAULT_PAGE_SIZE, decodeCursor, pageOf } from '../http/cursor';
import { type AppEnv, mount } from '../http/routing';

export function mountFindings(app: Hono<AppEnv>): void {
  mount(app, routes.listFindings, async (c, { query, principal, now }) => {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const [beforeId] = decodeCursor(query.cursor, ['number']) ?? [];
    let hostId: number | undefined;
    if (query.host !== undefined) {
      const host = await findHost(c.env.DB, principal.tenantId, query.host);
      // An unknown (or another tenant's) host simply has no findings here.
      if (!host) return { items: [], nextCursor: null };
      hostId = host.id;
    }
    const rows = await listFindings(c.env.DB, principal.tenantId, {
      ...query,
      hostId,
      beforeId,
      limit: limit + 1,
      now,
    });
    return pageOf(
      rows,
      limit,
      (row) => toFinding(row, now),
      (row) => [row.id],
    );
  });
}
