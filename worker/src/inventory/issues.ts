import type { ErrorDetail } from '@patchboard/shared/schemas/error';

/** Where a problem sits: a line of a text format, a JSON path, or both (one JSON document per line). */
export interface Location {
  readonly line?: number;
  readonly path?: string;
}

/**
 * How many problems an outcome lists. Enough to fix the first ones; a garbage upload (a binary file,
 * the wrong format) would otherwise answer with one issue per line.
 */
export const maxListedIssues = 20;

/** The problems of one document, capped at {@link maxListedIssues} plus one line saying how many more. */
export class IssueList {
  readonly #listed: ErrorDetail[] = [];
  #unlisted = 0;

  add(at: Location, message: string): void {
    if (this.#listed.length >= maxListedIssues) {
      this.#unlisted += 1;
      return;
    }
    this.#listed.push({
      ...(at.path !== undefined && { path: at.path }),
      ...(at.line !== undefined && { line: at.line }),
      message,
    });
  }

  get count(): number {
    return this.#listed.length + this.#unlisted;
  }

  toArray(): ErrorDetail[] {
    if (this.#unlisted === 0) return [...this.#listed];
    return [...this.#listed, { message: `…and ${this.#unlisted} more` }];
  }
}
