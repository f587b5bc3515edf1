import type { Reply } from '@/utils/messages';
import type { CallResult } from './api';

/** A client result as the answer to a message: the data, or the readable error (never headers, never the token). */
export function toReply<T>(result: CallResult<T>): Reply<T> {
  if (result.ok) return { ok: true, data: result.data };
  return result.status === undefined
    ? { ok: false, error: result.error }
    : { ok: false, error: result.error, status: result.status };
}
