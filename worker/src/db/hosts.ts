import type { Host } from '@patchboard/shared/schemas/host';
import { AUDIT_COLUMNS, type AuditActor } from './audit';

export interface HostRow {
  id: number;
  hostname: string;
  os_family: string;
  os_release: string;
  ecosystem: string;
  ring: string;
  criticality: number;
  internet_facing: number;
  owner: string | null;
  created_at: string;
  updated_at: string;
  last_seen_at: string | null;
  tags: string;
  addresses: string;
  package_count: number;
  hotfix_count: number;
  open_findings: number;
}

const HOST_COLUMNS = `h.id, h.hostname, h.os_family, h.os_release, h.ecosystem, h.ring, h.criticality, h.internet_facing,
  h.owner, h.created_at, h.updated_at, h.last_seen_at,
  (SELECT json_group_array(tag) FROM (SELECT tag FROM host_tags WHERE host_id = h.id ORDER BY tag)) AS tags,
  (SELECT json_group_array(address) FROM (SELECT address FROM host_addresses WHERE host_id = h.id ORDER BY address)) AS addresses,
  (SELECT count(*) FROM installed_packages WHERE host_id = h.id) AS package_count,
  (SELECT count(*) FROM installed_hotfixes WHERE host_id = h.id) AS hotfix_count,
  (SELECT count(*) FROM findings WHERE host_id = h.id AND status <> 'resolved') AS open_findings`;

export function toHost(row: HostRow): Host {
  return {
    hostname: row.hostname,
    os: { family: row.os_family, release: row.os_release },
    ecosystem: row.ecosystem,
    ring: row.ring,
    criticality: row.criticality,
    internetFacing: row.internet_facing === 1,
    tags: JSON.parse(row.tags) as string[],
    owner: row.owner,
    addresses: JSON.parse(row.addresses) as string[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastSeenAt: row.last_seen_at,
    packageCount: row.package_count,
    hotfixCount: row.hotfix_count,
    openFindings: row.open_findings,
  };
}

export async function findHost(db: D1Database, tenantId: string, hostname: string): Promise<HostRow | null> {
  return db
    .prepare(`SELECT ${HOST_COLUMNS} FROM hosts h WHERE h.tenant_id = ?1 AND h.hostname = ?2`)
    .bind(tenantId, hostname)
    .first<HostRow>();
}

export interface HostFilter {
  readonly ring?: string | undefined;
  readonly tag?: string | undefined;
  readonly ecosystem?: string | undefined;
  /** Hostnames after this one (the cursor). */
  readonly after?: string | undefined;
  readonly limit: number;
}

export async function listHosts(db: D1Database, tenantId: string, filter: HostFilter): Promise<HostRow[]> {
  const { results } = await db
    .prepare(
      `SELECT ${HOST_COLUMNS} FROM hosts h
       WHERE h.tenant_id = ?1
         AND (?2 IS NULL OR h.ring = ?2)
         AND (?3 IS NULL OR h.ecosystem = ?3)
         AND (?4 IS NULL OR EXISTS (SELECT 1 FROM host_tags t WHERE t.host_id = h.id AND t.tag = ?4))
         AND h.hostname > ?5
       ORDER BY h.hostname LIMIT ?6`,
    )
    .bind(tenantId, filter.ring ?? null, filter.ecosystem ?? null, filter.tag ?? null, filter.after ?? '', filter.limit)
    .all<HostRow>();
  return results;
}

export interface HostUpsert {
  readonly hostname: string;
  readonly osFamily: string;
  readonly osRelease: string;
  readonly ecosystem: string;
  /** Undefined keeps the current value (or takes the default on a new host). */
  readonly ring: string | undefined;
  readonly criticality: number | undefined;
  readonly internetFacing: boolean | undefined;
  readonly tags: readonly string[] | undefined;
  /** Undefined keeps the owner, null clears it. */
  readonly owner: string | null | undefined;
  /** Undefined keeps the addresses. */
  readonly addresses?: readonly string[] | undefined;
}

const hostIdSql = '(SELECT id FROM hosts WHERE tenant_id = ?1 AND hostname = ?2)';

/**
 * Creates or updates a host, in one transaction with its audit entry. The entry's summary carries
 * the before-image read inside the same transaction, so it is exact even under concurrent PUTs.
 * When the ecosystem changes (a reinstall or in-place upgrade), the software reported for the old
 * one cannot describe the host any more and is removed; the next report fills it again.
 */
export function upsertHostStatements(db: D1Database, actor: AuditActor, host: HostUpsert): D1PreparedStatement[] {
  const set = Object.fromEntries(
    Object.entries({
      os: `${host.osFamily} ${host.osRelease}`,
      ring: host.ring,
      criticality: host.criticality,
      internetFacing: host.internetFacing,
      tags: host.tags,
      owner: host.owner,
      addresses: host.addresses,
    }).filter(([, value]) => value !== undefined),
  );
  const statements = [
    db
      .prepare(
        `INSERT INTO ${AUDIT_COLUMNS}
         SELECT ?1, ?3, ?4, ?5, 'host.upsert', 'host:' || ?2, json_object(
           'created', json(CASE WHEN h.id IS NULL THEN 'true' ELSE 'false' END),
           'before', CASE WHEN h.id IS NULL THEN NULL ELSE json_object(
             'os', h.os_family || ' ' || h.os_release, 'ring', h.ring, 'criticality', h.criticality,
             'internetFacing', json(CASE h.internet_facing WHEN 1 THEN 'true' ELSE 'false' END), 'owner', h.owner,
             'tags', (SELECT json_group_array(tag) FROM (SELECT tag FROM host_tags WHERE host_id = h.id ORDER BY tag))) END,
           'set', json(?6))
         FROM (SELECT 1) LEFT JOIN hosts h ON h.tenant_id = ?1 AND h.hostname = ?2`,
      )
      .bind(actor.tenantId, host.hostname, actor.at, actor.actor, actor.actorRole, JSON.stringify(set)),
    db
      .prepare(
        `DELETE FROM installed_packages WHERE host_id = (SELECT id FROM hosts WHERE tenant_id = ?1 AND hostname = ?2 AND ecosystem <> ?3)`,
      )
      .bind(actor.tenantId, host.hostname, host.ecosystem),
    db
      .prepare(
        `DELETE FROM installed_hotfixes WHERE host_id = (SELECT id FROM hosts WHERE tenant_id = ?1 AND hostname = ?2 AND ecosystem <> ?3)`,
      )
      .bind(actor.tenantId, host.hostname, host.ecosystem),
    db
      .prepare(
        `INSERT INTO hosts (tenant_id, hostname, os_family, os_release, ecosystem, ring, criticality, internet_facing, owner, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, coalesce(?6, 'prod'), coalesce(?7, 3), coalesce(?8, 0), ?9, ?10, ?10)
         ON CONFLICT (tenant_id, hostname) DO UPDATE SET
           os_family = excluded.os_family, os_release = excluded.os_release, ecosystem = excluded.ecosystem,
           ring = coalesce(?6, ring), criticality = coalesce(?7, criticality), internet_facing = coalesce(?8, internet_facing),
           owner = CASE WHEN ?11 THEN ?9 ELSE owner END, updated_at = ?10`,
      )
      .bind(
        actor.tenantId,
        host.hostname,
        host.osFamily,
        host.osRelease,
        host.ecosystem,
        host.ring ?? null,
        host.criticality ?? null,
        host.internetFacing === undefined ? null : Number(host.internetFacing),
        host.owner ?? null,
        actor.at,
        host.owner !== undefined ? 1 : 0,
      ),
  ];
  if (host.addresses !== undefined) {
    statements.push(
      db.prepare(`DELETE FROM host_addresses WHERE host_id = ${hostIdSql}`).bind(actor.tenantId, host.hostname),
      db
        .prepare(`INSERT INTO host_addresses (host_id, address) SELECT DISTINCT ${hostIdSql}, value FROM json_each(?3)`)
        .bind(actor.tenantId, host.hostname, JSON.stringify(host.addresses)),
    );
  }
  if (host.tags !== undefined) {
    statements.push(
      db.prepare(`DELETE FROM host_tags WHERE host_id = ${hostIdSql}`).bind(actor.tenantId, host.hostname),
      db
        .prepare(`INSERT INTO host_tags (host_id, tag) SELECT DISTINCT ${hostIdSql}, value FROM json_each(?3)`)
        .bind(actor.tenantId, host.hostname, JSON.stringify(host.tags)),
    );
  }
  return statements;
}

/** Deletes a host (its software, tags and history cascade) and revokes its agent tokens; audited with what was removed. */
export function deleteHostStatements(db: D1Database, actor: AuditActor, host: HostRow): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `INSERT INTO ${AUDIT_COLUMNS}
         SELECT ?1, ?3, ?4, ?5, 'host.delete', 'host:' || h.hostname, json_object(
           'os', h.os_family || ' ' || h.os_release, 'ring', h.ring,
           'packages', (SELECT count(*) FROM installed_packages WHERE host_id = h.id),
           'hotfixes', (SELECT count(*) FROM installed_hotfixes WHERE host_id = h.id),
           'revokedTokens', (SELECT json_group_array(prefix) FROM api_tokens WHERE host_id = h.id AND revoked_at IS NULL))
         FROM hosts h WHERE h.tenant_id = ?1 AND h.id = ?2`,
      )
      .bind(actor.tenantId, host.id, actor.at, actor.actor, actor.actorRole),
    db
      .prepare('UPDATE api_tokens SET revoked_at = ?3 WHERE tenant_id = ?1 AND host_id = ?2 AND revoked_at IS NULL')
      .bind(actor.tenantId, host.id, actor.at),
    db.prepare('DELETE FROM hosts WHERE tenant_id = ?1 AND id = ?2').bind(actor.tenantId, host.id),
  ];
}

export interface HostMatchRow {
  name: string;
  hostname: string;
  ring: string;
  p1: number;
  p2: number;
  deployment: string | null;
}

/**
 * The tenant's hosts among names seen on a console page: a name matches a host by its hostname, by
 * the hostname's first label (consoles often show `web-01` for `web-01.example.com`), or by one of
 * its addresses. With each: open P1 and P2 findings and the first deployment not ended that
 * includes it.
 */
export async function matchHosts(db: D1Database, tenantId: string, names: readonly string[]): Promise<HostMatchRow[]> {
  const { results } = await db
    .prepare(
      `WITH wanted(name) AS (SELECT DISTINCT lower(value) FROM json_each(?2)),
       hits AS (
         SELECT w.name, h.id FROM wanted w JOIN hosts h ON h.tenant_id = ?1 AND h.hostname = w.name
         UNION SELECT w.name, h.id FROM wanted w JOIN hosts h ON h.tenant_id = ?1
           AND h.hostname > w.name || '.' AND h.hostname < w.name || '/'
         UNION SELECT w.name, h.id FROM wanted w JOIN host_addresses a ON a.address = w.name JOIN hosts h ON h.id = a.host_id AND h.tenant_id = ?1
       )
       SELECT x.name, h.hostname, h.ring,
              (SELECT count(*) FROM findings f WHERE f.host_id = h.id AND f.status <> 'resolved' AND f.priority = 1) AS p1,
              (SELECT count(*) FROM findings f WHERE f.host_id = h.id AND f.status <> 'resolved' AND f.priority = 2) AS p2,
              (SELECT json_array(d.id, d.title, d.status) FROM deployments d
               WHERE d.tenant_id = ?1 AND d.status IN ('awaiting_approval', 'approved', 'running')
                 AND EXISTS (SELECT 1 FROM deployment_items i WHERE i.deployment_id = d.id AND i.host_id = h.id)
               ORDER BY d.id LIMIT 1) AS deployment
       FROM hits x JOIN hosts h ON h.id = x.id ORDER BY x.name, h.hostname`,
    )
    .bind(tenantId, JSON.stringify(names))
    .all<HostMatchRow>();
  return results;
}
