import type { Hono } from 'hono';
import type { AppEnv } from '../http/routing';

/** The windows routes (see shared/src/api/windows.ts). */
export function mountWindows(app: Hono<AppEnv>): void {
  void app;
}
