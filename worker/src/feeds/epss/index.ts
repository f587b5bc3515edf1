/**
 * FIRST EPSS: the probability that each CVE is exploited in the next 30 days, published daily.
 * Synced daily by streaming the gzip CSV; importable as the (uncompressed) CSV (`?format=epss`).
 */
import type { FeedAdapter } from '../feed';
import { syncEpss } from './fetch';
import { looksLikeEpss, parseEpssText } from './parse';

export { EPSS_URL } from './fetch';

export const epssFeed: FeedAdapter = {
  kind: 'epss',
  defaultIntervalSeconds: 86_400,
  sync: syncEpss,
  importer: {
    detect: (_value, text) => looksLikeEpss(text),
    parse: (_value, text) => parseEpssText(text),
  },
};
