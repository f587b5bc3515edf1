import { describe, expect, it } from 'vitest';
import type { ReportDocument } from './document';
import { escapeInlineMarkdown, escapeMarkdown, renderMarkdown } from './markdown';

describe('escapeMarkdown', () => {
  it('keeps ordinary values readable: versions, dates, hostnames', () => {
    expect(escapeMarkdown('openssl 3.0.11-1~deb12u2')).toBe('openssl 3.0.11-1\\~deb12u2');
    expect(escapeMarkdown('2026-11-27T10:00:00.000Z')).toBe('2026-11-27T10:00:00.000Z');
    expect(escapeMarkdown('web-prod-01.example.com')).toBe('web-prod-01.example.com');
  });

  it('turns raw HTML into text', () => {
    expect(escapeMarkdown('<script>alert(1)</script>')).toBe('\\<script\\>alert(1)\\</script\\>');
    expect(escapeMarkdown('<img src=x onerror=alert(1)>')).toBe('\\<img src=x onerror=alert(1)\\>');
    expect(escapeMarkdown('&lt;b&gt;')).toBe('\\&lt;b\\&gt;');
  });

  it('defuses links, images, emphasis and code', () => {
    expect(escapeMarkdown('[click](javascript:alert(1))')).toBe('\\[click\\](javascript:alert(1))');
    expect(escapeMarkdown('![x](http://evil.example/p.png)')).toBe('\\!\\[x\\](http://evil.example/p.png)');
    expect(escapeMarkdown('*bold* _it_ `code`')).toBe('\\*bold\\* \\_it\\_ \\`code\\`');
    expect(escapeMarkdown('back\\slash')).toBe('back\\\\slash');
  });

  it('keeps a value on its line: no new rows, blocks or table cells', () => {
    expect(escapeMarkdown('a | b')).toBe('a \\| b');
    expect(escapeMarkdown('line one\nline two\r\n\r\n# heading')).toBe('line one line two \\# heading');
    expect(escapeMarkdown('tab\there')).toBe('tab here');
  });

  it('leaves an underscore inside a word, where it cannot open emphasis', () => {
    expect(escapeMarkdown('pb_AbCd1234 tn_x')).toBe('pb_AbCd1234 tn_x');
    // At a word's edge, or in a run, it is escaped.
    expect(escapeMarkdown('_start end_ a__b')).toBe('\\_start end\\_ a\\_\\_b');
    expect(escapeMarkdown('__init__')).toBe('\\_\\_init\\_\\_');
  });

  it('cannot start a heading, list, quote or thematic break', () => {
    expect(escapeMarkdown('# not a heading')).toBe('\\# not a heading');
    expect(escapeMarkdown('- not a list')).toBe('\\- not a list');
    expect(escapeMarkdown('+ not a list')).toBe('\\+ not a list');
    expect(escapeMarkdown('1. not a list')).toBe('1\\. not a list');
    expect(escapeMarkdown('2) not a list')).toBe('2\\) not a list');
    expect(escapeMarkdown('> not a quote')).toBe('\\> not a quote');
    expect(escapeMarkdown('---')).toBe('\\---');
    expect(escapeMarkdown('===')).toBe('\\===');
  });
});

describe('escapeInlineMarkdown', () => {
  it('escapes like escapeMarkdown but leaves what only matters at the start of a line', () => {
    expect(escapeInlineMarkdown('33.3 %')).toBe('33.3 %');
    expect(escapeInlineMarkdown('- x')).toBe('- x');
    expect(escapeInlineMarkdown('<b>|</b>\nx')).toBe('\\<b\\>\\|\\</b\\> x');
  });
});

describe('renderMarkdown', () => {
  const doc: ReportDocument = {
    title: 'Report: acme',
    blocks: [
      { kind: 'facts', rows: [['Tenant', 'acme (tn_1)']] },
      { kind: 'heading', text: 'Exceptions' },
      { kind: 'paragraph', text: ['The log is at ', { code: 'GET /v1/audit' }, '.'] },
      { kind: 'list', items: ['P1 within 7 days.', '<b>bold</b>', '1. not a nested list'] },
      {
        kind: 'table',
        columns: ['Hosts', 'Reason', 'Count'],
        numeric: [false, false, true],
        rows: [
          ['tag <script>alert(1)</script>', 'WAF | rule 7\nsecond line', 3],
          ['1. first', '- dash', '33.3 %'],
        ],
        empty: 'None.',
      },
      { kind: 'table', columns: ['A'], rows: [], empty: 'Nothing to list.' },
    ],
  };

  it('renders each block, escaping every value, with one table row per row', () => {
    expect(renderMarkdown(doc)).toBe(
      [
        '# Report: acme',
        '',
        '- **Tenant:** acme (tn_1)',
        '',
        '## Exceptions',
        '',
        'The log is at `GET /v1/audit`.',
        '',
        '- P1 within 7 days.',
        '- \\<b\\>bold\\</b\\>',
        '- 1\\. not a nested list',
        '',
        '| Hosts | Reason | Count |',
        '| --- | --- | ---: |',
        '| tag \\<script\\>alert(1)\\</script\\> | WAF \\| rule 7 second line | 3 |',
        '| 1. first | - dash | 33.3 % |',
        '',
        'Nothing to list.',
        '',
      ].join('\n'),
    );
  });

  it('fences code spans that contain backticks', () => {
    const text = renderMarkdown({ title: 't', blocks: [{ kind: 'paragraph', text: [{ code: 'a ``b`` c' }] }] });
    expect(text).toContain('```a ``b`` c```');
  });
});
