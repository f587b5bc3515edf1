/**
 * The content scripts' one way to Patchboard: a message to the background, which alone holds the
 * token and talks to the backend. Nothing here ever sees a token; every answer is a `Reply`, and a
 * failure to reach the background (extension reloaded, background not ready) is one too, never a
 * thrown error, so the overlay can show it as text.
 */

import type { Deployment } from '@patchboard/shared/schemas/deployment';
import type { RiskException } from '@patchboard/shared/schemas/exception';
import type { HostMatches } from '@patchboard/shared/schemas/host';
import type { LookupResult } from '@patchboard/shared/schemas/lookup';
import type * as v from 'valibot';
import { browser } from 'wxt/browser';
import type { ContentMessage, Reply } from '@/utils/messages';

/** What the background answers to each message a content script sends (the `data` of a `Reply`). */
export interface ReplyData {
  'patchboard:status': unknown;
  /** GET/POST /v1/lookup. */
  'patchboard:lookup': LookupResult;
  /** POST /v1/deployments/schedule: the deployment created, submitted for approval. */
  'patchboard:schedule': Deployment;
  /** POST /v1/deployments/{id}/cancel: the deployment, cancelled. */
  'patchboard:undo': Deployment;
  /** POST /v1/exceptions: the exception, requested. */
  'patchboard:exception': RiskException;
  /** POST /v1/hosts/match. */
  'patchboard:hosts': v.InferOutput<typeof HostMatches>;
  'patchboard:open': unknown;
}

/** Sends a message to the background; components take one as a prop so tests can pass a fake. */
export type Send = <M extends ContentMessage>(message: M) => Promise<Reply<ReplyData[M['type']]>>;

function isReply(value: unknown): value is Reply<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const reply = value as { ok?: unknown; error?: unknown };
  return reply.ok === true || (reply.ok === false && typeof reply.error === 'string');
}

/** The real `send`, over `browser.runtime.sendMessage`. */
export const send: Send = async (message) => {
  try {
    const reply: unknown = await browser.runtime.sendMessage(message);
    if (isReply(reply)) return reply as Reply<never>;
    return { ok: false, error: 'Patchboard’s background gave no answer; reload the page.' };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, error: `Patchboard is not reachable (${reason}); reload the page.` };
  }
};
