/**
 * The one door into the background: runtime.onMessage. A message counts only when it comes from
 * this extension (`sender.id`), and is checked against what its sender may ask: a content script
 * (it runs in a web page's tab) against ContentMessage, an extension page against PageMessage.
 * Anything else, or anything that does not validate, is ignored: no answer at all. Answers are
 * Reply<T> (data or a readable error), never the token.
 */

import * as v from 'valibot';
import type { Browser } from 'wxt/browser';
import { ContentMessage, PageMessage, type Reply } from '@/utils/messages';
import type { ApiClient } from './api';
import type { Connected, Status } from './connection';
import { matchHosts } from './hosts';
import type { LookupBatcher } from './lookup';
import { toReply } from './reply';
import { schedule, undo } from './schedule';

type Sender = Browser.runtime.MessageSender;

/** What the router needs; the background wires the real ones, tests their fakes. */
export interface Services {
  readonly api: Pick<ApiClient, 'call' | 'callByName'>;
  readonly lookups: LookupBatcher;
  status(): Promise<Status>;
  checkToken(
    message: v.InferOutput<typeof PageMessage> & { type: 'patchboard:check-token' },
  ): Promise<Reply<Connected>>;
  forgetToken(): Promise<void>;
  refresh(): Promise<void>;
  openDashboard(route: string): Promise<void>;
}

/** Who sent a message: one of our extension pages, one of our content scripts, or nobody we answer. */
export function senderKind(sender: Sender): 'page' | 'content' | null {
  if (sender.id !== browser.runtime.id) return null;
  const url = sender.url ?? '';
  if (url.startsWith(browser.runtime.getURL('/'))) return 'page';
  // A content script runs in a tab, at the page's URL; no tab and no extension URL: not ours to answer.
  if (sender.tab !== undefined) return 'content';
  return null;
}

/** The answer to a message, or undefined when it is to be ignored. */
export function handleMessage(services: Services, message: unknown, sender: Sender): Promise<unknown> | undefined {
  const kind = senderKind(sender);
  if (kind === null) return undefined;
  const parsed = kind === 'page' ? v.safeParse(PageMessage, message) : v.safeParse(ContentMessage, message);
  if (!parsed.success) return undefined;
  return answer(services, parsed.output);
}

async function answer(services: Services, message: v.InferOutput<typeof PageMessage>): Promise<unknown> {
  const { api, lookups } = services;
  switch (message.type) {
    case 'patchboard:status':
      return services.status();
    case 'patchboard:lookup':
      return lookups.lookup(message.ids).then(
        (items): Reply<{ items: typeof items }> => ({ ok: true, data: { items } }),
        (err: Error): Reply<never> => ({ ok: false, error: err.message }),
      );
    case 'patchboard:schedule':
      return schedule(api, lookups, message);
    case 'patchboard:undo':
      return undo(api, lookups, message);
    case 'patchboard:exception':
      return toReply(await api.call('createException', { body: message.body }));
    case 'patchboard:hosts':
      return matchHosts(api, message);
    case 'patchboard:open':
      await services.openDashboard(message.route);
      return { ok: true, data: null } satisfies Reply<null>;
    case 'patchboard:api':
      return toReply(
        await api.callByName(message.operationId, {
          params: message.params,
          query: message.query,
          body: message.body,
        }),
      );
    case 'patchboard:check-token':
      return services.checkToken(message);
    case 'patchboard:forget-token':
      await services.forgetToken();
      return { ok: true, data: null } satisfies Reply<null>;
    case 'patchboard:refresh':
      await services.refresh();
      return { ok: true, data: null } satisfies Reply<null>;
  }
}

/** Registers the listener. sendResponse with `return true` answers asynchronously on Chrome and Firefox alike. */
export function listenToMessages(services: Services): void {
  browser.runtime.onMessage.addListener((message: unknown, sender: Sender, sendResponse: (answer: unknown) => void) => {
    const pending = handleMessage(services, message, sender);
    if (pending === undefined) return false;
    pending.then(sendResponse, (err: Error) => sendResponse({ ok: false, error: err.message } satisfies Reply<never>));
    return true;
  });
}
