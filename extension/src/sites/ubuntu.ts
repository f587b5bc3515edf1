import { canonicalId, firstTitle, pathSegments, primaryOf, urlOrTitleId } from './page';
import type { SiteAdapter } from './types';

/**
 * Ubuntu's security notices (`/security/notices/USN-6663-1`) and CVE pages
 * (`/security/CVE-2024-3094`). The lists beside them (`/security/notices`, `/security/cves`) have
 * no primary. The anchor is the h1 (`USN-6663-1: OpenSSL update`).
 */
export const ubuntu: SiteAdapter = {
  name: 'ubuntu',
  label: 'Ubuntu security notices and CVEs',
  // One pattern for both page kinds: CVE pages sit directly under /security/, and match patterns are case-sensitive.
  matches: ['https://ubuntu.com/security/*'],
  primary(document, url) {
    const segments = pathSegments(url);
    if (segments[0]?.toLowerCase() !== 'security') return null;
    const notice = segments.length === 3 && segments[1]?.toLowerCase() === 'notices';
    const cve = segments.length === 2;
    if (!notice && !cve) return null;
    const kinds = notice ? (['usn'] as const) : (['cve'] as const);
    const written = segments[segments.length - 1];
    const title = firstTitle(document, ['main h1', 'h1']);
    // A CVE page is named by its URL alone: /security/livepatch is not one, whatever its title says.
    const id = notice ? urlOrTitleId(written, title, kinds) : canonicalId(written, kinds);
    return primaryOf(id, title);
  },
};
