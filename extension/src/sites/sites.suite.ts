/**
 * The one test suite every site adapter runs (the pattern of shared/src/versions/scheme.suite.ts):
 * its match patterns, its cases on saved fixture pages (the id found, the anchor inside the page's
 * title, the page before it renders), pages of the same host that are not its own, and its list
 * pages. An adapter's test file calls `describeSite` and adds only what is particular to it. Test
 * files that run it start with `// @vitest-environment happy-dom`.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isAdvisoryId, parseAdvisoryId } from '@patchboard/shared/ids';
import { describe, expect, it } from 'vitest';
import { MatchPattern } from 'wxt/utils/match-patterns';
import { scan } from '../scan/scan';
import { adapterFor } from './index';
import type { SiteAdapter } from './types';

export interface SiteCase {
  /** A file of fixtures/. */
  readonly fixture: string;
  readonly url: string;
  /** The primary id expected, canonical; null when the page has none (a list left to the scanner). */
  readonly id: string | null;
  /** The anchor's text, white space collapsed. */
  readonly anchorText?: string;
  /** Selector of the fixture's main title: the anchor is that element or inside it. `h1` by default. */
  readonly title?: string;
}

export interface SiteSuiteOptions {
  readonly cases: readonly SiteCase[];
  /**
   * URLs of the same hosts that are not pages of this family (lists, searches, other sections):
   * another adapter or none takes them, or this one finds no primary there, even on its first
   * case's fixture page.
   */
  readonly wrongPages: readonly string[];
  /** URLs of pages that are lists of ids for the scanner (isListPage). */
  readonly listPages?: readonly string[];
}

/** Fixture pages are kept small: a model of the page's structure, not a copy. */
const MAX_FIXTURE_BYTES = 20_000;

// A path, not a URL: the happy-dom environment replaces the global URL, which node:fs then misreads.
const fixturePath = (name: string) => join(import.meta.dirname, 'fixtures', name);

/** A fixture page parsed as a document (in the happy-dom environment). */
export function loadFixture(name: string): Document {
  return new DOMParser().parseFromString(readFileSync(fixturePath(name), 'utf8'), 'text/html');
}

/** An element's text with white space collapsed. */
export function textOf(element: Element | null | undefined): string {
  return (element?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

export function describeSite(adapter: SiteAdapter, options: SiteSuiteOptions): void {
  describe(`${adapter.name} (shared site suite)`, () => {
    it('has a name, a label and valid https match patterns without a query', () => {
      expect(adapter.name).toMatch(/^[a-z]+$/);
      expect(adapter.label.length).toBeGreaterThan(2);
      expect(adapter.matches.length).toBeGreaterThan(0);
      for (const pattern of adapter.matches) {
        expect(() => new MatchPattern(pattern), pattern).not.toThrow();
        // Chrome matches the path with its query, WXT's matcher the path alone: patterns without `?` mean the same to both.
        expect(pattern, pattern).toMatch(/^https:\/\/[^?#]+$/);
      }
    });

    describe.each(options.cases)('$url ($fixture)', (c) => {
      const url = new URL(c.url);

      it('is routed to this adapter', () => {
        expect(adapterFor(url)?.name).toBe(adapter.name);
      });

      it(c.id ? `finds ${c.id}, anchored in the page's title` : 'finds no primary', () => {
        const document = loadFixture(c.fixture);
        const primary = adapter.primary(document, url);
        if (c.id === null) {
          expect(primary).toBeNull();
          return;
        }
        expect(primary?.id).toBe(c.id);
        const title = document.querySelector(c.title ?? 'h1');
        expect(title, `the fixture has a title (${c.title ?? 'h1'})`).not.toBeNull();
        expect(primary && title?.contains(primary.anchor), 'anchor inside the title').toBe(true);
        if (c.anchorText !== undefined) expect(textOf(primary?.anchor)).toBe(c.anchorText);
      });

      if (c.id) {
        const id = c.id;
        it('answers the canonical spelling of the lookup', () => {
          const parsed = parseAdvisoryId(id);
          expect(isAdvisoryId(parsed) && parsed.canonical).toBe(id);
        });

        it('finds no primary before the page renders (an empty document)', () => {
          const empty = document.implementation.createHTMLDocument('');
          expect(adapter.primary(empty, url)).toBeNull();
        });

        it('is not a list page', () => {
          expect(adapter.isListPage?.(url) ?? false).toBe(false);
        });
      }
    });

    describe.each([...new Set(options.cases.map((c) => c.fixture))])('fixture %s', (name) => {
      it(`is smaller than ${MAX_FIXTURE_BYTES} bytes`, () => {
        expect(statSync(fixturePath(name)).size).toBeLessThan(MAX_FIXTURE_BYTES);
      });

      it('holds other ids than its primary, which the scanner finds with it (distractors)', () => {
        const document = loadFixture(name);
        const primaries = options.cases.filter((c) => c.fixture === name).map((c) => c.id);
        const { ids } = scan(document.body);
        for (const id of primaries) if (id) expect(ids).toContain(id);
        expect(ids.filter((id) => !primaries.includes(id)).length).toBeGreaterThanOrEqual(2);
      });
    });

    const sample = options.cases.find((c) => c.id !== null);
    it.each(options.wrongPages)('finds no primary on another page of the host: %s', (wrong) => {
      const url = new URL(wrong);
      if (adapterFor(url) !== adapter) return;
      expect(sample, 'a case with a primary, for its page').toBeDefined();
      expect(adapter.primary(loadFixture(sample?.fixture ?? ''), url)).toBeNull();
      expect(adapter.isListPage?.(url) ?? false).toBe(false);
    });

    if (options.listPages?.length) {
      it.each(options.listPages)('%s is a list page for the scanner', (list) => {
        const url = new URL(list);
        expect(adapterFor(url)).toBe(adapter);
        expect(adapter.isListPage?.(url)).toBe(true);
      });
    }
  });
}
