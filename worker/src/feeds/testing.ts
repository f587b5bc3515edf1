/**
 * Test helpers every feed adapter's tests share: a recorded upstream (it answers each request from
 * recorded responses and remembers what was asked), a FeedRun around it, the batches a sync yields,
 * and the faults every feed test injects. Used by tests only; what is specific to one source (zip
 * archives for OSV, the CSAF providers, NVD pages) stays in that source's folder.
 */
import { env } from 'cloudflare:workers';
import type { FeedBatch, FeedKind, FeedRecord, FeedRun, FeedState } from './feed';

/** One request the recorded upstream was asked, and the status it answered. */
export interface RecordedRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  /** The request body when it was text (OSV's querybatch JSON), else null. */
  readonly body: string | null;
  /** The status answered; 0 while unanswered, and when the answer threw (a timeout). */
  readonly status: number;
}

export type Answer = (url: string, request: RecordedRequest) => Response | Promise<Response>;

/** A fetch that answers from `answer` and records every request, in the order they were made. */
export function recordedUpstream(answer: Answer) {
  const requests: RecordedRequest[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request: { -readonly [K in keyof RecordedRequest]: RecordedRequest[K] } = {
      url: input instanceof Request ? input.url : String(input),
      method: init?.method ?? 'GET',
      headers: new Headers(init?.headers),
      body: typeof init?.body === 'string' ? init.body : null,
      status: 0,
    };
    requests.push(request);
    const response = await answer(request.url, request);
    request.status = response.status;
    return response;
  }) as typeof globalThis.fetch;
  return { fetch, requests: requests as readonly RecordedRequest[], urls: () => requests.map((r) => r.url) };
}

/** A run of a `kind` feed over `fetch`, on 27 November 2026, with a minute left unless `deadline` says otherwise. */
export function feedRun(
  kind: FeedKind,
  fetch: typeof globalThis.fetch,
  feed: Partial<FeedState> = {},
  deadline = Date.now() + 60_000,
): FeedRun {
  return {
    feed: { id: kind, kind, url: '', config: {}, cursor: null, etag: null, lastModified: null, ...feed },
    fetch,
    now: new Date('2026-11-27T00:00:00Z'),
    deadline,
    db: env.DB,
    secrets: {},
  };
}

/** Every batch of a sync that must succeed; its error, if any, fails the test. */
export async function collect(batches: AsyncGenerator<FeedBatch, void, void>): Promise<FeedBatch[]> {
  const out: FeedBatch[] = [];
  for await (const batch of batches) out.push(batch);
  return out;
}

/** Collects until the sync ends or throws; answers the batches before a failure and the error. */
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

export const records = (batches: readonly FeedBatch[]): FeedRecord[] => batches.flatMap((b) => b.records);

export const advisories = (batches: readonly FeedBatch[]) =>
  records(batches).flatMap((r) => (r.kind === 'advisory' ? [r] : []));

/** Advisory ids in delivery order. */
export const advisoryIds = (batches: readonly FeedBatch[]): string[] => advisories(batches).map((r) => r.advisory.id);

export const quarantined = (batches: readonly FeedBatch[]) =>
  records(batches).flatMap((r) => (r.kind === 'quarantine' ? [r] : []));

/** A JSON answer, without a Content-Length. */
export function json(text: string, headers: Record<string, string> = {}): Response {
  return new Response(text, { headers: { 'content-type': 'application/json', ...headers } });
}

/** A body delivered in chunks of `size` bytes, as a network delivers it. */
export function chunkedBody(bytes: Uint8Array, size = 1000): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.byteLength) controller.close();
      else {
        controller.enqueue(bytes.slice(offset, offset + size));
        offset += size;
      }
    },
  });
}

/** A body that delivers its first `cut` bytes and then fails, as a reset connection does. */
export function resetBody(bytes: Uint8Array, cut: number): ReadableStream<Uint8Array> {
  let sent = false;
  return new ReadableStream({
    // Erroring where the bytes are enqueued (in start(), or in the same pull) can discard them
    // unread: the first pull delivers them, the next one fails.
    pull(controller) {
      if (sent) controller.error(new Error('connection reset by peer'));
      else controller.enqueue(bytes.slice(0, cut));
      sent = true;
    },
  });
}

const bytesOf = (body: string | Uint8Array) => (typeof body === 'string' ? new TextEncoder().encode(body) : body);

/** An answer whose connection is reset after the first `cut` bytes of `body` (see resetBody). */
export function resetResponse(
  body: string | Uint8Array,
  contentType: string,
  cut: number,
  headers: Record<string, string> = {},
): Response {
  return new Response(resetBody(bytesOf(body), cut), { headers: { 'content-type': contentType, ...headers } });
}

/** The first half of `body`, announced with the Content-Length of the whole. */
export function truncatedResponse(
  body: string | Uint8Array,
  contentType: string,
  headers: Record<string, string> = {},
): Response {
  const bytes = bytesOf(body);
  return new Response(bytes.slice(0, Math.floor(bytes.byteLength / 2)), {
    headers: { 'content-type': contentType, 'content-length': String(bytes.byteLength), ...headers },
  });
}

/** What fetch throws when its AbortSignal.timeout fires. */
export function timeout(): never {
  throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
}
