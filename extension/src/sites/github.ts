import { canonicalId, firstTitle, pathSegments, primaryOf } from './page';
import type { SiteAdapter } from './types';

/**
 * GitHub's advisory database (`/advisories/GHSA-xxxx-xxxx-xxxx`) and repository advisories
 * (`/<owner>/<repo>/security/advisories/GHSA-...`). GHSA ids are canonical in lower case after the
 * prefix (shared/src/ids.ts). The anchor is the advisory's title in the page header.
 */
export const github: SiteAdapter = {
  name: 'github',
  label: 'GitHub security advisories',
  matches: ['https://github.com/advisories/*', 'https://github.com/*/*/security/advisories/*'],
  primary(document, url) {
    const segments = pathSegments(url);
    const global = segments.length === 2 && segments[0] === 'advisories';
    const repository = segments.length === 5 && segments[2] === 'security' && segments[3] === 'advisories';
    if (!global && !repository) return null;
    const title = firstTitle(document, ['.gh-header-title', 'main h1', 'h1']);
    return primaryOf(canonicalId(segments[segments.length - 1], ['ghsa']), title);
  },
};
