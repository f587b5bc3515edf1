/**
 * PyPI versions as PEP 440 defines them and python `packaging` (26.x) implements them: an
 * optional epoch (`1!`), a release of dot-separated numbers whose trailing zeros do not count
 * (`1.0` = `1.0.0`), then optional pre-release (`a`, `b`, `rc` and their spellings), post-release
 * (`.post1`, `-1`, `r1`), dev-release (`.dev1`) and local version (`+ubuntu.1`). Spellings are
 * normalised as `packaging` does: any case, a leading `v`, `.`/`-`/`_` or nothing between the parts,
 * a missing number meaning 0, surrounding whitespace ignored.
 *
 * Strings that are not PEP 440 are read as "legacy" versions (`0.9-doduo`, `trunk`; see
 * pep440-legacy.ts), which sort before every PEP 440 version, as packaging < 22 sorted them.
 * packaging >= 22 refuses them, but OSV's PyPI records list such versions for old packages (and
 * osv-scalibr's pypi vectors, written with packaging < 22, order them): refusing them would
 * refuse whole real advisories. Empty strings, and non-PEP 440 strings holding whitespace, control
 * or non-ASCII characters, stay invalid.
 *
 * Order is packaging's `_cmpkey`: epoch, release, then a pre-release rank in which a dev-only
 * release (`1.0.dev1`) sorts before every pre-release of the same release, post-release, dev-release
 * (absent sorts last), and the local version (absent sorts first; numeric segments above
 * alphanumeric ones).
 */
import { compareDigits, compareStrings, numberKey } from './key';
import { compareLegacy, type LegacyVersion, legacyKey, parseLegacy } from './pep440-legacy';
import { defineScheme, type InvalidVersion, type Order, sign } from './scheme';

/** A local segment: all digits compare as a number, anything else as lower-case text. */
type LocalSegment = { readonly digits: string } | { readonly text: string };

/** packaging's `_cmpkey`, with numbers as digit strings without leading zeros. */
interface Pep440Version {
  readonly epoch: string;
  /** Release without trailing zeros: `1.0.0` and `1` both read as `['1']`. */
  readonly release: readonly string[];
  /** -1 dev-only release, 0 `a`, 1 `b`, 2 `rc`, 3 no pre-release. */
  readonly preRank: -1 | 0 | 1 | 2 | 3;
  readonly preNumber: string;
  readonly postNumber: string | undefined;
  readonly devNumber: string | undefined;
  readonly local: readonly LocalSegment[] | undefined;
}

/** Python's `\s` (str.isspace), which packaging strips around a version; wider than ASCII. */
const WS = '[\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*';

/**
 * packaging's VERSION_PATTERN, anchored. The `i` flag without `u` folds ASCII letters only, like
 * packaging 26's `(?a:...)`, so no non-ASCII letter passes for a keyword. Each optional part opens
 * with its own separator or letters, so a failing match backtracks only within a run of digits.
 */
const PEP440_VERSION = new RegExp(
  `^${WS}v?(?:(\\d+)!)?(\\d+(?:\\.\\d+)*)` +
    '(?:[._-]?(alpha|a|beta|b|preview|pre|c|rc)[._-]?(\\d+)?)?' +
    '(?:-(\\d+)|[._-]?(post|rev|r)[._-]?(\\d+)?)?' +
    '(?:[._-]?(dev)[._-]?(\\d+)?)?' +
    `(?:\\+([a-z0-9]+(?:[._-][a-z0-9]+)*))?${WS}$`,
  'i',
);

const PRE_RANK: Readonly<Record<string, 0 | 1 | 2>> = {
  a: 0,
  alpha: 0,
  b: 1,
  beta: 1,
  c: 2,
  rc: 2,
  pre: 2,
  preview: 2,
};

/** Digits without leading zeros, `0` for zero; a missing number is an implicit 0. */
function digits(value: string | undefined): string {
  return value === undefined ? '0' : value.replace(/^0+(?=\d)/, '');
}

function parseLocal(local: string): LocalSegment[] {
  return local
    .toLowerCase()
    .split(/[._-]/)
    .map((part) => (/^\d+$/.test(part) ? { digits: digits(part) } : { text: part }));
}

/** packaging < 22's `parse`: a PEP 440 version if it is one, else a legacy version. */
function parsePyPI(version: string): Pep440Version | LegacyVersion | InvalidVersion {
  return parsePep440(version) ?? parseLegacy(version);
}

function parsePep440(version: string): Pep440Version | undefined {
  const match = PEP440_VERSION.exec(version);
  if (!match) return undefined;
  const [
    ,
    epoch,
    releaseText,
    preLetter,
    preNumber,
    postImplicit,
    postLetter,
    postNumber,
    devLetter,
    devNumber,
    local,
  ] = match;
  const release = (releaseText as string).split('.').map(digits);
  while (release.length > 0 && release[release.length - 1] === '0') release.pop();
  const hasPost = postImplicit !== undefined || postLetter !== undefined;
  const hasDev = devLetter !== undefined;
  let preRank: Pep440Version['preRank'] = 3;
  if (preLetter !== undefined) preRank = PRE_RANK[preLetter.toLowerCase()] ?? 3;
  else if (!hasPost && hasDev) preRank = -1;
  return {
    epoch: digits(epoch),
    release,
    preRank,
    preNumber: preLetter === undefined ? '0' : digits(preNumber),
    postNumber: hasPost ? digits(postImplicit ?? postNumber) : undefined,
    devNumber: hasDev ? digits(devNumber) : undefined,
    local: local === undefined ? undefined : parseLocal(local),
  };
}

/** Lexicographic, a proper prefix first; `compareItem` decides each position. */
function compareSequences<T>(a: readonly T[], b: readonly T[], compareItem: (x: T, y: T) => Order): Order {
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i++) {
    const order = compareItem(a[i] as T, b[i] as T);
    if (order !== 0) return order;
  }
  return sign(a.length - b.length);
}

function compareLocalSegments(a: LocalSegment, b: LocalSegment): Order {
  if ('digits' in a) return 'digits' in b ? compareDigits(a.digits, b.digits) : 1;
  return 'digits' in b ? -1 : compareStrings(a.text, b.text);
}

/** An absent post-release sorts before any; an absent dev-release after any. */
function compareOptional(a: string | undefined, b: string | undefined, absent: Order): Order {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? absent : (-absent as Order);
  return compareDigits(a, b);
}

function comparePep440(a: Pep440Version, b: Pep440Version): Order {
  return (
    compareDigits(a.epoch, b.epoch) ||
    compareSequences(a.release, b.release, compareDigits) ||
    sign(a.preRank - b.preRank) ||
    compareDigits(a.preNumber, b.preNumber) ||
    compareOptional(a.postNumber, b.postNumber, -1) ||
    compareOptional(a.devNumber, b.devNumber, 1) ||
    compareLocal(a.local, b.local)
  );
}

/** An absent local version sorts before any. */
function compareLocal(a: readonly LocalSegment[] | undefined, b: readonly LocalSegment[] | undefined): Order {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  return compareSequences(a, b, compareLocalSegments);
}

/**
 * The `_cmpkey` tuple, part by part: epoch; release numbers then `-` (below any number's first
 * digit, so a shorter release sorts first); pre rank `A`-`E` (+ number for a/b/rc); post `a`
 * absent / `b` + number; dev `a` + number / `b` absent; local `a` absent / `b` + segments, each
 * `b` + text + `!` or `c` + number, closed by `a`.
 */
function pep440Key(v: Pep440Version): string {
  let key = numberKey(v.epoch);
  for (const n of v.release) key += numberKey(n);
  key += '-';
  key += 'ABCDE'[v.preRank + 1] as string;
  if (v.preRank >= 0 && v.preRank <= 2) key += numberKey(v.preNumber);
  key += v.postNumber === undefined ? 'a' : `b${numberKey(v.postNumber)}`;
  key += v.devNumber === undefined ? 'b' : `a${numberKey(v.devNumber)}`;
  if (v.local === undefined) return `${key}a`;
  key += 'b';
  for (const segment of v.local) key += 'digits' in segment ? `c${numberKey(segment.digits)}` : `b${segment.text}!`;
  return `${key}a`;
}

type PyPIVersion = Pep440Version | LegacyVersion;

/** Legacy versions first (packaging gives them epoch -1), then PEP 440 order. */
function comparePyPI(a: PyPIVersion, b: PyPIVersion): Order {
  if ('legacy' in a) return 'legacy' in b ? compareLegacy(a, b) : -1;
  return 'legacy' in b ? 1 : comparePep440(a, b);
}

function pypiKey(v: PyPIVersion): string {
  return 'legacy' in v ? legacyKey(v) : pep440Key(v);
}

export const pep440 = defineScheme({ name: 'pep440', parse: parsePyPI, compare: comparePyPI, key: pypiKey });
