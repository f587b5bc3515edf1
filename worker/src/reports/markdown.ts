import { type Block, type Inline, inlines, type ReportDocument, type Text } from './document';

/**
 * Plain text as inline Markdown (CommonMark and GitHub's tables) that renders as exactly that
 * text. Line breaks and tabs become spaces (a value must not start a new block or end a table
 * row); the characters that start emphasis, links, code, raw HTML, entities and table cells are
 * backslash-escaped, so `<script>` shows as text in every renderer that allows inline HTML. An
 * underscore inside a word stays (it cannot open emphasis there), as do `.` and `-`, so token
 * prefixes, versions and dates read naturally in the source.
 */
export function escapeInlineMarkdown(text: string): string {
  const flat = text.replace(/[\r\n\t\f\v\u2028\u2029]+/g, ' ');
  return flat.replace(/[\\`*[\]<>|~&!#]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\$&');
}

/**
 * Plain text that starts a line (a paragraph, a list item's text): inline escaping, and it cannot
 * begin a heading, list, quote, setext underline or thematic break either.
 */
export function escapeMarkdown(text: string): string {
  return escapeInlineMarkdown(text)
    .replace(/^([-+=])/, '\\$1')
    .replace(/^(\d+)([.)])/, '$1\\$2');
}

/** A code span whose fence is longer than any run of backticks inside (CommonMark's rule). */
function codeSpan(code: string): string {
  const flat = code.replace(/[\r\n]+/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

function inline(part: Inline): string {
  return typeof part === 'string' ? escapeInlineMarkdown(part) : codeSpan(part.code);
}

/** Text at the start of a line: its first part must not open a block. */
function text(value: Text): string {
  return inlines(value)
    .map((part, i) => (i === 0 && typeof part === 'string' ? escapeMarkdown(part) : inline(part)))
    .join('');
}

/** Text after other text on its line. */
function inlineText(value: Text): string {
  return inlines(value).map(inline).join('');
}

/** A table cell is inline text after `| `, never at the start of a line; `|` is escaped in it. */
function cell(value: string | number): string {
  return typeof value === 'number' ? String(value) : escapeInlineMarkdown(value);
}

function block(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `## ${escapeMarkdown(b.text)}`;
    case 'paragraph':
      return text(b.text);
    case 'list':
      return b.items.map((item) => `- ${text(item)}`).join('\n');
    case 'facts':
      return b.rows.map(([term, value]) => `- **${escapeInlineMarkdown(term)}:** ${inlineText(value)}`).join('\n');
    case 'table': {
      if (b.rows.length === 0) return escapeMarkdown(b.empty);
      const align = b.columns.map((_, i) => (b.numeric?.[i] ? '---:' : '---'));
      return [
        `| ${b.columns.map(cell).join(' | ')} |`,
        `| ${align.join(' | ')} |`,
        ...b.rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
      ].join('\n');
    }
  }
}

/** The document as Markdown: blocks separated by blank lines, ending with a newline. */
export function renderMarkdown(doc: ReportDocument): string {
  return `${[`# ${escapeMarkdown(doc.title)}`, ...doc.blocks.map(block)].join('\n\n')}\n`;
}
