/**
 * Fetching from a feed source, with the policy every adapter shares: conditional requests
 * (If-None-Match / If-Modified-Since), a timeout, upstream failures as FeedError (so the runner
 * backs off and keeps its cursor), Retry-After honoured, the content type checked, and bodies
 * read with a size cap and a truncation check (a short body must never parse as a complete one).
 * (Gzip is inflated with fflate where it is needed, see epss/inflate.ts: workerd's
 * DecompressionStream reads its whole input ahead, so it would hold a 100 MB file at once.)
 */
import { FeedError } from './errors';
import type { FeedRun } from './feed';

export const USER_AGENT = 'Patchboard/0.1 (patch management; +https://github.com/patchboard)';

export interface FetchOptions {
  readonly accept?: string;
  /** Validators of the last response, for a conditional request. */
  readonly etag?: string | null | undefined;
  readonly lastModified?: string | null | undefined;
  readonly headers?: Readonly<Record<string, string>>;
  readonly method?: 'GET' | 'POST';
  readonly body?: string;
  /** Accepted media types of the answer, e.g. /json/; a login page (text/html) is an error, not data. */
  readonly contentType?: RegExp;
  readonly timeoutMs?: number;
}

export type Fetched =
  | { readonly notModified: true }
  | {
      readonly notModified: false;
      readonly response: Response;
      readonly etag: string | null;
      readonly lastModified: string | null;
    };

const DEFAULT_TIMEOUT_MS = 30_000;

function retryAfter(response: Response, now: Date): number | undefined {
  const header = response.headers.get('retry-after');
  if (!header) return undefined;
  if (/^\d+$/.test(header)) return Number(header);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now.getTime()) / 1000));
}

/** GETs (or POSTs) a source URL; answers notModified on 304, throws FeedError on any failure. */
export async function fetchFeed(run: FeedRun, url: string, options: FetchOptions = {}): Promise<Fetched> {
  const headers = new Headers({ 'user-agent': USER_AGENT, ...options.headers });
  if (options.accept) headers.set('accept', options.accept);
  if (options.etag) headers.set('if-none-match', options.etag);
  if (options.lastModified) headers.set('if-modified-since', options.lastModified);
  if (options.body !== undefined) headers.set('content-type', 'application/json');
  let response: Response;
  try {
    response = await run.fetch(url, {
      method: options.method ?? 'GET',
      headers,
      ...(options.body !== undefined ? { body: options.body } : {}),
      signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
  } catch (err) {
    const reason =
      err instanceof Error && err.name === 'TimeoutError' ? 'timed out' : `failed: ${(err as Error).message}`;
    throw new FeedError(`${options.method ?? 'GET'} ${url} ${reason}`, { cause: err });
  }
  if (response.status === 304) return { notModified: true };
  if (!response.ok) {
    await response.body?.cancel();
    throw new FeedError(`${url} answered ${response.status} ${response.statusText}`.trim(), {
      retryAfterSeconds: retryAfter(response, run.now),
      status: response.status,
    });
  }
  const type = response.headers.get('content-type') ?? '';
  if (options.contentType && !options.contentType.test(type)) {
    await response.body?.cancel();
    throw new FeedError(`${url} answered with content type "${type || 'none'}", expected ${options.contentType}`);
  }
  return {
    notModified: false,
    response,
    etag: response.headers.get('etag'),
    lastModified: response.headers.get('last-modified'),
  };
}

/** Default cap on a body read whole; streamed readers (lines, unzip) have none. */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** How much of a too-large body is kept, to show in a quarantine entry. */
export const EXCERPT_BYTES = 2048;

/**
 * The body as bytes, or its first bytes when it grows past the cap (reading stops there). A body
 * shorter than its Content-Length is a connection cut mid-body, which would otherwise parse as a
 * smaller, wrong document: a FeedError.
 */
export async function readBytesCapped(
  response: Response,
  url: string,
  maxBytes = MAX_BODY_BYTES,
): Promise<{ bytes: Uint8Array } | { tooLarge: Uint8Array }> {
  const declared = response.headers.get('content-length');
  const reader = response.body?.getReader();
  if (!reader) return { bytes: new Uint8Array() };
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel();
        return { tooLarge: (chunks[0] ?? value).slice(0, EXCERPT_BYTES) };
      }
      chunks.push(value);
    }
  } catch (err) {
    throw new FeedError(`${url}: reading the body failed: ${(err as Error).message}`, { cause: err });
  }
  // Compressed transfers (Content-Encoding) report the compressed length; only plain ones can be checked.
  if (declared !== null && !response.headers.get('content-encoding') && Number(declared) !== total) {
    throw new FeedError(`${url}: body truncated (${total} of ${declared} bytes)`);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { bytes };
}

/** The body as bytes; larger than the cap is a FeedError (see readBytesCapped). */
export async function readBytes(response: Response, url: string, maxBytes = MAX_BODY_BYTES): Promise<Uint8Array> {
  const body = await readBytesCapped(response, url, maxBytes);
  if ('tooLarge' in body) throw new FeedError(`${url}: body larger than ${maxBytes} bytes`);
  return body.bytes;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export async function readText(response: Response, url: string, maxBytes = MAX_BODY_BYTES): Promise<string> {
  const bytes = await readBytes(response, url, maxBytes);
  try {
    return utf8.decode(bytes);
  } catch {
    throw new FeedError(`${url}: body is not valid UTF-8`);
  }
}

/** The body as JSON; a body that does not parse (truncated, an HTML error page) is a FeedError. */
export async function readJson(response: Response, url: string, maxBytes = MAX_BODY_BYTES): Promise<unknown> {
  const text = await readText(response, url, maxBytes);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new FeedError(`${url}: body is not valid JSON: ${(err as Error).message}`);
  }
}

/** A byte stream as lines of text, without holding more than one chunk and a partial line. */
export async function* lines(stream: ReadableStream<Uint8Array>, url: string): AsyncGenerator<string, void, void> {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let pending = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      pending += value;
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      for (const part of parts) yield part.replace(/\r$/, '');
    }
  } catch (err) {
    throw new FeedError(`${url}: reading the body failed: ${(err as Error).message}`, { cause: err });
  }
  if (pending !== '') yield pending.replace(/\r$/, '');
}

/** SHA-256 hex of text or bytes: content hashes of documents, and CSAF's .sha512 check uses its own. */
export async function digestHex(algorithm: 'SHA-256' | 'SHA-512', data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const digest = await crypto.subtle.digest(algorithm, bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
