/** One adapter per feed kind; a kind without one is a type error. */
import { alpineSecdbFeed } from './alpine-secdb/index';
import { csafFeed } from './csaf/index';
import { debianTrackerFeed } from './debian-tracker/index';
import { epssFeed } from './epss/index';
import type { FeedAdapter, FeedKind } from './feed';
import { kevFeed } from './kev/index';
import { msrcFeed } from './msrc/index';
import { nvdFeed } from './nvd/index';
import { osvFeed } from './osv/index';

export const adapters: Readonly<Record<FeedKind, FeedAdapter>> = {
  csaf: csafFeed,
  osv: osvFeed,
  msrc: msrcFeed,
  kev: kevFeed,
  epss: epssFeed,
  nvd: nvdFeed,
  'debian-tracker': debianTrackerFeed,
  'alpine-secdb': alpineSecdbFeed,
};

/** Import formats by name (`?format=`) and the adapter that reads each, in the order content is recognised. */
export const importFormats = [
  ['osv', osvFeed],
  ['csaf', csafFeed],
  ['cvrf', msrcFeed],
  ['kev', kevFeed],
  ['nvd', nvdFeed],
  ['debian-tracker', debianTrackerFeed],
  ['epss', epssFeed],
] as const satisfies readonly (readonly [string, FeedAdapter])[];

/** Formats that carry per-CVE facts every tenant shares: only the service provider imports them. */
export const sharedFactFormats: ReadonlySet<string> = new Set(['kev', 'epss', 'nvd']);
