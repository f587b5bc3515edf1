-- Staged deployment: maintenance windows, snapshot hooks, deployments ring by ring, the jobs agents
-- run on each host (backup, install, verify, rollback), and the enrolment of agents.

-- A maintenance window: a weekly or monthly rule in an IANA time zone, with blackout dates, applying
-- to hosts by ring, tag, hostname or all (worker/src/deploy/windows/ parses and computes openings).
CREATE TABLE maintenance_windows (
  id INTEGER PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  name TEXT NOT NULL,
  rule TEXT NOT NULL,                            -- 'Sat 02:00-05:00', 'second Tuesday + 3 days 22:00-02:00'
  time_zone TEXT NOT NULL,                       -- 'Europe/Berlin'
  blackouts TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(blackouts)), -- local dates 'YYYY-MM-DD' without openings
  scope_kind TEXT NOT NULL CHECK (scope_kind IN ('all', 'ring', 'tag', 'hostname')),
  scope_value TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (tenant_id, name)
);

-- A command the backup step runs before installing, for the hosts in its scope: an LVM, btrfs or ZFS
-- snapshot, or a site's own command (a hypervisor snapshot through its API).
CREATE TABLE snapshot_hooks (
  id INTEGER PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('lvm', 'btrfs', 'zfs', 'command')),
  target TEXT NOT NULL,                          -- vg/lv, subvolume path, dataset, or the command's argv (JSON)
  scope_kind TEXT NOT NULL CHECK (scope_kind IN ('all', 'ring', 'tag', 'hostname')),
  scope_value TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  UNIQUE (tenant_id, name)
);

-- A deployment: what (findings, advisories or packages), where (hosts), and its ring plan; a state
-- machine stored here and in the audit log (worker/src/deploy/machine.ts).
CREATE TABLE deployments (
  id INTEGER PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  title TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('draft', 'awaiting_approval', 'approved', 'running', 'completed', 'halted',
                                         'rolled_back', 'rejected', 'cancelled')),
  target TEXT NOT NULL CHECK (json_valid(target)),
  hosts TEXT NOT NULL CHECK (json_valid(hosts)),
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  submitted_at TEXT,
  approved_by TEXT,
  approved_at TEXT,
  decision_note TEXT,
  started_at TEXT,
  ended_at TEXT,
  halt_reason TEXT,
  updated_at TEXT NOT NULL,
  -- Each state change bumps the version it read and writes its own random token: the change's other
  -- statements run only where the token is theirs, so of two approvers (or two agents finishing the
  -- last jobs of a ring) acting at once exactly one wins, and the loser's batch changes nothing.
  version INTEGER NOT NULL DEFAULT 1,
  transition TEXT
);
CREATE INDEX deployments_by_tenant ON deployments (tenant_id, id);
CREATE INDEX deployments_active ON deployments (status) WHERE status IN ('approved', 'running');

-- A tenant's default ring plan (JSON, shared/src/schemas/deployment.ts); absent: the built-in one.
CREATE TABLE deployment_plans (
  tenant_id TEXT PRIMARY KEY REFERENCES tenants(id),
  plan TEXT NOT NULL CHECK (json_valid(plan)),
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
);

-- One ring of a deployment's plan, in order: its windows (none named: each host's own), soak time,
-- success threshold, health checks, and its progress through the gate.
CREATE TABLE deployment_rings (
  deployment_id INTEGER NOT NULL REFERENCES deployments(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  ring TEXT NOT NULL,
  window_ids TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(window_ids)),
  soak_minutes INTEGER NOT NULL CHECK (soak_minutes >= 0),
  success_threshold REAL NOT NULL CHECK (success_threshold > 0 AND success_threshold <= 1),
  health_checks TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(health_checks)),
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'soaking', 'checking', 'passed',
                                                          'failed', 'skipped', 'cancelled')),
  started_at TEXT,
  installed_at TEXT,                             -- every job of the ring finished
  soak_until TEXT,
  finished_at TEXT,
  gate TEXT CHECK (gate IS NULL OR json_valid(gate)), -- the evidence the gate decided on
  PRIMARY KEY (deployment_id, position)
);

-- What a deployment installs on each host: one row per (host, package), from the findings, the
-- advisories or the packages it was created for.
CREATE TABLE deployment_items (
  deployment_id INTEGER NOT NULL REFERENCES deployments(id) ON DELETE CASCADE,
  host_id INTEGER NOT NULL REFERENCES hosts(id) ON DELETE CASCADE,
  package TEXT NOT NULL,                         -- as installed (binary package name; 'windows' for a KB)
  target_version TEXT,                           -- the fixed version; NULL: the newest the repositories offer
  kb TEXT,                                       -- Windows: the KB that fixes it
  advisory_ids TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(advisory_ids)),
  finding_ids TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(finding_ids)),
  PRIMARY KEY (deployment_id, host_id, package)
);

-- A job: one host's part of one ring (kind 'patch'), or the health check after its soak ('check').
-- An agent claims it with a lease; the steps run backup -> install -> verify (-> rollback).
CREATE TABLE jobs (
  id INTEGER PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  deployment_id INTEGER NOT NULL REFERENCES deployments(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  host_id INTEGER NOT NULL REFERENCES hosts(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('patch', 'check')),
  package_manager TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('queued', 'claimed', 'succeeded', 'failed', 'rolled_back', 'cancelled')),
  step TEXT NOT NULL CHECK (step IN ('backup', 'install', 'verify', 'rollback', 'done')),
  lease TEXT,                                    -- SHA-256 of the lease the claim handed out
  lease_expires_at TEXT,
  claims INTEGER NOT NULL DEFAULT 0,
  backup TEXT CHECK (backup IS NULL OR json_valid(backup)), -- package -> version before installing
  reboot_required INTEGER CHECK (reboot_required IN (0, 1)),
  result TEXT,                                   -- why it ended as it did
  created_at TEXT NOT NULL,
  started_at TEXT,
  installed_at TEXT,
  finished_at TEXT,
  updated_at TEXT NOT NULL,
  transition TEXT,                               -- the token of its last change (see deployments.transition)
  UNIQUE (deployment_id, position, host_id, kind)
);
CREATE INDEX jobs_claimable ON jobs (host_id, status, lease_expires_at);
CREATE INDEX jobs_by_ring ON jobs (deployment_id, position, status);

-- Each step a job ran: the exact commands, their exit codes and output (capped), as the agent
-- reported them; the runbook and the gate read these.
CREATE TABLE job_steps (
  id INTEGER PRIMARY KEY,
  job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  step TEXT NOT NULL CHECK (step IN ('backup', 'install', 'verify', 'rollback')),
  commands TEXT NOT NULL CHECK (json_valid(commands)),
  results TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(results)),
  ok INTEGER CHECK (ok IN (0, 1)),
  log TEXT NOT NULL DEFAULT '',
  started_at TEXT NOT NULL,
  reported_at TEXT
);
CREATE INDEX job_steps_by_job ON job_steps (job_id, id);

-- Enrolment tokens: a new host presents one to get its own agent token (and its host record).
CREATE TABLE enrolment_tokens (
  prefix TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  token_hash TEXT NOT NULL,                      -- lower-case hex SHA-256 of the whole token
  label TEXT,
  ring TEXT NOT NULL DEFAULT 'prod',             -- given to hosts it enrols
  tags TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags)),
  uses_left INTEGER CHECK (uses_left IS NULL OR uses_left >= 0),
  expires_at TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  revoked_at TEXT,
  last_use TEXT                                  -- the token of the last enrolment (guards its other statements)
);
CREATE INDEX enrolment_tokens_by_tenant ON enrolment_tokens (tenant_id, created_at);
