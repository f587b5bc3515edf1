/** The contract of the deployments routes (joined into `routes` by ../api.ts). */
import type { RouteContract } from '../contract';

export const deploymentsRoutes = {} as const satisfies Record<string, RouteContract>;
