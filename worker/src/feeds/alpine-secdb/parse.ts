/**
 * secdb files in Patchboard's normal form. One advisory per (vulnerability, package) across the
 * releases followed, e.g. `ALPINE-CVE-2024-9143:openssl` with one affected entry per release
 * (`Alpine:v3.20`, `Alpine:v3.19`): the same shape as the Debian tracker's advisories, and, like
 * them, apart from OSV.dev's combined `ALPINE-CVE-2024-9143` that an OSV feed may store. The
 * files are small (a few hundred kilobytes per release and repository), so all of them are read
 * before any advisory is built; that is what lets one advisory span releases.
 */
import type { AdvisoryDocument } from '@patchboard/shared/schemas/advisory';
import { compare, isInvalid } from '@patchboard/shared/versions/index';
import * as v from 'valibot';
import type { FeedRecord } from '../feed';
import { digestHex } from '../http';
import { CveId, type SecdbFile, SecdbPackage, VulnerabilityId } from './input';

export const SOURCE = 'alpine-secdb';

/** Bumped when the same input yields a different document, so stored advisories are rewritten. */
const PARSER_VERSION = 'alpine-secdb/1';
const ADVISORY_ID = /^[A-Za-z0-9][A-Za-z0-9._:+-]{0,127}$/;
const MAX_QUARANTINED_CHARS = 64 * 1024;

/** One file to read: where it is, and the host ecosystem its packages belong to. */
export interface SecdbSource {
  readonly url: string;
  /** `Alpine:v3.20`, `Wolfi`, `Chainguard`. */
  readonly ecosystem: string;
  /** `v3.20/main`, for messages. */
  readonly label: string;
  /** The release the file must say it is (`distroversion`), when the source has releases. */
  readonly release: string | null;
}

/** One secfixes line: in this ecosystem, this version fixed it (`0`: never affected). */
interface Fix {
  readonly ecosystem: string;
  readonly version: string;
}

/** What one advisory is built from. */
export interface CollectedAdvisory {
  readonly id: string;
  readonly vulnerability: string;
  readonly pkg: string;
  readonly fixes: Fix[];
}

function describe(issues: readonly v.BaseIssue<unknown>[]): string {
  const first = issues[0];
  if (!first) return 'malformed';
  const path = v.getDotPath(first);
  return path ? `${path}: ${first.message}` : first.message;
}

/**
 * Gathers the fixes of every file, per advisory. A package entry that cannot be read is
 * quarantined and its package (or, for one bad version, the advisories that version lists) is
 * left out of this pass altogether: building those advisories from the other releases alone
 * would store them without that release, and so close its findings as if it were fixed.
 */
export class SecdbCollector {
  private readonly advisories = new Map<string, CollectedAdvisory>();
  private readonly quarantined: FeedRecord[] = [];
  private readonly heldPackages = new Set<string>();
  private readonly heldAdvisories = new Set<string>();

  /** @param prefix `ALPINE`, `WOLFI` or `CHAINGUARD`: the advisory id's first part. */
  constructor(private readonly prefix: string) {}

  advisoryId(vulnerability: string, pkg: string): string {
    return `${this.prefix}-${vulnerability}:${pkg}`;
  }

  add(source: SecdbSource, file: SecdbFile): void {
    for (const [index, entry] of file.packages.entries()) {
      const checked = v.safeParse(SecdbPackage, entry);
      if (!checked.success) {
        const name = (entry as { pkg?: { name?: unknown } } | null)?.pkg?.name;
        if (typeof name === 'string') this.heldPackages.add(name);
        this.quarantine(`${source.label} packages[${index}]`, describe(checked.issues), entry);
        continue;
      }
      const { name, secfixes } = checked.output.pkg;
      for (const [version, listed] of Object.entries(secfixes ?? {})) {
        const ids = this.idsOf(source, name, version, listed ?? []);
        if (version !== '0') {
          const check = compare(source.ecosystem, version, version);
          if (isInvalid(check)) {
            for (const id of ids) this.heldAdvisories.add(this.advisoryId(id, name));
            this.quarantine(`${source.label} ${name} ${version}`, `version "${version}": ${check.reason}`, entry);
            continue;
          }
        }
        for (const vulnerability of ids) this.addFix(vulnerability, name, { ecosystem: source.ecosystem, version });
      }
    }
  }

  /** The advisories to build, in id order, and the refused entries. */
  finish(): { advisories: CollectedAdvisory[]; quarantined: FeedRecord[] } {
    const advisories = [...this.advisories.values()]
      .filter((a) => !this.heldPackages.has(a.pkg) && !this.heldAdvisories.has(a.id))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return { advisories, quarantined: this.quarantined };
  }

  /**
   * The ids a secfixes line names. Lines are meant to hold one id; some hold several, or an id
   * and a remark; the tokens shaped like ids count, and a line with none is refused.
   */
  private idsOf(source: SecdbSource, pkg: string, version: string, listed: readonly (string | null)[]): string[] {
    const ids: string[] = [];
    for (const line of listed) {
      if (line === null) continue;
      const found = line.split(/\s+/).filter((token) => VulnerabilityId.test(token));
      if (found.length === 0) {
        this.quarantine(`${source.label} ${pkg} ${version}`, `"${line.slice(0, 120)}" names no vulnerability id`, line);
      }
      ids.push(...found);
    }
    return ids;
  }

  private addFix(vulnerability: string, pkg: string, fix: Fix): void {
    const id = this.advisoryId(vulnerability, pkg);
    let advisory = this.advisories.get(id);
    if (!advisory) {
      advisory = { id, vulnerability, pkg, fixes: [] };
      this.advisories.set(id, advisory);
    }
    if (!advisory.fixes.some((f) => f.ecosystem === fix.ecosystem && f.version === fix.version))
      advisory.fixes.push(fix);
  }

  private quarantine(document: string, reason: string, content: unknown): void {
    const text = typeof content === 'string' ? content : (JSON.stringify(content) ?? '');
    this.quarantined.push({ kind: 'quarantine', document, reason, content: text.slice(0, MAX_QUARANTINED_CHARS) });
  }
}

/** The latest of an ecosystem's fixed versions: a later line for the same id means the earlier fix fell short. */
function latest(ecosystem: string, versions: readonly string[]): string | null {
  let best: string | null = null;
  for (const version of versions) {
    if (version === '0') continue;
    if (best === null || compare(ecosystem, version, best) === 1) best = version;
  }
  return best;
}

function references(prefix: string, vulnerability: string): AdvisoryDocument['references'] {
  if (prefix === 'ALPINE' && CveId.test(vulnerability)) {
    return [{ type: 'ADVISORY', url: `https://security.alpinelinux.org/vuln/${vulnerability}` }];
  }
  return [];
}

/** The advisory of one (vulnerability, package), with `modified` given (secdb has no dates). */
export function buildAdvisory(prefix: string, collected: CollectedAdvisory, modified: string): AdvisoryDocument | null {
  if (!ADVISORY_ID.test(collected.id)) return null;
  const advisory: AdvisoryDocument = {
    id: collected.id,
    source: SOURCE,
    summary: null,
    details: null,
    published: null,
    modified,
    withdrawn: null,
    aliases: [collected.vulnerability],
    cves: CveId.test(collected.vulnerability) ? [collected.vulnerability] : [],
    references: references(prefix, collected.vulnerability),
    affected: [],
    skipped: [],
    severity: [],
    remediations: [],
    notAffected: [],
    threats: [],
  };
  const ecosystems = [...new Set(collected.fixes.map((f) => f.ecosystem))].sort();
  for (const ecosystem of ecosystems) {
    const versions = collected.fixes.filter((f) => f.ecosystem === ecosystem).map((f) => f.version);
    const fixed = latest(ecosystem, versions);
    if (fixed === null) {
      advisory.notAffected.push({ ecosystem, package: collected.pkg, justification: null });
      continue;
    }
    // A version listed both as never affected and as a fix: the fix is the safer reading.
    advisory.affected.push({ ecosystem, package: collected.pkg, intervals: [{ fixed }] });
    advisory.remediations.push({
      category: 'vendor_fix',
      details: `Update ${collected.pkg} to ${fixed} or later (${ecosystem}).`,
      url: null,
      restartRequired: null,
      packages: [`${ecosystem} ${collected.pkg}`],
    });
  }
  return advisory;
}

/**
 * The record of one advisory. Its content hash covers the secfixes lines it is built from (sorted,
 * so file order does not matter) and the parser version, not `modified`: unchanged lines are
 * recognised as unchanged whenever they are read again.
 */
export async function secdbRecord(prefix: string, collected: CollectedAdvisory, modified: string): Promise<FeedRecord> {
  const fixes = collected.fixes
    .map((f) => `${f.ecosystem} ${f.version}`)
    .sort()
    .join('\n');
  const advisory = buildAdvisory(prefix, collected, modified);
  if (!advisory) {
    return {
      kind: 'quarantine',
      document: collected.id.slice(0, 200),
      reason: `"${collected.id.slice(0, 200)}" is not a usable advisory id`,
      content: fixes,
    };
  }
  const contentHash = await digestHex('SHA-256', `${PARSER_VERSION}\n${collected.id}\n${fixes}`);
  return { kind: 'advisory', advisory, contentHash };
}
