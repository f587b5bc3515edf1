/**
 * Findings written straight into D1 for the tests of the report queries, which read only the
 * columns set here. Integration tests (worker/test/reports.test.ts) make findings the real way.
 */

export interface FindingFixture {
  readonly host?: string;
  readonly status?: 'open' | 'scheduled' | 'excepted' | 'resolved';
  readonly resolution?: 'fixed' | 'removed' | 'withdrawn' | 'not_affected' | 'superseded' | null;
  readonly priority?: number | null;
  readonly firstSeenAt: string;
  readonly resolvedAt?: string | null;
  readonly reopenedAt?: string | null;
  readonly dueAt?: string | null;
}

let sequence = 0;

/** A tenant with one advisory; `host(name)` registers hosts on demand. */
export async function fixtureTenant(db: D1Database): Promise<{
  tenantId: string;
  addFindings: (findings: readonly FindingFixture[]) => Promise<void>;
}> {
  sequence += 1;
  const tenantId = `tn_fixture${String(sequence).padStart(7, '0')}`;
  const at = '2026-01-01T00:00:00.000Z';
  await db.batch([
    db.prepare('INSERT INTO tenants (id, name, created_at) VALUES (?1, ?1, ?2)').bind(tenantId, at),
    db
      .prepare(
        `INSERT INTO advisories (scope, id, source, modified, document, content_hash, imported_at, updated_at)
         VALUES (?1, 'FIXTURE-1', 'osv', ?2, '{}', 'x', ?2, ?2)`,
      )
      .bind(tenantId, at),
  ]);
  const hostIds = new Map<string, number>();
  async function hostId(hostname: string): Promise<number> {
    const known = hostIds.get(hostname);
    if (known !== undefined) return known;
    const row = await db
      .prepare(
        `INSERT INTO hosts (tenant_id, hostname, os_family, os_release, ecosystem, created_at, updated_at)
         VALUES (?1, ?2, 'debian', '12', 'Debian:12', ?3, ?3) RETURNING id`,
      )
      .bind(tenantId, hostname, at)
      .first<{ id: number }>();
    if (!row) throw new Error('host not inserted');
    hostIds.set(hostname, row.id);
    return row.id;
  }
  let packages = 0;
  async function addFindings(findings: readonly FindingFixture[]): Promise<void> {
    const statements = [];
    for (const f of findings) {
      packages += 1;
      statements.push(
        db
          .prepare(
            `INSERT INTO findings (tenant_id, host_id, advisory_pk, ecosystem, package, installed_version, explanation,
                                   status, resolution, priority, first_seen_at, updated_at, resolved_at, reopened_at, due_at)
             VALUES (?1, ?2, (SELECT pk FROM advisories WHERE scope = ?1), 'Debian:12', ?3, '1', 'fixture',
                     ?4, ?5, ?6, ?7, ?7, ?8, ?9, ?10)`,
          )
          .bind(
            tenantId,
            await hostId(f.host ?? 'h1'),
            `pkg-${packages}`,
            f.status ?? (f.resolvedAt ? 'resolved' : 'open'),
            f.resolution ?? (f.resolvedAt ? 'fixed' : null),
            f.priority ?? null,
            f.firstSeenAt,
            f.resolvedAt ?? null,
            f.reopenedAt ?? null,
            f.dueAt ?? null,
          ),
      );
    }
    await db.batch(statements);
  }
  return { tenantId, addFindings };
}
