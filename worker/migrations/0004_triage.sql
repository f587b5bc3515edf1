-- Triage: a priority and a due date on every unresolved finding (from the tenant's policy and the
-- signals of KEV, EPSS, CVSS, exploit status, SSVC and the host), risk exceptions that approvers
-- grant for a while, and the events the toolbar polls.

-- A tenant's prioritisation policy (JSON, see shared/src/schemas/policy.ts); absent: the default.
CREATE TABLE tenant_policies (
  tenant_id TEXT PRIMARY KEY REFERENCES tenants(id),
  policy TEXT NOT NULL CHECK (json_valid(policy)),
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
);

-- The priority of a finding is computed by worker/src/triage/ whenever its inputs change (a match,
-- new KEV/EPSS/NVD facts, the host, the policy); NULL until first computed.
ALTER TABLE findings ADD COLUMN priority INTEGER CHECK (priority BETWEEN 1 AND 4);
ALTER TABLE findings ADD COLUMN due_at TEXT;
ALTER TABLE findings ADD COLUMN priority_reason TEXT;
-- The SSVC decision (CISA's tree): track, track*, attend, act.
ALTER TABLE findings ADD COLUMN ssvc TEXT;
-- The risk exception that excepts it, while it does.
ALTER TABLE findings ADD COLUMN exception_id INTEGER REFERENCES risk_exceptions(id);
-- The ring of the finding's host, as of its last triage: lookups count affected hosts per ring
-- from the index below alone, without reading a host row per finding.
ALTER TABLE findings ADD COLUMN ring TEXT;
-- Every per-advisory question (a rematch's findings of an advisory, a lookup's counts per status and
-- hosts per ring) starts here; it supersedes findings_by_advisory.
CREATE INDEX findings_for_lookup ON findings (advisory_pk, tenant_id, status, ring, host_id);
DROP INDEX findings_by_advisory;

-- A risk accepted for a while instead of patching: which hosts (by hostname, tag, ring, or all) and
-- which vulnerabilities (by advisory, CVE or package), why, the compensating control, who asked,
-- who approved (an approver other than the requester), and until when.
CREATE TABLE risk_exceptions (
  id INTEGER PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  host_kind TEXT NOT NULL CHECK (host_kind IN ('hostname', 'tag', 'ring', 'all')),
  host_value TEXT NOT NULL DEFAULT '',
  target_kind TEXT NOT NULL CHECK (target_kind IN ('advisory', 'cve', 'package')),
  target_value TEXT NOT NULL,
  reason TEXT NOT NULL,
  compensating_control TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('requested', 'approved', 'rejected', 'revoked', 'expired')),
  requested_by TEXT NOT NULL,
  requested_at TEXT NOT NULL,
  decided_by TEXT,
  decided_at TEXT,
  decision_note TEXT,
  expires_at TEXT NOT NULL,
  ended_at TEXT,
  CHECK (status = 'requested' OR decided_by IS NOT NULL),
  CHECK (decided_by IS NULL OR decided_by <> requested_by)
);
CREATE INDEX risk_exceptions_by_tenant ON risk_exceptions (tenant_id, status, expires_at);

-- What the extension's toolbar polls: each event once, in order, per tenant (dedupe_key makes a
-- repeated emission of the same fact a no-op).
CREATE TABLE events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id TEXT NOT NULL,
  at TEXT NOT NULL,
  kind TEXT NOT NULL,                            -- finding.p1, finding.kev, approval.waiting, exception.expiring, exception.expired, ring.failed
  subject TEXT NOT NULL,                         -- what it is about: finding:123, exception:7, deployment:3
  summary TEXT NOT NULL,
  payload TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(payload)),
  dedupe_key TEXT NOT NULL,
  UNIQUE (tenant_id, dedupe_key)
);
CREATE INDEX events_by_tenant ON events (tenant_id, id);

-- Whether the finding's advisory names a CVE on CISA KEV, as of its last triage (a change is an event).
ALTER TABLE findings ADD COLUMN kev INTEGER NOT NULL DEFAULT 0 CHECK (kev IN (0, 1));

-- Aliases now hold an advisory's CVEs too (worker/src/db/advisories.ts), so a lookup by any id is
-- one index probe; fill them in for advisories stored before.
INSERT OR IGNORE INTO advisory_aliases (advisory_pk, alias)
SELECT a.pk, j.value FROM advisories a, json_each(a.cves) j;

-- A requested sweep of every finding through triage (worker/src/triage/sweep.ts): when it was
-- requested and the advisory it has reached; absent when none is due.
CREATE TABLE triage_sweep (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  requested_at TEXT NOT NULL,
  next_pk INTEGER NOT NULL DEFAULT 0
);

-- Risk exceptions (worker/src/triage/exceptions.ts): the findings an exception excepts, for its
-- detail, revocation and expiry, without scanning a tenant's findings (partial: most have none);
-- and the cron's sweep over every tenant's approved exceptions by expiry.
CREATE INDEX findings_by_exception ON findings (exception_id) WHERE exception_id IS NOT NULL;
CREATE INDEX risk_exceptions_by_expiry ON risk_exceptions (status, expires_at);

-- Lookup (worker/src/lookup/): `GET /v1/lookup?ids=KB5034441` finds the advisories a KB fixes
-- through range_kbs, whose key starts with the range; without this it would read every row.
CREATE INDEX range_kbs_by_kb ON range_kbs (kb, range_id);

-- reports (worker/src/reports/): tenant-wide aggregates that must not read every finding row. The
-- unresolved findings of a tenant by priority, status and host with their due dates (the backlog,
-- SLA breaches, coverage per ring; partial: resolved findings, most of them in time, stay out);
-- findings by when they were first seen and by when they were resolved, covering the remediation
-- times and the trend; and the audit log of a tenant by time, for the action counts of a period.
CREATE INDEX findings_unresolved_by_tenant ON findings (tenant_id, priority, status, host_id, due_at)
  WHERE status <> 'resolved';
CREATE INDEX findings_first_seen_by_tenant ON findings (tenant_id, first_seen_at);
CREATE INDEX findings_resolved_by_tenant
  ON findings (tenant_id, resolved_at, resolution, priority, first_seen_at, reopened_at, due_at)
  WHERE resolved_at IS NOT NULL;
CREATE INDEX audit_log_by_tenant_time ON audit_log (tenant_id, at, action);

-- Lookup: an advisory's most urgent unresolved finding in a tenant, and the one due first at that
-- priority, in one seek each, however many hosts it affects (partial: resolved findings need neither).
CREATE INDEX findings_due_for_lookup ON findings (advisory_pk, tenant_id, priority, due_at) WHERE status <> 'resolved';
