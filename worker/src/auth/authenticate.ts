import { findTokenByPrefix, touchToken } from '../db/tokens';
import type { Env } from '../env';
import { ApiError } from '../http/errors';
import type { Principal } from './principal';
import { sameDigest, sha256, sha256Hex, TOKEN_PATTERN, tokenPrefix } from './secrets';

/** A root token shorter than this is treated as unset: a guessable root token is worse than none. */
const MIN_ROOT_TOKEN_LENGTH = 16;

/** Bookkeeping writes of `last_used_at` at most once a minute per token. */
const TOUCH_INTERVAL_MS = 60_000;

const unauthorized = (message: string) => new ApiError(401, 'unauthorized', message);

/**
 * Resolves `Authorization: Bearer <token>` to a principal, or answers 401. Hash comparisons are
 * constant-time, and a wrong secret for a known prefix looks exactly like an unknown token.
 */
export async function authenticate(
  env: Env,
  header: string | undefined,
  now: Date,
  waitUntil: (promise: Promise<unknown>) => void,
): Promise<Principal> {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  if (!match?.[1]) throw unauthorized('missing "Authorization: Bearer <token>" header');
  const presented = match[1];

  if (!TOKEN_PATTERN.test(presented)) {
    const root = env.PATCHBOARD_ROOT_TOKEN;
    if (root && root.length >= MIN_ROOT_TOKEN_LENGTH && sameDigest(await sha256(presented), await sha256(root))) {
      return { kind: 'root' };
    }
    throw unauthorized('invalid token');
  }

  const row = await findTokenByPrefix(env.DB, tokenPrefix(presented));
  const presentedHash = await sha256Hex(presented);
  // Compare against a dummy digest when the prefix is unknown, so both paths cost the same.
  const valid = sameDigest(presentedHash, row?.token_hash ?? '0'.repeat(64)) && row !== null;
  if (!valid || !row) throw unauthorized('invalid token');
  if (row.revoked_at) throw unauthorized('token revoked');

  if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) > TOUCH_INTERVAL_MS) {
    waitUntil(touchToken(env.DB, row.prefix, now.toISOString()));
  }
  return {
    kind: 'tenant',
    tenantId: row.tenant_id,
    role: row.role,
    prefix: row.prefix,
    hostId: row.host_id,
    hostname: row.host_id === null ? null : row.hostname,
  };
}
