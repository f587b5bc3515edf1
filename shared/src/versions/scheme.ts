/**
 * A versioning scheme: how one ecosystem's package manager orders its versions. Each scheme reads
 * a version into its parts (or says why it cannot), compares two parsed versions exactly as the
 * real tool does, and gives each version an order-preserving key: a string whose bytewise order is
 * the scheme's order, so that range checks can run as SQL comparisons over indexed columns.
 */

export type Order = -1 | 0 | 1;

/** A version the scheme cannot read; never a throw, never a guess. */
export interface InvalidVersion {
  readonly invalid: true;
  readonly version: string;
  readonly reason: string;
}

export function invalid(version: string, reason: string): InvalidVersion {
  return { invalid: true, version, reason };
}

export function isInvalid(value: unknown): value is InvalidVersion {
  return typeof value === 'object' && value !== null && (value as InvalidVersion).invalid === true;
}

/** What an implementation provides; `P` is its parsed form. */
export interface SchemeSpec<P> {
  /** Short name: `dpkg`, `rpm`, `pep440`, ... */
  readonly name: string;
  parse(version: string): P | InvalidVersion;
  compare(a: P, b: P): Order;
  /**
   * Printable ASCII (0x20-0x7e) whose order under plain string comparison (JavaScript `<`, SQLite
   * BINARY collation) equals `compare`; versions that compare equal get identical keys.
   */
  key(parsed: P): string;
}

/** The string-level interface every caller uses. */
export interface VersionScheme {
  readonly name: string;
  compare(a: string, b: string): Order | InvalidVersion;
  key(version: string): string | InvalidVersion;
  /** Undefined when valid, else why not. */
  validate(version: string): InvalidVersion | undefined;
}

/** Longest version any scheme accepts; longer input is refused before parsing. */
export const MAX_VERSION_LENGTH = 256;

/**
 * Wraps an implementation so that callers get strings in and results out: overlong input is
 * refused, and a bug that throws becomes an invalid-version result naming it, never an exception
 * escaping into a request or a matching run.
 */
export function defineScheme<P>(spec: SchemeSpec<P>): VersionScheme {
  const parse = (version: string): P | InvalidVersion => {
    if (typeof version !== 'string') return invalid(String(version), 'not a string');
    if (version.length > MAX_VERSION_LENGTH) return invalid(version, `longer than ${MAX_VERSION_LENGTH} characters`);
    try {
      return spec.parse(version);
    } catch (err) {
      return invalid(version, `${spec.name} parser failed: ${(err as Error).message}`);
    }
  };
  return {
    name: spec.name,
    validate(version) {
      const parsed = parse(version);
      return isInvalid(parsed) ? parsed : undefined;
    },
    compare(a, b) {
      const pa = parse(a);
      if (isInvalid(pa)) return pa;
      const pb = parse(b);
      if (isInvalid(pb)) return pb;
      return spec.compare(pa, pb);
    },
    key(version) {
      const parsed = parse(version);
      return isInvalid(parsed) ? parsed : spec.key(parsed);
    },
  };
}

/** -1, 0 or 1 from any number or bigint difference. */
export function sign(n: number | bigint): Order {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}
