/**
 * The generic scanner on a large vendor-like page, in happy-dom: builds a ~1 MB HTML page (a
 * release-notes-like table and prose, ~500 ids of every family, scripts and form fields that must
 * be skipped), parses it once, then times `scan(document.body)` over 20 runs (p50 / p95) beside two
 * baselines measured in the same process on the same document:
 *   - a plain TreeWalker pass that only reads every text node's data (the floor of any DOM scan);
 *   - findIds over `document.body.textContent` (one regular expression over all text, no nodes).
 * The budget is 50 ms for a 1 MB page. happy-dom's DOM is far slower than a browser's, so
 * these figures bound Chromium's from above; Chromium's own are measured by the e2e bench separately.
 * Run: tsx extension/bench/scan.ts
 */
import { findIds } from '@patchboard/shared/ids';
import { Window } from 'happy-dom';
import { median, ratio } from '../../worker/bench/timing';
import { scan } from '../src/scan/scan';

const TARGET_BYTES = 1_000_000;
const TARGET_IDS = 500;
const RUNS = 20;
const WARMUP = 3;

/** The ids of the page, of every family and in several spellings, cycled through. */
function idAt(i: number): string {
  const n = 1000 + i;
  switch (i % 10) {
    case 0:
      return `CVE-2024-${20000 + i}`;
    case 1:
      return `KB${5030000 + i}`;
    case 2:
      return `RHSA-2024:${n}`;
    case 3:
      return `USN-${6000 + i}-1`;
    case 4:
      return `DSA-${5000 + i}-1`;
    case 5:
      return `cve-2023-${30000 + i}`;
    case 6: {
      const alphabet = '23456789cfghjmpqrvwx';
      const at = (k: number) => alphabet[Math.floor(i / 20 ** k) % 20];
      return `GHSA-${at(0)}${at(1)}${at(2)}f-6vcg-3hgv`;
    }
    case 7:
      return `KB ${5040000 + i}`;
    case 8:
      return `ALSA-2024:${n}`;
    default:
      return `DLA-${3000 + i}-1`;
  }
}

const PROSE = [
  'An attacker who successfully exploited this vulnerability could gain SYSTEM privileges.',
  'The update addresses the vulnerability by correcting how the component handles objects in memory.',
  'Customers running affected versions should apply the update; no workaround is available.',
  'For the stable distribution (bookworm), this problem has been fixed in version 2.36-9+deb12u7.',
  'We recommend that you upgrade your packages. Restart the affected services afterwards.',
];

/** A page of about TARGET_BYTES of markup with TARGET_IDS ids spread evenly through it. */
function buildPage(): { html: string; ids: number } {
  const parts: string[] = [
    '<!DOCTYPE html><html><head><title>Security Update Guide</title>',
    '<script>window.__STATE__ = {"route":"CVE-2001-0001"};</script><style>.row{color:#333}</style></head><body>',
    '<header><nav><a href="/">Home</a> <a href="/update-guide/">Security Updates</a></nav>',
    '<input type="search" value="CVE-2001-0002"></header><main><h1>Release notes</h1><table>',
  ];
  let bytes = parts.join('').length;
  const rowsPerId = 5;
  let ids = 0;
  for (let row = 0; bytes < TARGET_BYTES - 200; row++) {
    const hasId = row % rowsPerId === 0 && ids < TARGET_IDS;
    const idCell = hasId ? `<a href="/update-guide/vulnerability/x">${idAt(ids++)}</a>` : 'n/a';
    const html =
      `<tr class="row"><td>Feb ${(row % 28) + 1}, 2024</td><td>Windows Server 2022 build 10.0.20348.${2000 + row}</td>` +
      `<td>${idCell}</td><td><span>Important</span></td><td><p>${PROSE[row % PROSE.length]} ${PROSE[(row + 2) % PROSE.length]}</p></td></tr>\n`;
    parts.push(html);
    bytes += html.length;
  }
  parts.push('</table></main><footer><p>© 2024</p></footer></body></html>');
  return { html: parts.join(''), ids };
}

/**
 * Wall-clock milliseconds of RUNS calls of each measurement after WARMUP unmeasured ones,
 * interleaved (one call of each per round) so that a busy machine weighs on all of them alike.
 */
function interleaved(works: readonly (() => unknown)[]): number[][] {
  for (let i = 0; i < WARMUP; i++) for (const work of works) work();
  const times = works.map(() => [] as number[]);
  for (let i = 0; i < RUNS; i++) {
    works.forEach((work, w) => {
      const started = performance.now();
      work();
      times[w]?.push(performance.now() - started);
    });
  }
  return times;
}

/** Nearest-rank percentile. */
function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

const ms = (value: number) => value.toFixed(1).padStart(8);

function main(): void {
  const { html, ids } = buildPage();
  const window = new Window({ url: 'https://msrc.microsoft.com/update-guide/releaseNote/2024-Feb' });
  const parseStarted = performance.now();
  const document = new window.DOMParser().parseFromString(html, 'text/html') as unknown as Document;
  const parseMs = performance.now() - parseStarted;
  const body = document.body;
  let textNodes = 0;
  const walker = document.createTreeWalker(body, 0x4);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) textNodes++;

  const result = scan(body);
  console.log(
    `Patchboard scan bench (happy-dom): ${(html.length / 1e6).toFixed(2)} MB of HTML, ${textNodes} text nodes, ` +
      `${ids} ids written, ${result.ids.length} found (${result.occurrences.length} occurrences); parsed in ${parseMs.toFixed(0)} ms`,
  );
  if (result.ids.length !== ids) throw new Error(`the scanner found ${result.ids.length} ids of ${ids}`);

  const [scanRuns = [], walkRuns = [], textRuns = []] = interleaved([
    () => scan(body),
    () => {
      let chars = 0;
      const w = document.createTreeWalker(body, 0x4);
      for (let node = w.nextNode(); node; node = w.nextNode()) chars += (node as Text).data.length;
      return chars;
    },
    () => findIds(body.textContent ?? '').length,
  ]);

  console.log(`\nResults (ms over ${RUNS} interleaved runs after ${WARMUP} warm-up runs)`);
  console.log(`  ${'measurement'.padEnd(62)} ${'p50'.padStart(8)} ${'p95'.padStart(8)}`);
  for (const [label, values] of [
    ['scan(document.body): ids, occurrences and text ranges', scanRuns],
    ['baseline: TreeWalker reading every text node, nothing else', walkRuns],
    ['baseline: findIds over document.body.textContent', textRuns],
  ] as const) {
    console.log(`  ${label.padEnd(62)} ${ms(median(values))} ${ms(percentile(values, 95))}`);
  }
  console.log('\nRatios of the scan (p50, p95) against the baselines in this run');
  console.log(
    `  against the bare TreeWalker:   ${ratio(median(scanRuns), median(walkRuns))}, ${ratio(percentile(scanRuns, 95), percentile(walkRuns, 95))}`,
  );
  console.log(
    `  against regex over textContent: ${ratio(median(scanRuns), median(textRuns))}, ${ratio(percentile(scanRuns, 95), percentile(textRuns, 95))}`,
  );
  window.happyDOM.close();
}

main();
