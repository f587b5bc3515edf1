import { routes } from '@patchboard/shared/api';
import type { Hono } from 'hono';
import { type AppEnv, mount } from '../http/routing';
import { lookupIds } from '../lookup/lookup';

/** GET for the extension's usual page of ids, POST for lists too long for a URL: one answer. */
export function mountLookup(app: Hono<AppEnv>): void {
  mount(app, routes.lookup, async (c, { query, principal }) => ({
    items: await lookupIds(c.env.DB, principal.tenantId, query.ids),
  }));
  mount(app, routes.lookupMany, async (c, { body, principal }) => ({
    items: await lookupIds(c.env.DB, principal.tenantId, body.ids),
  }));
}
