/**
 * RPM package versions (Red Hat, AlmaLinux, Rocky, SUSE, Amazon Linux): `[epoch:]version[-release]`
 * ordered as rpm 4.18 does.
 *
 * Reading follows rpm's parseEVR: the epoch is a run of digits directly followed by `:` at the
 * start (`:1` has epoch 0; `a:1` has none and is all version), the release is what follows the
 * LAST `-`. Comparison follows python-rpm's labelCompare: epochs (absent = 0), then versions,
 * then releases, each with rpmvercmp. A missing release sorts before any present one, even an
 * empty one or `~` (`1` < `1-~` < `1-` = `1-.`): labelCompare's compare_values treats a missing
 * value as the least, and rpm 4.18's rpmverCmp (`rpm.ver`, Lua's `rpm.vercmp`) agrees. Dependency
 * matching is different (rpmdsCompare lets `foo >= 1.0` match any release of 1.0); that is range
 * semantics, not order, and belongs to the range checks.
 *
 * rpmvercmp compares any bytes, and so does this scheme, apart from what no package header holds:
 * an empty string, an empty version part, spaces and control characters. Characters other than
 * ASCII letters, digits, `~` and `^` are separators, which only split segments and are otherwise
 * ignored (`1.0` = `1_0`, `1.1.α` = `1.1`), exactly as in rpmvercmp.
 */
import { compareDigits, compareStrings, numberKey } from './key';
import { defineScheme, type InvalidVersion, invalid, type Order, type SchemeSpec } from './scheme';

/**
 * rpmvercmp's view of a version or release: its segments in order, separators dropped. Ranks
 * are the segment order rpmvercmp implies, with the end of the string between `~` and `^`.
 */
const Rank = { Tilde: 0, End: 1, Caret: 2, Alpha: 3, Numeric: 4 } as const;
type Rank = (typeof Rank)[keyof typeof Rank];

interface Segment {
  readonly rank: Exclude<Rank, typeof Rank.End>;
  /** Letters of an alphabetic segment, digits of a numeric one (leading zeros kept); else empty. */
  readonly text: string;
}

export interface RpmVersion {
  /** Digits; `0` when absent. */
  readonly epoch: string;
  readonly version: readonly Segment[];
  /** Undefined when the EVR has no `-`. */
  readonly release: readonly Segment[] | undefined;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

function segments(s: string): Segment[] {
  const result: Segment[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 126 || c === 94) {
      result.push({ rank: c === 126 ? Rank.Tilde : Rank.Caret, text: '' });
      i++;
    } else if (isDigit(c) || isLetter(c)) {
      const same = isDigit(c) ? isDigit : isLetter;
      const start = i;
      while (i < s.length && same(s.charCodeAt(i))) i++;
      result.push({ rank: isDigit(c) ? Rank.Numeric : Rank.Alpha, text: s.slice(start, i) });
    } else {
      i++;
    }
  }
  return result;
}

function parseRpm(evr: string): RpmVersion | InvalidVersion {
  if (evr === '') return invalid(evr, 'empty version');
  for (let i = 0; i < evr.length; i++) {
    const c = evr.charCodeAt(i);
    if (c <= 32 || c === 127) return invalid(evr, 'contains a space or control character');
  }
  let digitsEnd = 0;
  while (digitsEnd < evr.length && isDigit(evr.charCodeAt(digitsEnd))) digitsEnd++;
  const hasEpoch = evr.charCodeAt(digitsEnd) === 58;
  const epoch = hasEpoch && digitsEnd > 0 ? evr.slice(0, digitsEnd) : '0';
  const rest = hasEpoch ? evr.slice(digitsEnd + 1) : evr;
  const hyphen = rest.lastIndexOf('-');
  const version = hyphen < 0 ? rest : rest.slice(0, hyphen);
  if (version === '') return invalid(evr, 'empty version part');
  return {
    epoch,
    version: segments(version),
    release: hyphen < 0 ? undefined : segments(rest.slice(hyphen + 1)),
  };
}

/** rpmvercmp on segment lists: the first differing segment decides, by rank, then by value. */
export function compareRpmSegments(a: readonly Segment[], b: readonly Segment[]): Order {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a[i];
    const y = b[i];
    const rx = x ? x.rank : Rank.End;
    const ry = y ? y.rank : Rank.End;
    if (rx !== ry) return rx < ry ? -1 : 1;
    if (!x || !y) return 0;
    const order =
      rx === Rank.Numeric ? compareDigits(x.text, y.text) : rx === Rank.Alpha ? compareStrings(x.text, y.text) : 0;
    if (order !== 0) return order;
  }
  return 0;
}

function compareRpm(a: RpmVersion, b: RpmVersion): Order {
  const order = compareDigits(a.epoch, b.epoch) || compareRpmSegments(a.version, b.version);
  if (order !== 0) return order;
  if (a.release === undefined || b.release === undefined) {
    return a.release === b.release ? 0 : a.release === undefined ? -1 : 1;
  }
  return compareRpmSegments(a.release, b.release);
}

/*
 * Key: numberKey(epoch), the version's segments, then `0` for no release or `1` and the release's
 * segments. Segments: `!` for `~`, `#` for `^`, `$` + letters + `!` for an alphabetic segment (the
 * `!` terminator is below every letter, so `ab` sorts before `abc`), `%` + numberKey for a numeric
 * one, and `"` for the end, so that ~ < end < ^ < alphabetic < numeric as in rpmvercmp.
 */
const SEGMENT_MARK = ['!', '"', '#', '$', '%'] as const satisfies Record<Rank, string>;
const NO_RELEASE = '0';
const RELEASE = '1';

function segmentsKey(list: readonly Segment[]): string {
  let key = '';
  for (const segment of list) {
    key += SEGMENT_MARK[segment.rank];
    if (segment.rank === Rank.Alpha) key += `${segment.text}!`;
    else if (segment.rank === Rank.Numeric) key += numberKey(segment.text);
  }
  return key + SEGMENT_MARK[Rank.End];
}

function rpmKey(parsed: RpmVersion): string {
  const release = parsed.release === undefined ? NO_RELEASE : RELEASE + segmentsKey(parsed.release);
  return numberKey(parsed.epoch) + segmentsKey(parsed.version) + release;
}

export const rpmSpec: SchemeSpec<RpmVersion> = {
  name: 'rpm',
  parse: parseRpm,
  compare: compareRpm,
  key: rpmKey,
};

/** Red Hat and its rebuilds, SUSE, Amazon Linux: rpm's EVR order. */
export const rpm = defineScheme(rpmSpec);
