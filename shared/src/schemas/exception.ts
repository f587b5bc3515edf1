/**
 * Risk exceptions: an approver accepts, for a while and with a compensating control, that some
 * hosts stay exposed to a vulnerability instead of being patched. While an exception is approved
 * and unexpired, the findings it covers are `excepted`; when it ends they reopen.
 */
import * as v from 'valibot';
import { Hostname, PageQuery, Ring, Tag, Timestamp } from './common';

export const ExceptionStatus = v.picklist(
  ['requested', 'approved', 'rejected', 'revoked', 'expired'],
  'status must be one of: requested, approved, rejected, revoked, expired',
);
export type ExceptionStatus = v.InferOutput<typeof ExceptionStatus>;

/** The longest risk an approver may accept at once; a longer one must be asked for again. */
export const MAX_EXCEPTION_DAYS = 365;

const required = (what: string) => v.string(`${what} is required (a string)`);

/** The message of a missing or unknown key in one kind of selector. */
const keysOf = (field: string, kind: string, value: string) =>
  `${field}.value is required for kind "${kind}" (${value}), and ${field} takes no other field`;

/** Which hosts an exception covers: by hostname, tag or ring, or every host of the tenant. */
export const ExceptionHosts = v.variant(
  'kind',
  [
    v.strictObject(
      { kind: v.literal('hostname'), value: v.pipe(required('hosts.value (the hostname)'), Hostname) },
      keysOf('hosts', 'hostname', 'the hostname'),
    ),
    v.strictObject(
      { kind: v.literal('tag'), value: v.pipe(required('hosts.value (the tag)'), Tag) },
      keysOf('hosts', 'tag', 'the tag'),
    ),
    v.strictObject(
      { kind: v.literal('ring'), value: v.pipe(required('hosts.value (the ring)'), Ring) },
      keysOf('hosts', 'ring', 'the ring'),
    ),
    v.strictObject(
      { kind: v.literal('all'), value: v.optional(v.never('hosts of kind "all" take no value')) },
      'hosts of kind "all" take no other field',
    ),
  ],
  'hosts.kind must be one of: hostname, tag, ring, all',
);
export type ExceptionHosts = v.InferOutput<typeof ExceptionHosts>;

export const CveId = v.pipe(
  required('target.value (the CVE)'),
  v.trim(),
  v.toUpperCase(),
  v.regex(/^CVE-\d{4}-\d{4,}$/, 'a CVE looks like CVE-2024-3094'),
);

/** As advisories are named in GET /v1/advisories/{id}. */
const AdvisoryId = v.pipe(
  required('target.value (the advisory id)'),
  v.trim(),
  v.regex(/^[A-Za-z0-9][A-Za-z0-9._:+-]{0,127}$/, 'not an advisory id (such as DSA-5678-1 or RHSA-2024:3501)'),
);

/**
 * A package as findings name it: the advisory's package (a Debian source package) or one of the
 * installed binaries behind it. Printable, without spaces or commas (findings keep their binaries
 * as a comma-separated list), as long as any ecosystem's names get.
 */
const PackageName = v.pipe(
  required('target.value (the package name)'),
  v.trim(),
  v.regex(/^[!-+\--~]{1,256}$/, 'a package name is 1-256 printable characters without spaces or commas'),
);

/** Which vulnerabilities: one advisory (or any of its aliases), one CVE, or every one of a package. */
export const ExceptionTarget = v.variant(
  'kind',
  [
    v.strictObject({ kind: v.literal('advisory'), value: AdvisoryId }, keysOf('target', 'advisory', 'the advisory id')),
    v.strictObject({ kind: v.literal('cve'), value: CveId }, keysOf('target', 'cve', 'the CVE')),
    v.strictObject({ kind: v.literal('package'), value: PackageName }, keysOf('target', 'package', 'the package name')),
  ],
  'target.kind must be one of: advisory, cve, package',
);
export type ExceptionTarget = v.InferOutput<typeof ExceptionTarget>;

const Text = (field: string, max: number) =>
  v.pipe(
    v.string(`${field} is required (a string)`),
    v.trim(),
    v.minLength(1, `${field} must not be empty`),
    v.maxLength(max, `${field} is at most ${max} characters`),
  );

/** Body of `POST /v1/exceptions`. The expiry must lie ahead, at most MAX_EXCEPTION_DAYS (checked against the request's time). */
export const CreateExceptionRequest = v.strictObject({
  hosts: ExceptionHosts,
  target: ExceptionTarget,
  reason: Text('reason', 2000),
  compensatingControl: Text('compensatingControl', 2000),
  /** Normalised to the stored form (UTC, milliseconds), so expiries compare as text with the clock's. */
  expiresAt: v.pipe(
    v.string('expiresAt is required (an ISO 8601 timestamp)'),
    v.isoTimestamp('expiresAt must be an ISO 8601 timestamp such as 2027-03-31T00:00:00Z'),
    v.transform((value) => new Date(value).toISOString()),
  ),
});
export type CreateExceptionRequest = v.InferOutput<typeof CreateExceptionRequest>;

/** Body of approve, reject and revoke: an optional note for the record (send `{}` for none). */
export const ExceptionDecisionRequest = v.strictObject({
  note: v.optional(Text('note', 2000)),
});

export const ExceptionParams = v.object({
  id: v.pipe(v.string(), v.regex(/^[1-9]\d{0,14}$/, 'an exception id is a positive whole number'), v.transform(Number)),
});

export const ExceptionListQuery = v.strictObject({ status: v.optional(ExceptionStatus), ...PageQuery });

export const ExceptionExportQuery = v.strictObject({
  format: v.picklist(['openvex', 'csaf'], 'format must be openvex or csaf'),
});

export const RiskException = v.object({
  id: v.number(),
  hosts: v.object({ kind: v.picklist(['hostname', 'tag', 'ring', 'all']), value: v.nullable(v.string()) }),
  target: v.object({ kind: v.picklist(['advisory', 'cve', 'package']), value: v.string() }),
  reason: v.string(),
  compensatingControl: v.string(),
  status: ExceptionStatus,
  /** Approved and not past its expiry (the cron marks it expired shortly after). */
  active: v.boolean(),
  requestedBy: v.string(),
  requestedAt: Timestamp,
  decidedBy: v.nullable(v.string()),
  decidedAt: v.nullable(Timestamp),
  decisionNote: v.nullable(v.string()),
  expiresAt: Timestamp,
  /** When it was revoked or expired. */
  endedAt: v.nullable(Timestamp),
});
export type RiskException = v.InferOutput<typeof RiskException>;

/** One exception with the findings it excepts now: how many, and the first ones. */
export const RiskExceptionDetail = v.object({
  ...RiskException.entries,
  findings: v.object({
    count: v.number(),
    items: v.array(v.object({ id: v.number(), hostname: v.string(), advisory: v.string(), package: v.string() })),
  }),
});
export type RiskExceptionDetail = v.InferOutput<typeof RiskExceptionDetail>;

/** An OpenVEX 0.2.0 or CSAF 2.0 VEX document (see worker/src/triage/vex.ts). */
export const VexDocument = v.record(v.string(), v.unknown());
