import type { SiteAdapter } from './types';

/**
 * CISA's Known Exploited Vulnerabilities catalog: one page listing well over a thousand CVEs. It has
 * no primary id; it is a page for the scanner (isListPage), which marks every CVE and sends them in
 * one batched lookup.
 */
export const cisa: SiteAdapter = {
  name: 'cisa',
  label: 'CISA KEV catalog',
  matches: ['https://www.cisa.gov/known-exploited-vulnerabilities-catalog*'],
  primary() {
    return null;
  },
  isListPage(url) {
    return url.pathname.replace(/\/$/, '') === '/known-exploited-vulnerabilities-catalog';
  },
};
