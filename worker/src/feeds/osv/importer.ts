/**
 * OSV for POST /v1/advisories/import: one record, or an array of them. One record comes back per
 * document, in order (the route reports rejections by index); a document without an id is
 * quarantined under '' (the route shows it as id null). The content hash covers each document as
 * JSON.stringify writes it, as imports always did, so re-importing a document changes nothing.
 */
import type { FeedAdapter, FeedRecord } from '../feed';
import { quarantine, readOsvValue } from './record';

/** Top-level keys of the other importable formats (CSAF, CVE 5, KEV, NVD, CVRF), which OSV never has. */
const FOREIGN_KEYS = [
  'document',
  'cveMetadata',
  'dataType',
  'catalogVersion',
  'cveID',
  'vulnerabilities',
  'resultsPerPage',
  'DocumentTitle',
  'Vulnerability',
];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isForeign(value: unknown): boolean {
  return isObject(value) && FOREIGN_KEYS.some((key) => key in value);
}

function looksLikeOsv(value: unknown): boolean {
  return isObject(value) && typeof value.id === 'string' && typeof value.modified === 'string' && !isForeign(value);
}

export const osvImporter: NonNullable<FeedAdapter['importer']> = {
  /**
   * An OSV record, or an array of documents of which at least one is one and none is another
   * format's (the others are then refused one by one); an empty array imports nothing.
   */
  detect(value) {
    if (Array.isArray(value)) return value.length === 0 || (value.some(looksLikeOsv) && !value.some(isForeign));
    return looksLikeOsv(value);
  },

  async parse(value, text) {
    if (value === undefined) return [quarantine('', 'not a JSON document', text)];
    const documents: unknown[] = Array.isArray(value) ? value : [value];
    return Promise.all(
      documents.map(async (document): Promise<FeedRecord> => {
        const read = await readOsvValue(document, JSON.stringify(document) ?? String(document), '');
        return read.record;
      }),
    );
  },
};
