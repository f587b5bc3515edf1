import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { tokenPrefixItem } from '@/utils/settings';
import { TOKEN } from './testing';
import { createTokenStore, extensionOriginVault, type TokenVault, tokenPrefix } from './token';

/** A vault standing in for the extension origin's IndexedDB. */
function memoryVault(): TokenVault & { value: string | null } {
  const vault = {
    value: null as string | null,
    get: async () => vault.value,
    set: async (token: string | null) => {
      vault.value = token;
    },
  };
  return vault;
}

/** Everything stored where content scripts can read (storage.local and sync, as fakeBrowser models them). */
async function readableByContentScripts(): Promise<string> {
  return JSON.stringify([await fakeBrowser.storage.local.get(null), await fakeBrowser.storage.sync.get(null)]);
}

describe('token store', () => {
  beforeEach(() => fakeBrowser.reset());
  afterEach(() => vi.restoreAllMocks());

  it('keeps the token out of storage content scripts can read; only its prefix is visible', async () => {
    const vault = memoryVault();
    const tokens = createTokenStore(vault);
    await tokens.set(TOKEN);
    expect(await tokens.get()).toBe(TOKEN);
    expect(vault.value).toBe(TOKEN);
    expect(await readableByContentScripts()).not.toContain(TOKEN);
    expect(await tokenPrefixItem.getValue()).toBe('pb_AbCdEfGh');
    expect(tokenPrefix('root-secret-without-prefix')).not.toContain('root');
  });

  it('restricts the session copy to trusted contexts, and survives a browser without setAccessLevel', async () => {
    const setAccessLevel = vi.spyOn(fakeBrowser.storage.session, 'setAccessLevel').mockResolvedValue(undefined);
    await createTokenStore(memoryVault()).protect();
    expect(setAccessLevel).toHaveBeenCalledWith({ accessLevel: 'TRUSTED_CONTEXTS' });
    setAccessLevel.mockImplementation(() => {
      throw new Error('not supported');
    });
    await expect(createTokenStore(memoryVault()).protect()).resolves.toBeUndefined();
  });

  it('reads the persistent copy back after a browser restart (session storage emptied)', async () => {
    const vault = memoryVault();
    await createTokenStore(vault).set(TOKEN);
    await fakeBrowser.storage.session.clear();
    expect(await createTokenStore(vault).get()).toBe(TOKEN);
  });

  it('forgets both copies', async () => {
    const vault = memoryVault();
    const tokens = createTokenStore(vault);
    await tokens.set(TOKEN);
    await tokens.clear();
    expect(await tokens.get()).toBeNull();
    expect(vault.value).toBeNull();
    expect(await tokenPrefixItem.getValue()).toBeNull();
  });

  it('keeps it for the session only where there is no IndexedDB', async () => {
    expect(extensionOriginVault(undefined)).toBeNull();
    const tokens = createTokenStore(null);
    await tokens.set(TOKEN);
    expect(await tokens.get()).toBe(TOKEN);
    expect(await readableByContentScripts()).not.toContain(TOKEN);
  });
});
