/**
 * The context menu "Scan this page for advisories": injects the generic scanner
 * (src/entrypoints/scan.content.ts, `registration: 'runtime'`, which WXT builds to
 * /content-scripts/scan.js) into the tab the user right-clicked. The click grants `activeTab`, so
 * no host permission is needed for that page.
 */
import type { ScriptPublicPath } from 'wxt/utils/inject-script';

export const SCAN_MENU_ID = 'patchboard:scan-page';
// Typed as a known path once scan.content.ts exists; the cast keeps this building before that.
export const SCANNER_FILE = '/content-scripts/scan.js';

/** (Re)creates the menu item; menus survive restarts in Chrome, so remove before creating. */
export async function createMenus(): Promise<void> {
  await browser.contextMenus.removeAll();
  browser.contextMenus.create({
    id: SCAN_MENU_ID,
    title: 'Scan this page for advisories',
    contexts: ['page', 'selection', 'link'],
    documentUrlPatterns: ['http://*/*', 'https://*/*'],
  });
}

/** Injects the scanner into the clicked tab (its top frame). */
export async function scanTab(tabId: number): Promise<void> {
  await browser.scripting.executeScript({ target: { tabId }, files: [SCANNER_FILE as ScriptPublicPath] });
}

/** Registered at the top level of the background, so a click wakes the service worker and is heard. */
export function listenToMenus(onError: (error: Error) => void = console.error): void {
  browser.contextMenus.onClicked.addListener((info, tab) => {
    if (info.menuItemId !== SCAN_MENU_ID || tab?.id === undefined) return;
    scanTab(tab.id).catch(onError);
  });
}
