import { firstTitle, pathSegments, primaryOf, urlOrTitleId } from './page';
import type { SiteAdapter } from './types';

/**
 * Red Hat's Customer Portal: errata (`/errata/RHSA-2024:0010`, also RHBA and RHEA, the colon
 * sometimes percent-encoded) and CVE pages (`/security/cve/CVE-2024-3094`, often linked in lower
 * case). The id comes from the URL, or from the title when the URL spells it oddly; the anchor is
 * the page's h1.
 */
export const redhat: SiteAdapter = {
  name: 'redhat',
  label: 'Red Hat errata and CVE pages',
  matches: ['https://access.redhat.com/errata/*', 'https://access.redhat.com/security/cve/*'],
  primary(document, url) {
    const segments = pathSegments(url).map((s, i) => (i < 2 ? s.toLowerCase() : s));
    const [first, second, third] = segments;
    const errata = first === 'errata' && segments.length === 2;
    const cve = first === 'security' && second === 'cve' && segments.length === 3;
    if (!errata && !cve) return null;
    const kinds = errata ? (['redhat'] as const) : (['cve'] as const);
    const title = firstTitle(document, ['main h1', 'h1']);
    return primaryOf(urlOrTitleId(errata ? second : third, title, kinds), title);
  },
};
