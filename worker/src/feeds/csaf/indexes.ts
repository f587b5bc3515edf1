/**
 * The index files of a CSAF provider, read into entries: a directory's changes.csv and
 * deletions.csv (`"2024/rhsa-2024_0010.json","2025-02-18T14:28:08+00:00"`, one document a line,
 * CSAF 2.0 section 7.1.16) and the entries of a ROLIE feed (section 7.1.21).
 */
import * as v from 'valibot';
import type { RolieFeed } from './input';

export interface IndexEntry {
  /** What the position remembers: the path in the directory, or the document URL of a ROLIE entry. */
  readonly key: string;
  /** Epoch milliseconds of the change. */
  readonly time: number;
  readonly url: string;
  readonly hashUrl: string;
}

const CSV_LINE = /^\s*"?([^",]+?)"?\s*,\s*"?([^",]+?)"?\s*$/;

/** `["2024/rhsa-2024_0010.json", time]` of one line; undefined for a blank or unreadable one. */
export function readCsvLine(line: string): { path: string; time: number } | undefined {
  const match = CSV_LINE.exec(line);
  if (!match?.[1] || !match[2]) return undefined;
  const time = Date.parse(match[2]);
  if (Number.isNaN(time) || !match[1].endsWith('.json')) return undefined;
  return { path: match[1], time };
}

/**
 * A document's URL inside its directory, or undefined when the path leaves it (`../`, another
 * host): an index file names documents of its own directory only.
 */
export function documentUrl(directory: string, path: string): string | undefined {
  try {
    const url = new URL(path, directory).href;
    return url.startsWith(directory) && !path.includes('..') ? url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The advisory id behind a file name: Red Hat's `2024/rhsa-2024_2106.json` is RHSA-2024:2106.
 * CSAF file names are the id lower-cased with other characters as `_` (section 5.1), which cannot
 * be undone in general; other names are upper-cased, the usual form of ids.
 */
export function idFromPath(path: string): string {
  const name = (path.split('/').pop() ?? path).replace(/\.json$/i, '');
  const redHat = /^(rh[sbe]a)-(\d{4})_(\d+)$/i.exec(name);
  if (redHat?.[1] && redHat[2] && redHat[3]) return `${redHat[1].toUpperCase()}-${redHat[2]}:${redHat[3]}`;
  return name.toUpperCase();
}

const RolieLink = v.looseObject({ rel: v.optional(v.string()), href: v.pipe(v.string(), v.maxLength(2048)) });
const RolieEntry = v.looseObject({
  updated: v.pipe(v.string(), v.isoTimestamp()),
  link: v.optional(v.pipe(v.array(RolieLink), v.maxLength(20))),
  content: v.optional(v.looseObject({ src: v.optional(v.pipe(v.string(), v.maxLength(2048))) })),
});

/**
 * The documents of a ROLIE feed, with their hash files. An entry without an update time or a
 * document link is passed over: one broken entry must not stop the feed.
 */
export function rolieEntries(feed: RolieFeed): IndexEntry[] {
  const entries: IndexEntry[] = [];
  for (const raw of feed.feed.entry ?? []) {
    const read = v.safeParse(RolieEntry, raw);
    if (!read.success) continue;
    const entry = read.output;
    const links = entry.link ?? [];
    const self = links.find((l) => l.rel === 'self')?.href ?? entry.content?.src;
    if (!self) continue;
    const hash = links.find((l) => l.rel === 'hash' && /\.sha512$/i.test(l.href))?.href ?? `${self}.sha512`;
    entries.push({ key: self, time: Date.parse(entry.updated), url: self, hashUrl: hash });
  }
  return entries;
}
