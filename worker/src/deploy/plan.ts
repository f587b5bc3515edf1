/**
 * The ring plan a deployment walks when it names none: the tenant's own (PUT /v1/deployment-plan)
 * or the built-in one below.
 */
import type { Plan } from '@patchboard/shared/schemas/deployment';

/**
 * Built-in: a day in test, two in pilot, then prod. Test must succeed everywhere (a handful of
 * machines kept for this); pilot tolerates one failure in twenty (the odd host that was off), prod
 * one in ten before the deployment halts.
 */
export const DEFAULT_PLAN: Plan = [
  { ring: 'test', windows: [], soakMinutes: 24 * 60, successThreshold: 1, healthChecks: [] },
  { ring: 'pilot', windows: [], soakMinutes: 48 * 60, successThreshold: 0.95, healthChecks: [] },
  { ring: 'prod', windows: [], soakMinutes: 0, successThreshold: 0.9, healthChecks: [] },
];

/** The ring whose approval must come from someone other than the deployment's creator. */
export const PRODUCTION_RING = 'prod';

export async function loadPlan(db: D1Database, tenantId: string): Promise<{ plan: Plan; custom: boolean }> {
  const row = await db
    .prepare('SELECT plan FROM deployment_plans WHERE tenant_id = ?1')
    .bind(tenantId)
    .first<{ plan: string }>();
  return row ? { plan: JSON.parse(row.plan) as Plan, custom: true } : { plan: DEFAULT_PLAN, custom: false };
}
