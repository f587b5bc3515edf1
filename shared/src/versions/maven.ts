/**
 * Maven versions, as maven-artifact's ComparableVersion orders them (3.8.x before MNG-7559, which
 * is what osv-scalibr's vectors were generated with). A version splits into items: numbers, and
 * qualifiers; `.` separates items, `-` and every digit/letter transition open a nested list (`1-rc1`
 * reads `[1, [rc, [1]]]`). Qualifiers are case-insensitive and ordered
 * alpha < beta < milestone < rc = cr < snapshot < "" = ga = final = release < sp < anything else
 * (lexically); `a1`/`b1`/`m1` stand for alpha/beta/milestone when a number follows. Trailing null
 * items (0, "", empty lists) are dropped, so `1` = `1.0` = `1-ga` = `1.0.0`. Numbers have any length.
 *
 * MNG-7559 (maven-artifact 3.8.7, 3.9.x) reads `1.0.RC1` as `1.0-RC1`; the vectors keep the older
 * reading, in which `.RC1` is an item of the outer list, so the two differ for such versions.
 *
 * Lists only ever nest at their end, so a version is a flat token sequence: qualifier < list-start <
 * number at the same position, and a shorter version is padded with "null", which equals 0, "" and a
 * list start but sorts above alpha..snapshot and below sp, other qualifiers and positive numbers.
 * That padding makes ComparableVersion intransitive in corners (`1-alpha` > `1.sp.1`, yet
 * `1-alpha` < `1` < `1.sp.1`). To give a total order, every position first compares which side of
 * "end of version" its remaining tail lies on, then the tokens: this agrees with ComparableVersion
 * on every pair except such cycles, where it keeps the order against the shorter version.
 *
 * Only printable ASCII without spaces is read: ComparableVersion would take any Unicode digit for
 * a number, and no real version needs more.
 */
import { compareDigits, compareStrings, numberKey } from './key';
import { defineScheme, type InvalidVersion, invalid, type Order, sign } from './scheme';

/** Qualifier ranks; unknown qualifiers rank 7 and then compare as text. */
const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const RELEASE = QUALIFIERS.indexOf('');
const UNKNOWN = QUALIFIERS.length;
const ALIASES: Readonly<Record<string, string>> = { ga: '', final: '', release: '', cr: 'rc' };
const SHORTHANDS: Readonly<Record<string, string>> = { a: 'alpha', b: 'beta', m: 'milestone' };

/** `type` is the order of kinds at one position: qualifier < list start < number. */
type Token =
  | { readonly type: 0; readonly rank: number; readonly qualifier: string }
  | { readonly type: 1 }
  | { readonly type: 2; readonly digits: string };

type Item = Token | Item[];

const LIST_START: Token = { type: 1 };
const ZERO: Token = { type: 2, digits: '0' };

interface MavenVersion {
  readonly tokens: readonly Token[];
  /** Per position: -1 if the rest of the version sorts below its end, 1 if above. */
  readonly sides: readonly (-1 | 1)[];
}

function qualifier(text: string, followedByDigit: boolean): Token {
  const spelled = followedByDigit ? (SHORTHANDS[text] ?? text) : text;
  const value = ALIASES[spelled] ?? spelled;
  const known = QUALIFIERS.indexOf(value);
  return { type: 0, rank: known === -1 ? UNKNOWN : known, qualifier: known === -1 ? value : '' };
}

function number(text: string): Token {
  return { type: 2, digits: text.replace(/^0+(?=\d)/, '') };
}

function isNull(item: Item): boolean {
  if (Array.isArray(item)) return item.length === 0;
  return item.type === 2 ? item.digits === '0' : item.type === 0 && item.rank === RELEASE;
}

/** ComparableVersion's normalize: drop trailing nulls, looking through (non-null) nested lists. */
function normalize(list: Item[]): void {
  for (let i = list.length - 1; i >= 0; i--) {
    const item = list[i] as Item;
    if (isNull(item)) list.splice(i, 1);
    else if (!Array.isArray(item)) break;
  }
}

const isDigit = (c: string): boolean => c >= '0' && c <= '9';

/** ComparableVersion.parseVersion, as of maven-artifact 3.8.6. */
function parseItems(version: string): Item[] {
  const text = version.toLowerCase();
  const root: Item[] = [];
  const lists = [root];
  let list = root;
  let digits = false;
  let start = 0;
  const item = (end: number): Item =>
    digits ? number(text.slice(start, end)) : qualifier(text.slice(start, end), false);
  const nest = () => {
    const child: Item[] = [];
    list.push(child);
    lists.push(child);
    list = child;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '.' || c === '-') {
      list.push(i === start ? ZERO : item(i));
      start = i + 1;
      if (c === '-') nest();
    } else if (isDigit(c)) {
      if (!digits && i > start) {
        list.push(qualifier(text.slice(start, i), true));
        start = i;
        nest();
      }
      digits = true;
    } else {
      if (digits && i > start) {
        list.push(item(i));
        start = i;
        nest();
      }
      digits = false;
    }
  }
  if (text.length > start) list.push(item(text.length));
  for (let i = lists.length - 1; i >= 0; i--) normalize(lists[i] as Item[]);
  return root;
}

function flatten(list: readonly Item[], into: Token[]): Token[] {
  for (const item of list) {
    if (Array.isArray(item)) {
      into.push(LIST_START);
      flatten(item, into);
    } else into.push(item);
  }
  return into;
}

/** How a token compares with the padding after a version's end: 0 when equal (0, "", list start). */
function againstEnd(token: Token): Order {
  if (token.type === 2) return token.digits === '0' ? 0 : 1;
  if (token.type === 1) return 0;
  return sign(token.rank - RELEASE);
}

function parseMaven(version: string): MavenVersion | InvalidVersion {
  if (version === '') return invalid(version, 'empty');
  if (!/^[\x21-\x7e]+$/.test(version)) return invalid(version, 'not printable ASCII without spaces');
  const tokens = flatten(parseItems(version), []);
  // Normalizing leaves a non-null token last; trailing neutral tokens would equal the end anyway.
  while (tokens.length > 0 && againstEnd(tokens[tokens.length - 1] as Token) === 0) tokens.pop();
  const sides: (-1 | 1)[] = new Array(tokens.length);
  let side: -1 | 1 = 1;
  for (let i = tokens.length - 1; i >= 0; i--) {
    const order = againstEnd(tokens[i] as Token);
    if (order !== 0) side = order;
    sides[i] = side;
  }
  return { tokens, sides };
}

function compareTokens(a: Token, b: Token): Order {
  if (a.type !== b.type) return sign(a.type - b.type);
  if (a.type === 2 && b.type === 2) return compareDigits(a.digits, b.digits);
  if (a.type === 0 && b.type === 0) return sign(a.rank - b.rank) || compareStrings(a.qualifier, b.qualifier);
  return 0;
}

function compareMaven(a: MavenVersion, b: MavenVersion): Order {
  const length = Math.max(a.tokens.length, b.tokens.length);
  for (let i = 0; i < length; i++) {
    const x = a.tokens[i];
    const y = b.tokens[i];
    if (x === undefined) return b.sides[i] === 1 ? -1 : 1;
    if (y === undefined) return a.sides[i] as Order;
    const order = sign((a.sides[i] as number) - (b.sides[i] as number)) || compareTokens(x, y);
    if (order !== 0) return order;
  }
  return 0;
}

/**
 * Per position the side (`L` below the end, `N` above) then the token: qualifier `a` + rank digit
 * (+ text and a space for unknown ones: the space sorts below any character a qualifier can hold),
 * list start `b`, number `c` + numberKey. The end is `M`, between the two sides.
 */
function mavenKey(v: MavenVersion): string {
  let key = '';
  v.tokens.forEach((token, i) => {
    key += v.sides[i] === -1 ? 'L' : 'N';
    if (token.type === 0) key += token.rank === UNKNOWN ? `a${token.rank}${token.qualifier} ` : `a${token.rank}`;
    else key += token.type === 1 ? 'b' : `c${numberKey(token.digits)}`;
  });
  return `${key}M`;
}

export const maven = defineScheme({ name: 'maven', parse: parseMaven, compare: compareMaven, key: mavenKey });
