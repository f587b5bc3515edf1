/**
 * One OSV record by URL (the bucket's `{ECOSYSTEM}/{ID}.json`, the API's `/v1/vulns/{id}`). What is
 * wrong with the record itself is data: a record listed but gone (404), or larger than the cap,
 * becomes a quarantine record and the feed goes on; the upstream failing is a FeedError.
 */
import type { FeedRun } from '../feed';
import { fetchFeed, readBytesCapped } from '../http';
import { quarantine, type ReadDocument, readOsvBytes } from './record';

const excerptText = new TextDecoder('utf-8');

export interface FetchedDocument extends ReadDocument {
  /** Bytes of the document as received, for batch sizes. */
  readonly bytes: number;
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
  const body = await readBytesCapped(fetched.response, url, maxBytes);
  if ('tooLarge' in body) {
    const reason = `${url}: larger than the ${maxBytes} bytes allowed`;
    return { record: quarantine(label, reason, excerptText.decode(body.tooLarge)), modified: null, bytes: 0 };
  }
  return { ...(await readOsvBytes(body.bytes, label)), bytes: body.bytes.byteLength };
}
