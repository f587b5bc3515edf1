/**
 * NVD CVE API 2.0: each CVE's status (Rejected CVEs withdraw advisories that name only rejected
 * CVEs), CVSS 3.x and 4.0 scores, description and CWEs. Synced every two hours, as NVD asks of
 * clients; importable as an API response page (`?format=nvd`).
 */
import type { FeedAdapter } from '../feed';
import { syncNvd } from './fetch';
import { type Clock, systemClock } from './pacing';
import { looksLikeNvdPage, nvdRecords, parseNvdPage } from './parse';

export { NVD_URL } from './fetch';

/** The adapter, with the clock its pacing uses (tests pass a fake one). */
export function createNvdFeed(clock: Clock = systemClock): FeedAdapter {
  return {
    kind: 'nvd',
    defaultIntervalSeconds: 7_200,
    sync: (run) => syncNvd(run, clock),
    importer: {
      detect: (value) => looksLikeNvdPage(value),
      async parse(value, text) {
        const parsed = parseNvdPage(value, 'import');
        if ('error' in parsed)
          return [{ kind: 'quarantine', document: 'nvd', reason: parsed.error, content: text.slice(0, 2048) }];
        return nvdRecords(parsed);
      },
    },
  };
}

export const nvdFeed = createNvdFeed();
