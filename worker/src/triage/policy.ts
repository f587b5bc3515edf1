import { Policy } from '@patchboard/shared/schemas/policy';
import * as v from 'valibot';

/**
 * The default policy, in the spirit of CISA BOD 22-01 and the usual vulnerability-management SLAs:
 * what is exploited (KEV, the vendor's word, SSVC Act) within a week and never after KEV's own due
 * date; what is likely to be (SSVC Attend, EPSS top 5 %, critical CVSS on an internet-facing host)
 * within two weeks; high severity within a month; the rest within a quarter. Test and pilot rings
 * are due at half and three quarters of the SLA so production can follow in time.
 */
export const DEFAULT_POLICY: Policy = {
  slaDays: { p1: 7, p2: 14, p3: 30, p4: 90 },
  kev: { priority: 1, useKevDueDate: true },
  exploited: { priority: 1 },
  ssvc: { act: 1, attend: 2, 'track*': 3, track: 4 },
  epss: [{ percentileAtLeast: 0.95, priority: 2 }],
  cvss: [
    { scoreAtLeast: 9, internetFacingOnly: true, priority: 2 },
    { scoreAtLeast: 7, internetFacingOnly: false, priority: 3 },
  ],
  rings: {
    test: { slaShare: 0.5, priorityShift: 0 },
    pilot: { slaShare: 0.75, priorityShift: 0 },
  },
  exceptionNoticeDays: 7,
};

export interface StoredPolicy {
  readonly policy: Policy;
  readonly custom: boolean;
  readonly updatedAt: string | null;
  readonly updatedBy: string | null;
}

/** The tenant's policy, or the default while it has none (a stored one that no longer parses too). */
export async function loadPolicy(db: D1Database, tenantId: string): Promise<StoredPolicy> {
  const row = await db
    .prepare('SELECT policy, updated_at, updated_by FROM tenant_policies WHERE tenant_id = ?1')
    .bind(tenantId)
    .first<{ policy: string; updated_at: string; updated_by: string }>();
  if (!row) return { policy: DEFAULT_POLICY, custom: false, updatedAt: null, updatedBy: null };
  const parsed = v.safeParse(Policy, JSON.parse(row.policy));
  // Only PUT /v1/policy writes it, through the same schema; a later, stricter schema must not
  // leave a tenant without priorities, so an old policy that no longer parses falls back.
  if (!parsed.success)
    return { policy: DEFAULT_POLICY, custom: false, updatedAt: row.updated_at, updatedBy: row.updated_by };
  return { policy: parsed.output, custom: true, updatedAt: row.updated_at, updatedBy: row.updated_by };
}

/** Policies of several tenants at once (a triage pass over global data touches many). */
export async function loadPolicies(db: D1Database, tenantIds: readonly string[]): Promise<Map<string, Policy>> {
  const policies = new Map<string, Policy>();
  for (const id of tenantIds) policies.set(id, DEFAULT_POLICY);
  if (tenantIds.length === 0) return policies;
  const { results } = await db
    .prepare('SELECT tenant_id, policy FROM tenant_policies WHERE tenant_id IN (SELECT value FROM json_each(?1))')
    .bind(JSON.stringify(tenantIds))
    .all<{ tenant_id: string; policy: string }>();
  for (const row of results) {
    const parsed = v.safeParse(Policy, JSON.parse(row.policy));
    if (parsed.success) policies.set(row.tenant_id, parsed.output);
  }
  return policies;
}

const days = (n: number) => (n === 1 ? '1 day' : `${n} days`);
const percent = (share: number) => `${Math.round(share * 1000) / 10} %`;

/** The policy in sentences, for the API and the compliance report. */
export function describePolicy(policy: Policy): string[] {
  const { slaDays } = policy;
  const lines = [
    `Due dates: P1 within ${days(slaDays.p1)}, P2 within ${days(slaDays.p2)}, P3 within ${days(slaDays.p3)}, P4 within ${days(slaDays.p4)} of a finding being first seen (or reopened).`,
    `On the CISA Known Exploited Vulnerabilities catalogue: P${policy.kev.priority}${policy.kev.useKevDueDate ? ", and due no later than the catalogue's due date" : ''}.`,
    `Exploited according to the vendor (CSAF or MSRC exploit status, CVSS v4 E:A): P${policy.exploited.priority}.`,
    `SSVC (CISA's decision tree; mission impact from host criticality and internet exposure): Act P${policy.ssvc.act}, Attend P${policy.ssvc.attend}, Track* P${policy.ssvc['track*']}, Track P${policy.ssvc.track}.`,
  ];
  for (const rule of policy.epss) {
    lines.push(`EPSS at or above the ${percent(rule.percentileAtLeast)} percentile: P${rule.priority}.`);
  }
  for (const rule of policy.cvss) {
    lines.push(
      `CVSS base score ${rule.scoreAtLeast} or higher${rule.internetFacingOnly ? ' on an internet-facing host' : ''}: P${rule.priority}.`,
    );
  }
  lines.push('A finding gets the most urgent priority of the rules that apply to it.');
  for (const [ring, rule] of Object.entries(policy.rings).sort(([a], [b]) => a.localeCompare(b))) {
    const parts = [];
    if (rule.slaShare !== 1) parts.push(`due at ${percent(rule.slaShare)} of the SLA`);
    if (rule.priorityShift !== 0) {
      const n = Math.abs(rule.priorityShift);
      parts.push(`${n} step${n === 1 ? '' : 's'} ${rule.priorityShift > 0 ? 'less' : 'more'} urgent`);
    }
    if (parts.length > 0) lines.push(`Ring ${ring}: ${parts.join(', ')}.`);
  }
  lines.push(`Risk exceptions are announced ${days(policy.exceptionNoticeDays)} before they expire.`);
  return lines;
}
