/**
 * Microsoft Security Response Center: the monthly CVRF v3 documents
 * (https://api.msrc.microsoft.com/cvrf/v3.0/updates), as Windows advisories matched by build and
 * installed KBs. POST /v1/advisories/import?format=cvrf takes one monthly document as JSON.
 */
import type { FeedAdapter } from '../feed';
import { syncMsrc } from './fetch';
import { parseMonthlyDocument } from './parse';

function isCvrfDocument(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'DocumentTracking' in value && 'Vulnerability' in value;
}

export const msrcFeed: FeedAdapter = {
  kind: 'msrc',
  // Monthly releases on Patch Tuesday, revised in between; four looks a day catch revisions the same day.
  defaultIntervalSeconds: 21_600,
  sync: syncMsrc,
  importer: {
    detect: (value) => isCvrfDocument(value),
    parse: async (value, text) => (await parseMonthlyDocument(value, 'import', text)).records,
  },
};
