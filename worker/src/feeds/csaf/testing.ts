/**
 * Test support: the recorded Red Hat and Microsoft CSAF providers (testdata/, see its NOTICE.md)
 * served per URL with ETag and Last-Modified, conditional requests honoured, and the faults every
 * adapter must survive injected per URL.
 */
import { env } from 'cloudflare:workers';
import type { FeedBatch, FeedRun } from '../feed';

const files = import.meta.glob('./testdata/{redhat,microsoft}/**/*.{json,csv,sha512}', {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

export const REDHAT_BASE = 'https://security.access.redhat.com/data/csaf/v2/';
export const MICROSOFT_BASE = 'https://msrc.microsoft.com/csaf/';
export const REDHAT_ADVISORIES = `${REDHAT_BASE}advisories/`;

/** A recorded file by its path under testdata/. */
export function recorded(path: string): string {
  const text = files[`./testdata/${path}`];
  if (text === undefined) throw new Error(`no recorded file testdata/${path}`);
  return text;
}

export interface Recording {
  body: string;
  contentType: string;
  etag: string;
  lastModified: string;
}

function etagOf(body: string): string {
  let hash = 0;
  for (let i = 0; i < body.length; i++) hash = (Math.imul(hash, 31) + body.charCodeAt(i)) | 0;
  return `"${(hash >>> 0).toString(16)}-${body.length}"`;
}

function contentTypeOf(path: string): string {
  if (path.endsWith('.json')) return 'application/json';
  if (path.endsWith('.csv')) return 'text/csv';
  return 'text/plain; charset=utf-8';
}

/** URL -> recorded response, for both providers; tests change entries to make the provider move on. */
export function recordedProviders(): Map<string, Recording> {
  const site = new Map<string, Recording>();
  for (const [path, body] of Object.entries(files)) {
    const relative = path.replace('./testdata/', '');
    const url = relative.startsWith('redhat/')
      ? `${REDHAT_BASE}${relative.slice('redhat/'.length)}`
      : `${MICROSOFT_BASE}${relative.slice('microsoft/'.length)}`;
    site.set(url, record(body, contentTypeOf(url)));
  }
  return site;
}

export function record(body: string, contentType: string): Recording {
  return { body, contentType, etag: etagOf(body), lastModified: 'Fri, 27 Nov 2026 00:00:00 GMT' };
}

export type Fault = '5xx' | 'timeout' | 'reset' | 'truncated' | 'html' | '404';

export interface Served {
  readonly url: string;
  readonly headers: Headers;
  readonly status: number;
}

/** A fetch answering from the recording, with faults per URL; it logs every request. */
export function server(site: Map<string, Recording>, faults: ReadonlyMap<string, Fault> = new Map()) {
  const log: Served[] = [];
  const fetcher = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const headers = new Headers(init?.headers);
    const answer = (response: Response) => {
      log.push({ url, headers, status: response.status });
      return response;
    };
    const fault = faults.get(url);
    if (fault === 'timeout') {
      log.push({ url, headers, status: 0 });
      throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    }
    if (fault === '5xx')
      return answer(new Response('upstream down', { status: 503, statusText: 'Service Unavailable' }));
    if (fault === '404') return answer(new Response('not found', { status: 404, statusText: 'Not Found' }));
    if (fault === 'html') {
      return answer(new Response('<html>Please log in</html>', { headers: { 'content-type': 'text/html' } }));
    }
    const entry = site.get(url);
    if (!entry) return answer(new Response('not found', { status: 404, statusText: 'Not Found' }));
    const validators = { etag: entry.etag, 'last-modified': entry.lastModified };
    if (headers.get('if-none-match') === entry.etag)
      return answer(new Response(null, { status: 304, headers: validators }));
    const bytes = new TextEncoder().encode(entry.body);
    if (fault === 'reset') {
      let sent = false;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent) {
            controller.error(new Error('connection reset by peer'));
          } else {
            sent = true;
            controller.enqueue(bytes.slice(0, Math.floor(bytes.length / 2)));
          }
        },
      });
      return answer(new Response(body, { headers: { 'content-type': entry.contentType, ...validators } }));
    }
    if (fault === 'truncated') {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(bytes.slice(0, Math.floor(bytes.length / 2)));
          controller.close();
        },
      });
      return answer(
        new Response(body, {
          headers: { 'content-type': entry.contentType, 'content-length': String(bytes.length), ...validators },
        }),
      );
    }
    return answer(
      new Response(bytes, {
        headers: { 'content-type': entry.contentType, 'content-length': String(bytes.length), ...validators },
      }),
    );
  };
  return { fetch: fetcher as typeof fetch, log };
}

export function feedRun(
  url: string,
  fetcher: typeof fetch,
  options: { cursor?: unknown; config?: Record<string, unknown>; deadline?: number } = {},
): FeedRun {
  return {
    feed: {
      id: 'csaf-test',
      kind: 'csaf',
      url,
      config: options.config ?? { since: '2024-01-01T00:00:00Z' },
      cursor: options.cursor ?? null,
      etag: null,
      lastModified: null,
    },
    fetch: fetcher,
    now: new Date('2026-11-27T00:00:00Z'),
    deadline: options.deadline ?? Date.now() + 60_000,
    db: env.DB,
    secrets: {},
  };
}

/** Every batch a sync yields, and the error it ended with, if any. */
export async function drain(
  generator: AsyncGenerator<FeedBatch, void, void>,
): Promise<{ batches: FeedBatch[]; error: unknown }> {
  const batches: FeedBatch[] = [];
  try {
    for await (const batch of generator) batches.push(batch);
  } catch (error) {
    return { batches, error };
  }
  return { batches, error: undefined };
}
