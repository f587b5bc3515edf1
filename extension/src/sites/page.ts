/**
 * What the adapters share: reading ids from URLs and titles with Patchboard's one grammar
 * (shared/src/ids.ts), and finding a page's title. Adapters decide which page is which; these
 * helpers only read.
 */
import { findIds, type IdKind, isAdvisoryId, parseAdvisoryId } from '@patchboard/shared/ids';
import type { Primary } from './types';

/** The canonical spelling of `text` when it is exactly one id of one of `kinds` (any kind when omitted). */
export function canonicalId(text: string | null | undefined, kinds?: readonly IdKind[]): string | null {
  if (!text) return null;
  const parsed = parseAdvisoryId(text);
  return isAdvisoryId(parsed) && (!kinds || kinds.includes(parsed.kind)) ? parsed.canonical : null;
}

/** The first id of one of `kinds` written in an element's text (`RHSA-2024:0010 - Security Advisory`). */
export function idInText(element: Element | null | undefined, kinds?: readonly IdKind[]): string | null {
  const text = element?.textContent;
  if (!text) return null;
  return findIds(text).find((found) => !kinds || kinds.includes(found.kind))?.canonical ?? null;
}

/**
 * The id a page's URL names (`written`, one path segment or query value), or, when that is no id at
 * all (a misspelling such as `RHSA-2024-0010`), the first one in the page's title. A URL naming an
 * id of another family than `kinds` is another page: null.
 */
export function urlOrTitleId(
  written: string | null | undefined,
  title: Element | null | undefined,
  kinds: readonly IdKind[],
): string | null {
  const parsed = written ? parseAdvisoryId(written) : null;
  if (parsed && isAdvisoryId(parsed)) return kinds.includes(parsed.kind) ? parsed.canonical : null;
  return idInText(title, kinds);
}

/**
 * The URL's path segments, percent-decoded (`RHSA-2024%3A0010` -> `RHSA-2024:0010`), without empty
 * ones (a trailing slash); a segment that is no valid encoding is kept as written.
 */
export function pathSegments(url: URL): string[] {
  return url.pathname
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    });
}

/** The first element matching one of `selectors` (tried in order) that has visible text. */
export function firstTitle(root: ParentNode, selectors: readonly string[]): Element | null {
  for (const selector of selectors) {
    for (const element of root.querySelectorAll(selector)) {
      if (element.textContent?.trim()) return element;
    }
  }
  return null;
}

/** A primary when both the id and its anchor are known, else null (the page is not ready or not one). */
export function primaryOf(id: string | null, anchor: Element | null): Primary | null {
  return id && anchor ? { id, anchor } : null;
}
