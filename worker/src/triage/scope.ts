/**
 * Which findings a triage pass looks at. Triage runs after whatever changed one of its inputs:
 * a host's software report or its attributes (host), an advisory import (advisory, advisories), new
 * KEV, EPSS or NVD facts (cves, or a sweep over advisory ranges when many changed), a policy or exception change (tenant), and the cron sweep (all unresolved
 * findings of every tenant whose priority is missing or whose inputs are time-dependent).
 */
export type TriageScope =
  | { readonly kind: 'host'; readonly hostId: number }
  /** An advisory id, global (tenantId null: every tenant's findings) or one tenant's import. */
  | { readonly kind: 'advisory'; readonly id: string; readonly tenantId: string | null }
  /** Several advisory ids at once (a feed batch), global or of one tenant like `advisory`. */
  | { readonly kind: 'advisories'; readonly ids: readonly string[]; readonly tenantId: string | null }
  /** Advisories by primary key: the sweep that follows bulk EPSS or NVD changes, a range at a time. */
  | { readonly kind: 'advisoryRange'; readonly fromPk: number; readonly toPk: number }
  /** Findings of advisories that name one of these CVEs (after KEV, EPSS or NVD facts changed). */
  | { readonly kind: 'cves'; readonly cves: readonly string[] }
  | { readonly kind: 'tenant'; readonly tenantId: string }
  /** Every tenant's findings that were never prioritised (the cron's safety net). */
  | { readonly kind: 'unprioritised' };

export interface TriageScopeSql {
  /** A condition on findings `f` (unresolved findings only are ever triaged; callers add that). */
  readonly where: string;
  /** Its parameters, numbered from ?1 to ?binds.length. */
  readonly binds: readonly (string | number | null)[];
}

/**
 * The scope as SQL. Parameters are numbered from `first` so a statement can put its own binds
 * (such as the time) before them.
 */
export function triageScopeSql(scope: TriageScope, first = 1): TriageScopeSql {
  const p = (n: number) => `?${first + n}`;
  switch (scope.kind) {
    case 'host':
      return { where: `f.host_id = ${p(0)}`, binds: [scope.hostId] };
    case 'advisory':
      return {
        where: `f.advisory_pk IN (SELECT pk FROM advisories WHERE id = ${p(0)} AND (scope = '' OR scope = ${p(1)}))
                AND (${p(1)} IS NULL OR f.tenant_id = ${p(1)})`,
        binds: [scope.id, scope.tenantId],
      };
    case 'advisories':
      return {
        where: `f.advisory_pk IN (SELECT pk FROM advisories WHERE id IN (SELECT value FROM json_each(${p(0)}))
                                  AND (scope = '' OR scope = ${p(1)}))
                AND (${p(1)} IS NULL OR f.tenant_id = ${p(1)})`,
        binds: [JSON.stringify(scope.ids), scope.tenantId],
      };
    case 'advisoryRange':
      return { where: `f.advisory_pk BETWEEN ${p(0)} AND ${p(1)}`, binds: [scope.fromPk, scope.toPk] };
    case 'cves':
      return {
        where: `f.advisory_pk IN (SELECT x.advisory_pk FROM advisory_aliases x WHERE x.alias IN (SELECT value FROM json_each(${p(0)})))`,
        binds: [JSON.stringify(scope.cves)],
      };
    case 'tenant':
      return { where: `f.tenant_id = ${p(0)}`, binds: [scope.tenantId] };
    case 'unprioritised':
      return { where: 'f.priority IS NULL', binds: [] };
  }
}
