/**
 * The raw shape of FIRST's daily EPSS file (https://www.first.org/epss/data_stats): a comment line
 * `#model_version:v2025.03.14,score_date:2025-03-16T00:00:00+0000`, the header
 * `cve,epss,percentile`, then one `CVE-YYYY-NNNN,0.00043,0.09291` row per CVE (about 300,000).
 * Rows are read by hand rather than through valibot: there are hundreds of thousands of them.
 */

/** Which file this is: every score in it carries these. */
export interface EpssFile {
  readonly modelVersion: string;
  /** YYYY-MM-DD, the day the scores are for. */
  readonly scoreDate: string;
}

export const EPSS_HEADER = 'cve,epss,percentile';

/** Reads the leading comment; a file without model version or score date cannot be dated, so it is refused. */
export function parseModelLine(line: string): EpssFile | { error: string } {
  const text = line.replace(/^\uFEFF/, '').trim();
  if (!text.startsWith('#')) return { error: `the first line is not the "#model_version:...,score_date:..." comment` };
  const fields = new Map<string, string>();
  for (const part of text.slice(1).split(',')) {
    const colon = part.indexOf(':');
    if (colon > 0) fields.set(part.slice(0, colon).trim(), part.slice(colon + 1).trim());
  }
  const modelVersion = fields.get('model_version');
  const scoreDate = /^(\d{4}-\d{2}-\d{2})(?:T|$)/.exec(fields.get('score_date') ?? '')?.[1];
  if (!modelVersion) return { error: 'the first line names no model_version' };
  if (!scoreDate) return { error: 'the first line names no score_date (YYYY-MM-DD...)' };
  return { modelVersion, scoreDate };
}

export function checkHeader(line: string | undefined): { error: string } | null {
  const header = (line ?? '').trim().toLowerCase();
  return header === EPSS_HEADER ? null : { error: `the header is "${line ?? ''}", expected "${EPSS_HEADER}"` };
}

const CVE = /^CVE-\d{4}-\d{4,}$/;
const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

function probability(text: string): number | null {
  if (!DECIMAL.test(text)) return null;
  const value = Number(text);
  return value >= 0 && value <= 1 ? value : null;
}

/** One data row: the CVE, its score and percentile (both in [0, 1]), or why it is refused. */
export function parseRow(line: string): { cve: string; score: number; percentile: number } | { error: string } {
  const cells = line.split(',');
  if (cells.length !== 3) return { error: `expected 3 cells, found ${cells.length}` };
  const [cve = '', epss = '', percentile = ''] = cells.map((c) => c.trim());
  if (!CVE.test(cve)) return { error: `"${cve}" is not a CVE id` };
  const score = probability(epss);
  if (score === null) return { error: `epss "${epss}" is not a number between 0 and 1` };
  const rank = probability(percentile);
  if (rank === null) return { error: `percentile "${percentile}" is not a number between 0 and 1` };
  return { cve, score, percentile: rank };
}
