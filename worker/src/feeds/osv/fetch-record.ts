/**
 * One OSV record by URL (the bucket's `{ECOSYSTEM}/{ID}.json`, the API's `/v1/vulns/{id}`). What is
 * wrong with the record itself is data: a record listed but gone (404), or larger than the cap,
 * becomes a quarantine record and the feed goes on; the upstream failing is a FeedError.
 */
import { FeedError } from '../errors';
import type { FeedRun } from '../feed';
import { fetchFeed } from '../http';
import { quarantine, type ReadDocument, readOsvBytes } from './record';

const EXCERPT_BYTES = 2048;
const excerptText = new TextDecoder('utf-8');

export interface FetchedDocument extends ReadDocument {
  /** Bytes of the document as received, for batch sizes. */
  readonly bytes: number;
}

/**
 * The body, or its first bytes when it grows past the cap; like http.ts's readBytes otherwise (a
 * body shorter than its Content-Length is a cut connection), but a too-large document is refused
 * as data instead of failing the feed on every run.
 */
async function readCapped(
  response: Response,
  url: string,
  maxBytes: number,
): Promise<{ bytes: Uint8Array } | { tooLarge: Uint8Array }> {
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
  const declared = response.headers.get('content-length');
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

/** Fetches and reads one record; `label` (its id) names it in the quarantine. */
export async function fetchRecord(
  run: FeedRun,
  url: string,
  label: string,
  maxBytes: number,
): Promise<FetchedDocument> {
  // fetchFeed makes every non-2xx a FeedError; a record that is not there is no upstream failure, so
  // a 404 is answered to it as a 304 (never asked for here: no validators are sent) and told apart.
  let gone: number | null = null;
  const watching: FeedRun = {
    ...run,
    fetch: async (input, init) => {
      const response = await run.fetch(input, init);
      if (response.status !== 404 && response.status !== 410) return response;
      gone = response.status;
      await response.body?.cancel();
      return new Response(null, { status: 304 });
    },
  };
  const fetched = await fetchFeed(watching, url, { accept: 'application/json', contentType: /json|octet-stream/ });
  if (fetched.notModified) {
    const why = gone === null ? 'answered 304 to a request without validators' : `answered ${gone}`;
    return {
      record: quarantine(label, `${url} ${why}: the record is listed but not there`, ''),
      modified: null,
      bytes: 0,
    };
  }
  const body = await readCapped(fetched.response, url, maxBytes);
  if ('tooLarge' in body) {
    const reason = `${url}: larger than the ${maxBytes} bytes allowed`;
    return { record: quarantine(label, reason, excerptText.decode(body.tooLarge)), modified: null, bytes: 0 };
  }
  return { ...(await readOsvBytes(body.bytes, label)), bytes: body.bytes.byteLength };
}
