import { firstTitle, pathSegments, primaryOf, urlOrTitleId } from './page';
import type { SiteAdapter } from './types';

/** `en-US`, `de-DE`, `zh-Hans`: the optional locale segment after `/update-guide/`. */
const LOCALE = /^[a-z]{2}(?:-[a-z]{2,4})?$/i;

/**
 * What follows `/update-guide/[locale/]`: the page kind (`vulnerability`, `advisory`, `releaseNote`,
 * compared case-insensitively) and the rest, or null for another page of the site.
 */
function route(url: URL): { kind: string; rest: readonly string[] } | null {
  const segments = pathSegments(url);
  if (segments[0]?.toLowerCase() !== 'update-guide') return null;
  let rest = segments.slice(1);
  if (rest[0] && LOCALE.test(rest[0])) rest = rest.slice(1);
  const [kind, ...after] = rest;
  return kind ? { kind: kind.toLowerCase(), rest: after } : null;
}

/**
 * Microsoft's Security Update Guide: a React single-page app. The id is in the URL before anything
 * renders (`/update-guide/vulnerability/CVE-2024-21412`, `/update-guide/en-US/advisory/ADV990001`),
 * so the URL is read first; the anchor is the rendered title (h1), and until it renders the page
 * has no primary. Release notes (`/update-guide/releaseNote/2024-Feb`) list many CVEs and KBs: the
 * scanner marks them.
 */
export const msrc: SiteAdapter = {
  name: 'msrc',
  label: 'Microsoft Security Update Guide',
  matches: ['https://msrc.microsoft.com/update-guide/*'],
  primary(document, url) {
    const page = route(url);
    if (page?.kind !== 'vulnerability' && page?.kind !== 'advisory') return null;
    const title = firstTitle(document, ['main h1', 'h1']);
    return primaryOf(urlOrTitleId(page.rest[0], title, ['cve', 'ms-advisory']), title);
  },
  isListPage(url) {
    return route(url)?.kind === 'releasenote';
  },
};
