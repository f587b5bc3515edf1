-- Advisories, what they affect, and the findings that say which host is affected by which and why.
-- Versions are compared in SQL through order-preserving keys (shared/src/versions): plain string
-- comparison of two keys is the ecosystem's version order, so range checks use the indexes below.

-- What each installed package is matched by: the source package and its version for Debian,
-- Ubuntu and Alpine (their advisories name sources), the package itself elsewhere. match_key is
-- NULL when the ecosystem's scheme cannot read the version; such a package matches nothing.
ALTER TABLE installed_packages ADD COLUMN match_name TEXT NOT NULL DEFAULT '';
ALTER TABLE installed_packages ADD COLUMN match_version TEXT NOT NULL DEFAULT '';
ALTER TABLE installed_packages ADD COLUMN match_key TEXT;
-- Covering for the matcher's join driven from the ranges: a match never reads the table row.
CREATE INDEX installed_by_match
  ON installed_packages (ecosystem, match_name, match_key, tenant_id, host_id, match_version, name);
-- One host's packages by match name: a report's rematch reads it, and resolving a finding asks
-- whether the package is still installed.
CREATE INDEX installed_by_host ON installed_packages (host_id, ecosystem, match_name, match_key);
-- Superseded by installed_by_match, which serves every lookup by package; fewer indexes make reports cheaper.
DROP INDEX installed_by_package;
DROP INDEX installed_by_source;

ALTER TABLE inventory_staging ADD COLUMN match_name TEXT NOT NULL DEFAULT '';
ALTER TABLE inventory_staging ADD COLUMN match_version TEXT NOT NULL DEFAULT '';
ALTER TABLE inventory_staging ADD COLUMN match_key TEXT;

-- An advisory is global (scope '', from the vendor feeds) or a tenant's own import (scope = the
-- tenant id). A tenant's copy of an id shadows the global one for that tenant only, so one
-- customer's import can never change what another customer sees.
CREATE TABLE advisories (
  pk INTEGER PRIMARY KEY,
  scope TEXT NOT NULL,
  id TEXT NOT NULL,                              -- DSA-5678-1, GHSA-..., RHSA-2024:4546, UBUNTU-CVE-...
  source TEXT NOT NULL,                          -- the format it came in: osv, csaf, ...
  summary TEXT,
  details TEXT,
  published TEXT,
  modified TEXT NOT NULL,
  withdrawn TEXT,                                -- set: matches nothing, its findings are resolved
  cves TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(cves)),
  document TEXT NOT NULL CHECK (json_valid(document)), -- the normalised advisory, as GET /v1/advisories/{id} shows it
  content_hash TEXT NOT NULL,                    -- SHA-256 of what was imported: the same document twice changes nothing
  imported_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (scope, id)
);
CREATE INDEX advisories_by_id ON advisories (id, scope);

CREATE TABLE advisory_aliases (
  advisory_pk INTEGER NOT NULL REFERENCES advisories(pk) ON DELETE CASCADE,
  alias TEXT NOT NULL,                           -- CVE-..., GHSA-..., USN-..., upstream ids
  PRIMARY KEY (advisory_pk, alias)
) WITHOUT ROWID;
CREATE INDEX advisory_aliases_by_alias ON advisory_aliases (alias);

-- One affected version interval of one package in one ecosystem (as hosts name it: Debian:12,
-- Ubuntu:22.04, Red Hat:9, npm, ...). lower_key '' is unbounded below; upper_key NULL unbounded above.
CREATE TABLE affected_ranges (
  id INTEGER PRIMARY KEY,
  advisory_pk INTEGER NOT NULL REFERENCES advisories(pk) ON DELETE CASCADE,
  ecosystem TEXT NOT NULL,
  package TEXT NOT NULL,
  lower_key TEXT NOT NULL DEFAULT '',
  lower_inclusive INTEGER NOT NULL DEFAULT 1,
  upper_key TEXT,
  upper_inclusive INTEGER NOT NULL DEFAULT 0,
  introduced TEXT,
  fixed TEXT,
  last_affected TEXT,
  explanation TEXT NOT NULL                      -- why a version inside is affected, after "<package> <version> "
);
-- Covering for the range check, so candidates that do not match never touch the table.
CREATE INDEX affected_by_package
  ON affected_ranges (ecosystem, package, lower_key, upper_key, lower_inclusive, upper_inclusive, advisory_pk);
CREATE INDEX affected_by_advisory ON affected_ranges (advisory_pk);

-- Which host is affected by which advisory through which package, and why. Maintained as a delta:
-- a rematch inserts new findings, refreshes changed ones, resolves those that no longer match,
-- and leaves the rest untouched.
CREATE TABLE findings (
  id INTEGER PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  host_id INTEGER NOT NULL REFERENCES hosts(id) ON DELETE CASCADE,
  advisory_pk INTEGER NOT NULL REFERENCES advisories(pk) ON DELETE CASCADE,
  ecosystem TEXT NOT NULL,
  package TEXT NOT NULL,                         -- as the advisory names it (the source package for Debian)
  binaries TEXT NOT NULL DEFAULT '',             -- installed packages behind it, comma-separated
  installed_version TEXT NOT NULL,
  fixed_version TEXT,                            -- NULL: no fixed version known
  explanation TEXT NOT NULL,
  -- open until a software report shows a version outside every affected interval (resolved); deployments
  -- and risk exceptions (later migrations' tables) move open findings to scheduled or excepted.
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'scheduled', 'excepted', 'resolved')),
  resolution TEXT CHECK (resolution IN ('fixed', 'removed', 'withdrawn', 'not_affected', 'superseded')),
  first_seen_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  resolved_at TEXT,
  reopened_at TEXT,
  UNIQUE (host_id, advisory_pk, package)
);
-- Listing newest first per tenant; status is filtered on the rows, so resolving does not rewrite this index.
CREATE INDEX findings_by_tenant ON findings (tenant_id, id);
CREATE INDEX findings_by_advisory ON findings (advisory_pk, status);
