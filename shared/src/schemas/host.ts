import * as v from 'valibot';
import { isOsFamily, osFamilies } from '../os';
import { Finding } from './advisory';
import { Criticality, Hostname, PageQuery, Ring, Tag, Timestamp } from './common';

/**
 * An IPv4 or IPv6 address, stored in canonical text (IPv6 lower-case and compressed by URL
 * parsing, which every runtime implements the same way) so `10.0.0.5` and `::ffff:…` forms compare as text.
 */
export const IpAddress = v.pipe(
  v.string(),
  v.trim(),
  v.ip('an address must be an IPv4 or IPv6 address'),
  v.transform((ip) => (ip.includes(':') ? new URL(`http://[${ip}]/`).hostname.slice(1, -1) : ip)),
);

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
  /** IP addresses the host is known by (replaces the list; left out keeps it). */
  addresses: v.optional(v.pipe(v.array(IpAddress), v.maxLength(64, 'at most 64 addresses'))),
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
  addresses: v.array(v.string()),
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

/** Body of `POST /v1/hosts/match`: names and addresses seen on a console page. */
export const MatchHostsRequest = v.strictObject({
  names: v.pipe(
    v.array(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(253))),
    v.maxLength(2000, 'at most 2,000 names per request'),
  ),
});

/** Per name that is one of the tenant's hosts (by hostname, its first label, or an address). */
export const HostMatches = v.object({
  items: v.array(
    v.object({
      name: v.string(),
      hostname: v.string(),
      ring: v.string(),
      p1: v.number(),
      p2: v.number(),
      pendingDeployment: v.nullable(v.object({ id: v.number(), title: v.string(), status: v.string() })),
    }),
  ),
});
