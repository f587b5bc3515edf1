/**
 * Test helpers: a recorded upstream (it answers each request from recorded responses and keeps what
 * was asked), a FeedRun around it, the faults every feed test injects, and zip archives built from
 * real records at test time. Used by tests only.
 */
import { env } from 'cloudflare:workers';
import { strToU8, Zip, ZipDeflate, zipSync } from 'fflate';
import type { FeedBatch, FeedRecord, FeedRun, FeedState } from '../feed';

export interface Exchange {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly body: string | null;
}

export function recordedUpstream(answer: (request: Exchange) => Response | Promise<Response>) {
  const exchanges: Exchange[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request: Exchange = {
      url: input instanceof Request ? input.url : String(input),
      method: init?.method ?? 'GET',
      headers: new Headers(init?.headers),
      body: typeof init?.body === 'string' ? init.body : null,
    };
    exchanges.push(request);
    return answer(request);
  }) as typeof globalThis.fetch;
  return { fetch, exchanges, urls: () => exchanges.map((e) => e.url) };
}

export function feedRun(
  fetch: typeof globalThis.fetch,
  feed: Partial<FeedState> = {},
  deadline = Date.now() + 60_000,
): FeedRun {
  return {
    feed: { id: 'osv-test', kind: 'osv', url: '', config: {}, cursor: null, etag: null, lastModified: null, ...feed },
    fetch,
    now: new Date('2026-11-27T00:00:00Z'),
    deadline,
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

export const records = (batches: readonly FeedBatch[]): FeedRecord[] => batches.flatMap((b) => b.records);

/** Advisory ids in delivery order. */
export const advisoryIds = (batches: readonly FeedBatch[]): string[] =>
  records(batches).flatMap((r) => (r.kind === 'advisory' ? [r.advisory.id] : []));

export const quarantined = (batches: readonly FeedBatch[]) =>
  records(batches).flatMap((r) => (r.kind === 'quarantine' ? [r] : []));

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
    // Erroring in start() would discard the queued bytes unread: fail on the next pull instead.
    pull(controller) {
      if (sent) controller.error(new Error('connection reset by peer'));
      else controller.enqueue(bytes.slice(0, cut));
      sent = true;
    },
  });
}

/** The first `cut` bytes, announced with the Content-Length of the whole. */
export function truncatedResponse(
  bytes: Uint8Array,
  contentType: string,
  cut = Math.floor(bytes.byteLength / 2),
): Response {
  return new Response(bytes.slice(0, cut), {
    headers: { 'content-type': contentType, 'content-length': String(bytes.byteLength) },
  });
}

export function timeout(): never {
  throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
}

/** A zip archive as Python's zipfile writes all.zip: sizes in the local headers. */
export function zipArchive(files: readonly (readonly [string, string | Uint8Array])[]): Uint8Array {
  return zipSync(
    Object.fromEntries(files.map(([name, data]) => [name, typeof data === 'string' ? strToU8(data) : data])),
    {
      level: 9,
    },
  );
}

/** A zip archive as a streaming writer (Go's archive/zip) writes it: sizes in data descriptors after each entry. */
export function streamedZipArchive(files: readonly (readonly [string, string | Uint8Array])[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  const zip = new Zip((err, data) => {
    if (err) throw err;
    chunks.push(data);
  });
  for (const [name, data] of files) {
    const entry = new ZipDeflate(name, { level: 9 });
    zip.add(entry);
    entry.push(typeof data === 'string' ? strToU8(data) : data, true);
  }
  zip.end();
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** 50 MB of one repeated byte: a few dozen KB deflated. */
export function bomb(): Uint8Array {
  return new Uint8Array(50 * 1024 * 1024).fill(0x20);
}
