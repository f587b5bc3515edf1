import { firstTitle, primaryOf, urlOrTitleId } from './page';
import type { SiteAdapter } from './types';

/**
 * cve.org's record pages (`/CVERecord?id=CVE-2024-3094`): a single-page app whose id is in the
 * query before the record renders. The anchor is the record's h1; its text is the fallback id.
 */
export const cveorg: SiteAdapter = {
  name: 'cveorg',
  label: 'CVE.org',
  matches: ['https://www.cve.org/CVERecord*', 'https://cve.org/CVERecord*'],
  primary(document, url) {
    if (url.pathname.replace(/\/$/, '').toLowerCase() !== '/cverecord') return null;
    const title = firstTitle(document, ['main h1', 'h1']);
    return primaryOf(urlOrTitleId(url.searchParams.get('id'), title, ['cve']), title);
  },
};
