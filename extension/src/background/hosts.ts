/**
 * Host badges on admin consoles: which of the names a console page shows are hosts of the
 * tenant, with their open P1/P2 and pending deployment (POST /v1/hosts/match, one call a page).
 */

import type * as v from 'valibot';
import type { HostsRequest, Reply } from '@/utils/messages';
import type { ApiClient, ResponseOf } from './api';
import { toReply } from './reply';

export async function matchHosts(
  api: Pick<ApiClient, 'call'>,
  message: v.InferOutput<typeof HostsRequest>,
): Promise<Reply<ResponseOf<'matchHosts'>>> {
  const names = [...new Set(message.names.map((name) => name.trim()).filter((name) => name !== ''))];
  if (names.length === 0) return { ok: true, data: { items: [] } };
  return toReply(await api.call('matchHosts', { body: { names } }));
}
