// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { mark } from './mark';
import { scan } from './scan';

function page(html: string): HTMLElement {
  document.body.innerHTML = html;
  return document.body;
}

const badge = (id: string) => {
  const element = document.createElement('patchboard-badge');
  element.textContent = `[${id}]`;
  return element;
};

describe('mark', () => {
  beforeEach(() => {
    document.body.replaceChildren();
  });

  it('wraps each id in a span naming its canonical id, keeps the text, and attaches a badge after it', () => {
    const body = page('<p>Fixes cve-2024-3094 and KB 5034441, see <a href="/x">RHSA-2024:0010</a>.</p>');
    const before = body.textContent;
    const spans = mark(scan(body).occurrences, badge);
    expect(spans.map((s) => [s.getAttribute('data-patchboard-id'), s.textContent])).toEqual([
      ['CVE-2024-3094', 'cve-2024-3094'],
      ['KB5034441', 'KB 5034441'],
      ['RHSA-2024:0010', 'RHSA-2024:0010'],
    ]);
    expect(body.querySelector('p')?.innerHTML).toBe(
      'Fixes <span data-patchboard-id="CVE-2024-3094">cve-2024-3094</span><patchboard-badge data-patchboard="badge">[CVE-2024-3094]</patchboard-badge>' +
        ' and <span data-patchboard-id="KB5034441">KB 5034441</span><patchboard-badge data-patchboard="badge">[KB5034441]</patchboard-badge>' +
        ', see <a href="/x"><span data-patchboard-id="RHSA-2024:0010">RHSA-2024:0010</span><patchboard-badge data-patchboard="badge">[RHSA-2024:0010]</patchboard-badge></a>.',
    );
    // The page's own text is intact once our badges are set aside.
    for (const own of body.querySelectorAll('[data-patchboard]')) own.remove();
    expect(body.textContent).toBe(before);
  });

  it('handles several ids in one text node, and marks without a badge', () => {
    const body = page('<p>CVE-2024-1 CVE-2024-0001,CVE-2024-0002 CVE-2024-0003</p>');
    const spans = mark(scan(body).occurrences);
    expect(spans.map((s) => s.textContent)).toEqual(['CVE-2024-0001', 'CVE-2024-0002', 'CVE-2024-0003']);
    expect(body.querySelector('p')?.textContent).toBe('CVE-2024-1 CVE-2024-0001,CVE-2024-0002 CVE-2024-0003');
  });

  it('does not mark twice: a second scan sees the ids again, the marks stay as they are', () => {
    const body = page('<p>CVE-2024-3094 and USN-6663-1</p>');
    mark(scan(body).occurrences, badge);
    const html = body.innerHTML;
    const again = scan(body);
    expect(again.ids).toEqual(['CVE-2024-3094', 'USN-6663-1']);
    expect(mark(again.occurrences, badge)).toEqual([]);
    expect(body.innerHTML).toBe(html);
  });

  it('skips occurrences whose text changed since the scan', () => {
    const body = page('<p>Fixed: CVE-2024-3094</p>');
    const { occurrences } = scan(body);
    const text = body.querySelector('p')?.firstChild as Text;
    text.data = 'Fixed';
    expect(mark(occurrences, badge)).toEqual([]);
    expect(body.innerHTML).toBe('<p>Fixed</p>');
  });

  it('never reads page text as HTML', () => {
    const body = page('<p>&lt;img src=x onerror=alert(1)&gt; CVE-2024-3094 &lt;b&gt;</p>');
    mark(scan(body).occurrences, badge);
    expect(body.querySelector('img')).toBeNull();
    expect(body.querySelector('b')).toBeNull();
    expect(body.querySelector('p')?.textContent).toBe('<img src=x onerror=alert(1)> CVE-2024-3094[CVE-2024-3094] <b>');
  });

  it('keeps our own attribute on a badge that already has one', () => {
    const body = page('<p>CVE-2024-3094</p>');
    mark(scan(body).occurrences, () => {
      const element = document.createElement('span');
      element.setAttribute('data-patchboard', 'custom');
      return element;
    });
    expect(body.querySelector('[data-patchboard]')?.getAttribute('data-patchboard')).toBe('custom');
  });
});
