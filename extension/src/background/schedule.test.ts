import { describe, expect, it, vi } from 'vitest';
import { createApiClient } from './api';
import { schedule, UNDO_NOTE, undo } from './schedule';
import { BACKEND, fakeFetch, json, TOKEN } from './testing';

describe('schedule and undo', () => {
  it('schedules the fixes with one POST and undoes by cancelling with a note', async () => {
    const { fetcher, requests } = fakeFetch(() => json({ id: 12, status: 'awaiting_approval' }, 201));
    const api = createApiClient(async () => ({ url: BACKEND, token: TOKEN }), fetcher);
    const lookups = { invalidate: vi.fn() };
    expect(await schedule(api, lookups, { type: 'patchboard:schedule', ids: ['DSA-5678-1'] })).toEqual({
      ok: true,
      data: { id: 12, status: 'awaiting_approval' },
    });
    expect(requests[0]).toMatchObject({ method: 'POST', body: { ids: ['DSA-5678-1'] } });
    expect(requests[0]?.url.pathname).toBe('/v1/deployments/schedule');
    expect(lookups.invalidate).toHaveBeenCalledWith(['DSA-5678-1']);
    await undo(api, lookups, { type: 'patchboard:undo', deploymentId: 12 });
    expect(requests[1]?.url.pathname).toBe('/v1/deployments/12/cancel');
    expect(requests[1]?.body).toEqual({ note: UNDO_NOTE });
  });

  it('answers the readable reason when the backend refuses', async () => {
    const { fetcher } = fakeFetch(() =>
      json({ error: { code: 'forbidden', message: 'a viewer token may not one click' } }, 403),
    );
    const api = createApiClient(async () => ({ url: BACKEND, token: TOKEN }), fetcher);
    const reply = await schedule(api, { invalidate: vi.fn() }, { type: 'patchboard:schedule', ids: ['DSA-5678-1'] });
    expect(reply).toEqual({
      ok: false,
      status: 403,
      error: "not allowed for this token's role: a viewer token may not one click",
    });
  });
});
