/** The contract of the windows routes (joined into `routes` by ../api.ts). */
import type { RouteContract } from '../contract';

export const windowsRoutes = {} as const satisfies Record<string, RouteContract>;
