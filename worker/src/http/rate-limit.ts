/**
 * Per-token rate limits, counted by the Workers Rate Limiting binding (wrangler.toml
 * [[ratelimits]] TOKEN_RATE_LIMIT): a token past its budget gets 429 with Retry-After, whatever
 * it asks. The binding counts per Cloudflare location in fixed windows and says only yes or no, so
 * Retry-After is the window's length (the most a client must wait), not a countdown.
 */
import type { Principal } from '../auth/principal';
import type { Env } from '../env';
import { ApiError } from './errors';

/** The window of wrangler.toml's TOKEN_RATE_LIMIT, in seconds (the binding allows 10 or 60). */
export const RATE_LIMIT_PERIOD_S = 60;

export async function enforceRateLimit(env: Env, principal: Principal): Promise<void> {
  if (!env.TOKEN_RATE_LIMIT) return;
  const key = principal.kind === 'root' ? 'root' : principal.prefix;
  const { success } = await env.TOKEN_RATE_LIMIT.limit({ key });
  if (!success) {
    throw new ApiError(
      429,
      'rate_limited',
      `too many requests with this token; retry after ${RATE_LIMIT_PERIOD_S} seconds`,
      undefined,
      { 'retry-after': String(RATE_LIMIT_PERIOD_S) },
    );
  }
}
