import * as v from 'valibot';
import { Hostname, Role, Timestamp, TokenPrefix } from './common';

export const TokenLabel = v.pipe(
  v.string(),
  v.trim(),
  v.minLength(1),
  v.maxLength(100, 'label is at most 100 characters'),
);

export const CreateTokenRequest = v.strictObject({
  role: Role,
  /** Required for, and only for, `agent` tokens: the one host the agent may act for. */
  hostname: v.optional(Hostname),
  label: v.optional(TokenLabel),
});
export type CreateTokenRequest = v.InferOutput<typeof CreateTokenRequest>;

/** The answer to token creation: the only time the secret is shown; only its hash is kept. */
export const CreatedToken = v.object({ token: v.string(), prefix: TokenPrefix });
export type CreatedToken = v.InferOutput<typeof CreatedToken>;

export const TokenInfo = v.object({
  prefix: TokenPrefix,
  role: Role,
  hostname: v.nullable(v.string()),
  label: v.nullable(v.string()),
  createdAt: Timestamp,
  createdBy: v.nullable(v.string()),
  lastUsedAt: v.nullable(Timestamp),
  revokedAt: v.nullable(Timestamp),
});
export type TokenInfo = v.InferOutput<typeof TokenInfo>;

export const TokenList = v.object({ items: v.array(TokenInfo) });
