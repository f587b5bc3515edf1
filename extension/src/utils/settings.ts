import * as v from 'valibot';
import { storage } from 'wxt/utils/storage';

/** Where the Patchboard API lives: an http(s) origin, such as `npm start`'s http://127.0.0.1:8787. */
export const BackendUrl = v.pipe(
  v.string(),
  v.trim(),
  v.url('the backend URL must be an absolute URL'),
  v.check((url) => /^https?:\/\//i.test(url), 'the backend URL must start with http:// or https://'),
  v.transform((url) => new URL(url).origin),
);

export const DEFAULT_BACKEND_URL = 'http://127.0.0.1:8787';

/**
 * Settings live in `storage.local`: web pages cannot read it, but content scripts of this
 * extension can (they need the site toggles). Nothing secret is kept here: the token lives apart,
 * where only the background reads it (see src/background/token.ts).
 */
export const backendUrlItem = storage.defineItem<string>('local:backendUrl', { fallback: DEFAULT_BACKEND_URL });

/** Saves a backend URL after validating it; answers the reason when it is not one. */
export async function saveBackendUrl(
  input: string,
): Promise<{ ok: true; url: string } | { ok: false; reason: string }> {
  const result = v.safeParse(BackendUrl, input);
  if (!result.success) return { ok: false, reason: result.issues[0]?.message ?? 'invalid URL' };
  await backendUrlItem.setValue(result.output);
  return { ok: true, url: result.output };
}

/** The visible, non-secret start of the saved token (`pb_xxxxxxxx`), or null when none is saved. */
export const tokenPrefixItem = storage.defineItem<string | null>('local:tokenPrefix', { fallback: null });

/** What the user chose for one vendor site (by adapter name, see src/sites/). */
export interface SiteSetting {
  /** Show the overlay on this site's advisory pages. */
  readonly enabled: boolean;
  /** Also run the generic scanner on every page of this site (opt-in). */
  readonly scanAllPages: boolean;
}

export const DEFAULT_SITE_SETTING: SiteSetting = { enabled: true, scanAllPages: false };

/** Adapter names whose overlay the user turned off; a site not listed (a new adapter, say) is on. */
export const disabledSitesItem = storage.defineItem<string[]>('local:disabledSites', { fallback: [] });

/**
 * Adapter names whose every page the generic scanner reads (opt-in). The same key and shape the
 * vendor content script reads (src/content/vendor.ts).
 */
export const scanWholePageItem = storage.defineItem<string[]>('local:scanWholePage', { fallback: [] });

/** The setting of one vendor site. */
export async function siteSetting(name: string): Promise<SiteSetting> {
  const [disabled, scanned] = await Promise.all([disabledSitesItem.getValue(), scanWholePageItem.getValue()]);
  return { enabled: !disabled.includes(name), scanAllPages: scanned.includes(name) };
}

const toggled = (list: readonly string[], name: string, on: boolean) =>
  on ? [...new Set([...list, name])] : list.filter((item) => item !== name);

/** Changes part of one vendor site's setting. */
export async function setSiteSetting(name: string, change: Partial<SiteSetting>): Promise<void> {
  if (change.enabled !== undefined) {
    await disabledSitesItem.setValue(toggled(await disabledSitesItem.getValue(), name, !change.enabled));
  }
  if (change.scanAllPages !== undefined) {
    await scanWholePageItem.setValue(toggled(await scanWholePageItem.getValue(), name, change.scanAllPages));
  }
}

/**
 * A match pattern naming an admin console: http, https or `*` scheme, a host (optionally `*.`
 * before it, never `*` alone: a console is somewhere), an optional port and a path.
 * https://developer.chrome.com/docs/extensions/develop/concepts/match-patterns
 */
export const ConsolePattern = v.pipe(
  v.string(),
  v.trim(),
  v.regex(
    /^(\*|https?):\/\/(\*\.)?([A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(:(\d{1,5}|\*))?\/\S*$/,
    'a console pattern looks like https://console.example.com/* (scheme, host, path; * only at the start of the host)',
  ),
);

/** Match patterns of the admin consoles where hosts get badges; each needs its optional host permission. */
export const consolePatternsItem = storage.defineItem<string[]>('local:consolePatterns', { fallback: [] });

/** Parses the console patterns a person typed (one a line or comma-separated): the patterns or the reason. */
export function parseConsolePatterns(text: string): { ok: true; patterns: string[] } | { ok: false; reason: string } {
  const patterns: string[] = [];
  for (const raw of text.split(/[\n,]/)) {
    const line = raw.trim();
    if (line === '') continue;
    const result = v.safeParse(ConsolePattern, line);
    if (!result.success) return { ok: false, reason: `${line}: ${result.issues[0]?.message ?? 'invalid'}` };
    if (!patterns.includes(result.output)) patterns.push(result.output);
  }
  return { ok: true, patterns };
}

/** The origin permission a pattern needs (`https://*.example.com:8443/*`), for permissions.request. */
export function patternOrigin(pattern: string): string {
  const match = /^([^:]+:\/\/[^/]+)\//.exec(pattern);
  return `${match?.[1] ?? pattern}/*`;
}

/** Event kinds that can raise a system notification. */
export const NOTIFIED_KINDS = ['finding.p1', 'finding.kev', 'approval.waiting', 'ring.failed'] as const;
export type NotifiedKind = (typeof NOTIFIED_KINDS)[number];

export const NOTIFIED_KIND_LABELS: Readonly<Record<NotifiedKind, string>> = {
  'finding.p1': 'New P1 findings',
  'finding.kev': 'Findings newly on CISA KEV',
  'approval.waiting': 'Approvals waiting',
  'ring.failed': 'Failed rings',
};

export type NotificationPrefs = Readonly<Record<NotifiedKind, boolean>>;

/** Which events raise a system notification; all of them until the user says otherwise. */
export const notificationPrefsItem = storage.defineItem<NotificationPrefs>('local:notificationPrefs', {
  fallback: { 'finding.p1': true, 'finding.kev': true, 'approval.waiting': true, 'ring.failed': true },
});

/**
 * "I approve": the badge counts pending approvals instead of open P1 findings. A setting because
 * the API has no route telling a token its own role.
 */
export const approverItem = storage.defineItem<boolean>('local:approver', { fallback: false });
