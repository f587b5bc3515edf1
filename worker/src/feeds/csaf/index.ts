/**
 * CSAF 2.0 providers (Red Hat, Microsoft, and any provider an admin adds by the URL of its
 * provider-metadata.json), and CSAF documents uploaded to POST /v1/advisories/import.
 */
import type { FeedAdapter, FeedRecord } from '../feed';
import { readCsafDocument } from './document';
import { syncCsaf } from './fetch';

export { MICROSOFT_PROVIDER_METADATA, REDHAT_PROVIDER_METADATA } from './fetch';

function isCsaf(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const document = (value as { document?: unknown }).document;
  return typeof document === 'object' && document !== null && 'csaf_version' in document;
}

function nameOf(value: unknown): string {
  // The body may be any JSON value (or none): an import names the format, so it is not detected first.
  const id = (value as { document?: { tracking?: { id?: unknown } } } | null | undefined)?.document?.tracking?.id;
  return typeof id === 'string' && id !== '' ? id.slice(0, 128) : 'CSAF document';
}

export const csafFeed: FeedAdapter = {
  kind: 'csaf',
  defaultIntervalSeconds: 3600,
  sync: syncCsaf,
  importer: {
    detect: (value) => isCsaf(value),
    parse: async (value, text): Promise<FeedRecord[]> => [await readCsafDocument(text, nameOf(value), value)],
  },
};
