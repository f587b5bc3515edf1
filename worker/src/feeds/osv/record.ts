/**
 * One OSV document, as received, to the record the runner stores: an advisory with the hash of the
 * text as received, or a quarantine record saying why not. Shared by every way OSV arrives (all.zip
 * entries, single records, the API, POST /v1/advisories/import), so each refuses the same things.
 */
import * as v from 'valibot';
import type { FeedRecord } from '../feed';
import { digestHex } from '../http';
import { OsvRecord } from './input';
import { parseOsv } from './parse';

export interface ReadDocument {
  readonly record: FeedRecord;
  /** The record's own `modified` as written, when it was read; cursors follow it. */
  readonly modified: string | null;
}

export function quarantine(document: string, reason: string, content: string): FeedRecord {
  return { kind: 'quarantine', document, reason, content };
}

/** The id a broken document claims, so the quarantine names it (cut to the longest valid id). */
function claimedId(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const id = (value as { id?: unknown }).id;
  return typeof id === 'string' && id !== '' ? id.slice(0, 128) : null;
}

/**
 * A parsed JSON value and the text it came from (which the content hash covers). `label` names the
 * document in the quarantine when it has no id of its own: the zip entry, the URL, or '' for an import.
 */
export async function readOsvValue(value: unknown, text: string, label: string): Promise<ReadDocument> {
  const checked = v.safeParse(OsvRecord, value);
  if (!checked.success) {
    const issue = checked.issues[0];
    const path = issue ? v.getDotPath(issue) : null;
    const reason = `not a valid OSV record: ${path ? `${path}: ` : ''}${issue?.message ?? 'malformed'}`;
    return { record: quarantine(claimedId(value) ?? label, reason, text), modified: null };
  }
  const parsed = parseOsv(checked.output);
  if ('error' in parsed) return { record: quarantine(checked.output.id, parsed.error, text), modified: null };
  const contentHash = await digestHex('SHA-256', text);
  return { record: { kind: 'advisory', advisory: parsed.advisory, contentHash }, modified: checked.output.modified };
}

export async function readOsvText(text: string, label: string): Promise<ReadDocument> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { record: quarantine(label, `not valid JSON: ${(err as Error).message}`, text), modified: null };
  }
  return readOsvValue(value, text, label);
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const lenient = new TextDecoder('utf-8');

export async function readOsvBytes(bytes: Uint8Array, label: string): Promise<ReadDocument> {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { record: quarantine(label, 'not valid UTF-8', lenient.decode(bytes)), modified: null };
  }
  return readOsvText(text, label);
}
