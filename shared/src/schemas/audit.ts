import * as v from 'valibot';
import { PageQuery, Timestamp } from './common';

/** One entry of the append-only audit log. */
export const AuditEntry = v.object({
  id: v.number(),
  at: Timestamp,
  actor: v.string(),
  actorRole: v.string(),
  action: v.string(),
  target: v.string(),
  summary: v.record(v.string(), v.unknown()),
});
export type AuditEntry = v.InferOutput<typeof AuditEntry>;

export const AuditQuery = v.strictObject({
  action: v.optional(v.pipe(v.string(), v.regex(/^[a-z.]{1,64}$/, 'action looks like host.upsert'))),
  target: v.optional(v.pipe(v.string(), v.maxLength(300))),
  ...PageQuery,
});
