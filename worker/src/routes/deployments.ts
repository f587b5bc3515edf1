import type { Hono } from 'hono';
import type { AppEnv } from '../http/routing';

/** The deployments routes (see shared/src/api/deployments.ts). */
export function mountDeployments(app: Hono<AppEnv>): void {
  void app;
}
