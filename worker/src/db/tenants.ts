export interface TenantRow {
  id: string;
  name: string;
  created_at: string;
}

export function insertTenantStatement(db: D1Database, tenant: TenantRow): D1PreparedStatement {
  return db
    .prepare('INSERT INTO tenants (id, name, created_at) VALUES (?1, ?2, ?3)')
    .bind(tenant.id, tenant.name, tenant.created_at);
}

export async function findTenantByName(db: D1Database, name: string): Promise<TenantRow | null> {
  return db.prepare('SELECT id, name, created_at FROM tenants WHERE name = ?1').bind(name).first<TenantRow>();
}

export async function findTenant(db: D1Database, id: string): Promise<TenantRow | null> {
  return db.prepare('SELECT id, name, created_at FROM tenants WHERE id = ?1').bind(id).first<TenantRow>();
}

export async function listTenants(db: D1Database): Promise<TenantRow[]> {
  const { results } = await db.prepare('SELECT id, name, created_at FROM tenants ORDER BY name').all<TenantRow>();
  return results;
}
