import { describe, expect, it } from 'vitest';
import { htmlToText } from './text';

describe('MSRC HTML fragments as plain text', () => {
  it('drops tags, breaks at block ends, decodes entities', () => {
    expect(htmlToText('<p><strong>What is it?</strong></p><p>A &amp; B &lt;b&gt; &#8217;x&#x27;</p>')).toBe(
      "What is it?\nA & B <b> \u2019x'",
    );
  });

  it('leaves unknown entities and collapses blanks', () => {
    expect(htmlToText('  a&bogus;  b <br/>  c ')).toBe('a&bogus; b\nc');
  });
});
