/**
 * Packagist (Composer) versions, ordered as PHP's version_compare orders them after the
 * canonicalisation osv-scalibr describes: a leading `v`/`V` dropped, `-`, `_` and `+` read as `.`,
 * a `.` between every digit/non-digit pair, then dot-separated components. Numbers compare by value
 * (any length, where PHP would saturate at 2^63); words by version_compare's special forms, matched
 * by case-sensitive prefix: any other word < `dev` < `alpha` = `a` < `beta` = `b` < `RC` = `rc` <
 * `#` < `pl` = `p`; a number stands where `#` does among words. When one version runs out, the
 * other wins with a number next, and otherwise its next word is weighed against `#`. (osv-scalibr
 * weighs other words like `dev`; PHP puts them first, and its vectors do not tell the two apart.)
 *
 * Read literally, that makes `#` both equal to every number and equal to the end, which no total
 * order allows (`1.2.3.#` = `1.2.3` and `1.2.3.#` = `1.2.3.1`, yet `1.2.3` < `1.2.3.1`). Real PHP
 * never sees a `#` component (it turns `#` into a separator), so here a `#` word stands for the end
 * of the version: it equals a missing component and sorts below every number.
 *
 * Only printable ASCII without spaces is read; version_compare itself takes any string.
 */
import { compareDigits, numberKey } from './key';
import { defineScheme, type InvalidVersion, invalid, type Order, sign } from './scheme';

/**
 * A component's place among components: 0 any other word, 1 dev, 2 alpha, 3 beta, 4 RC, 5 `#` (and
 * the end of a version), 6 numbers, 7 pl.
 */
type WordRank = 0 | 1 | 2 | 3 | 4 | 5 | 7;
type Component = { readonly rank: WordRank } | { readonly rank: 6; readonly digits: string };

const END = 5;
const NUMBER = 6;
const WORD_KEYS: Readonly<Record<number, string>> = { 0: 'a', 1: 'b', 2: 'c', 3: 'd', 4: 'e', 7: 'j' };

interface PackagistVersion {
  readonly components: readonly Component[];
}

/** version_compare's special forms: the first whose name prefixes the word decides. */
function wordRank(word: string): WordRank {
  if (word.startsWith('dev')) return 1;
  if (word.startsWith('a')) return 2;
  if (word.startsWith('b')) return 3;
  if (word.startsWith('RC') || word.startsWith('rc')) return 4;
  if (word.startsWith('#')) return END;
  if (word.startsWith('p')) return 7;
  return 0;
}

const isDigit = (c: string): boolean => c >= '0' && c <= '9';

/** osv-scalibr's canonicalisation, then the components split on `.` (empty ones included). */
function canonicalComponents(version: string): string[] {
  let text = version.startsWith('v') ? version.slice(1) : version;
  if (text.startsWith('V')) text = text.slice(1);
  let out = '';
  let previous = '';
  for (const raw of text) {
    const c = raw === '-' || raw === '_' || raw === '+' ? '.' : raw;
    if (previous !== '' && previous !== '.' && c !== '.' && isDigit(previous) !== isDigit(c)) out += '.';
    out += c;
    previous = c;
  }
  return out.split('.');
}

function parsePackagist(version: string): PackagistVersion | InvalidVersion {
  if (version === '') return invalid(version, 'empty');
  if (!/^[\x21-\x7e]+$/.test(version)) return invalid(version, 'not printable ASCII without spaces');
  const components: Component[] = canonicalComponents(version).map((part) =>
    part !== '' && isDigit(part[0] as string)
      ? { rank: NUMBER, digits: part.replace(/^0+(?=\d)/, '') }
      : { rank: wordRank(part) },
  );
  // Trailing `#` words equal the end, as `1.2.3.#` = `1.2.3` has it.
  while (components.length > 0 && components[components.length - 1]?.rank === END) components.pop();
  return { components };
}

function compareComponents(a: Component, b: Component): Order {
  if (a.rank === NUMBER && b.rank === NUMBER) return compareDigits(a.digits, b.digits);
  return sign(a.rank - b.rank);
}

/** Component by component; a version that runs out continues as `#` words. */
function comparePackagist(a: PackagistVersion, b: PackagistVersion): Order {
  const length = Math.max(a.components.length, b.components.length);
  for (let i = 0; i < length; i++) {
    const order = compareComponents(a.components[i] ?? { rank: END }, b.components[i] ?? { rank: END });
    if (order !== 0) return order;
  }
  return 0;
}

/**
 * One character per component in rank order (`a`-`e` words, `i` + numberKey numbers, `j` pl); the
 * end is `g`. A `#` inside a version equals the end, so it is `f` or `h` by whether the first
 * non-`#` component after it sorts below or above the end: `1.#.beta` < `1` < `1.#.1`.
 */
function packagistKey(v: PackagistVersion): string {
  const parts: string[] = new Array(v.components.length);
  let after = 'h';
  for (let i = v.components.length - 1; i >= 0; i--) {
    const component = v.components[i] as Component;
    if (component.rank === END) parts[i] = after;
    else {
      parts[i] = component.rank === NUMBER ? `i${numberKey(component.digits)}` : (WORD_KEYS[component.rank] as string);
      after = component.rank < END ? 'f' : 'h';
    }
  }
  return `${parts.join('')}g`;
}

export const packagist = defineScheme({
  name: 'packagist',
  parse: parsePackagist,
  compare: comparePackagist,
  key: packagistKey,
});
