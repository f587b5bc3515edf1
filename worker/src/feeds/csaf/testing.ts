/**
 * Test support: the recorded Red Hat and Microsoft CSAF providers (testdata/, see its NOTICE.md)
 * served per URL with ETag and Last-Modified, conditional requests honoured, and the faults every
 * adapter must survive injected per URL. Used by tests only; the recorded upstream and the faults
 * themselves are in ../testing.ts.
 */
import { recordedUpstream, resetResponse, timeout, truncatedResponse } from '../testing';

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

/** A recorded upstream answering from the recording, with faults per URL. */
export function server(site: ReadonlyMap<string, Recording>, faults: ReadonlyMap<string, Fault> = new Map()) {
  return recordedUpstream((url, { headers }) => {
    const fault = faults.get(url);
    if (fault === 'timeout') return timeout();
    if (fault === '5xx') return new Response('upstream down', { status: 503, statusText: 'Service Unavailable' });
    if (fault === '404') return new Response('not found', { status: 404, statusText: 'Not Found' });
    if (fault === 'html') {
      return new Response('<html>Please log in</html>', { headers: { 'content-type': 'text/html' } });
    }
    const entry = site.get(url);
    if (!entry) return new Response('not found', { status: 404, statusText: 'Not Found' });
    const validators = { etag: entry.etag, 'last-modified': entry.lastModified };
    if (headers.get('if-none-match') === entry.etag) return new Response(null, { status: 304, headers: validators });
    const bytes = new TextEncoder().encode(entry.body);
    if (fault === 'reset') return resetResponse(bytes, entry.contentType, Math.floor(bytes.length / 2), validators);
    if (fault === 'truncated') return truncatedResponse(bytes, entry.contentType, validators);
    return new Response(bytes, {
      headers: { 'content-type': entry.contentType, 'content-length': String(bytes.length), ...validators },
    });
  });
}
