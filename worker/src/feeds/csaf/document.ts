/**
 * One CSAF document, as received, to the record that stores it: checked against CSAF 2.0 (the
 * schema and the mandatory tests, validate/), read (input.ts) and translated (parse.ts). Every
 * problem with the document is a quarantine record naming why; the feed goes on without it.
 */
import * as v from 'valibot';
import type { FeedRecord } from '../feed';
import { digestHex } from '../http';
import { CsafDocument } from './input';
import { parseCsaf } from './parse';
import { validateCsaf } from './validate/index';

/** Enough failures to act on; a broken generator repeats one fault thousands of times. */
const MAX_REASONS = 10;

function quarantine(document: string, reason: string, content: string): FeedRecord {
  return { kind: 'quarantine', document, reason, content };
}

function trackingId(value: unknown): string | undefined {
  const id = (value as { document?: { tracking?: { id?: unknown } } } | null)?.document?.tracking?.id;
  return typeof id === 'string' ? id.slice(0, 128) : undefined;
}

/**
 * Reads a document. `value` is its JSON when the caller has parsed it already; `where` names it
 * in a quarantine record (its URL for a feed, its tracking id for an import).
 */
export async function readCsafDocument(text: string, where: string, value?: unknown): Promise<FeedRecord> {
  let json = value;
  if (json === undefined) {
    try {
      json = JSON.parse(text);
    } catch (err) {
      return quarantine(where, `not JSON: ${(err as Error).message}`, text);
    }
  }
  try {
    const validation = validateCsaf(json);
    if (!validation.valid) {
      const shown = validation.failures.slice(0, MAX_REASONS).map((f) => `${f.test} ${f.path}: ${f.message}`);
      const more = validation.failures.length - shown.length;
      return quarantine(where, `not valid CSAF 2.0: ${shown.join('; ')}${more > 0 ? `; and ${more} more` : ''}`, text);
    }
    const read = v.safeParse(CsafDocument, json);
    if (!read.success) {
      const issue = read.issues[0];
      const path = issue ? v.getDotPath(issue) : null;
      return quarantine(where, `unreadable CSAF: ${path ? `${path}: ` : ''}${issue?.message ?? 'malformed'}`, text);
    }
    const parsed = parseCsaf(read.output);
    if ('error' in parsed) return quarantine(where, `${read.output.document.tracking.id}: ${parsed.error}`, text);
    return { kind: 'advisory', advisory: parsed.advisory, contentHash: await digestHex('SHA-256', text) };
  } catch (err) {
    // A hostile nesting can exhaust the stack of a recursive reader: a bad document, not an outage.
    if (err instanceof RangeError)
      return quarantine(trackingId(json) ?? where, `unreadable CSAF: ${err.message}`, text);
    throw err;
  }
}
