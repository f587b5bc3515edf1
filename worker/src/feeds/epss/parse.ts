import type { EpssScore, FeedRecord } from '../feed';
import { checkHeader, type EpssFile, parseModelLine, parseRow } from './input';

type Quarantine = Extract<FeedRecord, { kind: 'quarantine' }>;

/** The file is not an EPSS file, or too garbled to trust: refused whole. */
export class EpssFormatError extends Error {
  override readonly name = 'EpssFormatError';
}

/** Scores per batch: a few thousand, so memory stays flat however long the file is. */
export const EPSS_BATCH_SIZE = 5_000;

/** More refused rows than this and the file is taken as garbled rather than as having a few bad rows. */
export const MAX_REFUSED_ROWS = 100;

/** Reads the comment and header lines, leaving `lines` at the first data row. */
export async function readEpssHead(lines: AsyncIterator<string>): Promise<EpssFile> {
  const first = await lines.next();
  const file = parseModelLine(first.done ? '' : first.value);
  if ('error' in file) throw new EpssFormatError(file.error);
  const second = await lines.next();
  const header = checkHeader(second.done ? undefined : second.value);
  if (header) throw new EpssFormatError(header.error);
  return file;
}

export interface EpssBatch {
  readonly scores: readonly EpssScore[];
  readonly refused: readonly Quarantine[];
  /** Data rows read so far, from the first after the header (skipped ones included): where to resume. */
  readonly rowsRead: number;
  /** Whether this batch ends the file. */
  readonly last: boolean;
}

/**
 * The data rows as batches, read as they arrive. `skipRows` passes over rows an earlier, interrupted
 * run already delivered. A bad row is quarantined; too many bad rows throw EpssFormatError.
 */
export async function* epssBatches(
  lines: AsyncIterator<string>,
  file: EpssFile,
  options: { readonly skipRows?: number; readonly batchSize?: number } = {},
): AsyncGenerator<EpssBatch, void, void> {
  const size = options.batchSize ?? EPSS_BATCH_SIZE;
  const skip = options.skipRows ?? 0;
  let scores: EpssScore[] = [];
  let refused: Quarantine[] = [];
  let refusedTotal = 0;
  let rowsRead = 0;
  for (let next = await lines.next(); !next.done; next = await lines.next()) {
    // A full batch leaves once another row exists, so the last batch is never an empty one.
    if (scores.length >= size) {
      yield { scores, refused, rowsRead, last: false };
      scores = [];
      refused = [];
    }
    rowsRead += 1;
    if (rowsRead <= skip || next.value.trim() === '') continue;
    const row = parseRow(next.value);
    if ('error' in row) {
      refusedTotal += 1;
      if (refusedTotal > MAX_REFUSED_ROWS) throw new EpssFormatError(`more than ${MAX_REFUSED_ROWS} rows refused`);
      refused.push({
        kind: 'quarantine',
        // Header lines come first, so data row n is line n + 2 of the file.
        document: `epss:${file.scoreDate}:line ${rowsRead + 2}`,
        reason: row.error,
        content: next.value.slice(0, 2048),
      });
      continue;
    }
    scores.push({ ...row, scoreDate: file.scoreDate, modelVersion: file.modelVersion });
  }
  yield { scores, refused, rowsRead, last: true };
}

/** A batch as feed records: its scores, then the rows refused. */
export function epssRecords(batch: Pick<EpssBatch, 'scores' | 'refused'>): FeedRecord[] {
  return [...(batch.scores.length > 0 ? [{ kind: 'epss' as const, scores: batch.scores }] : []), ...batch.refused];
}

/** Lines of an uploaded text, for the same reader the feed uses. */
export async function* textLines(text: string): AsyncGenerator<string, void, void> {
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    yield text.slice(start, end).replace(/\r$/, '');
    start = end + 1;
  }
}

/** Reads an uploaded EPSS CSV whole (POST /v1/advisories/import?format=epss); a refused file is one quarantine record. */
export async function parseEpssText(text: string): Promise<FeedRecord[]> {
  const lines = textLines(text);
  const records: FeedRecord[] = [];
  try {
    const file = await readEpssHead(lines);
    for await (const batch of epssBatches(lines, file)) records.push(...epssRecords(batch));
  } catch (err) {
    if (!(err instanceof EpssFormatError)) throw err;
    return [{ kind: 'quarantine', document: 'epss', reason: err.message, content: text.slice(0, 2048) }];
  }
  return records;
}

export function looksLikeEpss(text: string): boolean {
  return /^\uFEFF?#model_version:/.test(text);
}
