// @ts-check
/**
 * Vendor pages for the end-to-end tests, made from the adapters' own fixture pages
 * (extension/src/sites/fixtures/, see its NOTICE.md) with the fixture's CVE replaced by one the
 * demo data really has findings for.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './worker.mjs';

const FIXTURES = path.join(repoRoot, 'extension/src/sites/fixtures');

/** @param {string} name */
const fixture = (name) => readFileSync(path.join(FIXTURES, name), 'utf8');

/** @param {string} text */
export const escapeHtml = (text) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** The CVE each fixture is written for. */
const NVD_FIXTURE_CVE = 'CVE-2024-3094';
const MSRC_FIXTURE_CVE = 'CVE-2024-21412';
const MSRC_FIXTURE_TITLE = 'Internet Shortcut Files Security Feature Bypass Vulnerability';

/** NVD's CVE page (nvd-cve.html) for `cve`, at https://nvd.nist.gov/vuln/detail/<cve>. */
export function nvdPage(/** @type {string} */ cve) {
  return {
    url: `https://nvd.nist.gov/vuln/detail/${cve}`,
    html: fixture('nvd-cve.html').replaceAll(NVD_FIXTURE_CVE, cve),
  };
}

/** The event on which the MSRC page's script renders (the test decides when: no race with a timer). */
const RENDER_EVENT = 'patchboard-e2e:render';

/**
 * Microsoft's Security Update Guide for `cve` as the single-page app it is: the shell without a
 * title (msrc-spa.html), and the script it loads, which renders the page (the main element of
 * msrc-vulnerability.html, titled `title`) late: when the window gets `renderEvent`.
 * @param {{ cve: string, title: string }} options
 */
export function msrcSpaPage({ cve, title }) {
  const rendered = fixture('msrc-vulnerability.html');
  const main = /<main id="main">([\s\S]*)<\/main>/.exec(rendered)?.[1];
  if (!main) throw new Error('msrc-vulnerability.html has no <main id="main">');
  const content = main.replaceAll(MSRC_FIXTURE_CVE, cve).replace(MSRC_FIXTURE_TITLE, escapeHtml(title));
  const script = `// Stands in for the React bundle: renders the vulnerability page late.
window.addEventListener(${JSON.stringify(RENDER_EVENT)}, () => {
  document.getElementById('main').innerHTML = ${JSON.stringify(content)};
  document.title = ${JSON.stringify(`${cve} - Security Update Guide - Microsoft`)};
}, { once: true });
`;
  return {
    url: `https://msrc.microsoft.com/update-guide/vulnerability/${cve}`,
    html: fixture('msrc-spa.html'),
    scriptUrl: 'https://msrc.microsoft.com/update-guide/static/js/main.chunk.js',
    script,
    renderEvent: RENDER_EVENT,
  };
}
