/**
 * Legacy PyPI versions: strings that are not PEP 440 (`0.9-doduo`, `0.3m1`, `trunk`,
 * `2013-01-21T20:33:09+0100`), ordered as python packaging < 22 (last: 21.3) orders its
 * `LegacyVersion`, the setuptools scheme before PEP 440. Every legacy version sorts before every
 * PEP 440 version (packaging gives it epoch -1); among themselves they compare by
 * `_legacy_cmpkey`, a tuple of strings compared as strings:
 *
 * - the version is lower-cased and split into runs of digits, runs of letters, `.` and `-`, with
 *   whatever lies between kept as a part of its own (`_` in `1_0`, `+` or `:` in a timestamp);
 * - `pre`, `preview` and `rc` become `c`, `dev` becomes `@`, `-` becomes `final-`; `.` is dropped;
 * - digit runs are zero-padded to 8 characters and compared as strings, so numbers of up to 8
 *   digits compare by value and longer ones do not (`123456789` sorts above `00000002`, but
 *   `000000001` below it); other parts get a leading `*`, which sorts below every digit;
 * - `*final` closes the tuple; before each `*` part, zero parts (`00000000`) ending the numbers
 *   so far are dropped, and before a `*` part below `*final` so are trailing `*final-` parts.
 *
 * packaging 21.3 accepts any string here. This scheme accepts printable ASCII without spaces
 * only: whitespace and control characters cannot be part of a version in an OSV record, and for
 * non-ASCII text packaging's Unicode lower-casing and digit matching would have to be matched too,
 * for strings that PyPI's legacy versions are not known to hold.
 */
import { compareStrings } from './key';
import { type InvalidVersion, invalid, type Order, sign } from './scheme';

/** packaging 21.3's `_legacy_cmpkey` without its epoch of -1: the parts, as strings. */
export interface LegacyVersion {
  readonly legacy: readonly string[];
}

const PART = /(\d+|[a-z]+|\.|-)/;

const REPLACEMENTS: ReadonlyMap<string, string> = new Map([
  ['pre', 'c'],
  ['preview', 'c'],
  ['-', 'final-'],
  ['rc', 'c'],
  ['dev', '@'],
]);

/** packaging 21.3's `_parse_version_parts`, on a lower-cased version. */
function* versionParts(version: string): Generator<string> {
  for (const piece of version.split(PART)) {
    const part = REPLACEMENTS.get(piece) ?? piece;
    if (part === '' || part === '.') continue;
    yield /^\d/.test(part) ? part.padStart(8, '0') : `*${part}`;
  }
  yield '*final';
}

/** Reads any printable-ASCII string without spaces as packaging 21.3's `LegacyVersion`. */
export function parseLegacy(version: string): LegacyVersion | InvalidVersion {
  if (version === '') return invalid(version, 'empty');
  if (!/^[\x21-\x7e]+$/.test(version)) {
    return invalid(
      version,
      'neither PEP 440 nor a legacy version: holds whitespace, a control or a non-ASCII character',
    );
  }
  const parts: string[] = [];
  for (const part of versionParts(version.toLowerCase())) {
    if (part.startsWith('*')) {
      // A `-` before a pre-release tag does not count, nor do zeros ending a series of numbers.
      if (part < '*final') while (parts.at(-1) === '*final-') parts.pop();
      while (parts.at(-1) === '00000000') parts.pop();
    }
    parts.push(part);
  }
  return { legacy: parts };
}

/** Python's tuple order on the parts: the first differing part decides, a proper prefix first. */
export function compareLegacy(a: LegacyVersion, b: LegacyVersion): Order {
  const shared = Math.min(a.legacy.length, b.legacy.length);
  for (let i = 0; i < shared; i++) {
    const order = compareStrings(a.legacy[i] as string, b.legacy[i] as string);
    if (order !== 0) return order;
  }
  return sign(a.legacy.length - b.legacy.length);
}

/**
 * `-` (below the digit that opens every PEP 440 key, so below every PEP 440 version), then the
 * parts joined by spaces. Parts hold printable ASCII above the space, so the space sorts below
 * anything that could follow a shorter part, and a tuple that is a proper prefix of another gives
 * a key that is a proper prefix of the other's.
 */
export function legacyKey(version: LegacyVersion): string {
  return `-${version.legacy.join(' ')}`;
}
