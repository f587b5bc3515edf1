// @vitest-environment happy-dom
import * as v from 'valibot';
import { beforeEach, describe, expect, it } from 'vitest';
import { LookupRequest } from '../utils/messages';
import { scan } from './scan';

function page(html: string): HTMLElement {
  document.body.innerHTML = html;
  return document.body;
}

describe('scan', () => {
  beforeEach(() => {
    document.body.replaceChildren();
  });

  it('answers each id once in order of first appearance, and every occurrence with its text node', () => {
    const body = page('<p>CVE-2024-3094 and <b>KB 5034441</b></p><p>cve-2024-3094 again, RHSA-2024:0010</p>');
    const result = scan(body);
    expect(result.ids).toEqual(['CVE-2024-3094', 'KB5034441', 'RHSA-2024:0010']);
    expect(result.occurrences.map((o) => [o.id, o.node.data.slice(o.start, o.end)])).toEqual([
      ['CVE-2024-3094', 'CVE-2024-3094'],
      ['KB5034441', 'KB 5034441'],
      ['CVE-2024-3094', 'cve-2024-3094'],
      ['RHSA-2024:0010', 'RHSA-2024:0010'],
    ]);
  });

  it('skips scripts, styles, form fields, editable areas and our own UI', () => {
    const body = page(`
      <script>var a = "CVE-2001-0001";</script><style>/* CVE-2001-0002 */</style>
      <noscript>CVE-2001-0003</noscript><textarea>CVE-2001-0004</textarea><input value="CVE-2001-0005">
      <select><option>CVE-2001-0006</option></select>
      <div contenteditable="true"><p>CVE-2001-0007</p></div>
      <div data-patchboard="overlay"><span>CVE-2001-0008</span><div><b>CVE-2001-0009</b></div></div>
      <template><p>CVE-2001-0010</p></template>
      <svg><text>CVE-2001-0011</text></svg>
      <p>Only CVE-2024-3094 is page text.</p>`);
    expect(scan(body).ids).toEqual(['CVE-2024-3094']);
  });

  it('finds nothing under a root inside our own UI', () => {
    const body = page('<div data-patchboard><p id="inner">CVE-2024-3094</p></div>');
    expect(scan(body.querySelector('#inner') as Element).ids).toEqual([]);
  });

  it('scans a whole document, but not its <title>', () => {
    page('<p>CVE-2024-3094</p>');
    document.title = 'CVE-2001-0001';
    expect(scan(document).ids).toEqual(['CVE-2024-3094']);
  });

  it('finds ids at the edges of adjacent text nodes, with offsets in their own node', () => {
    const body = page('<p>CVE-2024-3094<b>KB5034441</b>USN-6663-1 and <i>DSA-1</i></p>');
    expect(scan(body).occurrences.map((o) => [o.id, o.node.data, o.start, o.end])).toEqual([
      ['CVE-2024-3094', 'CVE-2024-3094', 0, 13],
      ['KB5034441', 'KB5034441', 0, 9],
      ['USN-6663-1', 'USN-6663-1 and ', 0, 10],
      ['DSA-1', 'DSA-1', 0, 5],
    ]);
  });

  it('does not join an id split across elements', () => {
    expect(scan(page('<p>KB <b>5034441</b> KB<br>5034441</p>')).ids).toEqual([]);
    expect(scan(page('<p>CVE-2024-<b>3094</b></p>')).ids).toEqual([]);
  });

  it('answers hundreds of ids once each, in one batch the lookup message takes', () => {
    const rows = Array.from(
      { length: 450 },
      (_, i) => `<tr><td>CVE-2024-${10000 + i}</td><td>USN-${6000 + (i % 50)}-1</td></tr>`,
    );
    const body = page(`<table>${rows.join('')}</table><p>${rows.length} rows; CVE-2024-10000 is listed first.</p>`);
    const { ids, occurrences } = scan(body);
    expect(ids.length).toBe(500);
    expect(occurrences.length).toBe(901);
    expect(new Set(ids).size).toBe(ids.length);
    expect(v.is(LookupRequest, { type: 'patchboard:lookup', ids })).toBe(true);
  });

  it('finds every id of a 1 MB page, and nothing more (correctness only; the bench times it)', () => {
    const paragraphs: string[] = [];
    const expected: string[] = [];
    let size = 0;
    for (let i = 0; size < 1_000_000; i++) {
      const id = i % 4 === 0 ? `CVE-2023-${20000 + i}` : null;
      if (id) expected.push(id);
      const text =
        `<p class="row-${i}">Package openssl version 3.0.${i % 20}-1~deb12u${i % 3} was updated on 2024-01-${(i % 28) + 1}. ` +
        `The maintainers list the change as routine (build ${i}); ${id ? `it fixes <a href="#">${id}</a>.` : 'no advisory.'}</p>`;
      paragraphs.push(text);
      size += text.length;
    }
    const body = page(`<main>${paragraphs.join('\n')}</main>`);
    expect(body.innerHTML.length).toBeGreaterThanOrEqual(1_000_000);
    const { ids, occurrences } = scan(body);
    expect(ids).toEqual(expected);
    expect(occurrences.length).toBe(expected.length);
  });
});
