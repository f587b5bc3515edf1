import { describe, expect, it } from 'vitest';
import { inventoryParsers } from './index';
import { maxListedIssues } from './issues';
import type { ParseOutcome } from './model';

/** Deterministic noise (mulberry32), so that a failure can be reproduced. */
function noise(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomText(lines: number, seed: number): string {
  const random = noise(seed);
  // Mostly printable, with tabs, colons, spaces and the odd control or non-ASCII character.
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789:.-+~ \t\t::{}[]",\u0000\u0007\u00e9\u4e2d\ud83d\ude00';
  const out: string[] = [];
  for (let line = 0; line < lines; line++) {
    const length = Math.floor(random() * 40);
    let text = '';
    for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)] ?? '';
    out.push(text);
  }
  return out.join('\n');
}

function binaryJunk(length: number, seed: number): string {
  const random = noise(seed);
  let text = '';
  for (let i = 0; i < length; i++) text += String.fromCharCode(Math.floor(random() * 0x10000));
  return text;
}

const hostile: Record<string, () => string> = {
  'an empty string': () => '',
  'only whitespace': () => ' \n\t\r\n ',
  'a byte order mark alone': () => '\ufeff',
  'binary junk': () => binaryJunk(20_000, 1),
  null: () => 'null',
  'a number': () => '42',
  'an empty array': () => '[]',
  'an empty object': () => '{}',
  'a deeply nested array': () => `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
  'a deeply nested object': () => `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`,
  'an unterminated deep document': () => '{"packages":['.repeat(20_000),
  'prototype keys': () => '{"__proto__": {"bomFormat": "CycloneDX"}, "constructor": [], "toString": {"packages": []}}',
  '100 000 lines of random text': () => randomText(100_000, 7),
  'one 2 MB line': () => 'x'.repeat(2_000_000),
  'one 1 MB source rpm name': () => `a\t0:1-1\tx86_64\t${'a-'.repeat(500_000)}.src.rpm`,
  'NUL bytes between fields': () => 'bash\u0000\t5.2\t\u0000amd64\tbash\t5.2\n',
};

function check(outcome: ParseOutcome): void {
  if (outcome.ok) return;
  expect(outcome.issues.length).toBeGreaterThan(0);
  expect(outcome.issues.length).toBeLessThanOrEqual(maxListedIssues + 1);
  for (const issue of outcome.issues) {
    // A reader that threw would be caught by defineParser and said so: none may.
    expect(issue.message).not.toMatch(/reader failed/);
    expect(issue.message.length).toBeLessThan(400);
  }
}

describe.each(inventoryParsers.map((parser) => [parser.format, parser] as const))(
  '%s parser on hostile input',
  (_format, parser) => {
    it.each(Object.keys(hostile))('answers %s without throwing', (name) => {
      const text = hostile[name]?.() ?? '';
      check(parser.parse(text));
    });

    it('refuses blank documents', () => {
      for (const text of ['', '   ', '\n\n', '\ufeff']) {
        expect(parser.parse(text)).toEqual({ ok: false, issues: [{ message: 'the document is empty' }] });
      }
    });

    it('lists at most 20 issues and says how many more there are', () => {
      const outcome = parser.parse(randomText(5_000, 3));
      expect(outcome.ok).toBe(false);
      if (outcome.ok) return;
      if (outcome.issues.length > maxListedIssues) {
        expect(outcome.issues.at(-1)?.message).toMatch(/^…and \d+ more$/);
      }
    });
  },
);
