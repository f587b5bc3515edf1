/**
 * Staged deployment: what to install (findings, advisories or packages), on which hosts, and the
 * ring plan it walks (by default test -> pilot -> prod), each ring inside its maintenance windows,
 * promoted only when its gate passes. See worker/src/deploy/.
 */
import * as v from 'valibot';
import { Hostname, PageQuery, Ring, Tag, Timestamp } from './common';

export const DeploymentStatus = v.picklist([
  'draft',
  'awaiting_approval',
  'approved',
  'running',
  'completed',
  'halted',
  'rolled_back',
  'rejected',
  'cancelled',
]);
export type DeploymentStatus = v.InferOutput<typeof DeploymentStatus>;

export const RingStatus = v.picklist([
  'pending',
  'running',
  'soaking',
  'checking',
  'passed',
  'failed',
  'skipped',
  'cancelled',
]);
export type RingStatus = v.InferOutput<typeof RingStatus>;

export const JobStatus = v.picklist(['queued', 'claimed', 'succeeded', 'failed', 'rolled_back', 'cancelled']);
export type JobStatus = v.InferOutput<typeof JobStatus>;

export const JobStep = v.picklist(['backup', 'install', 'verify', 'rollback', 'done']);
export type JobStep = v.InferOutput<typeof JobStep>;

/** At most this many items in a deployment's target or host list: a bigger change is several deployments. */
export const MAX_DEPLOYMENT_TARGETS = 500;

/** A systemd unit (or Windows service) name a health check asks to be active. */
export const ServiceName = v.pipe(
  v.string(),
  v.regex(
    /^[A-Za-z0-9][A-Za-z0-9@._:-]{0,127}$/,
    'a health check names a service: letters, digits and "@._:-", at most 128 characters',
  ),
);

/** Package names and versions of a `packages` target: what package managers accept, and no more. */
const PackageName = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9][A-Za-z0-9+._-]{0,127}$/, 'package name: letters, digits and "+._-", at most 128 characters'),
);
const PackageVersion = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9][A-Za-z0-9.+~:_-]{0,127}$/, 'version: letters, digits and ".+~:_-", at most 128 characters'),
);

/** One ring of a plan: its maintenance windows, soak time, success threshold and health checks. */
export const RingPlan = v.strictObject({
  ring: Ring,
  /** Windows by id; none: each host's own windows (by ring, tag or hostname). */
  windows: v.optional(v.pipe(v.array(v.pipe(v.number(), v.integer(), v.minValue(1))), v.maxLength(20)), []),
  /** How long the ring must stay healthy after its last install before the next ring starts. */
  soakMinutes: v.pipe(
    v.number(),
    v.integer(),
    v.minValue(0),
    v.maxValue(43_200, 'soakMinutes is at most 30 days (43,200)'),
  ),
  /** The share of hosts whose install must succeed (0 < x <= 1). */
  successThreshold: v.pipe(
    v.number(),
    v.minValue(0.01, 'successThreshold is a share above 0'),
    v.maxValue(1, 'successThreshold is a share of at most 1'),
  ),
  /** Services that must be active after the install and again after the soak. */
  healthChecks: v.optional(v.pipe(v.array(ServiceName), v.maxLength(20)), []),
});
export type RingPlan = v.InferOutput<typeof RingPlan>;

export const Plan = v.pipe(
  v.array(RingPlan),
  v.minLength(1, 'a plan has at least one ring'),
  v.maxLength(10, 'a plan has at most 10 rings'),
  v.check((plan) => new Set(plan.map((r) => r.ring)).size === plan.length, 'each ring appears once in a plan'),
);
export type Plan = v.InferOutput<typeof Plan>;

export const AdvisoryRef = v.pipe(
  v.string(),
  v.trim(),
  v.minLength(1),
  v.maxLength(128),
  v.regex(/^[A-Za-z0-9][A-Za-z0-9:._/-]*$/, 'an advisory id or CVE such as DSA-5678-1 or CVE-2024-0727'),
);

/** What a deployment installs. */
export const DeploymentTarget = v.variant('kind', [
  v.strictObject({
    kind: v.literal('advisories'),
    /** Advisory ids or their aliases, or CVEs (every advisory naming it). */
    ids: v.pipe(v.array(AdvisoryRef), v.minLength(1), v.maxLength(MAX_DEPLOYMENT_TARGETS)),
  }),
  v.strictObject({
    kind: v.literal('findings'),
    ids: v.pipe(
      v.array(v.pipe(v.number(), v.integer(), v.minValue(1))),
      v.minLength(1),
      v.maxLength(MAX_DEPLOYMENT_TARGETS),
    ),
  }),
  v.strictObject({
    kind: v.literal('packages'),
    packages: v.pipe(
      v.array(v.strictObject({ name: PackageName, version: PackageVersion })),
      v.minLength(1),
      v.maxLength(MAX_DEPLOYMENT_TARGETS),
    ),
  }),
]);
export type DeploymentTarget = v.InferOutput<typeof DeploymentTarget>;

/** Where: every affected host, or those of some rings, tags or hostnames. */
export const DeploymentHosts = v.variant('kind', [
  v.strictObject({ kind: v.literal('all') }),
  v.strictObject({ kind: v.literal('rings'), values: v.pipe(v.array(Ring), v.minLength(1), v.maxLength(20)) }),
  v.strictObject({ kind: v.literal('tags'), values: v.pipe(v.array(Tag), v.minLength(1), v.maxLength(20)) }),
  v.strictObject({
    kind: v.literal('hostnames'),
    values: v.pipe(v.array(Hostname), v.minLength(1), v.maxLength(MAX_DEPLOYMENT_TARGETS)),
  }),
]);
export type DeploymentHosts = v.InferOutput<typeof DeploymentHosts>;

export const CreateDeploymentRequest = v.strictObject({
  title: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200))),
  target: DeploymentTarget,
  hosts: v.optional(DeploymentHosts, { kind: 'all' }),
  /** Left out: the tenant's default plan (GET /v1/deployment-plan). */
  plan: v.optional(Plan),
  /** Submit for approval at once (otherwise a draft). */
  submit: v.optional(v.boolean(), false),
});

/** The one-click schedule of the extension: these ids, every affected host, the default plan. */
export const ScheduleRequest = v.strictObject({
  ids: v.pipe(v.array(AdvisoryRef), v.minLength(1), v.maxLength(50)),
  title: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200))),
});

export const DeploymentDecisionRequest = v.strictObject({
  note: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(2000))),
});

export const DeploymentParams = v.strictObject({
  id: v.pipe(v.string(), v.regex(/^\d{1,12}$/, 'deployment id is a number'), v.transform(Number)),
});

export const DeploymentListQuery = v.strictObject({
  status: v.optional(DeploymentStatus),
  ...PageQuery,
});

export const Opening = v.object({ start: Timestamp, end: Timestamp });

export const JobSummary = v.object({
  id: v.number(),
  hostname: v.string(),
  kind: v.picklist(['patch', 'check']),
  status: JobStatus,
  step: JobStep,
  packageManager: v.string(),
  rebootRequired: v.nullable(v.boolean()),
  result: v.nullable(v.string()),
  claims: v.number(),
  startedAt: v.nullable(Timestamp),
  finishedAt: v.nullable(Timestamp),
});

export const DeploymentRing = v.object({
  position: v.number(),
  ring: v.string(),
  status: RingStatus,
  windows: v.array(v.number()),
  soakMinutes: v.number(),
  successThreshold: v.number(),
  healthChecks: v.array(v.string()),
  hosts: v.number(),
  /** When the ring's hosts can next be patched (the earliest next opening of their windows), if any. */
  nextOpening: v.nullable(Opening),
  startedAt: v.nullable(Timestamp),
  installedAt: v.nullable(Timestamp),
  soakUntil: v.nullable(Timestamp),
  finishedAt: v.nullable(Timestamp),
  /** What the gate decided on: counts and the reasons it failed, if it did. */
  gate: v.nullable(
    v.object({
      passed: v.boolean(),
      succeeded: v.number(),
      total: v.number(),
      reasons: v.array(v.string()),
    }),
  ),
});

export const Deployment = v.object({
  id: v.number(),
  title: v.string(),
  status: DeploymentStatus,
  target: DeploymentTarget,
  hosts: DeploymentHosts,
  rings: v.array(DeploymentRing),
  /** Advisories it closes, by id. */
  advisories: v.array(v.string()),
  createdBy: v.string(),
  createdAt: Timestamp,
  submittedAt: v.nullable(Timestamp),
  approvedBy: v.nullable(v.string()),
  approvedAt: v.nullable(Timestamp),
  decisionNote: v.nullable(v.string()),
  startedAt: v.nullable(Timestamp),
  endedAt: v.nullable(Timestamp),
  haltReason: v.nullable(v.string()),
});
export type Deployment = v.InferOutput<typeof Deployment>;

export const DeploymentDetail = v.object({
  ...Deployment.entries,
  items: v.array(
    v.object({
      hostname: v.string(),
      ring: v.string(),
      package: v.string(),
      targetVersion: v.nullable(v.string()),
      kb: v.nullable(v.string()),
      advisories: v.array(v.string()),
    }),
  ),
  jobs: v.array(JobSummary),
});

export const DeploymentPlanDocument = v.object({
  plan: Plan,
  /** false: the built-in default (no PUT yet). */
  custom: v.boolean(),
});
export const PutDeploymentPlanRequest = v.strictObject({ plan: Plan });

/** Which hosts a snapshot hook serves: every host, a ring, a tag or one host. */
export const HookScope = v.variant('kind', [
  v.strictObject({ kind: v.literal('all') }),
  v.strictObject({ kind: v.literal('ring'), value: Ring }),
  v.strictObject({ kind: v.literal('tag'), value: Tag }),
  v.strictObject({ kind: v.literal('hostname'), value: Hostname }),
]);

/**
 * A command the backup step runs before installing on the hosts in its scope: an LVM snapshot of
 * `vg/lv`, a read-only btrfs snapshot of a subvolume path, a ZFS snapshot of a dataset, or a site's
 * own command (argv; `{job}` becomes the job id), e.g. a hypervisor snapshot through its API. The
 * most specific hook of a host wins (hostname, tag, ring, all).
 */
export const CreateSnapshotHookRequest = v.strictObject({
  name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100)),
  kind: v.picklist(['lvm', 'btrfs', 'zfs', 'command']),
  /** `vg/lv`, `/`, `rpool/ROOT/debian`; for `command` the argv. */
  target: v.union([
    v.pipe(v.string(), v.minLength(1), v.maxLength(500)),
    v.pipe(v.array(v.string()), v.minLength(1), v.maxLength(64)),
  ]),
  appliesTo: v.optional(HookScope, { kind: 'all' }),
});

export const SnapshotHook = v.object({
  id: v.number(),
  name: v.string(),
  kind: v.picklist(['lvm', 'btrfs', 'zfs', 'command']),
  target: v.union([v.string(), v.array(v.string())]),
  appliesTo: v.object({ kind: v.string(), value: v.nullable(v.string()) }),
  createdAt: Timestamp,
});

export const SnapshotHookParams = v.strictObject({
  id: v.pipe(v.string(), v.regex(/^\d{1,12}$/, 'hook id is a number'), v.transform(Number)),
});
