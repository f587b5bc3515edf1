/**
 * The string formats and patterns of the CSAF 2.0 JSON schema, and the comparison of its timestamps.
 *
 * Input strings can be megabytes long, and V8 runs regular expressions by backtracking: the schema's
 * semantic-version pattern is quadratic, and any pattern with an alternation under `*` overflows the
 * stack on a 10 MB string. So the schema's regexes run only on strings of a plausible length (a longer
 * one fails the check), and the patterns that real values can make long are written as loops.
 */

/** `/$defs/version_t`: integer versioning or semantic versioning 2.0.0. */
const versionPattern =
  /^(0|[1-9][0-9]*)$|^((0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?)$/;

/** `/$defs/lang_t`: the schema's spelling of a well-formed BCP 47 language tag. */
const languagePattern =
  /^(([A-Za-z]{2,3}(-[A-Za-z]{3}(-[A-Za-z]{3}){0,2})?|[A-Za-z]{4,8})(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?(-([A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*(-[A-WY-Za-wy-z0-9](-[A-Za-z0-9]{2,8})+)*(-[Xx](-[A-Za-z0-9]{1,8})+)?|[Xx](-[A-Za-z0-9]{1,8})+|[Ii]-[Dd][Ee][Ff][Aa][Uu][Ll][Tt]|[Ii]-[Mm][Ii][Nn][Gg][Oo])$/;

/** `product_identification_helper/cpe`: CPE 2.3 formatted string or CPE 2.2 URI, copied verbatim from the schema. */
// biome-ignore lint/complexity/useRegexLiterals: the schema's pattern as the schema spells it, escapes and all
const cpePattern = new RegExp(
  '^(cpe:2\\.3:[aho\\*\\-](:(((\\?*|\\*?)([a-zA-Z0-9\\-\\._]|(\\\\[\\\\\\*\\?!"#\\$%&\'\\(\\)\\+,/:;<=>@\\[\\]\\^`\\{\\|\\}~]))+(\\?*|\\*?))|[\\*\\-])){5}(:(([a-zA-Z]{2,3}(-([a-zA-Z]{2}|[0-9]{3}))?)|[\\*\\-]))(:(((\\?*|\\*?)([a-zA-Z0-9\\-\\._]|(\\\\[\\\\\\*\\?!"#\\$%&\'\\(\\)\\+,/:;<=>@\\[\\]\\^`\\{\\|\\}~]))+(\\?*|\\*?))|[\\*\\-])){4})|([c][pP][eE]:/[AHOaho]?(:[A-Za-z0-9\\._\\-~%]*){0,6})$',
);

/** One pattern check; the regex runs only on strings up to `maxLength` (see above). */
function bounded(regex: RegExp, maxLength: number): (value: string) => boolean {
  return (value) => value.length <= maxLength && regex.test(value);
}

export const isVersion = bounded(versionPattern, 256);
export const isLanguageTag = bounded(languagePattern, 256);
export const isCpe = bounded(cpePattern, 4096);
export const isCve = bounded(/^CVE-[0-9]{4}-[0-9]{4,}$/, 64);
export const isCweId = bounded(/^CWE-[1-9]\d{0,5}$/, 16);

/** `product_identification_helper/purl`: `^pkg:[A-Za-z.\-+][A-Za-z0-9.\-+]*\/.+`. */
export function isPurlShaped(value: string): boolean {
  const slash = value.indexOf('/');
  return (
    slash > 4 &&
    /^pkg:[A-Za-z.\-+][A-Za-z0-9.\-+]*$/.test(value.slice(0, slash)) &&
    slash + 1 < value.length &&
    !isLineTerminator(value[slash + 1] ?? '')
  );
}

/** `/document/tracking/id`: `^[\S](.*[\S])?$`, i.e. no white space at either end and no line break. */
export function isTrackingId(value: string): boolean {
  return value.length > 0 && !/\s/.test(value[0] ?? '') && !/\s/.test(value.at(-1) ?? '') && !hasLineTerminator(value);
}

/** `/document/category`: `^[^\s\-_\.](.*[^\s\-_\.])?$`. */
export function isCategory(value: string): boolean {
  const edge = /[\s\-_.]/;
  return value.length > 0 && !edge.test(value[0] ?? '') && !edge.test(value.at(-1) ?? '') && !hasLineTerminator(value);
}

/** `hashes[]/file_hashes[]/value`: `^[0-9a-fA-F]{32,}$`. */
export function isHashValue(value: string): boolean {
  if (value.length < 32) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    const hex = (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
    if (!hex) return false;
  }
  return true;
}

function isLineTerminator(ch: string): boolean {
  return ch === '\n' || ch === '\r' || ch === '\u2028' || ch === '\u2029';
}

function hasLineTerminator(value: string): boolean {
  return /[\n\r\u2028\u2029]/.test(value);
}

/** RFC 3339 date-time, as JSON Schema's `date-time` format: `2021-07-21T10:00:00.000Z`, `...+02:00`. */
const dateTimePattern =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

/**
 * A timestamp as an instant that sorts correctly with any number of fractional digits:
 * Date.parse keeps milliseconds only, and the OASIS tests compare `10:00:00.00010Z` with `10:00:00.000Z`.
 */
export interface Instant {
  readonly epochSeconds: number;
  /** Fractional digits without trailing zeros ('' for a whole second). */
  readonly fraction: string;
}

export function parseDateTime(value: string): Instant | undefined {
  if (value.length > 64) return undefined;
  const m = dateTimePattern.exec(value);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  // Second 60 is a leap second, which RFC 3339 allows.
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  let offsetMinutes = 0;
  if (m[8] !== undefined) {
    const offsetHours = Number(m[9]);
    const offsetMins = Number(m[10]);
    if (offsetHours > 23 || offsetMins > 59) return undefined;
    offsetMinutes = (m[8] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const epochSeconds = utcSeconds(year, month, day, hour, minute, second) - offsetMinutes * 60;
  return { epochSeconds, fraction: (m[7] ?? '').replace(/0+$/, '') };
}

export function isDateTime(value: string): boolean {
  return parseDateTime(value) !== undefined;
}

export function compareInstants(a: Instant, b: Instant): number {
  if (a.epochSeconds !== b.epochSeconds) return a.epochSeconds < b.epochSeconds ? -1 : 1;
  const width = Math.max(a.fraction.length, b.fraction.length);
  const fa = a.fraction.padEnd(width, '0');
  const fb = b.fraction.padEnd(width, '0');
  return fa < fb ? -1 : fa > fb ? 1 : 0;
}

/** Date.UTC reads years 0-99 as 1900-1999; setUTCFullYear does not. */
function utcSeconds(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime() / 1000;
}

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/**
 * JSON Schema's `uri` format: an absolute URI (RFC 3986), checked character by character: a scheme,
 * then only characters a URI may hold, with well-formed percent escapes. Not a full RFC 3986 parse.
 * A loop, not a regex: a regex with an alternation inside `*` overflows V8's stack on a 10 MB string.
 */
export function isUri(value: string): boolean {
  const colon = value.indexOf(':');
  if (colon < 1 || colon > 64 || !/^[A-Za-z][A-Za-z0-9+.-]*$/.test(value.slice(0, colon))) return false;
  for (let i = colon + 1; i < value.length; i++) {
    const ch = value[i] ?? '';
    if (ch === '%') {
      if (!/^[0-9A-Fa-f]{2}$/.test(value.slice(i + 1, i + 3))) return false;
      i += 2;
    } else if (!uriCharacters.has(ch)) return false;
  }
  return true;
}

const uriCharacters = new Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/?#[]");
