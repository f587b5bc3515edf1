/**
 * Lookups from every tab, merged: ids asked for within `windowMs` of each other go out as one
 * `POST /v1/lookup` (lookupMany; at most MAX_LOOKUP_IDS per call, more are split), and each
 * answer is kept per id for `ttlMs`, so ten tabs of one advisory cost one request a minute.
 */
import { type LookupItem, MAX_LOOKUP_IDS } from '@patchboard/shared/schemas/lookup';
import type { ApiClient } from './api';

export interface LookupBatcher {
  /** One item per id, in the order asked; rejects with a readable reason. */
  lookup(ids: readonly string[]): Promise<LookupItem[]>;
  /** Forgets cached answers (after scheduling a deployment for them, say). */
  invalidate(ids?: readonly string[]): void;
}

interface Waiter {
  readonly resolve: (item: LookupItem) => void;
  readonly reject: (reason: Error) => void;
}

export function createLookupBatcher(
  api: Pick<ApiClient, 'call'>,
  options: { windowMs?: number; ttlMs?: number; now?: () => number } = {},
): LookupBatcher {
  const windowMs = options.windowMs ?? 50;
  const ttlMs = options.ttlMs ?? 60_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { item: LookupItem; expires: number }>();
  /** Ids waiting for the next batch. */
  let pending = new Map<string, Waiter[]>();
  /** Ids sent and not yet answered: a second asker waits for the same answer. */
  const inFlight = new Map<string, Promise<LookupItem>>();
  /** Whether a flush is already due for the ids pending. */
  let due = false;

  async function send(ids: string[], waiters: Map<string, Waiter[]>) {
    const result = await api
      .call('lookupMany', { body: { ids } })
      .catch((err: Error) => ({ ok: false as const, error: err.message }));
    ids.forEach((id, index) => {
      const item = result.ok ? result.data.items[index] : undefined;
      for (const waiter of waiters.get(id) ?? []) {
        if (item) waiter.resolve(item);
        else waiter.reject(new Error(result.ok ? `the backend did not answer for ${id}` : result.error));
      }
      if (item) cache.set(id, { item, expires: now() + ttlMs });
      inFlight.delete(id);
    });
  }

  function flush() {
    due = false;
    const batch = pending;
    pending = new Map();
    const ids = [...batch.keys()];
    for (let start = 0; start < ids.length; start += MAX_LOOKUP_IDS) {
      void send(ids.slice(start, start + MAX_LOOKUP_IDS), batch);
    }
  }

  function one(id: string): Promise<LookupItem> {
    const cached = cache.get(id);
    if (cached && cached.expires > now()) return Promise.resolve(cached.item);
    const flying = inFlight.get(id);
    if (flying) return flying;
    const promise = new Promise<LookupItem>((resolve, reject) => {
      const list = pending.get(id) ?? [];
      list.push({ resolve, reject });
      pending.set(id, list);
    });
    inFlight.set(id, promise);
    if (!due) {
      due = true;
      setTimeout(flush, windowMs);
    }
    return promise;
  }

  return {
    lookup: (ids) => Promise.all(ids.map(one)),
    invalidate(ids) {
      if (ids === undefined) cache.clear();
      else for (const id of ids) cache.delete(id);
    },
  };
}
