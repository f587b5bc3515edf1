/**
 * RubyGems versions, as Gem::Version reads and orders them. A version matches
 * `[0-9]+(\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?` between optional ASCII whitespace
 * (blank means `0`); `-` reads as `.pre.`. Its segments are the runs of digits and of letters
 * (`1.0.a10` -> 1, 0, a, 10). Comparison uses the canonical segments: trailing zeros dropped from
 * the numeric part before the first letter segment and from the rest (`1.0.0.a` = `1.a`), then
 * segment by segment with missing ones as 0, a letter segment below any number, letter segments
 * compared as case-sensitive bytes.
 */
import { compareDigits, compareStrings, numberKey } from './key';
import { defineScheme, type InvalidVersion, invalid, type Order } from './scheme';

/** A canonical segment: digits without leading zeros, or letters. */
type Segment = { readonly digits: string } | { readonly letters: string };

interface GemVersion {
  readonly segments: readonly Segment[];
  /** Per position: -1 if the rest sorts below the end (padding with zeros), 1 if above. */
  readonly sides: readonly (-1 | 1)[];
}

/** Gem::Version::ANCHORED_VERSION_PATTERN; Ruby's `\s` is ASCII whitespace only. */
const GEM_VERSION =
  /^[\t\n\v\f\r ]*(?:[0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)?[\t\n\v\f\r ]*$/;

const isZero = (segment: Segment): boolean => 'digits' in segment && segment.digits === '0';

function dropTrailingZeros(segments: Segment[]): Segment[] {
  let end = segments.length;
  while (end > 0 && isZero(segments[end - 1] as Segment)) end--;
  return segments.slice(0, end);
}

function parseGem(version: string): GemVersion | InvalidVersion {
  if (!GEM_VERSION.test(version)) return invalid(version, 'does not match Gem::Version’s pattern');
  const raw: Segment[] = (version.replaceAll('-', '.pre.').match(/[0-9]+|[a-z]+/gi) ?? []).map((run) =>
    /^[0-9]/.test(run) ? { digits: run.replace(/^0+(?=\d)/, '') } : { letters: run },
  );
  const firstLetters = raw.findIndex((segment) => 'letters' in segment);
  const split = firstLetters === -1 ? raw.length : firstLetters;
  const segments = [...dropTrailingZeros(raw.slice(0, split)), ...dropTrailingZeros(raw.slice(split))];
  // The last segment is never 0, so every position has a non-zero segment at or after it.
  const sides: (-1 | 1)[] = new Array(segments.length);
  let side: -1 | 1 = 1;
  for (let i = segments.length - 1; i >= 0; i--) {
    const segment = segments[i] as Segment;
    if (!isZero(segment)) side = 'letters' in segment ? -1 : 1;
    sides[i] = side;
  }
  return { segments, sides };
}

function compareSegments(a: Segment, b: Segment): Order {
  if ('digits' in a) return 'digits' in b ? compareDigits(a.digits, b.digits) : 1;
  return 'digits' in b ? -1 : compareStrings(a.letters, b.letters);
}

/** Gem::Version#<=>: position by position, a missing segment counting as 0. */
function compareGem(a: GemVersion, b: GemVersion): Order {
  const length = Math.max(a.segments.length, b.segments.length);
  for (let i = 0; i < length; i++) {
    const order = compareSegments(a.segments[i] ?? { digits: '0' }, b.segments[i] ?? { digits: '0' });
    if (order !== 0) return order;
  }
  return 0;
}

/**
 * Segments in order: letters `b` + letters + `!` (below any letter); a zero `c` or `e` by whether
 * the first non-zero segment after it is letters (below the end) or a number (above); a number
 * `f` + numberKey; the end `d`. Zeros need the look-ahead because a missing segment is 0: `1.a.0.b`
 * sorts below `1.a` and `1.0.1` above `1`.
 */
function gemKey(v: GemVersion): string {
  let key = '';
  v.segments.forEach((segment, i) => {
    if ('letters' in segment) key += `b${segment.letters}!`;
    else if (segment.digits === '0') key += v.sides[i] === -1 ? 'c' : 'e';
    else key += `f${numberKey(segment.digits)}`;
  });
  return `${key}d`;
}

export const rubygems = defineScheme({ name: 'rubygems', parse: parseGem, compare: compareGem, key: gemKey });
