/**
 * Downloads one CSAF document and its `.sha512` (`<hex>  <filename>`, CSAF 2.0 section 7.1.18) and
 * compares them over the bytes as received. A document that is gone (404), has no hash, does not
 * match its hash or is not UTF-8 is a problem of that document: a quarantine record, and the feed
 * goes on. Anything else that fails (5xx, timeout, reset, a cut body, an HTML page) is the
 * provider's problem and throws FeedError, so the run stops before the document and retries.
 */
import { FeedError } from '../errors';
import type { FeedRecord, FeedRun } from '../feed';
import { digestHex, fetchFeed, readBytes, readText } from '../http';
import { readCsafDocument } from './document';
import type { IndexEntry } from './indexes';

/** Anything but an HTML page (a login or error page instead of the file). */
export const NOT_HTML = /^(?!\s*text\/html)/i;
const JSON_TYPE = /json/i;
/** Red Hat's largest advisories (kernels, OpenShift) run to tens of megabytes. */
const MAX_DOCUMENT_BYTES = 48 * 1024 * 1024;
const MAX_HASH_BYTES = 64 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Whether a FeedError is the answer "not there" (404 / 410). */
function isGone(err: unknown): boolean {
  return err instanceof FeedError && (err.status === 404 || err.status === 410);
}

function quarantine(document: string, reason: string, content = ''): FeedRecord {
  return { kind: 'quarantine', document, reason, content };
}

async function fetchOrGone(run: FeedRun, url: string, contentType: RegExp): Promise<Response | 'gone'> {
  try {
    const fetched = await fetchFeed(run, url, { accept: 'application/json, text/plain;q=0.9', contentType });
    // No validators are sent, so a 304 cannot be meant; the provider answered nonsense.
    if (fetched.notModified) throw new FeedError(`${url} answered 304 to an unconditional request`);
    return fetched.response;
  } catch (err) {
    if (isGone(err)) return 'gone';
    throw err;
  }
}

/** The hex digest a `.sha512` file states, or undefined when it states none. */
export function statedDigest(text: string): string | undefined {
  const match = /^\s*([0-9a-f]{128})(?:\s|$)/i.exec(text);
  return match?.[1]?.toLowerCase();
}

export async function retrieveDocument(run: FeedRun, entry: IndexEntry): Promise<FeedRecord> {
  if (!entry.url.startsWith('https://') || !entry.hashUrl.startsWith('https://')) {
    return quarantine(entry.url, 'not fetched: documents are read over https only');
  }
  const response = await fetchOrGone(run, entry.url, JSON_TYPE);
  if (response === 'gone') return quarantine(entry.url, 'listed in the index, but the document answered 404');
  const bytes = await readBytes(response, entry.url, MAX_DOCUMENT_BYTES);
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return quarantine(entry.url, 'the document is not UTF-8');
  }
  const hashResponse = await fetchOrGone(run, entry.hashUrl, NOT_HTML);
  if (hashResponse === 'gone') return quarantine(entry.url, `no hash: ${entry.hashUrl} answered 404`, text);
  const stated = statedDigest(await readText(hashResponse, entry.hashUrl, MAX_HASH_BYTES));
  if (stated === undefined) return quarantine(entry.url, `${entry.hashUrl} states no SHA-512 digest`, text);
  const actual = await digestHex('SHA-512', bytes);
  if (actual !== stated) {
    return quarantine(entry.url, `SHA-512 mismatch: ${entry.hashUrl} says ${stated}, the document is ${actual}`, text);
  }
  return readCsafDocument(text, entry.url);
}
