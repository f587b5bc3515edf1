import { canonicalId, firstTitle, pathSegments, primaryOf } from './page';
import type { SiteAdapter } from './types';

/**
 * osv.dev's vulnerability pages (`/vulnerability/<id>`), for every OSV id Patchboard's lookup knows
 * (GHSA, CVE, DSA, DLA, USN, RHSA, ALSA, ...). Ids of other databases (`PYSEC-2024-1`,
 * `GO-2024-2600`) have no primary: their aliases are left to the scanner. The anchor is the h1.
 */
export const osv: SiteAdapter = {
  name: 'osv',
  label: 'OSV',
  matches: ['https://osv.dev/vulnerability/*'],
  primary(document, url) {
    const [page, written, ...more] = pathSegments(url);
    if (page !== 'vulnerability' || more.length > 0) return null;
    return primaryOf(canonicalId(written), firstTitle(document, ['main h1', 'h1']));
  },
};
