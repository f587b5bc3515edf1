/** Test helpers: a fake backend as a fetch function, and the senders of each kind of context. */
import type { Browser } from 'wxt/browser';

// Built, not written out, so no literal in the repository looks like a real token.
export const TOKEN = `pb_AbCdEfGh${'0123456789'.repeat(4)}`;
export const BACKEND = 'http://127.0.0.1:8787';

export interface SeenRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Headers;
  readonly body: unknown;
}

type Handler = (request: SeenRequest) => Response | Promise<Response>;

/** A fetch that answers from `handler` and records every request. */
export function fakeFetch(handler: Handler) {
  const requests: SeenRequest[] = [];
  const fetcher = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const request: SeenRequest = {
      method: init.method ?? 'GET',
      url: new URL(String(input)),
      headers: new Headers(init.headers),
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    requests.push(request);
    return handler(request);
  }) as typeof fetch;
  return { fetcher, requests };
}

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

export const apiError = (status: number, code: string, message: string) => json({ error: { code, message } }, status);

/** An extension page (popup, options, dashboard). */
export const pageSender = (): Browser.runtime.MessageSender => ({
  id: browser.runtime.id,
  url: browser.runtime.getURL('/options.html'),
});

/** One of our content scripts on a vendor page. */
export const contentSender = (): Browser.runtime.MessageSender => ({
  id: browser.runtime.id,
  url: 'https://nvd.nist.gov/vuln/detail/CVE-2024-3094',
  tab: { id: 7, index: 0, pinned: false, highlighted: false, windowId: 1, active: true, incognito: false } as never,
  frameId: 0,
});
