/**
 * Where the API token lives, so that only the background (and the extension's own pages, which
 * never ask) can read it.
 *
 * Why not `storage.local`: by default every extension context reads it, content scripts included,
 * and content scripts run inside the renderer of the web page they decorate (a compromised
 * renderer reads what they can). `storage.local.setAccessLevel({ accessLevel: 'TRUSTED_CONTEXTS' })`
 * exists only from Chrome 140 (MDN browser-compat-data; before, `session` alone), Firefox supports
 * it for no area (bug 1724754), and it would lock the whole area, settings included, away from our
 * content scripts, which need the site toggles.
 *
 * So, two places, neither reachable from a content script on any browser:
 * - the working copy in `storage.session`: in memory, trusted contexts only by default on Chrome
 *   and Firefox (we set TRUSTED_CONTEXTS again where `setAccessLevel` exists, in case it was widened);
 * - the persistent copy in IndexedDB of the extension's own origin (chrome-extension:// or
 *   moz-extension://): content scripts run in the page's origin and reach the page's IndexedDB,
 *   never the extension's. It survives browser restarts and is erased with the extension.
 * Where IndexedDB is missing (unit tests), the token is kept for the session only.
 *
 * Limits: any extension page (trusted) could read it if it were compromised (the MV3 extension
 * CSP forbids remote and inline script); it is not encrypted at rest (a local attacker with the
 * profile directory reads it, as they would read cookies); it never leaves the background except
 * in the Authorization header to the configured backend, and no message answer contains it.
 */
import { tokenPrefixItem } from '@/utils/settings';

/** A persistent place for the token. */
export interface TokenVault {
  get(): Promise<string | null>;
  set(token: string | null): Promise<void>;
}

const SESSION_KEY = 'patchboard.apiToken';
const DB_NAME = 'patchboard-secrets';
const STORE = 'secrets';
const KEY = 'apiToken';

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** The token in IndexedDB of the extension's origin; null where there is no IndexedDB. */
export function extensionOriginVault(idb: IDBFactory | undefined = globalThis.indexedDB): TokenVault | null {
  if (!idb) return null;
  const open = () => {
    const request = idb.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    return done(request);
  };
  return {
    async get() {
      const db = await open();
      try {
        const value = await done(db.transaction(STORE, 'readonly').objectStore(STORE).get(KEY));
        return typeof value === 'string' ? value : null;
      } finally {
        db.close();
      }
    },
    async set(token) {
      const db = await open();
      try {
        const store = db.transaction(STORE, 'readwrite').objectStore(STORE);
        if (token === null) await done(store.delete(KEY));
        else await done(store.put(token, KEY));
      } finally {
        db.close();
      }
    },
  };
}

/** The shown part of a token: `pb_` and 8 characters (the backend's prefix), never the secret. */
export function tokenPrefix(token: string): string {
  return /^pb_[A-Za-z0-9]{8}/.test(token) ? token.slice(0, 11) : 'a token not of the pb_ form';
}

export interface TokenStore {
  /** Restricts `storage.session` to trusted contexts; call when the background starts. */
  protect(): Promise<void>;
  get(): Promise<string | null>;
  set(token: string): Promise<void>;
  clear(): Promise<void>;
}

export function createTokenStore(vault: TokenVault | null = extensionOriginVault()): TokenStore {
  const session = browser.storage.session;
  return {
    async protect() {
      // The default already; said again so that a later change elsewhere cannot widen it silently.
      try {
        await session.setAccessLevel?.({ accessLevel: 'TRUSTED_CONTEXTS' });
      } catch {
        // Older browsers without setAccessLevel keep session storage to trusted contexts anyway.
      }
    },
    async get() {
      const stored = (await session.get(SESSION_KEY))[SESSION_KEY];
      if (typeof stored === 'string') return stored;
      const persisted = await vault?.get().catch(() => null);
      if (!persisted) return null;
      await session.set({ [SESSION_KEY]: persisted });
      return persisted;
    },
    async set(token) {
      await session.set({ [SESSION_KEY]: token });
      await vault?.set(token);
      await tokenPrefixItem.setValue(tokenPrefix(token));
    },
    async clear() {
      await session.remove(SESSION_KEY);
      await vault?.set(null);
      await tokenPrefixItem.setValue(null);
    },
  };
}
