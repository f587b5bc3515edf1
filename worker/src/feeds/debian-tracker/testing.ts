/**
 * Test helpers for the distro feeds (Debian tracker, Alpine secdb): a recorded upstream that
 * answers per URL and remembers what it was asked, a FeedRun around it, and the faults every feed
 * test injects. Used by tests only.
 */
import { env } from 'cloudflare:workers';
import type { FeedBatch, FeedRecord, FeedRun, FeedState } from '../feed';

export interface RecordedRequest {
  readonly url: string;
  readonly headers: Headers;
}

export function recordedUpstream(answer: (url: string, headers: Headers) => Response | Promise<Response>) {
  const requests: RecordedRequest[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    const headers = new Headers(init?.headers);
    requests.push({ url, headers });
    return answer(url, headers);
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}

export function feedRun(fetch: typeof globalThis.fetch, feed: Partial<FeedState> = {}, deadline?: number): FeedRun {
  return {
    feed: {
      id: 'test-feed',
      kind: 'debian-tracker',
      url: '',
      config: {},
      cursor: null,
      etag: null,
      lastModified: null,
      ...feed,
    },
    fetch,
    now: new Date('2026-11-27T00:00:00Z'),
    deadline: deadline ?? Date.now() + 60_000,
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

export function records(batches: readonly FeedBatch[]): FeedRecord[] {
  return batches.flatMap((b) => b.records);
}

export function advisories(batches: readonly FeedBatch[]) {
  return records(batches).flatMap((r) => (r.kind === 'advisory' ? [r] : []));
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
export function truncatedResponse(bytes: Uint8Array, contentType: string, keep = Math.floor(bytes.byteLength / 2)) {
  return new Response(bytes.slice(0, keep), {
    headers: { 'content-type': contentType, 'content-length': String(bytes.byteLength) },
  });
}

export function timeout(): never {
  throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
}

export function json(text: string, headers: Record<string, string> = {}): Response {
  return new Response(text, { headers: { 'content-type': 'application/json', ...headers } });
}
