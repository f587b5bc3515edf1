import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { approverItem } from '@/utils/settings';
import { createApiClient } from './api';
import { refreshBadge } from './badge';
import { BACKEND, fakeFetch, json, TOKEN } from './testing';

const row = (priority: string, open: number) => ({
  priority,
  findings: open,
  hosts: 1,
  open: { findings: open, hosts: 2 },
  scheduled: { findings: 0, hosts: 0 },
  excepted: { findings: 0, hosts: 0 },
});

function backend() {
  const fake = fakeFetch((request) => {
    const path = request.url.pathname;
    if (path === '/v1/reports/summary') return json({ backlog: { byPriority: [row('P1', 4), row('P2', 9)] } });
    if (path === '/v1/deployments') return json({ items: [{ id: 1 }, { id: 2 }], nextCursor: null });
    if (path === '/v1/exceptions') return json({ items: [{ id: 5 }], nextCursor: null });
    return json({ error: { code: 'not_found', message: 'no' } }, 404);
  });
  return { ...fake, api: createApiClient(async () => ({ url: BACKEND, token: TOKEN }), fake.fetcher) };
}

describe('toolbar badge', () => {
  beforeEach(() => fakeBrowser.reset());

  it('counts open P1 findings, in red', async () => {
    const { api, requests } = backend();
    await refreshBadge(api);
    expect(await fakeBrowser.action.getBadgeText({})).toBe('4');
    expect(await fakeBrowser.action.getBadgeBackgroundColor({})).toEqual([217, 48, 37, 255]);
    expect(requests[0]?.url.search).toBe('?format=json');
  });

  it('counts pending approvals for an approver', async () => {
    const { api, requests } = backend();
    await approverItem.setValue(true);
    await refreshBadge(api);
    expect(await fakeBrowser.action.getBadgeText({})).toBe('3');
    expect(requests.map((r) => r.url.search).sort()).toEqual([
      '?status=awaiting_approval&limit=500',
      '?status=requested&limit=500',
    ]);
  });

  it('shows ! with the reason when the backend refuses, and nothing for zero', async () => {
    const refused = createApiClient(
      async () => ({ url: BACKEND, token: TOKEN }),
      fakeFetch(() => json({}, 401)).fetcher,
    );
    await refreshBadge(refused);
    expect(await fakeBrowser.action.getBadgeText({})).toBe('!');
    expect(await fakeBrowser.action.getTitle({})).toContain('the token was refused');
    const zero = createApiClient(
      async () => ({ url: BACKEND, token: TOKEN }),
      fakeFetch(() => json({ backlog: { byPriority: [row('P1', 0)] } })).fetcher,
    );
    await refreshBadge(zero);
    expect(await fakeBrowser.action.getBadgeText({})).toBe('');
  });
});
