/**
 * The Debian security tracker (https://security-tracker.debian.org/tracker/data/json): per source
 * package and CVE, each release's status and fixed version. Advisories are per (CVE, source
 * package), e.g. `DEBIAN-CVE-2024-1234:openssl`, matched against Debian hosts through the source
 * package of what they have installed. Read streamed (see members.ts and fetch.ts).
 */
import type { FeedAdapter } from '../feed';
import { syncDebianTracker } from './fetch';
import { importDebianTracker, looksLikeDebianTracker } from './import';

export const debianTrackerFeed: FeedAdapter = {
  kind: 'debian-tracker',
  defaultIntervalSeconds: 21_600,
  sync: syncDebianTracker,
  importer: {
    detect: (value) => looksLikeDebianTracker(value),
    parse: (value) => importDebianTracker(value),
  },
};
