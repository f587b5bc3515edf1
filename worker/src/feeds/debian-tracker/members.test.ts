import { describe, expect, it } from 'vitest';
import { MalformedJsonError, type Member, NestedMemberScanner, nestedMembers } from './members';
import mock from './testdata/osvdev-debian_security_tracker_mock.json?raw';
import excerpt from './testdata/vunnel-debian.json?raw';

function scan(text: string, chunkSize: number, maxValueChars = 1 << 20): Member[] {
  const scanner = new NestedMemberScanner(maxValueChars);
  const out: Member[] = [];
  for (let i = 0; i < text.length; i += chunkSize) out.push(...scanner.push(text.slice(i, i + chunkSize)));
  scanner.end();
  return out;
}

/** What JSON.parse says the members are: the ground truth. */
function expected(text: string): [string, string, unknown][] {
  const whole = JSON.parse(text) as Record<string, Record<string, unknown>>;
  return Object.entries(whole).flatMap(([outer, value]) =>
    Object.entries(value).map(([inner, v]): [string, string, unknown] => [outer, inner, v]),
  );
}

function asTriples(members: Member[]): [string, string, unknown][] {
  return members.map((m) => [m.outer, m.kind === 'nested' ? m.inner : '', JSON.parse(m.text)]);
}

describe('reading a two-level JSON object as it streams', () => {
  it.each([1, 2, 3, 5, 13, 64, 4096, 1 << 20])('the corpus excerpts, in chunks of %i characters', (size) => {
    for (const text of [excerpt, mock]) {
      const members = scan(text, size);
      expect(asTriples(members)).toEqual(expected(text));
      // The text is the value exactly as received, not a re-serialisation.
      for (const m of members) expect(text).toContain(m.text);
    }
  });

  it('keeps strings whole: quotes, escapes, brackets and non-ASCII inside keys and values', () => {
    const text = JSON.stringify({
      'pkg"{': { 'CVE-1\\}': { d: 'a "}" and a \\ and ] [ { } \u00e9 \ud83d\ude00 \n' } },
      p2: { a: 'plain string', b: 12.5e3, c: true, d: null, e: [1, [2, { x: '}' }]], f: {} },
    });
    for (const size of [1, 2, 7]) expect(asTriples(scan(text, size))).toEqual(expected(text));
  });

  it('reads whitespace anywhere the grammar allows it, and empty objects', () => {
    const text = ' \n{ "a" : { } , "b":{"x" :1 ,"y": "z" }\t,"c" : {}}\r\n';
    expect(asTriples(scan(text, 3))).toEqual([
      ['b', 'x', 1],
      ['b', 'y', 'z'],
    ]);
    expect(scan('{}', 1)).toEqual([]);
  });

  it('hands over a top-level value that is not an object as odd, and goes on', () => {
    const members = scan('{"a":[1,{"b":2}],"b":"x","c":7,"d":{"e":1}}', 2);
    expect(members.map((m) => [m.kind, m.outer, m.text])).toEqual([
      ['odd', 'a', '[1,{"b":2}]'],
      ['odd', 'b', '"x"'],
      ['odd', 'c', '7'],
      ['nested', 'd', '1'],
    ]);
  });

  it('caps what it keeps of a value, says so, and stays in step after it', () => {
    const long = 'x'.repeat(1000);
    const members = scan(JSON.stringify({ p: { a: { d: long }, b: 1 } }), 7, 100);
    expect(members[0]).toMatchObject({ inner: 'a', truncated: true });
    expect(members[0]?.text).toHaveLength(100);
    expect(members[1]).toMatchObject({ inner: 'b', text: '1', truncated: false });
  });

  it('refuses every cut short version of a document, so a truncated body never reads as whole', () => {
    const text = JSON.stringify(JSON.parse(excerpt));
    for (let cut = 0; cut < text.length; cut++) {
      expect(() => scan(text.slice(0, cut), 4096)).toThrow(MalformedJsonError);
    }
  });

  it.each([
    ['<!DOCTYPE html><html>', 'expected an object'],
    ['[{"a":{}}]', 'expected an object'],
    ['{"a":{}} {"b":{}}', 'text after the end'],
    ['{"a":{},}', 'expected a key'],
    ['{"a" {}}', 'expected ":"'],
    ['{"a":{"b":1 "c":2}}', 'expected "," or "}"'],
    ['{"a":{"b":}}', 'expected a value'],
    ['{"a":{"b":1}', 'ends early'],
    [`{"${'k'.repeat(2000)}":{}}`, 'key longer'],
  ])('refuses %s', (text, message) => {
    expect(() => scan(text, 5)).toThrow(message);
  });

  it('streams: members come out before the stream has ended', async () => {
    const chunks = ['{"a":{"x":1', '},"b":{"y":2}', '}'];
    let pulled = 0;
    const stream = new ReadableStream<string>(
      {
        pull(controller) {
          const chunk = chunks[pulled++];
          if (chunk === undefined) controller.close();
          else controller.enqueue(chunk);
        },
      },
      { highWaterMark: 0 },
    );
    const seen: [string, number][] = [];
    for await (const member of nestedMembers(stream, 1024)) seen.push([member.outer, pulled]);
    // `a` was complete after the second chunk, while the third was still unread.
    expect(seen[0]).toEqual(['a', 2]);
    expect(seen.map(([outer]) => outer)).toEqual(['a', 'b']);
  });
});
