/**
 * What a feed adapter is. Each source (CSAF providers, OSV, MSRC, KEV, EPSS, NVD, the Debian
 * tracker, Alpine secdb) has a folder under feeds/ with its fetching (fetch.ts), the valibot
 * schema of what it receives (input.ts) and the translation to Patchboard's model (parse.ts), and
 * exports one FeedAdapter. The runner (runner.ts) owns everything else: leases, storing, cursors,
 * backoff, quarantine and rematching, so no adapter can advance a cursor past unstored data.
 */
import type { AdvisoryDocument } from '@patchboard/shared/schemas/advisory';

export const feedKinds = ['csaf', 'osv', 'msrc', 'kev', 'epss', 'nvd', 'debian-tracker', 'alpine-secdb'] as const;
export type FeedKind = (typeof feedKinds)[number];

/** One CISA KEV catalog entry. */
export interface KevEntry {
  readonly cve: string;
  readonly vendor: string;
  readonly product: string;
  readonly name: string;
  readonly description: string;
  /** YYYY-MM-DD */
  readonly dateAdded: string;
  readonly dueDate: string;
  readonly requiredAction: string;
  /** `Known` or `Unknown`. */
  readonly ransomware: string;
  readonly notes: string;
}

export interface EpssScore {
  readonly cve: string;
  readonly score: number;
  readonly percentile: number;
  /** YYYY-MM-DD */
  readonly scoreDate: string;
  readonly modelVersion: string;
}

/** What NVD says about one CVE. */
export interface CveRecord {
  readonly cve: string;
  /** NVD vulnStatus: Analyzed, Modified, Awaiting Analysis, Rejected, ... */
  readonly status: string;
  readonly published: string | null;
  readonly modified: string;
  readonly description: string | null;
  readonly cvss3: { readonly vector: string; readonly score: number } | null;
  readonly cvss4: { readonly vector: string; readonly score: number } | null;
  readonly cwes: readonly string[];
}

/** Everything an adapter can deliver; the runner stores each kind in its place. */
export type FeedRecord =
  | {
      readonly kind: 'advisory';
      readonly advisory: AdvisoryDocument;
      /** SHA-256 of the document as received: the same document again changes nothing. */
      readonly contentHash: string;
      /** Windows update supersedence learnt from this document: [newer KB, the KB it replaces]. */
      readonly supersedence?: readonly (readonly [string, string])[];
    }
  /** An id the source says is gone (e.g. Red Hat's deletions.csv): withdrawn, its findings resolved. */
  | { readonly kind: 'deleted'; readonly id: string }
  | { readonly kind: 'kev'; readonly entries: readonly KevEntry[] }
  | { readonly kind: 'epss'; readonly scores: readonly EpssScore[] }
  | { readonly kind: 'cve'; readonly records: readonly CveRecord[] }
  /** A document that was refused, with why; the rest of the feed goes on. */
  | { readonly kind: 'quarantine'; readonly document: string; readonly reason: string; readonly content: string };

/** A feed as configured, with its saved position. */
export interface FeedState {
  readonly id: string;
  readonly kind: FeedKind;
  readonly url: string;
  /** Adapter options, e.g. `{ "ecosystems": ["Debian"] }` for OSV, `{ "releases": ["v3.20"] }` for Alpine. */
  readonly config: Readonly<Record<string, unknown>>;
  /** The adapter's own position (parsed JSON), null before the first successful run. */
  readonly cursor: unknown;
  readonly etag: string | null;
  readonly lastModified: string | null;
}

export interface FeedRun {
  readonly feed: FeedState;
  /** The network; tests inject recorded responses and faults here. */
  readonly fetch: typeof fetch;
  readonly now: Date;
  /** Epoch milliseconds by which the adapter should yield its last batch, so the run fits its budget. */
  readonly deadline: number;
  /** Read access for adapters that ask about the fleet (OSV queries exactly the installed packages). */
  readonly db: D1Database;
  readonly secrets: { readonly nvdApiKey?: string | undefined };
}

/**
 * One stored unit of progress: its records, and the position after them. The runner stores the
 * records and then saves the cursor, in that order, so a failure later never skips them; if it
 * fails before the cursor is saved, the next run delivers them again (storing is idempotent).
 */
export interface FeedBatch {
  readonly records: readonly FeedRecord[];
  readonly cursor: unknown;
  /** Validators of the response this batch completes, for the next conditional request. */
  readonly etag?: string | null;
  readonly lastModified?: string | null;
  /**
   * The source has more right now, but the adapter stopped (to stay within the run's budget or a
   * rate limit): the feed runs again soon instead of after its interval.
   */
  readonly more?: boolean;
}

export interface FeedAdapter {
  readonly kind: FeedKind;
  readonly defaultIntervalSeconds: number;
  /**
   * Reads the source from the feed's cursor, yielding batches in order. Throw (FeedError or any
   * error) on an upstream failure: the runner keeps the last saved cursor and backs off.
   * Returning without yielding means nothing new (e.g. a 304).
   */
  sync(run: FeedRun): AsyncGenerator<FeedBatch, void, void>;
  /**
   * Reads one uploaded document of this kind for POST /v1/advisories/import (air-gapped sites).
   * `detect` says whether a parsed JSON value (or raw text) looks like this kind's format.
   */
  readonly importer?: {
    detect(value: unknown, text: string): boolean;
    parse(value: unknown, text: string): Promise<FeedRecord[]>;
  };
}
