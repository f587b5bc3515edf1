/**
 * POST /v1/advisories/import?format=debian-tracker: a copy of the tracker's JSON (or a part of
 * it, e.g. the packages an air-gapped site runs), already parsed by the route. Each entry becomes
 * the same record a sync would store, with the same content hash.
 */
import type { FeedRecord } from '../feed';
import { CveId, TempId } from './input';
import { trackerRecord } from './parse';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Entries looked at before deciding; enough to tell the tracker from any other format. */
const SAMPLE = 20;

/**
 * Whether a value is the tracker's shape: an object of packages, each an object of CVE or TEMP
 * ids, each an object with `releases`. Only the first entries are looked at.
 */
export function looksLikeDebianTracker(value: unknown): boolean {
  if (!isObject(value)) return false;
  let entries = 0;
  let packages = 0;
  for (const pkg in value) {
    const issues = value[pkg];
    if (!isObject(issues)) return false;
    for (const issue in issues) {
      const entry = issues[issue];
      if (!(CveId.test(issue) || TempId.test(issue)) || !isObject(entry) || !('releases' in entry)) return false;
      if (++entries >= SAMPLE) return true;
    }
    if (++packages >= SAMPLE * 10) break;
  }
  return entries > 0;
}

export async function importDebianTracker(value: unknown): Promise<FeedRecord[]> {
  if (!isObject(value)) {
    return [
      {
        kind: 'quarantine',
        document: 'debian-tracker',
        reason: 'not the Debian security tracker JSON: expected an object of source packages',
        content: JSON.stringify(value)?.slice(0, 4096) ?? '',
      },
    ];
  }
  // The upload has no date of its own; like a sync, `modified` is when it was received.
  const modified = new Date().toISOString();
  const records: FeedRecord[] = [];
  for (const pkg in value) {
    const issues = value[pkg];
    if (!isObject(issues)) {
      records.push({
        kind: 'quarantine',
        document: pkg,
        reason: 'a package whose value is not an object of entries',
        content: JSON.stringify(issues)?.slice(0, 4096) ?? '',
      });
      continue;
    }
    for (const issue in issues) {
      const entry = issues[issue];
      const record = await trackerRecord(pkg, issue, entry, JSON.stringify(entry) ?? '', modified);
      if (record) records.push(record);
    }
  }
  return records;
}
