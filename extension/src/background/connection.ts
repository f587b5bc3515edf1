/**
 * The backend URL and token as the options page sets them: checked against the backend before
 * anything is saved, with the exact reason when they do not work; and the status the popup shows.
 */

import * as v from 'valibot';
import { checkBackend } from '@/utils/backend';
import type { CheckTokenRequest, Reply } from '@/utils/messages';
import { approverItem, BackendUrl, backendUrlItem, saveBackendUrl, tokenPrefixItem } from '@/utils/settings';
import { createApiClient, TOKEN_REFUSED } from './api';
import { eventsStateItem } from './events';
import { type TokenStore, tokenPrefix } from './token';

export interface Connected {
  readonly connected: true;
  readonly version: string;
  /** The saved token's visible prefix; the token itself is never answered. */
  readonly prefix: string;
}

/**
 * Checks a backend URL and token: is the backend reachable, is it Patchboard (/health), does it
 * take the token (401: refused), may the token read (403: an agent or root token, the wrong
 * role). Only when all hold are they saved, and the event cursor of the old backend forgotten.
 */
export async function checkAndSaveToken(
  message: v.InferOutput<typeof CheckTokenRequest>,
  tokens: TokenStore,
  fetcher: typeof fetch = (...args) => fetch(...args),
): Promise<Reply<Connected>> {
  const url = v.safeParse(BackendUrl, message.backendUrl);
  if (!url.success) return { ok: false, error: url.issues[0]?.message ?? 'invalid backend URL' };
  const token = message.token.trim();
  if (token === '') return { ok: false, error: 'enter the API token (pb_...)' };
  const health = await checkBackend(url.output, fetcher);
  if (!health.connected) return { ok: false, error: health.reason };
  const client = createApiClient(async () => ({ url: url.output, token }), fetcher);
  const probe = await client.call('listHosts', { query: { limit: 1 } });
  if (!probe.ok) {
    if (probe.status === 401) return { ok: false, status: 401, error: TOKEN_REFUSED };
    if (probe.status === 403) {
      return {
        ok: false,
        status: 403,
        error: `wrong role: the extension needs a token of an admin, approver, operator or viewer (${probe.error})`,
      };
    }
    return probe.status === undefined
      ? { ok: false, error: probe.error }
      : { ok: false, status: probe.status, error: probe.error };
  }
  const previousUrl = await backendUrlItem.getValue();
  const previousPrefix = await tokenPrefixItem.getValue();
  await saveBackendUrl(url.output);
  await tokens.set(token);
  // Another backend or tenant: its event cursor means nothing here; start again at `now`.
  if (previousUrl !== url.output || previousPrefix !== tokenPrefix(token)) await eventsStateItem.setValue(null);
  return { ok: true, data: { connected: true, version: health.version, prefix: tokenPrefix(token) } };
}

/** What the popup shows: the backend's health (the shape it always answered) and our own state. */
export type Status = (
  | { readonly connected: true; readonly version: string }
  | { readonly connected: false; readonly reason: string }
) & {
  readonly backendUrl: string;
  readonly tokenPrefix: string | null;
  readonly approver: boolean;
  /** Why the last events poll failed (a refused token, say); null when it worked. */
  readonly lastError: string | null;
};

export async function status(fetcher: typeof fetch = (...args) => fetch(...args)): Promise<Status> {
  const backendUrl = await backendUrlItem.getValue();
  const [health, prefix, approver, events] = await Promise.all([
    checkBackend(backendUrl, fetcher),
    tokenPrefixItem.getValue(),
    approverItem.getValue(),
    eventsStateItem.getValue(),
  ]);
  return { ...health, backendUrl, tokenPrefix: prefix, approver, lastError: events?.lastError ?? null };
}
