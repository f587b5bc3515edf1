/**
 * Alpine secdb (https://secdb.alpinelinux.org/<release>/{main,community}.json), and Wolfi's or
 * Chainguard's security.json in the same format: per apk origin package, the versions that fixed
 * each vulnerability. Advisories are per (vulnerability, package) across the releases followed,
 * e.g. `ALPINE-CVE-2024-9143:openssl`, matched through the origin of what hosts have installed.
 */
import type { FeedAdapter } from '../feed';
import { syncSecdb } from './fetch';

export const alpineSecdbFeed: FeedAdapter = {
  kind: 'alpine-secdb',
  defaultIntervalSeconds: 21_600,
  sync: syncSecdb,
};
