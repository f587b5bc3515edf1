/**
 * The styles of Patchboard's UI on pages, scoped to its shadow roots: `:host { all: initial }`
 * shuts the page's inherited styles out, and nothing here can reach the page. Colors say priority
 * the same way everywhere: P1 red, P2 orange, P3 amber, P4 grey.
 */

/** Background colors of priorities 1-4 (white text on each passes WCAG AA). */
export const PRIORITY_COLORS: Readonly<Record<number, string>> = {
  1: '#b42318',
  2: '#b54708',
  3: '#8a6100',
  4: '#475467',
};

/** Not affected, unknown, or no priority yet. */
export const NEUTRAL_COLOR = '#667085';

/** `${selector}.p1 { background: ... }` for each priority. */
const priorityCss = (selector: string) =>
  Object.entries(PRIORITY_COLORS)
    .map(([priority, color]) => `${selector}.p${priority} { background: ${color}; }`)
    .join('\n');

export const OVERLAY_CSS = `
:host { all: initial; display: block; margin: 12px 0; }
.pb { font: 13px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #101828; background: #fff;
  border: 1px solid #d0d5dd; border-left: 4px solid #1d4ed8; border-radius: 6px; padding: 10px 12px; max-width: 760px;
  box-shadow: 0 1px 2px rgba(16,24,40,.08); text-align: left; }
.pb * { box-sizing: border-box; }
.pb h2 { font-size: 14px; margin: 0 0 6px; font-weight: 600; display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
.pb .brand { color: #1d4ed8; }
.pb .muted { color: #475467; }
.pb .error { color: #b42318; }
.pb dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 6px 0; }
.pb dt { color: #475467; }
.pb dd { margin: 0; }
.pb ul { margin: 0; padding-left: 18px; }
.pb .pill { display: inline-block; border-radius: 999px; padding: 0 8px; color: #fff; font-weight: 600; }
.pb .rings span + span::before { content: " · "; color: #98a2b3; }
.pb .actions { display: flex; gap: 8px; flex-wrap: wrap; margin-top: 8px; }
.pb button { font: inherit; cursor: pointer; border: 1px solid #1d4ed8; border-radius: 4px; padding: 3px 10px;
  background: #1d4ed8; color: #fff; }
.pb button.secondary { background: #fff; color: #1d4ed8; }
.pb button:disabled { opacity: .6; cursor: default; }
.pb .full { flex-basis: 100%; }
.pb p { margin: 4px 0; }
.pb .box { border: 1px solid #eaecf0; border-radius: 4px; padding: 8px; margin-top: 8px; background: #f9fafb; }
.pb label { display: block; margin: 4px 0; }
.pb input, .pb select, .pb textarea { font: inherit; color: inherit; background: #fff; border: 1px solid #d0d5dd;
  border-radius: 4px; padding: 2px 6px; }
.pb textarea { width: 100%; min-height: 3em; }
.pb .pill { background: ${NEUTRAL_COLOR}; }
${priorityCss('.pb .pill')}
`;

export const BADGE_CSS = `
:host { all: initial; display: inline; }
.badge { display: inline-block; margin: 0 0 0 4px; padding: 0 6px; border-radius: 999px; border: 0; color: #fff;
  font: 600 11px/16px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; vertical-align: baseline;
  cursor: pointer; white-space: nowrap; text-decoration: none; background: ${NEUTRAL_COLOR}; }
.badge.affected { background: #1d4ed8; }
${priorityCss('.badge')}
.badge.none { background: #12b76a; }
`;
