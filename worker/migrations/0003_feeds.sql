-- Bulletin feeds: where advisories and enrichment come from, how far each has read, and what it
-- refused. Everything a feed stores is global (scope ''), except a tenant's own CSAF providers.

CREATE TABLE feeds (
  id TEXT PRIMARY KEY,                           -- osv-debian, csaf-redhat, kev, ... or t-<tenant>-<slug>
  scope TEXT NOT NULL DEFAULT '',                -- '' for the service's feeds, a tenant id for its own providers
  kind TEXT NOT NULL,                            -- the adapter: csaf, osv, msrc, kev, epss, nvd, debian-tracker, alpine-secdb
  name TEXT NOT NULL,
  url TEXT NOT NULL,
  config TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(config)),
  enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  interval_seconds INTEGER NOT NULL CHECK (interval_seconds >= 60),
  cursor TEXT,                                   -- the adapter's position (JSON); advanced only after what it covers is stored
  etag TEXT,
  last_modified TEXT,
  next_run_at TEXT NOT NULL,
  running_until TEXT,                            -- a run's lease: no two invocations sync one feed at once
  last_attempt_at TEXT,
  last_success_at TEXT,
  last_error TEXT,
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  stats TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(stats)) -- counts of the last run and in total
);
CREATE INDEX feeds_due ON feeds (enabled, next_run_at);
CREATE INDEX feeds_by_scope ON feeds (scope, id);

-- Documents a feed delivered but Patchboard refused, with why; kept for an admin to read.
CREATE TABLE feed_quarantine (
  id INTEGER PRIMARY KEY,
  feed_id TEXT NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
  document TEXT NOT NULL,                        -- its id or URL
  reason TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  excerpt TEXT NOT NULL,                         -- the first 2 KiB, as received
  received_at TEXT NOT NULL,
  UNIQUE (feed_id, document, content_hash)
);
CREATE INDEX feed_quarantine_by_feed ON feed_quarantine (feed_id, id);

-- Per-CVE facts from CISA KEV, FIRST EPSS and NVD (global).
CREATE TABLE kev_entries (
  cve TEXT PRIMARY KEY,
  vendor TEXT NOT NULL,
  product TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  date_added TEXT NOT NULL,                      -- YYYY-MM-DD
  due_date TEXT NOT NULL,
  required_action TEXT NOT NULL,
  ransomware TEXT NOT NULL,                      -- Known / Unknown
  notes TEXT NOT NULL DEFAULT '',
  updated_at TEXT NOT NULL
);

CREATE TABLE epss_scores (
  cve TEXT PRIMARY KEY,
  score REAL NOT NULL CHECK (score BETWEEN 0 AND 1),
  percentile REAL NOT NULL CHECK (percentile BETWEEN 0 AND 1),
  score_date TEXT NOT NULL,
  model_version TEXT NOT NULL
);

CREATE TABLE cve_records (
  cve TEXT PRIMARY KEY,
  status TEXT NOT NULL,                          -- NVD vulnStatus: Analyzed, Modified, Rejected, ...
  published TEXT,
  modified TEXT NOT NULL,
  description TEXT,
  cvss3_vector TEXT,
  cvss3_score REAL,
  cvss4_vector TEXT,
  cvss4_score REAL,
  cwes TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(cwes)),
  updated_at TEXT NOT NULL
);
CREATE INDEX cve_records_rejected ON cve_records (status) WHERE status = 'Rejected';

-- Windows: a range fixed by KBs is not affected on a host that has one of them installed, or any
-- KB that (transitively) supersedes one. kb_implies holds that closure: having `kb` installed
-- implies having `implied` (every KB implies itself).
CREATE TABLE range_kbs (
  range_id INTEGER NOT NULL REFERENCES affected_ranges(id) ON DELETE CASCADE,
  kb TEXT NOT NULL,
  PRIMARY KEY (range_id, kb)
) WITHOUT ROWID;

CREATE TABLE kb_supersedence (
  kb TEXT NOT NULL,                              -- the newer update
  supersedes TEXT NOT NULL,                      -- the older update it replaces
  PRIMARY KEY (kb, supersedes)
) WITHOUT ROWID;

CREATE TABLE kb_implies (
  implied TEXT NOT NULL,
  kb TEXT NOT NULL,
  PRIMARY KEY (implied, kb)
) WITHOUT ROWID;

ALTER TABLE affected_ranges ADD COLUMN kb_gated INTEGER NOT NULL DEFAULT 0;
