import { firstTitle, pathSegments, primaryOf, urlOrTitleId } from './page';
import type { SiteAdapter } from './types';

/**
 * NVD's CVE detail pages (`/vuln/detail/CVE-2024-3094`, also linked in lower case). The anchor is the
 * page header (`<h2 data-testid="page-header">CVE-2024-3094 Detail</h2>`), whose id span is the
 * fallback when the URL spells the id oddly.
 */
export const nvd: SiteAdapter = {
  name: 'nvd',
  label: 'NVD',
  matches: ['https://nvd.nist.gov/vuln/detail/*'],
  primary(document, url) {
    const [vuln, detail, written, ...more] = pathSegments(url);
    if (vuln !== 'vuln' || detail !== 'detail' || !written || more.length > 0) return null;
    const header = firstTitle(document, ['[data-testid="page-header"]', 'h2']);
    const vulnId = document.querySelector('[data-testid="page-header-vuln-id"]');
    return primaryOf(urlOrTitleId(written, vulnId, ['cve']), header);
  },
};
