import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { consolePatternsItem } from '@/utils/settings';
import { CONSOLE_SCRIPT_FILE, CONSOLE_SCRIPT_ID, syncConsoleScripts } from './consoles';
import { createMenus, listenToMenus, SCAN_MENU_ID, SCANNER_FILE } from './menus';

// fakeBrowser does not model scripting, permissions or contextMenus: they are stubbed here.
function stubScripting(granted: readonly string[]) {
  let registered: { id: string; matches?: string[]; js?: string[] }[] = [];
  const api = fakeBrowser as unknown as Record<string, Record<string, unknown>>;
  api.permissions = {
    contains: vi.fn(async ({ origins }: { origins: string[] }) => origins.every((o) => granted.includes(o))),
  };
  Object.assign(fakeBrowser.scripting, {
    getRegisteredContentScripts: vi.fn(async ({ ids }: { ids: string[] }) =>
      registered.filter((s) => ids.includes(s.id)),
    ),
    unregisterContentScripts: vi.fn(async ({ ids }: { ids: string[] }) => {
      registered = registered.filter((s) => !ids.includes(s.id));
    }),
    registerContentScripts: vi.fn(async (scripts: typeof registered) => {
      if (scripts.some((s) => registered.some((r) => r.id === s.id))) throw new Error('duplicate script id');
      registered.push(...scripts);
    }),
    executeScript: vi.fn(async () => []),
  });
  return () => registered;
}

describe('console content script registration', () => {
  beforeEach(() => fakeBrowser.reset());
  afterEach(() => vi.restoreAllMocks());

  it('registers the console script for the granted patterns only, and again without duplicates', async () => {
    const registered = stubScripting(['https://vcenter.example.com/*']);
    await consolePatternsItem.setValue(['https://vcenter.example.com/ui/*', 'https://grafana.example.com/*']);
    expect(await syncConsoleScripts()).toEqual(['https://vcenter.example.com/ui/*']);
    await Promise.all([syncConsoleScripts(), syncConsoleScripts()]);
    expect(registered()).toEqual([
      expect.objectContaining({
        id: CONSOLE_SCRIPT_ID,
        js: [CONSOLE_SCRIPT_FILE],
        matches: ['https://vcenter.example.com/ui/*'],
      }),
    ]);
    await consolePatternsItem.setValue([]);
    await syncConsoleScripts();
    expect(registered()).toEqual([]);
  });
});

describe('scan menu', () => {
  beforeEach(() => fakeBrowser.reset());

  it('creates the menu and injects the scanner into the clicked tab', async () => {
    stubScripting([]);
    const onClicked: ((info: { menuItemId: string }, tab?: { id?: number }) => void)[] = [];
    const menus = {
      removeAll: vi.fn(async () => undefined),
      create: vi.fn(),
      onClicked: { addListener: (l: never) => onClicked.push(l) },
    };
    (fakeBrowser as unknown as Record<string, unknown>).contextMenus = menus;
    await createMenus();
    expect(menus.create).toHaveBeenCalledWith(
      expect.objectContaining({ id: SCAN_MENU_ID, title: 'Scan this page for advisories' }),
    );
    listenToMenus();
    onClicked[0]?.({ menuItemId: SCAN_MENU_ID }, { id: 42 });
    onClicked[0]?.({ menuItemId: 'other' }, { id: 43 });
    expect(fakeBrowser.scripting.executeScript).toHaveBeenCalledTimes(1);
    expect(fakeBrowser.scripting.executeScript).toHaveBeenCalledWith({ target: { tabId: 42 }, files: [SCANNER_FILE] });
  });
});
