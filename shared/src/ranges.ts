/**
 * Which versions an advisory affects, from the three ways advisories say it: OSV range events
 * (introduced / fixed / last_affected / limit) and explicit version lists, CSAF product status with
 * `vers:` ranges, and the Debian security tracker's fixed_version. All three become one normal form,
 * a list of version intervals, which is evaluated here and stored (as order-preserving keys) for the
 * SQL matcher, so a version is affected for exactly one reason the explanation can name.
 */
import { compare, type InvalidVersion, isInvalid, type Order, versionKey } from './versions/index';

/** One affected interval. A missing bound is unbounded; both bounds are versions as the advisory wrote them. */
export interface AffectedInterval {
  /** Lower bound; undefined means from the first version. */
  readonly introduced?: string;
  /** False for `vers:` `>v`; OSV and CSAF lower bounds include the version itself. */
  readonly introducedExclusive?: boolean;
  /** Exclusive upper bound: the first fixed version. */
  readonly fixed?: string;
  /** Inclusive upper bound: the last version known affected (no fix known). */
  readonly lastAffected?: string;
}

/** Outcome of reading ranges: the intervals, or why they cannot be read (never a guess). */
export type IntervalsResult = { readonly intervals: AffectedInterval[] } | { readonly error: string };

export type OsvEvent = { introduced: string } | { fixed: string } | { last_affected: string } | { limit: string };

export interface OsvRange {
  readonly type: string;
  readonly events: readonly OsvEvent[];
}

function versionOf(event: OsvEvent): string {
  return 'introduced' in event
    ? event.introduced
    : 'fixed' in event
      ? event.fixed
      : 'last_affected' in event
        ? event.last_affected
        : event.limit;
}

/** The order of two versions of an ecosystem, or the invalid one. `0` as an OSV introduced value sorts first. */
function order(ecosystem: string, a: string | undefined, b: string | undefined): Order | InvalidVersion {
  if (a === undefined) return b === undefined ? 0 : -1;
  if (b === undefined) return 1;
  return compare(ecosystem, a, b);
}

/**
 * Intervals of one OSV range of type ECOSYSTEM or SEMVER, following the spec's evaluation: events
 * in version order, `introduced` opens (the literal `0` means from the start), `fixed` closes
 * before, `last_affected` closes after; `limit` caps the whole range (exclusive).
 */
function intervalsOfOsvRange(ecosystem: string, range: OsvRange): IntervalsResult {
  const bounds: { kind: 'introduced' | 'fixed' | 'last_affected'; version: string | undefined }[] = [];
  let limit: string | undefined;
  for (const event of range.events) {
    const version = versionOf(event);
    if (!('introduced' in event && version === '0')) {
      const check = compare(ecosystem, version, version);
      if (isInvalid(check)) return { error: `${ecosystem} version "${version}": ${check.reason}` };
    }
    if ('limit' in event) {
      if (version !== '*') limit = version;
    } else if ('introduced' in event) {
      bounds.push({ kind: 'introduced', version: version === '0' ? undefined : version });
    } else {
      bounds.push({ kind: 'fixed' in event ? 'fixed' : 'last_affected', version });
    }
  }
  let failed: InvalidVersion | undefined;
  // Stable sort by version; at equal versions an opening event sorts first, so `introduced 1.0,
  // fixed 1.0` is an empty interval, as the spec's event-walk gives.
  const sorted = [...bounds].sort((x, y) => {
    const o = order(ecosystem, x.version, y.version);
    if (isInvalid(o)) {
      failed ??= o;
      return 0;
    }
    if (o !== 0) return o;
    return (x.kind === 'introduced' ? 0 : 1) - (y.kind === 'introduced' ? 0 : 1);
  });
  if (failed) return { error: failed.reason };

  const intervals: AffectedInterval[] = [];
  let open: { introduced: string | undefined } | undefined;
  for (const bound of sorted) {
    if (bound.kind === 'introduced') {
      open ??= { introduced: bound.version };
    } else if (open) {
      const lower = open.introduced === undefined ? {} : { introduced: open.introduced };
      if (
        bound.kind === 'fixed' &&
        bound.version !== undefined &&
        order(ecosystem, open.introduced, bound.version) !== 0
      ) {
        intervals.push({ ...lower, fixed: bound.version });
      } else if (bound.kind === 'last_affected' && bound.version !== undefined) {
        intervals.push({ ...lower, lastAffected: bound.version });
      }
      open = undefined;
    }
  }
  if (open) intervals.push(open.introduced === undefined ? {} : { introduced: open.introduced });
  return { intervals: limit === undefined ? intervals : capAt(ecosystem, intervals, limit) };
}

/** Cuts intervals at an exclusive upper limit. */
function capAt(ecosystem: string, intervals: AffectedInterval[], limit: string): AffectedInterval[] {
  const capped: AffectedInterval[] = [];
  for (const interval of intervals) {
    if (interval.introduced !== undefined && compare(ecosystem, interval.introduced, limit) !== -1) continue;
    const upper = interval.fixed ?? interval.lastAffected;
    const beyond = upper === undefined || compare(ecosystem, upper, limit) !== -1;
    if (beyond) {
      const { lastAffected: _, ...rest } = interval;
      capped.push({ ...rest, fixed: limit });
    } else {
      capped.push(interval);
    }
  }
  return capped;
}

/**
 * Intervals of an OSV `affected` entry: its ECOSYSTEM and SEMVER ranges, plus each explicitly
 * listed version as a one-version interval. GIT ranges name commits, not versions: when an entry
 * has only those, its `versions` list (which OSV.dev enumerates from the commits) is what counts.
 */
export function intervalsFromOsv(
  ecosystem: string,
  ranges: readonly OsvRange[] | undefined,
  versions: readonly string[] | undefined,
): IntervalsResult {
  const intervals: AffectedInterval[] = [];
  for (const range of ranges ?? []) {
    if (range.type === 'GIT') continue;
    if (range.type !== 'ECOSYSTEM' && range.type !== 'SEMVER') return { error: `unknown range type "${range.type}"` };
    const result = intervalsOfOsvRange(ecosystem, range);
    if ('error' in result) return result;
    intervals.push(...result.intervals);
  }
  for (const version of versions ?? []) {
    const check = compare(ecosystem, version, version);
    if (isInvalid(check)) return { error: `${ecosystem} version "${version}": ${check.reason}` };
    intervals.push({ introduced: version, lastAffected: version });
  }
  return { intervals };
}

/** purl-spec `vers` schemes and the ecosystems whose comparison they share. */
const versSchemes: Readonly<Record<string, readonly string[]>> = {
  deb: ['Debian', 'Ubuntu'],
  rpm: ['Red Hat', 'AlmaLinux', 'Rocky Linux', 'SUSE', 'openSUSE', 'Amazon Linux'],
  apk: ['Alpine', 'Wolfi', 'Chainguard'],
  alpine: ['Alpine', 'Wolfi', 'Chainguard'],
  npm: ['npm'],
  cargo: ['crates.io'],
  hex: ['Hex'],
  golang: ['Go'],
  pypi: ['PyPI'],
  maven: ['Maven'],
  nuget: ['NuGet'],
  gem: ['RubyGems'],
  composer: ['Packagist'],
  pub: ['Pub'],
  cran: ['CRAN'],
  hackage: ['Hackage'],
};

/**
 * Intervals of a `vers:` range (purl-spec VERS), compared with the ecosystem's scheme, e.g.
 * `vers:rpm/>=1:2.0-1|<1:2.0-5` or `vers:deb/<3.0.13-1~deb12u1`. Constraints are sorted by version;
 * `=` gives one-version intervals, the others pair up as lower/upper bounds. `!=` (an exclusion)
 * and a scheme that does not compare like the ecosystem are refused.
 */
export function intervalsFromVers(ecosystem: string, vers: string): IntervalsResult {
  const match = /^vers:([a-z0-9.+-]+)\/(.*)$/i.exec(vers.trim());
  if (!match?.[1] || match[2] === undefined) return { error: `"${vers}" is not a vers: range` };
  const scheme = match[1].toLowerCase();
  const base = ecosystem.split(':')[0] ?? ecosystem;
  if (scheme !== 'generic' && !versSchemes[scheme]?.includes(base)) {
    return { error: `vers scheme "${scheme}" does not compare like ${ecosystem}` };
  }
  const body = match[2].replace(/\s+/g, '');
  if (body === '*') return { intervals: [{}] };
  const constraints: { op: string; version: string }[] = [];
  for (const part of body.split('|')) {
    const c = /^(>=|<=|!=|<|>|=)?(.+)$/.exec(part);
    if (!c?.[2]) return { error: `empty constraint in "${vers}"` };
    const op = c[1] ?? '=';
    const version = decodeURIComponent(c[2]);
    if (op === '!=') return { error: `"!=" exclusions in "${vers}" are not supported` };
    const check = compare(ecosystem, version, version);
    if (isInvalid(check)) return { error: `${ecosystem} version "${version}": ${check.reason}` };
    constraints.push({ op, version });
  }
  constraints.sort((x, y) => compare(ecosystem, x.version, y.version) as Order);
  const intervals: AffectedInterval[] = [];
  let lower: { version: string; exclusive: boolean } | null = null;
  let first = true;
  for (const { op, version } of constraints) {
    if (op === '=') {
      intervals.push({ introduced: version, lastAffected: version });
    } else if (op === '>=' || op === '>') {
      if (lower) return { error: `two lower bounds in a row in "${vers}"` };
      lower = { version, exclusive: op === '>' };
    } else {
      if (!lower && !first) return { error: `an upper bound without a lower bound in "${vers}"` };
      const from = lower
        ? { introduced: lower.version, ...(lower.exclusive ? { introducedExclusive: true } : {}) }
        : {};
      intervals.push(op === '<' ? { ...from, fixed: version } : { ...from, lastAffected: version });
      lower = null;
    }
    if (op !== '=') first = false;
  }
  if (lower) intervals.push({ introduced: lower.version, ...(lower.exclusive ? { introducedExclusive: true } : {}) });
  return { intervals };
}

/**
 * Intervals from the Debian security tracker's view of one source package in one release:
 * `resolved` with fixed_version `0` means never affected; `resolved` with a version means fixed
 * there; `open` or `undetermined` without a fixed version means every version is affected.
 */
export function intervalsFromDebianTracker(
  ecosystem: string,
  entry: { readonly status: string; readonly fixed_version?: string | undefined },
): IntervalsResult {
  const fixed = entry.fixed_version;
  if (fixed === '0') return { intervals: [] };
  if (fixed !== undefined && fixed !== '') {
    const check = compare(ecosystem, fixed, fixed);
    if (isInvalid(check)) return { error: `${ecosystem} version "${fixed}": ${check.reason}` };
    return { intervals: [{ fixed }] };
  }
  if (entry.status === 'resolved') return { error: 'resolved without a fixed version' };
  return { intervals: [{}] };
}

/** Whether a version lies in an interval; the invalid version when it cannot be compared. */
export function inInterval(ecosystem: string, version: string, interval: AffectedInterval): boolean | InvalidVersion {
  if (interval.introduced !== undefined) {
    const o = compare(ecosystem, version, interval.introduced);
    if (isInvalid(o)) return o;
    if (o < 0 || (o === 0 && interval.introducedExclusive)) return false;
  }
  if (interval.fixed !== undefined) {
    const o = compare(ecosystem, version, interval.fixed);
    if (isInvalid(o)) return o;
    if (o >= 0) return false;
  }
  if (interval.lastAffected !== undefined) {
    const o = compare(ecosystem, version, interval.lastAffected);
    if (isInvalid(o)) return o;
    if (o > 0) return false;
  }
  return true;
}

/** The first interval containing the version (the reason it is affected), null when none does. */
export function affectingInterval(
  ecosystem: string,
  version: string,
  intervals: readonly AffectedInterval[],
): AffectedInterval | null | InvalidVersion {
  for (const interval of intervals) {
    const inside = inInterval(ecosystem, version, interval);
    if (isInvalid(inside)) return inside;
    if (inside) return interval;
  }
  return null;
}

/** An interval as the SQL matcher stores it: keys in the ecosystem's order-preserving form. */
export interface KeyedInterval {
  /** '' when unbounded below (every key is >= ''). */
  readonly lowerKey: string;
  readonly lowerInclusive: boolean;
  /** null when unbounded above. */
  readonly upperKey: string | null;
  readonly upperInclusive: boolean;
}

export function keyInterval(ecosystem: string, interval: AffectedInterval): KeyedInterval | InvalidVersion {
  const lower = interval.introduced === undefined ? '' : versionKey(ecosystem, interval.introduced);
  if (isInvalid(lower)) return lower;
  const upperVersion = interval.fixed ?? interval.lastAffected;
  const upper = upperVersion === undefined ? null : versionKey(ecosystem, upperVersion);
  if (isInvalid(upper)) return upper;
  return {
    lowerKey: lower,
    lowerInclusive: !interval.introducedExclusive,
    upperKey: upper,
    upperInclusive: interval.fixed === undefined && interval.lastAffected !== undefined,
  };
}

/**
 * Why a version in this interval is affected, after "<package> <installed version> ": for example
 * `< 3.0.13-1~deb12u1 (fixed in DSA-5678-1 for Debian:12)`.
 */
export function explainInterval(interval: AffectedInterval, advisoryId: string, ecosystem: string): string {
  const where = `${advisoryId} for ${ecosystem}`;
  const since =
    interval.introduced === undefined
      ? ''
      : `, affected from ${interval.introducedExclusive ? 'after ' : ''}${interval.introduced}`;
  if (interval.fixed !== undefined) return `< ${interval.fixed} (fixed in ${where}${since})`;
  if (interval.lastAffected !== undefined) {
    if (interval.introduced === interval.lastAffected && !interval.introducedExclusive) {
      return `= ${interval.lastAffected} (listed as affected in ${where})`;
    }
    return `<= ${interval.lastAffected} (last affected version in ${where}${since}; no fixed version known)`;
  }
  if (interval.introduced !== undefined) {
    const op = interval.introducedExclusive ? '>' : '>=';
    return `${op} ${interval.introduced} (affected in ${where}; no fixed version yet)`;
  }
  return `(every version affected in ${where}; no fixed version yet)`;
}
