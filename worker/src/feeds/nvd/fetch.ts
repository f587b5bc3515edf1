/**
 * Reads the NVD CVE API 2.0 for CVEs modified since the cursor: 120-day windows up to the run's
 * `now`, each paged by startIndex, one batch per page with the position after it. Requests are
 * paced to NVD's rate limits (pacing.ts) and carry the API key from the feed secrets when one is
 * configured. HTTP validators play no part: the lastModified window is what makes a run incremental.
 */
import * as v from 'valibot';
import { FeedError } from '../errors';
import type { FeedBatch, FeedRun } from '../feed';
import { fetchFeed, readJson } from '../http';
import { type Clock, nvdPacer, systemClock } from './pacing';
import { nvdRecords, parseNvdPage } from './parse';
import { isEmptyWindow, NvdConfig, type NvdCursor, nextPosition, pageUrl, reachesNow, startPosition } from './window';

export const NVD_URL = 'https://services.nvd.nist.gov/rest/json/cves/2.0';

/** The API's largest page. */
export const NVD_PAGE_SIZE = 2_000;

/** Answers NVD gives when a client goes too fast; without a Retry-After, one rolling window is waited out. */
const RATE_LIMITED = new Set([403, 429]);
const RATE_LIMIT_BACKOFF_SECONDS = 30;

function feedConfig(config: unknown): NvdConfig {
  const parsed = v.safeParse(NvdConfig, config);
  if (!parsed.success) throw new Error(`nvd feed config: ${parsed.issues.map((i) => i.message).join('; ')}`);
  return parsed.output;
}

/**
 * GETs one page. NVD explains refusals in a `message` response header (e.g. a range over 120
 * days); it is added to the error, and a rate-limit answer without Retry-After gets one window.
 */
async function fetchPage(run: FeedRun, url: string, apiKey: string | undefined): Promise<unknown> {
  let refusal: { status: number; message: string | null } | undefined;
  const observed = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const response = await run.fetch(input, init);
    if (!response.ok) refusal = { status: response.status, message: response.headers.get('message') };
    return response;
  }) as typeof fetch;
  try {
    const fetched = await fetchFeed({ ...run, fetch: observed }, url, {
      accept: 'application/json',
      contentType: /json/,
      headers: apiKey ? { apiKey } : {},
    });
    if (fetched.notModified) throw new FeedError(`${url} answered 304 to an unconditional request`);
    return await readJson(fetched.response, url);
  } catch (err) {
    if (!(err instanceof FeedError) || !refusal) throw err;
    const retryAfterSeconds =
      err.retryAfterSeconds ?? (RATE_LIMITED.has(refusal.status) ? RATE_LIMIT_BACKOFF_SECONDS : undefined);
    const message = refusal.message ? `${err.message}: ${refusal.message}` : err.message;
    throw new FeedError(message, { retryAfterSeconds, cause: err });
  }
}

export async function* syncNvd(run: FeedRun, clock: Clock = systemClock): AsyncGenerator<FeedBatch, void, void> {
  const config = feedConfig(run.feed.config);
  const base = run.feed.url || NVD_URL;
  const apiKey = run.secrets.nvdApiKey || undefined;
  const pacer = nvdPacer(apiKey !== undefined, clock);
  const pageSize = config.pageSize ?? NVD_PAGE_SIZE;
  let position: NvdCursor = startPosition(run.feed.cursor, config, run.now);
  if (isEmptyWindow(position)) return;
  for (;;) {
    // Stop, rather than start a page the run has no time for; the cursor already points at it.
    if (!(await pacer.take(run.deadline))) {
      yield { records: [], cursor: position, more: true };
      return;
    }
    const url = pageUrl(base, position, pageSize);
    const parsed = parseNvdPage(await fetchPage(run, url, apiKey), url);
    if ('error' in parsed) throw new FeedError(`${url}: ${parsed.error}`);
    const delivered = parsed.page.vulnerabilities.length;
    const total = parsed.page.totalResults;
    if (delivered === 0 && position.startIndex < total) {
      // Asking again would loop on the same empty page; the runner backs off and retries later.
      throw new FeedError(`${url}: empty page at startIndex ${position.startIndex} of ${total} results`);
    }
    const next = nextPosition(position, delivered, total, run.now);
    yield { records: nvdRecords(parsed), cursor: next };
    const windowDone = next.startIndex === 0;
    if (windowDone && reachesNow(position, run.now)) return;
    position = next;
  }
}
