/** The contract of the agent routes (joined into `routes` by ../api.ts). */
import type { RouteContract } from '../contract';

export const agentRoutes = {} as const satisfies Record<string, RouteContract>;
