/**
 * Host badges on admin consoles: the console content script (src/entrypoints/console.content.ts,
 * `registration: 'runtime'`, built to /content-scripts/console.js) is registered for the URL
 * patterns the admin configured, once their optional host permission is granted. The options page
 * asks for the permission (permissions.request needs the user's click there) and saves the
 * patterns; the background registers what is granted, again on every start and whenever the
 * patterns or the granted permissions change.
 */
import { consolePatternsItem, patternOrigin } from '@/utils/settings';

export const CONSOLE_SCRIPT_ID = 'patchboard-console';
export const CONSOLE_SCRIPT_FILE = '/content-scripts/console.js';

/** The patterns whose origin the user granted. */
export async function grantedPatterns(patterns: readonly string[]): Promise<string[]> {
  const granted: string[] = [];
  for (const pattern of patterns) {
    if (await browser.permissions.contains({ origins: [patternOrigin(pattern)] }).catch(() => false)) {
      granted.push(pattern);
    }
  }
  return granted;
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Makes the registered console script match exactly the granted patterns (none: unregistered).
 * Runs one at a time: two overlapping runs would register the same id twice.
 */
export function syncConsoleScripts(): Promise<string[]> {
  const run = queue.then(syncOnce, syncOnce);
  queue = run.catch(() => undefined);
  return run;
}

async function syncOnce(): Promise<string[]> {
  const patterns = await grantedPatterns(await consolePatternsItem.getValue());
  const existing = await browser.scripting.getRegisteredContentScripts({ ids: [CONSOLE_SCRIPT_ID] });
  if (existing.length > 0) await browser.scripting.unregisterContentScripts({ ids: [CONSOLE_SCRIPT_ID] });
  if (patterns.length > 0) {
    await browser.scripting.registerContentScripts([
      {
        id: CONSOLE_SCRIPT_ID,
        js: [CONSOLE_SCRIPT_FILE],
        matches: patterns,
        runAt: 'document_idle',
        // Registered again at each start, which also covers Firefox, where persistence differs.
        persistAcrossSessions: false,
      },
    ]);
  }
  return patterns;
}

/** Keeps the registration in step with the settings and the granted permissions. */
export function listenToConsoleChanges(onError: (error: Error) => void = console.error): void {
  const sync = () => void syncConsoleScripts().catch(onError);
  consolePatternsItem.watch(sync);
  browser.permissions.onAdded.addListener(sync);
  browser.permissions.onRemoved.addListener(sync);
}
