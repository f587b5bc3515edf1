/**
 * One click on a vendor page: deploy the fixes for these advisories with the default plan
 * (POST /v1/deployments/schedule), and its undo (POST /v1/deployments/{id}/cancel).
 */

import type * as v from 'valibot';
import type { Reply, ScheduleRequest, UndoRequest } from '@/utils/messages';
import type { ApiClient, ResponseOf } from './api';
import type { LookupBatcher } from './lookup';
import { toReply } from './reply';

export const UNDO_NOTE = 'undo from the extension';

export async function schedule(
  api: Pick<ApiClient, 'call'>,
  lookups: Pick<LookupBatcher, 'invalidate'>,
  message: v.InferOutput<typeof ScheduleRequest>,
): Promise<Reply<ResponseOf<'scheduleDeployment'>>> {
  const result = await api.call('scheduleDeployment', { body: { ids: message.ids } });
  // Their lookups now have a next deployment: the next ask must not get the cached "none planned".
  if (result.ok) lookups.invalidate(message.ids);
  return toReply(result);
}

export async function undo(
  api: Pick<ApiClient, 'call'>,
  lookups: Pick<LookupBatcher, 'invalidate'>,
  message: v.InferOutput<typeof UndoRequest>,
): Promise<Reply<ResponseOf<'cancelDeployment'>>> {
  const result = await api.call('cancelDeployment', {
    params: { id: message.deploymentId },
    body: { note: UNDO_NOTE },
  });
  if (result.ok) lookups.invalidate();
  return toReply(result);
}
