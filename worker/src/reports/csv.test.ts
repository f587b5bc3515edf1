import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from './csv';

/** A small RFC 4180 reader, to check that what is written reads back to the same cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else field += ch;
  }
  expect(field, 'the document ends with CRLF').toBe('');
  return rows;
}

describe('csvField', () => {
  it('leaves plain text and numbers as they are', () => {
    expect(csvField('web-prod-01')).toBe('web-prod-01');
    expect(csvField(42)).toBe('42');
    expect(csvField(0.333)).toBe('0.333');
    expect(csvField(-3)).toBe('-3');
    expect(csvField(null)).toBe('');
    expect(csvField('')).toBe('');
  });

  it('quotes fields with a comma, quote, CR or LF and doubles their quotes', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
  });

  it('defuses text that a spreadsheet would run as a formula (OWASP CSV injection)', () => {
    expect(csvField('=HYPERLINK("http://evil.example","x")')).toBe('"\'=HYPERLINK(""http://evil.example"",""x"")"');
    expect(csvField('+1+1')).toBe("'+1+1");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('@SUM(A1:A2)')).toBe("'@SUM(A1:A2)");
    expect(csvField('\t=1')).toBe("'\t=1");
    expect(csvField('\r=1')).toBe('"\'\r=1"');
    // Only the first character matters: an = inside a value is not a formula.
    expect(csvField('a=b')).toBe('a=b');
  });

  it('refuses numbers a spreadsheet cannot read rather than writing NaN', () => {
    expect(() => csvField(Number.NaN)).toThrow(RangeError);
    expect(() => csvField(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('toCsv', () => {
  it('writes CRLF-terminated rows that read back to the same cells', () => {
    const rows = [
      ['section', 'key', 'metric', 'value'],
      ['exceptions', 'reason', 'text', 'WAF, "strict" mode\nsecond line'],
      ['breach', '1', 'package', "=cmd|' /C calc'!A0"],
      ['trend', '2026-11-27', 'unresolved', 6],
    ];
    const text = toCsv(rows);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(parseCsv(text)).toEqual([
      ['section', 'key', 'metric', 'value'],
      ['exceptions', 'reason', 'text', 'WAF, "strict" mode\nsecond line'],
      ['breach', '1', 'package', "'=cmd|' /C calc'!A0"],
      ['trend', '2026-11-27', 'unresolved', '6'],
    ]);
  });

  it('writes nothing for no rows', () => {
    expect(toCsv([])).toBe('');
  });
});
