import * as v from 'valibot';
import { isOsFamily, osFamilies } from '../os';
import { Finding } from './advisory';
import { Criticality, Hostname, PageQuery, Ring, Tag, Timestamp } from './common';

export const OsFamilyName = v.pipe(
  v.string(),
  v.toLowerCase(),
  v.check(isOsFamily, `os.family must be one of: ${osFamilies.join(', ')}`),
);

export const Os = v.strictObject({
  family: OsFamilyName,
  release: v.pipe(v.string(), v.trim(), v.minLength(1, 'os.release is required'), v.maxLength(32)),
});

/**
 * Body of `PUT /v1/hosts/{hostname}`. Fields left out keep their current value on an existing
 * host and take the default on a new one (ring `prod`, criticality 3, not internet-facing, no tags),
 * so an agent refreshing its OS release never resets what an admin decided.
 */
export const PutHostRequest = v.strictObject({
  os: Os,
  ring: v.optional(Ring),
  criticality: v.optional(Criticality),
  internetFacing: v.optional(v.boolean()),
  tags: v.optional(v.pipe(v.array(Tag), v.maxLength(32, 'at most 32 tags'))),
  owner: v.optional(v.nullable(v.pipe(v.string(), v.trim(), v.maxLength(200, 'owner is at most 200 characters')))),
});
export type PutHostRequest = v.InferOutput<typeof PutHostRequest>;

export const Host = v.object({
  hostname: v.string(),
  os: v.object({ family: v.string(), release: v.string() }),
  ecosystem: v.string(),
  ring: v.string(),
  criticality: v.number(),
  internetFacing: v.boolean(),
  tags: v.array(v.string()),
  owner: v.nullable(v.string()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  lastSeenAt: v.nullable(Timestamp),
  packageCount: v.number(),
  hotfixCount: v.number(),
  /** Findings not resolved yet. */
  openFindings: v.number(),
});
export type Host = v.InferOutput<typeof Host>;

/** One host with its unresolved findings, each with its explanation. */
export const HostDetail = v.object({ ...Host.entries, findings: v.array(Finding) });
export type HostDetail = v.InferOutput<typeof HostDetail>;

export const HostListQuery = v.strictObject({
  ring: v.optional(Ring),
  tag: v.optional(Tag),
  ecosystem: v.optional(v.pipe(v.string(), v.maxLength(64))),
  ...PageQuery,
});

export const HostParams = v.object({ hostname: Hostname });
