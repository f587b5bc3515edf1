/**
 * Test helpers for the MSRC feed: a recorded upstream (answers per URL, remembers what was asked),
 * a FeedRun around it, and the broken bodies the fault tests inject. Used by tests only.
 */
import { env } from 'cloudflare:workers';
import type { FeedBatch, FeedRun, FeedState } from '../feed';

export interface RecordedRequest {
  readonly url: string;
  readonly headers: Headers;
}

/** Answers each URL from `routes` (404 for any other), and records every request. */
export function recordedUpstream(routes: Readonly<Record<string, () => Response | Promise<Response>>>) {
  const requests: RecordedRequest[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    requests.push({ url, headers: new Headers(init?.headers) });
    const route = routes[url];
    return route ? route() : new Response('not found', { status: 404, headers: { 'content-type': 'text/plain' } });
  }) as typeof globalThis.fetch;
  return { fetch, requests, urls: () => requests.map((r) => r.url) };
}

export function feedRun(
  fetch: typeof globalThis.fetch,
  feed: Partial<FeedState> = {},
  deadline = Date.now() + 60_000,
): FeedRun {
  return {
    feed: { id: 'msrc', kind: 'msrc', url: '', config: {}, cursor: null, etag: null, lastModified: null, ...feed },
    fetch,
    now: new Date('2026-11-27T00:00:00Z'),
    deadline,
    db: env.DB,
    secrets: {},
  };
}

/** A JSON answer as MSRC sends it, with its exact Content-Length. */
export function jsonResponse(text: string, headers: Record<string, string> = {}): Response {
  const bytes = new TextEncoder().encode(text);
  return new Response(bytes, {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(bytes.byteLength),
      ...headers,
    },
  });
}

/** Collects until the sync ends or throws; answers the batches before a failure and the error. */
export async function collect(
  batches: AsyncGenerator<FeedBatch, void, void>,
): Promise<{ batches: FeedBatch[]; error: unknown }> {
  const out: FeedBatch[] = [];
  try {
    for await (const batch of batches) out.push(batch);
  } catch (error) {
    return { batches: out, error };
  }
  return { batches: out, error: undefined };
}

/** A body that delivers its first `cut` bytes and then fails, as a reset connection does. */
export function resetResponse(text: string, cut: number): Response {
  const bytes = new TextEncoder().encode(text);
  let sent = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent) {
        controller.error(new Error('connection reset by peer'));
      } else {
        controller.enqueue(bytes.slice(0, cut));
        sent = true;
      }
    },
  });
  return new Response(body, { headers: { 'content-type': 'application/json' } });
}

/** A body shorter than the Content-Length it is announced with. */
export function truncatedResponse(text: string): Response {
  const bytes = new TextEncoder().encode(text);
  return new Response(bytes.slice(0, Math.floor(bytes.byteLength / 2)), {
    headers: { 'content-type': 'application/json', 'content-length': String(bytes.byteLength) },
  });
}

export function timeout(): never {
  throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
}
