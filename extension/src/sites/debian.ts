import { canonicalId, firstTitle, idInText, pathSegments, primaryOf } from './page';
import type { SiteAdapter } from './types';

/** `dsa-5678`, `dsa-5678.en.html`, `dla-3800.html`: an advisory page's file name on www.debian.org. */
const ADVISORY_FILE = /^(ds|dl)a-(\d+)(?:\.[a-z]{2}(?:-[a-z]+)?)?(?:\.html)?$/i;

/**
 * Debian: the security tracker (`security-tracker.debian.org/tracker/CVE-2024-3094`, `/tracker/DSA-5678-1`,
 * `/tracker/DLA-3800-1`; package pages such as `/tracker/openssl` have no primary), and the
 * advisories on www.debian.org (`/security/2024/dsa-5678`, `/lts/security/2024/dla-3800`), whose
 * URLs drop the revision that their title (`DSA-5678-1 glibc -- security update`) gives: the
 * title's id is taken when it is the URL's advisory.
 */
export const debian: SiteAdapter = {
  name: 'debian',
  label: 'Debian security tracker and advisories',
  matches: [
    'https://security-tracker.debian.org/tracker/*',
    'https://www.debian.org/security/*',
    'https://www.debian.org/lts/security/*',
  ],
  primary(document, url) {
    const segments = pathSegments(url);
    const title = firstTitle(document, ['#content h1', 'h1', '#content h2']);
    if (url.hostname === 'security-tracker.debian.org') {
      if (segments.length !== 2 || segments[0] !== 'tracker') return null;
      return primaryOf(canonicalId(segments[1], ['cve', 'dsa', 'dla']), title);
    }
    const path = segments[0] === 'lts' ? segments.slice(1) : segments;
    const file = path.length === 3 && path[0] === 'security' && /^\d{4}$/.test(path[1] ?? '') ? path[2] : undefined;
    const match = file && ADVISORY_FILE.exec(file);
    if (!match) return null;
    const family = match[1]?.toUpperCase() === 'DS' ? 'DSA' : 'DLA';
    const fromTitle = idInText(title, ['dsa', 'dla']);
    // The title names the same advisory with its revision (DSA-5678-1); a DLA URL has no valid id without it.
    const id = fromTitle?.startsWith(`${family}-${match[2]}-`)
      ? fromTitle
      : canonicalId(`${family}-${match[2]}`, ['dsa']);
    return primaryOf(id, title);
  },
};
