/**
 * Alpine, Wolfi and Chainguard package versions, ordered as apk-tools 2.x's version.c does
 * (`apk version -t`): `digit{.digit}...{letter}{_suffix{digits}}...{-r#}`.
 *
 * apk-tools 2.x is the reference because it is what Alpine 3.x releases run and what produced
 * alpine-versions-generated.txt (osv-scalibr's generator ran `apk version -t` in alpine:3.10).
 * apk-tools 3 rewrote the comparison (leading zeros as strings, a letter may not be followed by
 * digits, `~hash` commits); the corpus contradicts it on `5.7.1p1-r0 < 5.7.1p1-r1` and similar,
 * so it is not modelled, and `~` is an unexpected character here as it is in 2.x.
 *
 * apk reads a version as a stream of tokens, each read according to the type the previous one
 * announced, and compares the streams token by token: first the values, then the types of the
 * tokens that follow. When those types differ, the version whose next token has the LATER type
 * in the grammar is the smaller one (`1.2` > `1`, `1a` > `1_p1` > `1-r1` > `1`), except that a
 * pre-release suffix (`_alpha`, `_beta`, `_pre`, `_rc`, or one apk does not know) is smaller than
 * anything (`1_rc1` < `1`). An unexpected character ends the stream with an "invalid" token,
 * whose type sorts first in the grammar, so such a version sorts after everything equal so far;
 * anything after it is ignored. A digit run after a `.` that starts with zeros is read as minus
 * the count of those zeros and then the rest as a number (`1.05` < `1.5`, `1.05` > `1.005`).
 *
 * `apk version -t` compares any string this way, and the corpus holds versions apk would refuse
 * to install (`1.0bc`, `1-ruff`), so every non-empty printable ASCII string without spaces is
 * accepted here; only what no version field could hold is refused.
 */
import { compareDigits, numberKey } from './key';
import { defineScheme, type InvalidVersion, invalid, type Order, type SchemeSpec } from './scheme';

/** apk 2.x token types, numbered as in version.c: their numeric order is the grammar's order. */
const Token = {
  Invalid: -1,
  DigitOrZero: 0,
  Digit: 1,
  Letter: 2,
  Suffix: 3,
  SuffixNumber: 4,
  RevisionNumber: 5,
  End: 6,
} as const;
type Token = (typeof Token)[keyof typeof Token];

/**
 * The type of the next token as it decides a comparison: version order, smallest first. A suffix
 * token is split by what it reads (pre-release or unknown vs post-release), as apk looks ahead.
 */
const Next = {
  PreSuffix: 0,
  End: 1,
  RevisionNumber: 2,
  SuffixNumber: 3,
  PostSuffix: 4,
  Letter: 5,
  Digit: 6,
  DigitOrZero: 7,
  Invalid: 8,
} as const;
type Next = (typeof Next)[keyof typeof Next];

/**
 * A token's value: digits (a number of any length, empty = 0), or a small integer: minus the count
 * of leading zeros, a letter's character code, or a suffix's weight (-4 to -1 pre, 0 to 4 post).
 */
type Value = string | number;

export interface ApkVersion {
  /** Token values, in order. */
  readonly values: readonly Value[];
  /** next[i]: the type of the token after values[i]; the last one is End or Invalid. */
  readonly next: readonly Next[];
}

const PRE_SUFFIXES = ['alpha', 'beta', 'pre', 'rc'] as const;
const POST_SUFFIXES = ['cvs', 'svn', 'git', 'hg', 'p'] as const;

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isLower = (c: number): boolean => c >= 97 && c <= 122;

/** The type of the token at `at`, and where its text starts (after a `.`, `_` or `-r`). */
function nextToken(s: string, at: number, previous: Token): { type: Token; at: number } {
  const c = s.charCodeAt(at);
  let type: Token = Token.Invalid;
  if ((previous === Token.Digit || previous === Token.DigitOrZero) && isLower(c)) type = Token.Letter;
  else if (previous === Token.Letter && isDigit(c)) type = Token.Digit;
  else if (previous === Token.Suffix && isDigit(c)) type = Token.SuffixNumber;
  else {
    if (c === 46) type = Token.DigitOrZero;
    else if (c === 95) type = Token.Suffix;
    else if (c === 45 && s.charCodeAt(at + 1) === 114) {
      type = Token.RevisionNumber;
      at++;
    }
    at++;
  }
  // A token may not go back in the grammar, except for these three steps.
  if (
    type < previous &&
    !(type === Token.DigitOrZero && previous === Token.Digit) &&
    !(type === Token.Suffix && previous === Token.SuffixNumber) &&
    !(type === Token.Digit && previous === Token.Letter)
  ) {
    type = Token.Invalid;
  }
  return { type, at };
}

function suffixWeight(s: string, at: number): { weight: number; length: number } | undefined {
  for (let i = 0; i < PRE_SUFFIXES.length; i++) {
    const suffix = PRE_SUFFIXES[i] as string;
    if (s.startsWith(suffix, at)) return { weight: i - PRE_SUFFIXES.length, length: suffix.length };
  }
  for (let i = 0; i < POST_SUFFIXES.length; i++) {
    const suffix = POST_SUFFIXES[i] as string;
    if (s.startsWith(suffix, at)) return { weight: i, length: suffix.length };
  }
  return undefined;
}

function nextOf(type: Token, following: Value | undefined): Next {
  switch (type) {
    case Token.Invalid:
      return Next.Invalid;
    case Token.DigitOrZero:
      return Next.DigitOrZero;
    case Token.Digit:
      return Next.Digit;
    case Token.Letter:
      return Next.Letter;
    case Token.Suffix:
      // apk reads the suffix ahead: unknown ones read as -1, like pre-release ones.
      return typeof following === 'number' && following < 0 ? Next.PreSuffix : Next.PostSuffix;
    case Token.SuffixNumber:
      return Next.SuffixNumber;
    case Token.RevisionNumber:
      return Next.RevisionNumber;
    default:
      return Next.End;
  }
}

function tokenize(s: string): ApkVersion {
  const values: Value[] = [];
  const types: Token[] = [];
  let type: Token = Token.Digit;
  let at = 0;
  while (type !== Token.End && type !== Token.Invalid) {
    let value: Value;
    let announced: Token | undefined;
    if (at >= s.length) {
      // A token announced at the very end (`1.`, `1-r`, `1_`) reads as 0.
      values.push(type === Token.Suffix ? 0 : '');
      types.push(Token.End);
      break;
    }
    if (type === Token.DigitOrZero && s.charCodeAt(at) === 48) {
      const start = at;
      while (s.charCodeAt(at) === 48) at++;
      value = start - at;
      announced = Token.Digit;
    } else if (type === Token.Letter) {
      value = s.charCodeAt(at);
      at++;
    } else if (type === Token.Suffix) {
      const suffix = suffixWeight(s, at);
      if (!suffix) {
        values.push(-1);
        types.push(Token.Invalid);
        break;
      }
      value = suffix.weight;
      at += suffix.length;
    } else {
      const start = at;
      while (isDigit(s.charCodeAt(at))) at++;
      value = s.slice(start, at);
    }
    values.push(value);
    if (at >= s.length) type = Token.End;
    else if (announced !== undefined) type = announced;
    else ({ type, at } = nextToken(s, at, type));
    types.push(type);
  }
  return { values, next: types.map((t, i) => nextOf(t, values[i + 1])) };
}

function parseApk(version: string): ApkVersion | InvalidVersion {
  if (version === '') return invalid(version, 'empty version');
  for (let i = 0; i < version.length; i++) {
    const c = version.charCodeAt(i);
    if (c <= 32 || c >= 127) return invalid(version, 'contains a space, control or non-ASCII character');
  }
  return tokenize(version);
}

/** Two values read as the same token type: digits by value, minus-zero counts below any digits. */
function compareValues(a: Value, b: Value): Order {
  if (typeof a === 'string' && typeof b === 'string') return compareDigits(a, b);
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  return typeof a === 'number' ? -1 : 1;
}

function compareApk(a: ApkVersion, b: ApkVersion): Order {
  for (let i = 0; ; i++) {
    const order = compareValues(a.values[i] as Value, b.values[i] as Value);
    if (order !== 0) return order;
    const na = a.next[i] as Next;
    const nb = b.next[i] as Next;
    if (na !== nb) return na < nb ? -1 : 1;
    if (na === Next.End || na === Next.Invalid) return 0;
  }
}

/*
 * Key: each value, then the type of the next token as one letter `A` (pre-release suffix) to `I`
 * (invalid) in Next's order; the stream ends at End or Invalid. Values read as the same type are
 * the only ones ever compared, so each family needs its own order only: digits are `1` and their
 * numberKey; leading zeros are `0` and the numberKey of their count with every digit complemented
 * (9 - d), which reverses the order, so more zeros sort first; a letter is itself; a suffix weight
 * is one of `a` (alpha, -4) to `i` (p, 4).
 */
const NEXT_MARK = 'ABCDEFGHI';

function complement(digits: string): string {
  let out = '';
  for (let i = 0; i < digits.length; i++) out += String.fromCharCode(105 - digits.charCodeAt(i));
  return out;
}

function valueKey(value: Value, readAs: Next): string {
  if (typeof value === 'string') return `1${numberKey(value)}`;
  if (readAs === Next.Letter) return String.fromCharCode(value);
  if (readAs === Next.PreSuffix || readAs === Next.PostSuffix) return String.fromCharCode(101 + value);
  return `0${complement(numberKey(String(-value)))}`;
}

function apkKey(parsed: ApkVersion): string {
  let key = '';
  let readAs: Next = Next.Digit;
  parsed.values.forEach((value, i) => {
    const next = parsed.next[i] as Next;
    key += valueKey(value, readAs) + NEXT_MARK.charAt(next);
    readAs = next;
  });
  return key;
}

export const apkSpec: SchemeSpec<ApkVersion> = {
  name: 'apk',
  parse: parseApk,
  compare: compareApk,
  key: apkKey,
};

/** Alpine, Wolfi, Chainguard: apk-tools 2.x's version order. */
export const apk = defineScheme(apkSpec);
