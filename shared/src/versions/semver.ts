/**
 * SemVer 2.0.0 precedence (npm, crates.io, Hex), and the family built from the same parts with
 * different options: Go modules (go.ts), NuGet (nuget.ts) and Dart's pub (pub.ts). The grammar,
 * the precedence rules and the key encoding live here once.
 *
 * Lenient where OSV data are, as osv-scalibr's semver-versions.txt expects: a leading `v` is
 * accepted, missing minor and patch are 0 (`1` = `1.0.0`), numeric components beyond the last one
 * are build metadata (`1.1.3.4.5` = `1.1.3+4.5`), and leading zeros are read by value (node-semver's
 * loose mode does the same). Numbers of any length compare exactly, as digit strings, where
 * node-semver refuses anything above 2^53.
 */
import { compareDigits, compareStrings, numberKey } from './key';
import { defineScheme, type InvalidVersion, invalid, isInvalid, type Order, type SchemeSpec, sign } from './scheme';

/** One pre-release or build identifier; a numeric one is kept without leading zeros. */
export interface Identifier {
  readonly numeric: boolean;
  readonly text: string;
}

export interface SemverLike {
  /** Exactly `components` digit strings without leading zeros; missing ones are `0`. */
  readonly release: readonly string[];
  /** Empty for a release. */
  readonly prerelease: readonly Identifier[];
  /** Empty when there is none. */
  readonly build: readonly Identifier[];
}

export interface SemverFamilyOptions {
  /** The scheme's short name. */
  readonly name: string;
  /** Numeric components in the release part; fewer are padded with zeros. */
  readonly components: number;
  /** Whether `v1.2.3` is read as `1.2.3`. */
  readonly vPrefix: boolean;
  /** Numeric components beyond `components`: build metadata (OSV's lenient reading), or refused. */
  readonly extraComponents: 'build' | 'refuse';
  /** Identifiers compare case-insensitively (NuGet): folded to lower case when read, so keys agree. */
  readonly foldCase: boolean;
  /** Build metadata orders like a pre-release and after none (pub); SemVer ignores it. */
  readonly buildOrders: boolean;
}

const SEMVER_OPTIONS: SemverFamilyOptions = {
  name: 'semver',
  components: 3,
  vPrefix: true,
  extraComponents: 'build',
  foldCase: false,
  buildOrders: false,
};

// `\d` in a JavaScript regular expression is ASCII 0-9 only, so Unicode digits are refused.
const DIGITS = /^\d+$/;
const IDENTIFIER = /^[0-9A-Za-z-]+$/;

function withoutLeadingZeros(digits: string): string {
  const trimmed = digits.replace(/^0+/, '');
  return trimmed === '' ? '0' : trimmed;
}

function readIdentifiers(
  version: string,
  text: string,
  what: 'pre-release' | 'build',
  foldCase: boolean,
): Identifier[] | InvalidVersion {
  const identifiers: Identifier[] = [];
  for (const part of text.split('.')) {
    if (part === '') return invalid(version, `empty ${what} identifier`);
    if (!IDENTIFIER.test(part)) return invalid(version, `${what} identifier "${part}" is not [0-9A-Za-z-]+`);
    identifiers.push(
      DIGITS.test(part)
        ? { numeric: true, text: withoutLeadingZeros(part) }
        : { numeric: false, text: foldCase ? part.toLowerCase() : part },
    );
  }
  return identifiers;
}

function parseSemverLike(version: string, options: SemverFamilyOptions): SemverLike | InvalidVersion {
  let rest = options.vPrefix && version.startsWith('v') ? version.slice(1) : version;
  // Build metadata starts at the first `+`, the pre-release at the first `-` before it: numeric
  // components hold neither character, and identifiers may hold `-` but never `+`.
  const plus = rest.indexOf('+');
  const buildText = plus < 0 ? undefined : rest.slice(plus + 1);
  if (plus >= 0) rest = rest.slice(0, plus);
  const dash = rest.indexOf('-');
  const preText = dash < 0 ? undefined : rest.slice(dash + 1);
  const numbers = (dash < 0 ? rest : rest.slice(0, dash)).split('.');

  for (const number of numbers) {
    if (number === '') return invalid(version, 'empty numeric component');
    if (!DIGITS.test(number)) return invalid(version, `component "${number}" is not a number`);
  }
  const extra = numbers.slice(options.components);
  if (extra.length > 0 && options.extraComponents === 'refuse') {
    return invalid(version, `more than ${options.components} numeric components`);
  }
  // `1.2.3.4-beta` could mean a pre-release of 1.2.3.4 or of 1.2.3; refuse rather than guess.
  if (extra.length > 0 && preText !== undefined) {
    return invalid(version, `a pre-release after more than ${options.components} numeric components`);
  }

  const prerelease = preText === undefined ? [] : readIdentifiers(version, preText, 'pre-release', options.foldCase);
  if (isInvalid(prerelease)) return prerelease;
  const build = buildText === undefined ? [] : readIdentifiers(version, buildText, 'build', options.foldCase);
  if (isInvalid(build)) return build;

  const release: string[] = [];
  for (let i = 0; i < options.components; i++) release.push(withoutLeadingZeros(numbers[i] ?? '0'));
  const extraBuild = extra.map((digits) => ({ numeric: true, text: withoutLeadingZeros(digits) }));
  return { release, prerelease, build: [...extraBuild, ...build] };
}

/** SemVer 2.0.0 §11.4: numeric identifiers by value and below alphanumeric ones, those in ASCII order. */
function compareIdentifiers(a: Identifier, b: Identifier): Order {
  if (a.numeric && b.numeric) return compareDigits(a.text, b.text);
  if (a.numeric !== b.numeric) return a.numeric ? -1 : 1;
  return compareStrings(a.text, b.text);
}

/** Identifier by identifier; when all shared ones are equal, fewer identifiers come first. */
function compareIdentifierLists(a: readonly Identifier[], b: readonly Identifier[]): Order {
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i++) {
    const order = compareIdentifiers(a[i] as Identifier, b[i] as Identifier);
    if (order !== 0) return order;
  }
  return sign(a.length - b.length);
}

function compareSemverLike(a: SemverLike, b: SemverLike, options: SemverFamilyOptions): Order {
  for (let i = 0; i < options.components; i++) {
    const order = compareDigits(a.release[i] ?? '0', b.release[i] ?? '0');
    if (order !== 0) return order;
  }
  // A pre-release sorts before its release, so an empty list here is the greatest, not the least.
  const aIsRelease = a.prerelease.length === 0;
  const bIsRelease = b.prerelease.length === 0;
  if (aIsRelease !== bIsRelease) return aIsRelease ? 1 : -1;
  const order = compareIdentifierLists(a.prerelease, b.prerelease);
  if (order !== 0 || !options.buildOrders) return order;
  return compareIdentifierLists(a.build, b.build);
}

/*
 * Key markers. After the numbers comes `-` for a pre-release or `~` for a release (so a release
 * sorts after every pre-release of it). An identifier list is its identifiers, then `!`: `!` is
 * below both identifier markers, so fewer identifiers sort first. A numeric identifier is `#` and
 * its numberKey; an alphanumeric one is `$`, its text and a `!` terminator, which is below every
 * identifier character (the lowest is `-`), so `a` sorts before `a-` and `a0`; `#` < `$` puts
 * numeric identifiers first.
 */
const RELEASE = '~';
const PRERELEASE = '-';
const END = '!';
const NUMERIC = '#';
const ALPHANUMERIC = '$';

function identifierListKey(identifiers: readonly Identifier[]): string {
  let key = '';
  for (const id of identifiers) key += id.numeric ? NUMERIC + numberKey(id.text) : ALPHANUMERIC + id.text + END;
  return key + END;
}

function semverLikeKey(parsed: SemverLike, options: SemverFamilyOptions): string {
  let key = parsed.release.map(numberKey).join('');
  key += parsed.prerelease.length === 0 ? RELEASE : PRERELEASE + identifierListKey(parsed.prerelease);
  // An empty build list is a lone `!`, below any build's first marker: no build sorts first.
  if (options.buildOrders) key += identifierListKey(parsed.build);
  return key;
}

/**
 * A SemVer-family scheme; options not given are SemVer's (three components, `v` accepted, numeric
 * components beyond the third as build metadata, case-sensitive, build ignored).
 */
export function semverFamily(
  options: Partial<SemverFamilyOptions> & { readonly name: string },
): SchemeSpec<SemverLike> {
  const resolved: SemverFamilyOptions = { ...SEMVER_OPTIONS, ...options };
  return {
    name: resolved.name,
    parse: (version) => parseSemverLike(version, resolved),
    compare: (a, b) => compareSemverLike(a, b, resolved),
    key: (parsed) => semverLikeKey(parsed, resolved),
  };
}

/** npm, crates.io and Hex: SemVer 2.0.0 precedence, build metadata ignored. */
export const semver = defineScheme(semverFamily({ name: 'semver' }));
