/**
 * Reads a JSON text of the shape `{ "outer": { "inner": value, ... }, ... }` (the Debian tracker:
 * source package -> issue -> entry) as it streams in, handing out each inner member's key path
 * and value TEXT, never the whole document. Each value is then read on its own with JSON.parse.
 *
 * Why not a general streaming JSON parser: the tracker is ~80 MB, and a JavaScript tokenizer that
 * builds every value costs seconds of Worker CPU per pass. This only has to find where the values
 * of the first two levels start and end (strings, escapes, bracket depth), and the native parser
 * does the rest one small value at a time. Splitting at the second level, not the first, matters:
 * one package (`linux`) holds tens of thousands of entries, tens of megabytes on its own.
 *
 * Memory: the current chunk, the value being captured (capped at `maxValueChars`) and the keys.
 * A structure it cannot follow (a truncated body, an HTML page) is a MalformedJsonError; a value
 * that is not valid JSON inside a sound structure is only noticed when the caller parses it.
 */

export type Member =
  /** One member of an object nested in the top-level object. */
  | {
      readonly kind: 'nested';
      readonly outer: string;
      readonly inner: string;
      readonly text: string;
      readonly truncated: boolean;
    }
  /** A top-level member whose value is not an object (the caller decides what that means). */
  | { readonly kind: 'odd'; readonly outer: string; readonly text: string; readonly truncated: boolean };

export class MalformedJsonError extends Error {
  override readonly name = 'MalformedJsonError';
}

const State = {
  BeforeRoot: 0,
  RootFirst: 1,
  RootNext: 2,
  OuterKey: 3,
  OuterColon: 4,
  OuterValue: 5,
  InnerFirst: 6,
  InnerNext: 7,
  InnerKey: 8,
  InnerColon: 9,
  InnerValue: 10,
  AfterInnerValue: 11,
  AfterOuterValue: 12,
  Value: 13,
  AfterRoot: 14,
} as const;
type State = (typeof State)[keyof typeof State];
/** Where a finished value hands control back. */
type ValueReturn = typeof State.AfterInnerValue | typeof State.AfterOuterValue;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** The longest key accepted: keys are package names and issue ids, never near this. */
const MAX_KEY_CHARS = 1024;

/**
 * The push side of the reader: feed it text chunks in order, collect the members each completes,
 * and call end() after the last chunk (it throws when the document is incomplete).
 */
export class NestedMemberScanner {
  private state: State = State.BeforeRoot;
  /** Absolute character offset of the current chunk's start, for error messages. */
  private offset = 0;
  private outer = '';
  private inner = '';
  /** Where a finished value hands control back: after an inner value or after an odd outer value. */
  private valueReturn: ValueReturn = State.AfterInnerValue;

  // The value (or key) being captured.
  private parts: string[] = [];
  private captured = 0;
  private truncated = false;
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** A number, true, false or null: ends at the first delimiter, which is not part of it. */
  private scalar = false;
  /** Key capture: inside the key string (reuses inString/escaped). */
  private keyTarget: 'outer' | 'inner' = 'outer';

  constructor(private readonly maxValueChars: number) {}

  push(chunk: string): Member[] {
    const members: Member[] = [];
    let start = -1; // where the capture started in this chunk, -1 when not capturing
    if (this.state === State.Value || this.state === State.OuterKey || this.state === State.InnerKey) start = 0;
    const length = chunk.length;
    let i = 0;
    while (i < length) {
      const c = chunk.charCodeAt(i);
      switch (this.state) {
        case State.Value: {
          // The hot loop: most of the body is inside values.
          let end = -1;
          for (; i < length; i++) {
            const d = chunk.charCodeAt(i);
            if (this.inString) {
              if (this.escaped) this.escaped = false;
              else if (d === BACKSLASH) this.escaped = true;
              else if (d === QUOTE) {
                this.inString = false;
                if (this.depth === 0) {
                  end = i + 1;
                  break;
                }
              }
            } else if (this.scalar) {
              if (isSpace(d) || d === COMMA || d === CLOSE_BRACE || d === CLOSE_BRACKET) {
                end = i;
                break;
              }
            } else if (d === QUOTE) this.inString = true;
            else if (d === OPEN_BRACE || d === OPEN_BRACKET) this.depth++;
            else if (d === CLOSE_BRACE || d === CLOSE_BRACKET) {
              this.depth--;
              if (this.depth === 0) {
                end = i + 1;
                break;
              }
            }
          }
          if (end === -1) continue; // chunk exhausted inside the value
          this.capture(chunk, start, end);
          start = -1;
          const text = this.parts.join('');
          members.push(
            this.valueReturn === State.AfterInnerValue
              ? { kind: 'nested', outer: this.outer, inner: this.inner, text, truncated: this.truncated }
              : { kind: 'odd', outer: this.outer, text, truncated: this.truncated },
          );
          this.parts = [];
          this.state = this.valueReturn;
          i = end; // a scalar's delimiter is read again by the state after it
          continue;
        }
        case State.OuterKey:
        case State.InnerKey: {
          // The opening quote was read by beginKey: an unescaped quote here closes the key.
          if (this.escaped) this.escaped = false;
          else if (c === BACKSLASH) this.escaped = true;
          else if (c === QUOTE) {
            this.capture(chunk, start, i + 1);
            start = -1;
            this.finishKey();
          }
          i++;
          continue;
        }
        default:
          break;
      }
      if (isSpace(c)) {
        i++;
        continue;
      }
      switch (this.state) {
        case State.BeforeRoot:
          this.expect(c === OPEN_BRACE, i, 'an object');
          this.state = State.RootFirst;
          break;
        case State.RootFirst:
          if (c === CLOSE_BRACE) this.state = State.AfterRoot;
          else start = this.beginKey(c === QUOTE, i, 'outer');
          break;
        case State.RootNext:
          start = this.beginKey(c === QUOTE, i, 'outer');
          break;
        case State.OuterColon:
          this.expect(c === COLON, i, '":"');
          this.state = State.OuterValue;
          break;
        case State.OuterValue:
          if (c === OPEN_BRACE) this.state = State.InnerFirst;
          else {
            start = this.beginValue(c, i, State.AfterOuterValue);
            continue; // the value's first character is read by the Value state
          }
          break;
        case State.InnerFirst:
          if (c === CLOSE_BRACE) this.state = State.AfterOuterValue;
          else start = this.beginKey(c === QUOTE, i, 'inner');
          break;
        case State.InnerNext:
          start = this.beginKey(c === QUOTE, i, 'inner');
          break;
        case State.InnerColon:
          this.expect(c === COLON, i, '":"');
          this.state = State.InnerValue;
          break;
        case State.InnerValue:
          start = this.beginValue(c, i, State.AfterInnerValue);
          continue;
        case State.AfterInnerValue:
          if (c === COMMA) this.state = State.InnerNext;
          else {
            this.expect(c === CLOSE_BRACE, i, '"," or "}"');
            this.state = State.AfterOuterValue;
          }
          break;
        case State.AfterOuterValue:
          if (c === COMMA) this.state = State.RootNext;
          else {
            this.expect(c === CLOSE_BRACE, i, '"," or "}"');
            this.state = State.AfterRoot;
          }
          break;
        case State.AfterRoot:
          this.fail(`text after the end of the document at character ${this.offset + i}`);
          break;
        default:
          break;
      }
      i++;
    }
    if (start !== -1) this.capture(chunk, start, length);
    if ((this.state === State.OuterKey || this.state === State.InnerKey) && this.captured > MAX_KEY_CHARS) {
      this.fail(`a key longer than ${MAX_KEY_CHARS} characters`);
    }
    this.offset += length;
    return members;
  }

  /** Call after the last chunk: a document that stopped early is refused, never read as complete. */
  end(): void {
    if (this.state !== State.AfterRoot) this.fail(`the document ends early, after ${this.offset} characters`);
  }

  private beginKey(ok: boolean, i: number, target: 'outer' | 'inner'): number {
    this.expect(ok, i, 'a key');
    this.keyTarget = target;
    this.state = target === 'outer' ? State.OuterKey : State.InnerKey;
    this.parts = [];
    this.captured = 0;
    this.truncated = false;
    this.inString = true;
    this.escaped = false;
    return i;
  }

  private finishKey(): void {
    if (this.captured > MAX_KEY_CHARS) this.fail(`a key longer than ${MAX_KEY_CHARS} characters`);
    const raw = this.parts.join('');
    this.parts = [];
    let key: unknown;
    try {
      key = JSON.parse(raw);
    } catch {
      this.fail(`an unreadable key ${raw.slice(0, 80)}`);
    }
    if (this.keyTarget === 'outer') {
      this.outer = key as string;
      this.state = State.OuterColon;
    } else {
      this.inner = key as string;
      this.state = State.InnerColon;
    }
    this.inString = false;
  }

  private beginValue(c: number, i: number, after: ValueReturn): number {
    this.expect(c !== COMMA && c !== COLON && c !== CLOSE_BRACE && c !== CLOSE_BRACKET, i, 'a value');
    this.state = State.Value;
    this.valueReturn = after;
    this.parts = [];
    this.captured = 0;
    this.truncated = false;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.scalar = c !== QUOTE && c !== OPEN_BRACE && c !== OPEN_BRACKET;
    return i;
  }

  /** Keeps chunk[from, to) of the current capture, up to the cap; the rest is only counted. */
  private capture(chunk: string, from: number, to: number): void {
    if (to <= from) return;
    const room = this.maxValueChars - this.captured;
    if (room > 0) this.parts.push(chunk.slice(from, from + Math.min(room, to - from)));
    if (to - from > room) this.truncated = true;
    this.captured += to - from;
  }

  private expect(ok: boolean, i: number, what: string): void {
    if (!ok) this.fail(`expected ${what} at character ${this.offset + i}`);
  }

  private fail(message: string): never {
    throw new MalformedJsonError(message);
  }
}

/** The members of a text stream, as they complete; the stream is read only as fast as they are taken. */
export async function* nestedMembers(
  text: ReadableStream<string>,
  maxValueChars: number,
): AsyncGenerator<Member, void, void> {
  const scanner = new NestedMemberScanner(maxValueChars);
  const reader = text.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield* scanner.push(value);
    }
    scanner.end();
  } finally {
    // Taken early (a deadline) or failed: let the connection go. On a closed stream this does nothing.
    await reader.cancel().catch(() => undefined);
  }
}
