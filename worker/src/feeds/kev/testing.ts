/**
 * Test helpers: a recorded upstream (answers per request, remembers what was asked), a FeedRun
 * around it, and the faults every feed test injects. Used by tests only.
 */
import { env } from 'cloudflare:workers';
import type { FeedBatch, FeedRun, FeedState } from '../feed';

export interface RecordedRequest {
  readonly url: string;
  readonly headers: Headers;
}

export function recordedUpstream(answer: (url: string) => Response | Promise<Response>) {
  const requests: RecordedRequest[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    requests.push({ url, headers: new Headers(init?.headers) });
    return answer(url);
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}

export function feedRun(fetch: typeof globalThis.fetch, feed: Partial<FeedState> = {}): FeedRun {
  return {
    feed: { id: 'kev', kind: 'kev', url: '', config: {}, cursor: null, etag: null, lastModified: null, ...feed },
    fetch,
    now: new Date('2026-11-27T00:00:00Z'),
    deadline: Date.now() + 60_000,
    db: env.DB,
    secrets: {},
  };
}

export async function collect(batches: AsyncGenerator<FeedBatch, void, void>): Promise<FeedBatch[]> {
  const out: FeedBatch[] = [];
  for await (const batch of batches) out.push(batch);
  return out;
}

/** Collects until the sync throws; answers the batches before the failure and the error. */
export async function collectUntilFailure(
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
export function resetBody(bytes: Uint8Array, cut: number): ReadableStream<Uint8Array> {
  let sent = false;
  return new ReadableStream({
    pull(controller) {
      if (sent) {
        controller.error(new Error('connection reset by peer'));
      } else {
        controller.enqueue(bytes.slice(0, cut));
        sent = true;
      }
    },
  });
}

/** A body shorter than the Content-Length it is announced with. */
export function truncatedResponse(bytes: Uint8Array, contentType: string): Response {
  return new Response(bytes.slice(0, Math.floor(bytes.byteLength / 2)), {
    headers: { 'content-type': contentType, 'content-length': String(bytes.byteLength) },
  });
}

export function timeout(): never {
  throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
}
