/**
 * Every vendor page family Patchboard knows, and which one a URL belongs to. Match patterns are
 * read with WXT's own matcher (@webext-core/match-patterns), which compares the path without the
 * query string: the adapters' patterns therefore never name a query, so that Chrome (which matches
 * path and query) and this matcher agree.
 */
import { MatchPattern } from 'wxt/utils/match-patterns';
import { catalog } from './catalog';
import { cisa } from './cisa';
import { cveorg } from './cveorg';
import { debian } from './debian';
import { github } from './github';
import { msrc } from './msrc';
import { nvd } from './nvd';
import { osv } from './osv';
import { redhat } from './redhat';
import type { SiteAdapter } from './types';
import { ubuntu } from './ubuntu';

export type { Primary, SiteAdapter } from './types';

export const adapters: readonly SiteAdapter[] = [msrc, catalog, redhat, ubuntu, debian, nvd, github, cisa, osv, cveorg];

const compiled = adapters.map((adapter) => [adapter, adapter.matches.map((p) => new MatchPattern(p))] as const);

/** The adapter whose match patterns cover `url`, or null. */
export function adapterFor(url: URL): SiteAdapter | null {
  // A string, not the URL: the matcher tests `instanceof Location`, which service workers do not define.
  const href = url.href;
  for (const [adapter, patterns] of compiled) {
    if (patterns.some((pattern) => pattern.includes(href))) return adapter;
  }
  return null;
}
