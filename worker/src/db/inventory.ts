import type { InventoryReport, InventoryReportSummary } from '@patchboard/shared/schemas/inventory';
import { AUDIT_COLUMNS, type AuditActor } from './audit';
import { chunks } from './chunks';

/** One installed package as stored: OS packages carry the host's ecosystem. */
export interface PackageRecord {
  readonly ecosystem: string;
  readonly name: string;
  readonly version: string;
  /** '' when the format does not say. */
  readonly arch: string;
  readonly sourceName: string | null;
  readonly sourceVersion: string | null;
  readonly purl: string | null;
  /** What advisories match it by (see shared/src/ecosystems.ts matchIdentity), and the version's order-preserving key; null when the version cannot be read. */
  readonly matchName: string;
  readonly matchVersion: string;
  readonly matchKey: string | null;
}

export interface HotfixRecord {
  readonly kb: string;
  readonly installedOn: string | null;
}

export interface SoftwareReport {
  readonly id: string;
  readonly tenantId: string;
  readonly hostId: number;
  readonly hostname: string;
  readonly format: string;
  readonly packages: readonly PackageRecord[];
  readonly hotfixes: readonly HotfixRecord[];
}

const REPORT_COLUMNS = 'id, reported_at, format, actor, package_count, hotfix_count, added, removed, changed';

/** Same package on the installed side (`i`) and the staged side (`s`). */
const SAME_PACKAGE = 's.ecosystem = i.ecosystem AND s.name = i.name AND s.arch = i.arch';

/**
 * Replaces a host's installed software with a report, as one D1 batch (one transaction):
 * stage the new set, record what changed against the current set, apply only the difference
 * (delete gone rows, insert new ones, refresh source fields), count, and unstage. Doing the diff
 * in SQL inside the transaction means two concurrent reports of one host serialise: the second
 * sees the first's result and records no phantom changes, and nothing is lost. The caller adds
 * the host's rematch, the audit entry and the select of the summary to the same batch.
 */
export function replaceSoftwareStatements(
  db: D1Database,
  actor: AuditActor,
  report: SoftwareReport,
): D1PreparedStatement[] {
  const r = report.id;
  const h = report.hostId;
  const statements: D1PreparedStatement[] = [];

  for (const chunk of chunks(report.packages)) {
    statements.push(
      db
        .prepare(
          `INSERT INTO inventory_staging
             (report_id, ecosystem, name, version, arch, source_name, source_version, purl, match_name, match_version, match_key)
           SELECT ?1, value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6,
                  value ->> 7, value ->> 8, value ->> 9
           FROM json_each(?2)`,
        )
        .bind(
          r,
          JSON.stringify(
            chunk.map((p) => [
              p.ecosystem,
              p.name,
              p.version,
              p.arch,
              p.sourceName,
              p.sourceVersion,
              p.purl,
              p.matchName,
              p.matchVersion,
              p.matchKey,
            ]),
          ),
        ),
    );
  }
  for (const chunk of chunks(report.hotfixes)) {
    statements.push(
      db
        .prepare(
          `INSERT INTO hotfix_staging (report_id, kb, installed_on)
           SELECT ?1, value ->> 0, value ->> 1 FROM json_each(?2)`,
        )
        .bind(r, JSON.stringify(chunk.map((hf) => [hf.kb, hf.installedOn]))),
    );
  }

  statements.push(
    db
      .prepare(
        `INSERT INTO inventory_reports (id, tenant_id, host_id, reported_at, format, actor, package_count, hotfix_count)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)`,
      )
      .bind(
        r,
        report.tenantId,
        h,
        actor.at,
        report.format,
        actor.actor,
        report.packages.length,
        report.hotfixes.length,
      ),

    // Packages whose (ecosystem, name, arch) is new, gone, or present on both sides with other versions.
    db
      .prepare(
        `INSERT INTO inventory_changes (report_id, change, kind, ecosystem, name, arch, new_version)
         SELECT ?1, 'added', 'package', s.ecosystem, s.name, s.arch, group_concat(s.version, ' ')
         FROM (SELECT * FROM inventory_staging WHERE report_id = ?1 ORDER BY ecosystem, name, arch, version) s
         WHERE NOT EXISTS (SELECT 1 FROM installed_packages i WHERE i.host_id = ?2 AND ${SAME_PACKAGE})
         GROUP BY s.ecosystem, s.name, s.arch`,
      )
      .bind(r, h),
    db
      .prepare(
        `INSERT INTO inventory_changes (report_id, change, kind, ecosystem, name, arch, old_version)
         SELECT ?1, 'removed', 'package', i.ecosystem, i.name, i.arch, group_concat(i.version, ' ')
         FROM (SELECT * FROM installed_packages WHERE host_id = ?2 ORDER BY ecosystem, name, arch, version) i
         WHERE NOT EXISTS (SELECT 1 FROM inventory_staging s WHERE s.report_id = ?1 AND ${SAME_PACKAGE})
         GROUP BY i.ecosystem, i.name, i.arch`,
      )
      .bind(r, h),
    db
      .prepare(
        `INSERT INTO inventory_changes (report_id, change, kind, ecosystem, name, arch, old_version, new_version)
         SELECT ?1, 'changed', 'package', o.ecosystem, o.name, o.arch, o.versions, n.versions
         FROM (SELECT ecosystem, name, arch, group_concat(version, ' ') AS versions
               FROM (SELECT * FROM installed_packages WHERE host_id = ?2 ORDER BY ecosystem, name, arch, version)
               GROUP BY ecosystem, name, arch) o
         JOIN (SELECT ecosystem, name, arch, group_concat(version, ' ') AS versions
               FROM (SELECT * FROM inventory_staging WHERE report_id = ?1 ORDER BY ecosystem, name, arch, version)
               GROUP BY ecosystem, name, arch) n
           ON n.ecosystem = o.ecosystem AND n.name = o.name AND n.arch = o.arch
         WHERE n.versions <> o.versions`,
      )
      .bind(r, h),
    db
      .prepare(
        `INSERT INTO inventory_changes (report_id, change, kind, name)
         SELECT ?1, 'added', 'hotfix', s.kb FROM hotfix_staging s
         WHERE s.report_id = ?1 AND NOT EXISTS (SELECT 1 FROM installed_hotfixes i WHERE i.host_id = ?2 AND i.kb = s.kb)`,
      )
      .bind(r, h),
    db
      .prepare(
        `INSERT INTO inventory_changes (report_id, change, kind, name)
         SELECT ?1, 'removed', 'hotfix', i.kb FROM installed_hotfixes i
         WHERE i.host_id = ?2 AND NOT EXISTS (SELECT 1 FROM hotfix_staging s WHERE s.report_id = ?1 AND s.kb = i.kb)`,
      )
      .bind(r, h),

    // Apply the difference only: unchanged rows keep their ids and are not rewritten.
    db
      .prepare(
        `DELETE FROM installed_packages AS i WHERE i.host_id = ?2
           AND NOT EXISTS (SELECT 1 FROM inventory_staging s WHERE s.report_id = ?1 AND ${SAME_PACKAGE} AND s.version = i.version)`,
      )
      .bind(r, h),
    db
      .prepare(
        `UPDATE installed_packages AS i SET source_name = s.source_name, source_version = s.source_version, purl = s.purl,
           match_name = s.match_name, match_version = s.match_version, match_key = s.match_key
         FROM inventory_staging s
         WHERE i.host_id = ?2 AND s.report_id = ?1 AND ${SAME_PACKAGE} AND s.version = i.version
           AND (i.source_name IS NOT s.source_name OR i.source_version IS NOT s.source_version OR i.purl IS NOT s.purl
                OR i.match_name IS NOT s.match_name OR i.match_version IS NOT s.match_version OR i.match_key IS NOT s.match_key)`,
      )
      .bind(r, h),
    db
      .prepare(
        `INSERT INTO installed_packages
           (tenant_id, host_id, ecosystem, name, version, arch, source_name, source_version, purl, match_name, match_version, match_key)
         SELECT ?3, ?2, s.ecosystem, s.name, s.version, s.arch, s.source_name, s.source_version, s.purl,
                s.match_name, s.match_version, s.match_key
         FROM inventory_staging s WHERE s.report_id = ?1
         ON CONFLICT (host_id, ecosystem, name, arch, version) DO NOTHING`,
      )
      .bind(r, h, report.tenantId),
    db
      .prepare(
        `DELETE FROM installed_hotfixes AS i WHERE i.host_id = ?2
           AND NOT EXISTS (SELECT 1 FROM hotfix_staging s WHERE s.report_id = ?1 AND s.kb = i.kb)`,
      )
      .bind(r, h),
    db
      .prepare(
        `INSERT INTO installed_hotfixes (tenant_id, host_id, kb, installed_on)
         SELECT ?3, ?2, s.kb, s.installed_on FROM hotfix_staging s WHERE s.report_id = ?1
         ON CONFLICT (host_id, kb) DO UPDATE SET installed_on = coalesce(excluded.installed_on, installed_on)`,
      )
      .bind(r, h, report.tenantId),

    db
      .prepare(
        `UPDATE inventory_reports SET
           added = (SELECT count(*) FROM inventory_changes WHERE report_id = ?1 AND change = 'added'),
           removed = (SELECT count(*) FROM inventory_changes WHERE report_id = ?1 AND change = 'removed'),
           changed = (SELECT count(*) FROM inventory_changes WHERE report_id = ?1 AND change = 'changed')
         WHERE id = ?1`,
      )
      .bind(r),
    db.prepare('DELETE FROM inventory_staging WHERE report_id = ?1').bind(r),
    db.prepare('DELETE FROM hotfix_staging WHERE report_id = ?1').bind(r),
    db.prepare('UPDATE hosts SET last_seen_at = ?2 WHERE id = ?1').bind(h, actor.at),
  );
  return statements;
}

/**
 * The audit entry of a report, with what it changed in the inventory and in the findings (the
 * rematch ran earlier in the same batch and stamped the findings it touched with this time).
 */
export function reportAuditStatement(db: D1Database, actor: AuditActor, report: SoftwareReport): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO ${AUDIT_COLUMNS}
       SELECT r.tenant_id, r.reported_at, ?2, ?3, 'inventory.report', 'host:' || ?4, json_object(
         'report', r.id, 'format', r.format, 'packages', r.package_count, 'hotfixes', r.hotfix_count,
         'added', r.added, 'removed', r.removed, 'changed', r.changed,
         'findingsOpened', (SELECT count(*) FROM findings f WHERE f.host_id = r.host_id AND f.status = 'open'
                              AND (f.first_seen_at = r.reported_at OR f.reopened_at = r.reported_at)),
         'findingsResolved', (SELECT count(*) FROM findings f WHERE f.host_id = r.host_id AND f.resolved_at = r.reported_at))
       FROM inventory_reports r WHERE r.id = ?1`,
    )
    .bind(report.id, actor.actor, actor.actorRole, report.hostname);
}

export function selectReportStatement(db: D1Database, reportId: string): D1PreparedStatement {
  return db.prepare(`SELECT ${REPORT_COLUMNS} FROM inventory_reports WHERE id = ?1`).bind(reportId);
}

export interface ReportRow {
  id: string;
  reported_at: string;
  format: string;
  actor: string;
  package_count: number;
  hotfix_count: number;
  added: number;
  removed: number;
  changed: number;
}

export function toReportSummary(row: ReportRow): InventoryReportSummary {
  return {
    id: row.id,
    reportedAt: row.reported_at,
    format: row.format,
    actor: row.actor,
    packages: row.package_count,
    hotfixes: row.hotfix_count,
    added: row.added,
    removed: row.removed,
    changed: row.changed,
  };
}

interface ChangeRow {
  report_id: string;
  change: 'added' | 'removed' | 'changed';
  kind: 'package' | 'hotfix';
  ecosystem: string | null;
  name: string;
  arch: string | null;
  old_version: string | null;
  new_version: string | null;
}

/** Reports of a host, newest first, each with what it changed. */
export async function listReports(
  db: D1Database,
  hostId: number,
  page: { before?: string | undefined; limit: number },
): Promise<InventoryReport[]> {
  const { results: reports } = await db
    .prepare(
      `SELECT ${REPORT_COLUMNS} FROM inventory_reports WHERE host_id = ?1 AND (?2 IS NULL OR id < ?2) ORDER BY id DESC LIMIT ?3`,
    )
    .bind(hostId, page.before ?? null, page.limit)
    .all<ReportRow>();
  if (reports.length === 0) return [];
  const { results: changes } = await db
    .prepare(
      `SELECT report_id, change, kind, ecosystem, name, arch, old_version, new_version FROM inventory_changes
       WHERE report_id IN (SELECT value FROM json_each(?1)) ORDER BY report_id, kind, name, arch`,
    )
    .bind(JSON.stringify(reports.map((row) => row.id)))
    .all<ChangeRow>();
  const byReport = new Map<string, ChangeRow[]>();
  for (const change of changes) {
    const list = byReport.get(change.report_id);
    if (list) list.push(change);
    else byReport.set(change.report_id, [change]);
  }
  return reports.map((row) => ({
    ...toReportSummary(row),
    changes: (byReport.get(row.id) ?? []).map((c) => ({
      change: c.change,
      kind: c.kind,
      ecosystem: c.ecosystem,
      name: c.name,
      arch: c.arch === '' ? null : c.arch,
      oldVersion: c.old_version,
      newVersion: c.new_version,
    })),
  }));
}

export interface InstalledRow {
  ecosystem: string;
  name: string;
  version: string;
  arch: string;
  source_name: string | null;
  source_version: string | null;
  purl: string | null;
}

/** Installed packages of a host ordered by (name, arch, version, ecosystem); `after` is the last row of the previous page. */
export async function listInstalled(
  db: D1Database,
  hostId: number,
  filter: { name?: string | undefined; after?: readonly [string, string, string, string] | undefined; limit: number },
): Promise<InstalledRow[]> {
  const [name, arch, version, ecosystem] = filter.after ?? ['', '', '', ''];
  const { results } = await db
    .prepare(
      `SELECT ecosystem, name, version, arch, source_name, source_version, purl FROM installed_packages
       WHERE host_id = ?1 AND (?2 IS NULL OR name = ?2)
         AND (name, arch, version, ecosystem) > (?3, ?4, ?5, ?6)
       ORDER BY name, arch, version, ecosystem LIMIT ?7`,
    )
    .bind(hostId, filter.name ?? null, name, arch, version, ecosystem, filter.limit)
    .all<InstalledRow>();
  return results;
}

export async function listHotfixes(
  db: D1Database,
  hostId: number,
): Promise<{ kb: string; installed_on: string | null }[]> {
  const { results } = await db
    .prepare('SELECT kb, installed_on FROM installed_hotfixes WHERE host_id = ?1 ORDER BY kb')
    .bind(hostId)
    .all<{ kb: string; installed_on: string | null }>();
  return results;
}
