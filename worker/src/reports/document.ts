/**
 * A report document independent of its format: the compliance report is built once as these
 * blocks and rendered as Markdown or HTML. Every string here is plain text; each renderer escapes
 * all of it, so data (hostnames, reasons, package names, which an attacker can influence) can
 * never become markup.
 */

/** Plain text, or a code span (a route, an identifier). */
export type Inline = string | { readonly code: string };

/** Text made of inline parts. */
export type Text = string | readonly Inline[];

export type Block =
  | { readonly kind: 'heading'; readonly text: string }
  | { readonly kind: 'paragraph'; readonly text: Text }
  | { readonly kind: 'list'; readonly items: readonly Text[] }
  /** A term and its description per row: the facts of a report's header. */
  | { readonly kind: 'facts'; readonly rows: readonly (readonly [term: string, value: Text])[] }
  | {
      readonly kind: 'table';
      readonly columns: readonly string[];
      /** Numeric columns are right-aligned. */
      readonly numeric?: readonly boolean[];
      readonly rows: readonly (readonly (string | number)[])[];
      /** Said instead of an empty table. */
      readonly empty: string;
    };

export interface ReportDocument {
  readonly title: string;
  readonly blocks: readonly Block[];
}

export function inlines(text: Text): readonly Inline[] {
  return typeof text === 'string' ? [text] : text;
}
