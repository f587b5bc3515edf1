/**
 * Fills a RunbookView (./runbook.ts) from D1: the deployment, what it closes, its rings with their
 * windows and gates, each host's packages and the steps its jobs ran, the planned commands per host
 * family, and the audit trail of the deployment and its jobs.
 */
import { isOsFamily, osFamilyName } from '@patchboard/shared/os';
import { findDeployment, itemsOf, jobsOf, ringsOf, stepsOf } from '../db/deployments';
import type { Command, JobPackage, PackageManager } from './commands';
import { isPackageManager, UnsafeArgumentError } from './commands';
import { type PlannedCommands, planCommands, type RunbookHost, type RunbookView, renderRunbook } from './runbook';
import { packageManagerFor } from './steps';
import { ringOpenings } from './windows';

interface WindowRow {
  id: number;
  name: string;
  rule: string;
  time_zone: string;
}

function describeTarget(
  target: { kind: string; ids?: unknown[]; packages?: { name: string; version: string }[] },
  hosts: { kind: string; values?: string[] },
): string {
  const what =
    target.kind === 'packages'
      ? `packages ${(target.packages ?? []).map((p) => `${p.name} ${p.version}`).join(', ')}`
      : target.kind === 'advisories'
        ? `advisories ${(target.ids ?? []).join(', ')}`
        : `findings ${(target.ids ?? []).join(', ')}`;
  const where = hosts.kind === 'all' ? 'every affected host' : `${hosts.kind} ${(hosts.values ?? []).join(', ')}`;
  return `${what} on ${where}`;
}

/** The runbook of a tenant's deployment as Markdown, or null when it has no such deployment. */
export async function runbookFor(db: D1Database, tenantId: string, id: number, now: Date): Promise<string | null> {
  const row = await findDeployment(db, tenantId, id);
  if (!row) return null;
  const [rings, items, jobs] = await Promise.all([ringsOf(db, id), itemsOf(db, id), jobsOf(db, id)]);
  const steps = await stepsOf(
    db,
    jobs.map((j) => j.id),
  );
  const advisoryIds = [...new Set(items.flatMap((i) => JSON.parse(i.advisory_ids) as string[]))].sort();
  const windowIds = [...new Set(rings.flatMap((r) => JSON.parse(r.window_ids) as number[]))];
  const [advisories, windows, installed, audit, openings] = await Promise.all([
    db
      .prepare(
        `SELECT a.id, a.cves, a.summary FROM json_each(?2) j JOIN advisories a ON a.id = j.value
         WHERE a.scope = ?1 OR (a.scope = '' AND NOT EXISTS (SELECT 1 FROM advisories own WHERE own.id = a.id AND own.scope = ?1))
         ORDER BY a.id`,
      )
      .bind(tenantId, JSON.stringify(advisoryIds))
      .all<{ id: string; cves: string; summary: string | null }>(),
    db
      .prepare(
        'SELECT id, name, rule, time_zone FROM maintenance_windows WHERE tenant_id = ?1 AND id IN (SELECT value FROM json_each(?2))',
      )
      .bind(tenantId, JSON.stringify(windowIds))
      .all<WindowRow>(),
    // What each host has now of the deployment's packages: `from` of the hosts table, and the rollback target of planned commands.
    db
      .prepare(
        `SELECT DISTINCT i.host_id, i.package, p.version FROM deployment_items i
         JOIN hosts h ON h.id = i.host_id
         JOIN installed_packages p ON p.host_id = i.host_id AND p.ecosystem = h.ecosystem AND p.name = i.package
         WHERE i.deployment_id = ?1`,
      )
      .bind(id)
      .all<{ host_id: number; package: string; version: string }>(),
    db
      .prepare(
        `SELECT at, actor, action, summary FROM audit_log
         WHERE tenant_id = ?1 AND (target = 'deployment:' || CAST(?2 AS INTEGER)
           OR target IN (SELECT 'job:' || j.id FROM jobs j WHERE j.deployment_id = ?2))
         ORDER BY at, id`,
      )
      .bind(tenantId, id)
      .all<{ at: string; actor: string; action: string; summary: string }>(),
    ringOpenings(db, tenantId, new Map([[id, rings]]), now),
  ]);
  const installedOf = (hostId: number, pkg: string) =>
    installed.results.find((r) => r.host_id === hostId && r.package === pkg)?.version ?? null;
  const windowById = new Map(windows.results.map((w) => [w.id, w]));
  const stepsByJob = new Map<number, typeof steps>();
  for (const step of steps) stepsByJob.set(step.job_id, [...(stepsByJob.get(step.job_id) ?? []), step]);

  const hostsOfRing = (ring: string): RunbookHost[] => {
    const hostIds = [...new Set(items.filter((i) => i.ring === ring).map((i) => i.host_id))];
    return hostIds.map((hostId) => {
      const mine = items.filter((i) => i.host_id === hostId);
      const first = mine[0];
      const manager = first ? packageManagerFor(first.os_family) : null;
      return {
        hostname: first?.hostname ?? String(hostId),
        osFamily: first?.os_family ?? '',
        packageManager: manager && isPackageManager(manager) ? manager : null,
        packages: mine.map((i) => ({ name: i.package, from: installedOf(hostId, i.package), to: i.target_version })),
        jobs: jobs
          .filter((j) => j.host_id === hostId)
          .map((j) => ({
            id: j.id,
            kind: j.kind,
            status: j.status,
            result: j.result,
            rebootRequired: j.reboot_required === null ? null : j.reboot_required === 1,
            steps: (stepsByJob.get(j.id) ?? []).map((s) => ({
              step: s.step,
              commands: JSON.parse(s.commands) as Command[],
              results: s.reported_at ? (JSON.parse(s.results) as { exit: number; output: string }[]) : null,
              ok: s.ok === null ? null : s.ok === 1,
            })),
          })),
      };
    });
  };

  // Planned commands per host family (OS and release), for every host whether or not its job ran.
  const families = new Map<
    string,
    {
      manager: PackageManager;
      hosts: Set<string>;
      hostIds: Set<number>;
      packages: Map<string, JobPackage>;
      label: string;
    }
  >();
  for (const item of items) {
    const manager = packageManagerFor(item.os_family);
    if (!manager || !isPackageManager(manager)) continue;
    const label = `${isOsFamily(item.os_family) ? osFamilyName(item.os_family) : item.os_family} (${item.ecosystem}, ${manager})`;
    const family = families.get(label) ?? { manager, hosts: new Set(), hostIds: new Set(), packages: new Map(), label };
    family.hosts.add(item.hostname);
    family.hostIds.add(item.host_id);
    family.packages.set(item.package, {
      name: item.package,
      targetVersion: item.target_version,
      kb: item.kb,
      advisories: JSON.parse(item.advisory_ids) as string[],
    });
    families.set(label, family);
  }
  const healthChecks = [...new Set(rings.flatMap((r) => JSON.parse(r.health_checks) as string[]))];
  const commands: PlannedCommands[] = [];
  for (const family of families.values()) {
    const firstHost = [...family.hostIds][0] ?? 0;
    const packages = [...family.packages.values()];
    const recorded = new Map(
      packages.flatMap((p) => {
        const version = installedOf(firstHost, p.name);
        return version ? [[p.name, version] as const] : [];
      }),
    );
    try {
      commands.push(
        planCommands({
          family: family.label,
          packageManager: family.manager,
          hosts: [...family.hosts].sort(),
          packages,
          installed: recorded,
          hook: null,
          healthChecks,
        }),
      );
    } catch (err) {
      // Items were checked when the deployment was created; a package renamed since is shown, not fatal.
      if (!(err instanceof UnsafeArgumentError)) throw err;
    }
  }

  const view: RunbookView = {
    deployment: {
      id: row.id,
      title: row.title,
      status: row.status,
      createdBy: row.created_by,
      createdAt: row.created_at,
      submittedAt: row.submitted_at,
      approvedBy: row.approved_by,
      approvedAt: row.approved_at,
      decisionNote: row.decision_note,
      startedAt: row.started_at,
      endedAt: row.ended_at,
      haltReason: row.halt_reason,
    },
    target: describeTarget(JSON.parse(row.target), JSON.parse(row.hosts)),
    advisories: advisories.results.map((a) => ({ id: a.id, cves: JSON.parse(a.cves) as string[], summary: a.summary })),
    rings: rings.map((r) => {
      const opening = openings.get(id)?.get(r.position) ?? null;
      const gate = r.gate ? (JSON.parse(r.gate) as { passed: boolean; reasons: string[] }) : null;
      return {
        position: r.position,
        ring: r.ring,
        status: r.status,
        windows: (JSON.parse(r.window_ids) as number[]).flatMap((w) => {
          const window = windowById.get(w);
          return window
            ? [
                {
                  name: window.name,
                  rule: window.rule,
                  timeZone: window.time_zone,
                  nextOpening: opening ? { start: opening.start.toISOString(), end: opening.end.toISOString() } : null,
                },
              ]
            : [];
        }),
        soakMinutes: r.soak_minutes,
        successThreshold: r.success_threshold,
        healthChecks: JSON.parse(r.health_checks) as string[],
        gate,
        hosts: hostsOfRing(r.ring),
      };
    }),
    commands,
    audit: audit.results.map((a) => ({ at: a.at, actor: a.actor, action: a.action, summary: a.summary })),
    generatedAt: now.toISOString(),
  };
  return renderRunbook(view);
}
