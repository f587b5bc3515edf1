/**
 * Where OSV data lives, and how much one run takes of it. The bucket holds, per ecosystem, every
 * record as `{ID}.json`, all of them in `all.zip`, and `modified_id.csv` (`<modified>,<ID>` per
 * record, newest first); the API answers which records affect given packages.
 */

export const OSV_BUCKET = 'https://osv-vulnerabilities.storage.googleapis.com';
export const OSV_API = 'https://api.osv.dev/v1';

export const archiveUrl = (ecosystem: string) => `${OSV_BUCKET}/${encodeURIComponent(ecosystem)}/all.zip`;
export const modifiedIdsUrl = (ecosystem: string) => `${OSV_BUCKET}/${encodeURIComponent(ecosystem)}/modified_id.csv`;
export const recordUrl = (ecosystem: string, id: string) =>
  `${OSV_BUCKET}/${encodeURIComponent(ecosystem)}/${encodeURIComponent(id)}.json`;
export const QUERYBATCH_URL = `${OSV_API}/querybatch`;
export const vulnUrl = (id: string) => `${OSV_API}/vulns/${encodeURIComponent(id)}`;

/** What an OSV id looks like (input.ts checks records the same way); anything else never reaches a URL. */
export const OSV_ID = /^[A-Za-z0-9][A-Za-z0-9._:+-]{0,127}$/;

/**
 * Language ecosystems as installed_packages names them (OSV's names, from SBOM purls): the
 * inventory mode asks OSV about exactly these packages. OS packages come from the bulk feeds.
 */
export const LANGUAGE_ECOSYSTEMS = [
  'npm',
  'PyPI',
  'Maven',
  'Go',
  'crates.io',
  'RubyGems',
  'NuGet',
  'Packagist',
  'Hex',
  'Pub',
  'CRAN',
  'Hackage',
] as const;

export interface OsvLimits {
  /** Largest record kept (an all.zip entry inflated, or one record fetched); larger ones are quarantined. */
  readonly maxRecordBytes: number;
  /** Most bytes one run may inflate from all.zip, entries together. */
  readonly maxArchiveBytes: number;
  /** A batch is yielded at this many records, or at this many bytes of their documents. */
  readonly batchRecords: number;
  readonly batchBytes: number;
  /** Past this many changed records since the cursor, reloading all.zip is cheaper than fetching each. */
  readonly maxChanges: number;
  /** Single records fetched per run (each is a subrequest, which Workers count). */
  readonly maxFetchesPerRun: number;
  /** Records fetched at once (a Worker keeps six connections open). */
  readonly concurrency: number;
  /** Packages per querybatch request (the API takes at most 1000). */
  readonly queriesPerRequest: number;
  /** Pages followed per querybatch before the answer is taken to be looping. */
  readonly maxPages: number;
}

export const DEFAULT_LIMITS: OsvLimits = {
  // Ubuntu's kernel records list thousands of versions; 8 MiB keeps them while one stays well inside 128 MB.
  maxRecordBytes: 8 * 1024 * 1024,
  maxArchiveBytes: 4 * 1024 * 1024 * 1024,
  batchRecords: 500,
  batchBytes: 8 * 1024 * 1024,
  maxChanges: 10_000,
  maxFetchesPerRun: 1_000,
  concurrency: 6,
  queriesPerRequest: 1_000,
  maxPages: 100,
};

/**
 * The timeout of a streamed download: fetchFeed's signal also cuts the body, and a big archive
 * takes longer than one request should; it needs no longer than the run has left.
 */
export function streamTimeoutMs(deadline: number): number {
  return Math.max(30_000, deadline - Date.now() + 30_000);
}
