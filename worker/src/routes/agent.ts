import type { Hono } from 'hono';
import type { AppEnv } from '../http/routing';

/** The agent routes (see shared/src/api/agent.ts). */
export function mountAgent(app: Hono<AppEnv>): void {
  void app;
}
