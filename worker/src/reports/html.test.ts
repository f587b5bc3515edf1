import { describe, expect, it } from 'vitest';
import type { ReportDocument } from './document';
import { contentSecurityPolicy, escapeHtml, REPORT_CSS, renderHtml } from './html';

const hostile = '<script>alert("x")</script>';

const doc: ReportDocument = {
  title: `Report: ${hostile}`,
  blocks: [
    { kind: 'facts', rows: [['Tenant', `acme & "co" ${hostile}`]] },
    { kind: 'heading', text: `Section ${hostile}` },
    { kind: 'paragraph', text: ['See ', { code: `GET /v1/audit?x=${hostile}` }, '.'] },
    { kind: 'list', items: [`item ${hostile}`] },
    {
      kind: 'table',
      columns: ['Hosts', 'Reason', 'Count'],
      numeric: [false, false, true],
      rows: [[`tag ${hostile}`, `it's <img src=x onerror=alert(1)>`, 3]],
      empty: 'None.',
    },
    { kind: 'table', columns: ['A'], rows: [], empty: `Empty ${hostile}` },
  ],
};

describe('escapeHtml', () => {
  it('escapes the five characters that can end text or an attribute', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;amp;&#60;/a&#62;',
    );
    expect(escapeHtml('web-prod-01 3.0.11-1~deb12u2')).toBe('web-prod-01 3.0.11-1~deb12u2');
  });
});

describe('renderHtml', () => {
  it('escapes every value: no element or attribute comes from the data', async () => {
    const html = await renderHtml(doc);
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain('<td>tag &#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;</td>');
    expect(html).toContain('<td>it&#39;s &#60;img src=x onerror=alert(1)&#62;</td>');
    expect(html).toContain('<title>Report: &#60;script&#62;');
    expect(html).toContain('<dd>acme &#38; &#34;co&#34; &#60;script&#62;');
    expect(html).toContain('<code>GET /v1/audit?x=&#60;script&#62;');
    expect(html).toContain('<p>Empty &#60;script&#62;');
    // The only tags are the renderer's own.
    const tags = new Set([...html.matchAll(/<\/?([a-z0-9]+)/gi)].map((m) => m[1]?.toLowerCase()));
    expect([...tags].sort()).toEqual(
      [
        'body',
        'code',
        'dd',
        'dl',
        'dt',
        'h1',
        'h2',
        'head',
        'html',
        'li',
        'meta',
        'p',
        'style',
        'table',
        'tbody',
        'td',
        'th',
        'thead',
        'title',
        'tr',
        'ul',
      ].sort(),
    );
  });

  it('is one self-contained page whose CSP forbids scripts and allows only its own style', async () => {
    const html = await renderHtml(doc);
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    // Nothing to load: no element with a source or a link.
    expect(html).not.toMatch(/<link|<[a-z]+\s[^>]*\b(?:src|href)=/i);
    const meta = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/);
    const policy = meta?.[1]?.replaceAll('&#39;', "'");
    expect(policy).toBe(await contentSecurityPolicy());
    expect(policy).toMatch(/^default-src 'none'; /);
    expect(policy).not.toMatch(/script-src|unsafe-inline/);
    // The style hash is that of the one <style> element, so the page renders styled under its own CSP.
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(REPORT_CSS));
    const hash = btoa(String.fromCharCode(...new Uint8Array(digest)));
    expect(policy).toContain(`style-src 'sha256-${hash}'`);
    expect(html).toContain(`<style>${REPORT_CSS}</style>`);
    expect(html.match(/<style>/g)).toHaveLength(1);
  });

  it('right-aligns numeric columns and marks header cells as column headers', async () => {
    const html = await renderHtml(doc);
    expect(html).toContain('<th scope="col">Hosts</th><th scope="col">Reason</th><th scope="col" class="n">Count</th>');
    expect(html).toContain('<td class="n">3</td>');
  });
});
