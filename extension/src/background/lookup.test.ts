import type { LookupItem } from '@patchboard/shared/schemas/lookup';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApiClient } from './api';
import { createLookupBatcher } from './lookup';
import { BACKEND, fakeFetch, json, TOKEN } from './testing';

const item = (id: string) => ({ id, known: true }) as unknown as LookupItem;

function backend() {
  const fake = fakeFetch((request) => json({ items: (request.body as { ids: string[] }).ids.map(item) }));
  const api = createApiClient(async () => ({ url: BACKEND, token: TOKEN }), fake.fetcher);
  return { ...fake, api };
}

describe('lookup batching', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('merges lookups arriving within 50 ms from any tab into one POST /v1/lookup', async () => {
    const { api, requests } = backend();
    const batcher = createLookupBatcher(api);
    const asks = [
      batcher.lookup(['CVE-2024-3094', 'DSA-5678-1']),
      batcher.lookup(['CVE-2024-3094']),
      batcher.lookup(['KB5034441', 'RHSA-2024:0010']),
    ];
    await vi.advanceTimersByTimeAsync(50);
    const answers = await Promise.all(asks);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.method).toBe('POST');
    expect(requests[0]?.url.pathname).toBe('/v1/lookup');
    expect(requests[0]?.body).toEqual({ ids: ['CVE-2024-3094', 'DSA-5678-1', 'KB5034441', 'RHSA-2024:0010'] });
    expect(answers.map((items) => items.map((i) => i.id))).toEqual([
      ['CVE-2024-3094', 'DSA-5678-1'],
      ['CVE-2024-3094'],
      ['KB5034441', 'RHSA-2024:0010'],
    ]);
  });

  it('splits more than 500 ids and caches answers for 60 s', async () => {
    const { api, requests } = backend();
    let now = 1_000;
    const batcher = createLookupBatcher(api, { now: () => now });
    const ids = Array.from({ length: 1_200 }, (_, i) => `CVE-2024-${10_000 + i}`);
    const first = batcher.lookup(ids);
    await vi.advanceTimersByTimeAsync(50);
    expect((await first).map((i) => i.id)).toEqual(ids);
    expect(requests.map((r) => (r.body as { ids: string[] }).ids.length)).toEqual([500, 500, 200]);

    now += 59_000;
    await batcher.lookup(ids.slice(0, 3));
    expect(requests).toHaveLength(3);
    now += 2_000;
    const again = batcher.lookup(ids.slice(0, 3));
    await vi.advanceTimersByTimeAsync(50);
    await again;
    expect(requests).toHaveLength(4);
  });

  it('rejects every waiter with the reason when the backend fails, and caches nothing', async () => {
    const fake = fakeFetch(() => json({ error: { code: 'unauthorized', message: 'invalid token' } }, 401));
    const api = createApiClient(async () => ({ url: BACKEND, token: TOKEN }), fake.fetcher);
    const batcher = createLookupBatcher(api);
    const asks = [batcher.lookup(['CVE-2024-3094']), batcher.lookup(['CVE-2024-3094'])];
    const settled = Promise.allSettled(asks);
    await vi.advanceTimersByTimeAsync(50);
    const results = await settled;
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(String((results[0] as PromiseRejectedResult).reason)).toContain('the token was refused');
    expect(fake.requests).toHaveLength(1);
  });
});
