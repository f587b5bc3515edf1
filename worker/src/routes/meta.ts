import { routes } from '@patchboard/shared/api';
import type { Hono } from 'hono';
import packageJson from '../../../package.json';
import { buildOpenApi } from '../http/openapi';
import { type AppEnv, mount } from '../http/routing';

export const VERSION: string = packageJson.version;

let openApiDocument: Record<string, unknown> | undefined;

export function mountMeta(app: Hono<AppEnv>): void {
  mount(app, routes.health, async () => ({ ok: true as const, version: VERSION }));
  mount(app, routes.openapi, async (c) => {
    openApiDocument ??= buildOpenApi(routes, VERSION);
    return c.json(openApiDocument);
  });
}
