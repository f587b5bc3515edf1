-- Patchboard foundation: tenants, API tokens, hosts and their installed software, inventory
-- history and the audit log. Timestamps are ISO 8601 UTC strings (they sort as text).
-- Never edit this file once landed: add a new numbered migration instead.

-- A customer of the service provider. Every other row belongs to exactly one tenant.
CREATE TABLE tenants (
  id TEXT PRIMARY KEY,                           -- 'tn_' + 16 random letters/digits
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  created_at TEXT NOT NULL
);

CREATE TABLE hosts (
  id INTEGER PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  hostname TEXT NOT NULL,                        -- lower-case; unique per tenant
  os_family TEXT NOT NULL,                       -- os-release ID: debian, ubuntu, rhel, alpine, windows, ...
  os_release TEXT NOT NULL,                      -- as reported: 12.5, 22.04, 9.4, 3.20.3, 10.0.20348.2402
  ecosystem TEXT NOT NULL,                       -- what advisories are matched against: Debian:12, Red Hat:9, ...
  ring TEXT NOT NULL DEFAULT 'prod',
  criticality INTEGER NOT NULL DEFAULT 3 CHECK (criticality BETWEEN 1 AND 4),
  internet_facing INTEGER NOT NULL DEFAULT 0 CHECK (internet_facing IN (0, 1)),
  owner TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  last_seen_at TEXT,                             -- last software report
  UNIQUE (tenant_id, hostname)
);
CREATE INDEX hosts_by_ring ON hosts (tenant_id, ring, hostname);
CREATE INDEX hosts_by_ecosystem ON hosts (tenant_id, ecosystem, hostname);

CREATE TABLE host_tags (
  host_id INTEGER NOT NULL REFERENCES hosts(id) ON DELETE CASCADE,
  tag TEXT NOT NULL,
  PRIMARY KEY (host_id, tag)
) WITHOUT ROWID;
CREATE INDEX host_tags_by_tag ON host_tags (tag, host_id);

-- Only the SHA-256 of a token is kept. The prefix ('pb_' + 8 characters, the token's first 11)
-- is not secret: it finds the row and names the token in lists and in the audit log.
CREATE TABLE api_tokens (
  prefix TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  token_hash TEXT NOT NULL,                      -- lower-case hex SHA-256 of the whole token
  role TEXT NOT NULL CHECK (role IN ('admin', 'approver', 'operator', 'viewer', 'agent')),
  host_id INTEGER REFERENCES hosts(id) ON DELETE SET NULL, -- the one host of an agent token
  hostname TEXT,                                 -- kept for the token list after the host is gone
  label TEXT,
  created_at TEXT NOT NULL,
  created_by TEXT,                               -- prefix of the creating token, or 'root'
  last_used_at TEXT,
  revoked_at TEXT,
  -- An agent token always names its host while it can be used; other roles never do.
  CHECK ((role = 'agent' AND (host_id IS NOT NULL OR revoked_at IS NOT NULL)) OR (role <> 'agent' AND host_id IS NULL))
);
CREATE INDEX api_tokens_by_tenant ON api_tokens (tenant_id, created_at);
CREATE INDEX api_tokens_by_host ON api_tokens (host_id);

-- What is installed on each host now. Several versions of one package can be installed at once
-- (kernels, multi-arch libraries), so a row is one (name, arch, version).
CREATE TABLE installed_packages (
  id INTEGER PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  host_id INTEGER NOT NULL REFERENCES hosts(id) ON DELETE CASCADE,
  ecosystem TEXT NOT NULL,                       -- the host's for OS packages; npm, PyPI, ... for SBOM components
  name TEXT NOT NULL,
  version TEXT NOT NULL,
  arch TEXT NOT NULL DEFAULT '',                 -- '' when the format does not say
  source_name TEXT,                              -- Debian source package, SRPM name, apk origin
  source_version TEXT,
  purl TEXT,
  UNIQUE (host_id, ecosystem, name, arch, version)
);
CREATE INDEX installed_by_package ON installed_packages (tenant_id, ecosystem, name);
CREATE INDEX installed_by_source ON installed_packages (tenant_id, ecosystem, source_name);

CREATE TABLE installed_hotfixes (
  tenant_id TEXT NOT NULL,
  host_id INTEGER NOT NULL REFERENCES hosts(id) ON DELETE CASCADE,
  kb TEXT NOT NULL,                              -- KB5034441
  installed_on TEXT,                             -- YYYY-MM-DD when reported
  PRIMARY KEY (host_id, kb)
) WITHOUT ROWID;
CREATE INDEX installed_hotfixes_by_kb ON installed_hotfixes (tenant_id, kb);

-- One row per software report; its changes below. The id sorts by time.
CREATE TABLE inventory_reports (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  host_id INTEGER NOT NULL REFERENCES hosts(id) ON DELETE CASCADE,
  reported_at TEXT NOT NULL,
  format TEXT NOT NULL,
  actor TEXT NOT NULL,
  package_count INTEGER NOT NULL,
  hotfix_count INTEGER NOT NULL,
  added INTEGER NOT NULL DEFAULT 0,
  removed INTEGER NOT NULL DEFAULT 0,
  changed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX inventory_reports_by_host ON inventory_reports (host_id, id);

CREATE TABLE inventory_changes (
  report_id TEXT NOT NULL REFERENCES inventory_reports(id) ON DELETE CASCADE,
  change TEXT NOT NULL CHECK (change IN ('added', 'removed', 'changed')),
  kind TEXT NOT NULL CHECK (kind IN ('package', 'hotfix')),
  ecosystem TEXT,
  name TEXT NOT NULL,
  arch TEXT,
  old_version TEXT,                              -- space-separated when several versions were installed
  new_version TEXT
);
CREATE INDEX inventory_changes_by_report ON inventory_changes (report_id);

-- A report's new set is staged here and applied, diffed and removed again inside one D1 batch
-- (a transaction), so concurrent reports of one host serialise instead of losing updates.
CREATE TABLE inventory_staging (
  report_id TEXT NOT NULL,
  ecosystem TEXT NOT NULL,
  name TEXT NOT NULL,
  version TEXT NOT NULL,
  arch TEXT NOT NULL,
  source_name TEXT,
  source_version TEXT,
  purl TEXT,
  PRIMARY KEY (report_id, ecosystem, name, arch, version)
) WITHOUT ROWID;

CREATE TABLE hotfix_staging (
  report_id TEXT NOT NULL,
  kb TEXT NOT NULL,
  installed_on TEXT,
  PRIMARY KEY (report_id, kb)
) WITHOUT ROWID;

-- Append-only: every state change writes one entry in the same transaction as the change.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id TEXT NOT NULL,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,                           -- token prefix, or 'root'
  actor_role TEXT NOT NULL,
  action TEXT NOT NULL,                          -- tenant.create, token.create, host.upsert, inventory.report, ...
  target TEXT NOT NULL,                          -- host:web-01, token:pb_AbCd1234, tenant:tn_...
  summary TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(summary))
);
CREATE INDEX audit_log_by_tenant ON audit_log (tenant_id, id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
