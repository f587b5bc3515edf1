/**
 * CISA KEV: which CVEs are known to be exploited, with CISA's due dates. Synced every six hours
 * (CISA publishes a few times a week), and importable as the catalog file (`?format=kev`).
 */
import type { FeedAdapter } from '../feed';
import { syncKev } from './fetch';
import { kevRecords, looksLikeKevCatalog, parseKevCatalog } from './parse';

export { KEV_URL } from './fetch';

export const kevFeed: FeedAdapter = {
  kind: 'kev',
  defaultIntervalSeconds: 21_600,
  sync: syncKev,
  importer: {
    detect: (value) => looksLikeKevCatalog(value),
    async parse(value, text) {
      const parsed = parseKevCatalog(value);
      if ('error' in parsed)
        return [{ kind: 'quarantine', document: 'kev', reason: parsed.error, content: text.slice(0, 2048) }];
      return kevRecords(parsed);
    },
  },
};
