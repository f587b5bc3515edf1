/**
 * What agents and the server say to each other (docs/agent-protocol.md): enrolment, and the
 * instructions a claim or a step report answers with.
 */
import * as v from 'valibot';
import { Hostname, Ring, Tag, Timestamp } from './common';

export const EnrolmentTokenPrefix = v.pipe(
  v.string(),
  v.regex(/^pbe_[A-Za-z0-9]{8}$/, 'enrolment token prefix looks like pbe_ and 8 letters or digits'),
);

export const CreateEnrolmentTokenRequest = v.strictObject({
  label: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(200))),
  /** The ring of the hosts it enrols (default prod). */
  ring: v.optional(Ring, 'prod'),
  tags: v.optional(v.pipe(v.array(Tag), v.maxLength(20)), []),
  /** How many hosts it may enrol; left out: any number until it expires. */
  uses: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100_000))),
  expiresInDays: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(90, 'at most 90 days')), 7),
});

export const EnrolmentToken = v.object({
  prefix: v.string(),
  label: v.nullable(v.string()),
  ring: v.string(),
  tags: v.array(v.string()),
  usesLeft: v.nullable(v.number()),
  expiresAt: Timestamp,
  createdAt: Timestamp,
  createdBy: v.string(),
  revokedAt: v.nullable(Timestamp),
});

/** The secret is shown once, when it is made. */
export const CreatedEnrolmentToken = v.object({ ...EnrolmentToken.entries, token: v.string() });

export const EnrolmentTokenParams = v.strictObject({ prefix: EnrolmentTokenPrefix });

export const EnrolRequest = v.strictObject({
  hostname: Hostname,
  /** os-release ID: debian, ubuntu, rhel, almalinux, alpine, windows, ... */
  osFamily: v.pipe(v.string(), v.trim(), v.toLowerCase(), v.minLength(1), v.maxLength(32)),
  osRelease: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(64)),
});

export const Enrolled = v.object({ hostname: v.string(), token: v.string() });

export const CommandMode = v.picklist(['run', 'probe', 'report']);

/** The next thing an agent does: a step of a job with its commands, or the job's end. */
export const Instruction = v.object({
  job: v.number(),
  lease: v.string(),
  step: v.picklist(['backup', 'install', 'verify', 'rollback', 'done']),
  commands: v.array(v.object({ mode: CommandMode, argv: v.array(v.string()) })),
  /** With step done: how the job ended, and why. */
  result: v.optional(v.picklist(['succeeded', 'failed', 'rolled_back', 'cancelled'])),
  reason: v.optional(v.string()),
});
export type Instruction = v.InferOutput<typeof Instruction>;

export const JobParams = v.strictObject({
  id: v.pipe(v.string(), v.regex(/^\d{1,12}$/, 'job id is a number'), v.transform(Number)),
});

/** At most this much output per command is kept (the agent sends the tail). */
export const MAX_COMMAND_OUTPUT = 64 * 1024;

/** A step report as JSON (the PowerShell agent); the sh agent sends the same as multipart form fields. */
export const StepReport = v.strictObject({
  lease: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
  step: v.picklist(['backup', 'install', 'verify', 'rollback']),
  results: v.pipe(
    v.array(
      v.strictObject({
        exit: v.pipe(v.number(), v.integer(), v.minValue(-1), v.maxValue(65_535)),
        output: v.optional(v.string(), ''),
      }),
    ),
    v.maxLength(100),
  ),
  log: v.optional(v.string(), ''),
});
export type StepReport = v.InferOutput<typeof StepReport>;
