/** What a failed check reports, and how the tests report it. */

/** One failed rule: the test id of CSAF 2.0 section 6.1 ('6.1.7', '6.1.27.9') or 'schema'. */
export interface CsafFailure {
  readonly test: string;
  /** JSON pointer (RFC 6901) to the offending value, e.g. `/vulnerabilities/0/scores/1`. */
  readonly path: string;
  readonly message: string;
}

/** Reports one failure of the running test. */
export type Report = (path: string, message: string) => void;

/** A JSON pointer from path segments: `pointer('vulnerabilities', 0, 'cve')` -> `/vulnerabilities/0/cve`. */
export function pointer(...segments: readonly (string | number)[]): string {
  return segments.map((segment) => `/${String(segment).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

/** Product and group ids quoted in messages, cut short: an id can be any string, a megabyte long. */
export function quote(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
}

/**
 * The failures in one line, for a quarantine reason:
 * `6.1.9 /vulnerabilities/0/scores/0/cvss_v3/baseScore: is 9.9, but ...; 6.1.16 ...` and how many more.
 */
export function describeFailures(failures: readonly CsafFailure[], limit = 10): string {
  const shown = failures.slice(0, limit).map((failure) => `${failure.test} ${failure.path || '/'}: ${failure.message}`);
  const more = failures.length - shown.length;
  return more > 0 ? `${shown.join('; ')}; and ${more} more` : shown.join('; ');
}
