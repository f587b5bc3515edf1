import { type Block, type Inline, inlines, type ReportDocument, type Text } from './document';

/** Text as HTML character data or attribute value: the five characters that can end either are escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** The document's only styling, inline so the file stands alone (an auditor may archive or mail it). */
export const REPORT_CSS = `
body { font: 14px/1.5 system-ui, sans-serif; color: #1b1b1b; max-width: 64rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: 0.5rem; }
h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: #f2f2f2; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
dl { display: grid; grid-template-columns: max-content auto; gap: 0.1rem 1rem; }
dt { font-weight: 600; }
dd { margin: 0; }
code { font-family: ui-monospace, monospace; background: #f2f2f2; padding: 0 0.2rem; }
@media print { body { margin: 0; max-width: none; } }
`;

async function sha256Base64(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return btoa(String.fromCharCode(...new Uint8Array(digest)));
}

/**
 * The policy of the document itself: nothing loads and nothing runs; only its own stylesheet,
 * allowed by its hash. A value that escaped escaping still could not run a script.
 */
export async function contentSecurityPolicy(): Promise<string> {
  return `default-src 'none'; style-src 'sha256-${await sha256Base64(REPORT_CSS)}'; img-src 'none'; base-uri 'none'; form-action 'none'`;
}

function inline(part: Inline): string {
  return typeof part === 'string' ? escapeHtml(part) : `<code>${escapeHtml(part.code)}</code>`;
}

function text(value: Text): string {
  return inlines(value).map(inline).join('');
}

function block(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `<h2>${escapeHtml(b.text)}</h2>`;
    case 'paragraph':
      return `<p>${text(b.text)}</p>`;
    case 'list':
      return `<ul>\n${b.items.map((item) => `<li>${text(item)}</li>`).join('\n')}\n</ul>`;
    case 'facts':
      return `<dl>\n${b.rows.map(([term, value]) => `<dt>${escapeHtml(term)}</dt><dd>${text(value)}</dd>`).join('\n')}\n</dl>`;
    case 'table': {
      if (b.rows.length === 0) return `<p>${escapeHtml(b.empty)}</p>`;
      const cls = (i: number) => (b.numeric?.[i] ? ' class="n"' : '');
      const head = b.columns.map((c, i) => `<th scope="col"${cls(i)}>${escapeHtml(c)}</th>`).join('');
      const body = b.rows
        .map((row) => `<tr>${row.map((v, i) => `<td${cls(i)}>${escapeHtml(String(v))}</td>`).join('')}</tr>`)
        .join('\n');
      return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
    }
  }
}

/** The document as one self-contained HTML page: inline CSS, no scripts, a CSP that forbids them. */
export async function renderHtml(doc: ReportDocument): Promise<string> {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(await contentSecurityPolicy())}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(doc.title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<h1>${escapeHtml(doc.title)}</h1>
${doc.blocks.map(block).join('\n')}
</body>
</html>
`;
}
