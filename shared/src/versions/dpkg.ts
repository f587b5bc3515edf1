/**
 * Debian and Ubuntu package versions, exactly as dpkg reads and orders them (lib/dpkg/version.c:
 * parseversion and verrevcmp): `[epoch:]upstream[-revision]`.
 *
 * Reading follows parseversion: spaces and tabs around the version are ignored, the epoch is the
 * number before the first `:`, the revision is what follows the LAST `-`, and a missing epoch or
 * revision is `0` / empty. What `dpkg --validate-version` refuses is invalid here, warnings
 * included (an upstream part not starting with a digit, characters outside the allowed set), since
 * dpkg refuses those too wherever it parses strictly. One refusal goes further than dpkg: an epoch
 * must be plain digits, where dpkg's strtol would also take a sign or whitespace (`+1:`, `-0:`).
 *
 * Ordering follows verrevcmp: epochs by value, then upstream, then revision, each compared as
 * alternating non-digit and digit runs, where `~` sorts before everything (even the end of the
 * string), letters before other characters, and digit runs by value at any length.
 */
import { compareDigits, numberKey } from './key';
import { defineScheme, type InvalidVersion, invalid, type Order, type SchemeSpec } from './scheme';

export interface DpkgVersion {
  /** Digits without leading zeros; `0` when absent. */
  readonly epoch: string;
  readonly upstream: string;
  /** Empty when absent, which orders like `0`. */
  readonly revision: string;
}

/** dpkg refuses epochs above INT_MAX. */
const MAX_EPOCH = '2147483647';

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isBlank = (c: number): boolean => c === 32 || c === 9;
const TILDE = 126;

/** Characters dpkg allows besides letters and digits; `:` only in an upstream part after an epoch. */
function allowedInUpstream(c: number): boolean {
  return isDigit(c) || isLetter(c) || c === 46 || c === 43 || c === 126 || c === 45 || c === 58;
}
function allowedInRevision(c: number): boolean {
  return isDigit(c) || isLetter(c) || c === 46 || c === 43 || c === 126;
}

function parseDpkg(raw: string): DpkgVersion | InvalidVersion {
  let start = 0;
  let end = raw.length;
  while (start < end && isBlank(raw.charCodeAt(start))) start++;
  while (end > start && isBlank(raw.charCodeAt(end - 1))) end--;
  if (start === end) return invalid(raw, 'version string is empty');
  const version = raw.slice(start, end);
  for (let i = 0; i < version.length; i++) {
    if (isBlank(version.charCodeAt(i))) return invalid(raw, 'version string has embedded spaces');
  }

  let epoch = '0';
  let rest = version;
  const colon = version.indexOf(':');
  if (colon >= 0) {
    const digits = version.slice(0, colon);
    if (digits === '') return invalid(raw, 'epoch in version is empty');
    for (let i = 0; i < digits.length; i++) {
      if (!isDigit(digits.charCodeAt(i))) return invalid(raw, 'epoch in version is not a number');
    }
    epoch = digits.replace(/^0+(?=.)/, '');
    if (compareDigits(epoch, MAX_EPOCH) > 0) return invalid(raw, 'epoch in version is too big');
    rest = version.slice(colon + 1);
    if (rest === '') return invalid(raw, 'nothing after colon in version number');
  }

  const hyphen = rest.lastIndexOf('-');
  const upstream = hyphen < 0 ? rest : rest.slice(0, hyphen);
  const revision = hyphen < 0 ? '' : rest.slice(hyphen + 1);
  if (hyphen >= 0 && revision === '') return invalid(raw, 'revision number is empty');
  if (upstream === '') return invalid(raw, 'version number is empty');
  if (!isDigit(upstream.charCodeAt(0))) return invalid(raw, 'version number does not start with digit');
  for (let i = 0; i < upstream.length; i++) {
    // Without an epoch, any `:` would have been read as the epoch's end above.
    if (!allowedInUpstream(upstream.charCodeAt(i))) return invalid(raw, 'invalid character in version number');
  }
  for (let i = 0; i < revision.length; i++) {
    if (!allowedInRevision(revision.charCodeAt(i))) return invalid(raw, 'invalid character in revision number');
  }
  return { epoch, upstream, revision };
}

/** dpkg's order(): `~` lowest, then digits and the end (both 0), letters, then everything else. */
function order(s: string, i: number): number {
  if (i >= s.length) return 0;
  const c = s.charCodeAt(i);
  if (isDigit(c)) return 0;
  if (isLetter(c)) return c;
  if (c === TILDE) return -1;
  return c + 256;
}

/** verrevcmp: alternating non-digit runs (by order()) and digit runs (by value). */
export function compareDpkgPart(a: string, b: string): Order {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !isDigit(a.charCodeAt(i))) || (j < b.length && !isDigit(b.charCodeAt(j)))) {
      const ac = order(a, i);
      const bc = order(b, j);
      if (ac !== bc) return ac < bc ? -1 : 1;
      i++;
      j++;
    }
    while (a.charCodeAt(i) === 48) i++;
    while (b.charCodeAt(j) === 48) j++;
    let firstDiff = 0;
    while (isDigit(a.charCodeAt(i)) && isDigit(b.charCodeAt(j))) {
      if (firstDiff === 0) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (isDigit(a.charCodeAt(i))) return 1;
    if (isDigit(b.charCodeAt(j))) return -1;
    if (firstDiff !== 0) return firstDiff < 0 ? -1 : 1;
  }
  return 0;
}

function compareDpkg(a: DpkgVersion, b: DpkgVersion): Order {
  return (
    compareDigits(a.epoch, b.epoch) ||
    compareDpkgPart(a.upstream, b.upstream) ||
    compareDpkgPart(a.revision, b.revision)
  );
}

/*
 * Key of a part: one entry per (non-digit run, digit run) pair, each the non-digit characters
 * mapped to bytes that order as order() does, an end-of-run marker, and the numberKey of the digit
 * run (empty = 0); then the end-of-run marker once more to close the part. The marker sits just
 * above `~` and below letters, so a shorter run sorts after one continuing with `~` and before one
 * continuing with anything else, as in verrevcmp where the end of a run reads as 0.
 *
 * The end of a string behaves like endless (empty, 0) pairs. Only the first pair can have an empty
 * non-digit run (later ones follow a digit run, so they start with a non-digit), hence: the first
 * pair is always written, even for an empty string (so ``, `0` and `00` all give `"0"`); after
 * it, the closing marker compares like an (empty, 0) pair would against any later pair, whose
 * first byte is a mapped character: above `~`, below letters and other characters.
 */
const MAPPED_TILDE = '!';
const END_OF_RUN = '"';
// Letters map to themselves (A-Z, a-z); the other allowed characters to the bytes above `z`, in
// their ASCII order as order() keeps it (c + 256).
const MAPPED_OTHER: Readonly<Record<string, string>> = { '+': '{', '-': '|', '.': '}', ':': '~' };

function partKey(s: string): string {
  let key = '';
  let i = 0;
  do {
    while (i < s.length && !isDigit(s.charCodeAt(i))) {
      const ch = s.charAt(i);
      key += ch === '~' ? MAPPED_TILDE : (MAPPED_OTHER[ch] ?? ch);
      i++;
    }
    const digitsStart = i;
    while (i < s.length && isDigit(s.charCodeAt(i))) i++;
    key += END_OF_RUN + numberKey(s.slice(digitsStart, i));
  } while (i < s.length);
  return key + END_OF_RUN;
}

function dpkgKey(parsed: DpkgVersion): string {
  return numberKey(parsed.epoch) + partKey(parsed.upstream) + partKey(parsed.revision);
}

export const dpkgSpec: SchemeSpec<DpkgVersion> = {
  name: 'dpkg',
  parse: parseDpkg,
  compare: compareDpkg,
  key: dpkgKey,
};

/** Debian and Ubuntu: dpkg's version syntax and order. */
export const dpkg = defineScheme(dpkgSpec);
