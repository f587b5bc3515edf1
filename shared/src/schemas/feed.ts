import * as v from 'valibot';
import { PageQuery, Timestamp } from './common';

export const FeedKind = v.picklist(['csaf', 'osv', 'msrc', 'kev', 'epss', 'nvd', 'debian-tracker', 'alpine-secdb']);

/** Counts of one run, and in total since the feed was added. */
export const FeedStats = v.object({
  imported: v.number(),
  unchanged: v.number(),
  deleted: v.number(),
  quarantined: v.number(),
  enrichment: v.number(),
  findingsOpened: v.number(),
  findingsResolved: v.number(),
});
export type FeedStats = v.InferOutput<typeof FeedStats>;

export const Feed = v.object({
  id: v.string(),
  /** `global`: the service's own feeds; `tenant`: a provider this tenant added. */
  scope: v.picklist(['global', 'tenant']),
  kind: FeedKind,
  name: v.string(),
  url: v.string(),
  enabled: v.boolean(),
  intervalSeconds: v.number(),
  cursor: v.unknown(),
  etag: v.nullable(v.string()),
  nextRunAt: Timestamp,
  running: v.boolean(),
  lastAttemptAt: v.nullable(Timestamp),
  lastSuccessAt: v.nullable(Timestamp),
  lastError: v.nullable(v.string()),
  consecutiveFailures: v.number(),
  lastRun: v.nullable(FeedStats),
  total: FeedStats,
});
export type Feed = v.InferOutput<typeof Feed>;

export const FeedParams = v.object({ id: v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9._-]{0,80}$/, 'not a feed id')) });

/** A CSAF provider to follow: its provider-metadata.json. */
export const CreateFeedRequest = v.strictObject({
  kind: v.literal('csaf'),
  name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100)),
  url: v.pipe(
    v.string(),
    v.trim(),
    v.url('url must be an absolute URL'),
    v.regex(/^https:\/\//, 'url must be https://'),
    v.regex(/provider-metadata\.json$/, 'url must point to a provider-metadata.json'),
  ),
  intervalSeconds: v.optional(v.pipe(v.number(), v.integer(), v.minValue(900), v.maxValue(604_800))),
});

export const SyncResult = v.object({
  status: v.picklist(['ok', 'partial', 'failed', 'busy', 'disabled']),
  error: v.nullable(v.string()),
  run: v.nullable(FeedStats),
  nextRunAt: v.nullable(Timestamp),
});

export const QuarantineEntry = v.object({
  id: v.number(),
  document: v.string(),
  reason: v.string(),
  contentHash: v.string(),
  excerpt: v.string(),
  receivedAt: Timestamp,
});

export const QuarantineQuery = v.strictObject({ ...PageQuery });

/** Formats POST /v1/advisories/import reads; without `format`, it is recognised from the content. */
export const ImportFormat = v.picklist(['osv', 'csaf', 'cvrf', 'kev', 'epss', 'nvd', 'debian-tracker']);
export const ImportQuery = v.strictObject({ format: v.optional(ImportFormat) });
