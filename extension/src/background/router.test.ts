import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createApiClient } from './api';
import { createLookupBatcher } from './lookup';
import { handleMessage, listenToMessages, type Services, senderKind } from './router';
import { BACKEND, contentSender, fakeFetch, json, pageSender, TOKEN } from './testing';

function services() {
  const fake = fakeFetch((request) => {
    if (request.url.pathname === '/v1/hosts/match') {
      return json({
        items: [{ name: 'web-01', hostname: 'web-01', ring: 'prod', p1: 1, p2: 0, pendingDeployment: null }],
      });
    }
    return json({ items: [], nextCursor: null, echoedAuth: 'none' });
  });
  const api = createApiClient(async () => ({ url: BACKEND, token: TOKEN }), fake.fetcher);
  const s: Services = {
    api,
    lookups: createLookupBatcher(api, { windowMs: 0 }),
    status: async () => ({
      connected: true,
      version: '1',
      backendUrl: BACKEND,
      tokenPrefix: TOKEN.slice(0, 11),
      approver: false,
      lastError: null,
    }),
    checkToken: vi.fn(async () => ({
      ok: true as const,
      data: { connected: true as const, version: '1', prefix: TOKEN.slice(0, 11) },
    })),
    forgetToken: vi.fn(async () => undefined),
    refresh: vi.fn(async () => undefined),
    openDashboard: vi.fn(async () => undefined),
  };
  return { services: s, requests: fake.requests };
}

describe('message router', () => {
  beforeEach(() => fakeBrowser.reset());

  it('tells pages from content scripts, and answers nobody else', () => {
    expect(senderKind(pageSender())).toBe('page');
    expect(senderKind(contentSender())).toBe('content');
    expect(senderKind({ ...contentSender(), id: 'another-extension' })).toBeNull();
    expect(senderKind({ id: browser.runtime.id, url: 'https://evil.example/' })).toBeNull();
    expect(senderKind({ url: 'https://evil.example/' })).toBeNull();
  });

  it('ignores messages from web pages or other extensions, and invalid messages', () => {
    const { services: s, requests } = services();
    const lookup = { type: 'patchboard:lookup', ids: ['CVE-2024-3094'] };
    expect(handleMessage(s, lookup, { ...contentSender(), id: 'other' })).toBeUndefined();
    expect(handleMessage(s, lookup, { url: 'https://evil.example/', tab: contentSender().tab })).toBeUndefined();
    for (const bad of [
      null,
      'patchboard:status',
      { type: 'patchboard:nope' },
      { type: 'patchboard:lookup', ids: [] },
      { type: 'patchboard:lookup', ids: ['x'], extra: 1 },
      { type: 'patchboard:undo', deploymentId: -1 },
      { type: 'patchboard:open', route: 'javascript:alert(1)' },
    ]) {
      expect(handleMessage(s, bad, contentSender())).toBeUndefined();
      expect(handleMessage(s, bad, pageSender())).toBeUndefined();
    }
    expect(requests).toHaveLength(0);
  });

  it('lets content scripts ask only what an overlay needs: no patchboard:api, no token check', async () => {
    const { services: s, requests } = services();
    const api = { type: 'patchboard:api', operationId: 'listHosts' };
    const check = { type: 'patchboard:check-token', backendUrl: BACKEND, token: TOKEN };
    expect(handleMessage(s, api, contentSender())).toBeUndefined();
    expect(handleMessage(s, check, contentSender())).toBeUndefined();
    expect(handleMessage(s, { type: 'patchboard:forget-token' }, contentSender())).toBeUndefined();
    expect(requests).toHaveLength(0);
    expect(await handleMessage(s, api, pageSender())).toEqual({
      ok: true,
      data: { items: [], nextCursor: null, echoedAuth: 'none' },
    });
    expect(
      await handleMessage(s, { type: 'patchboard:api', operationId: 'createToken' }, pageSender()),
    ).toBeUndefined();
  });

  it('answers content scripts, and no answer ever contains the token', async () => {
    const { services: s } = services();
    const answers = await Promise.all(
      [
        { type: 'patchboard:status' },
        { type: 'patchboard:hosts', names: ['web-01', 'web-01', ' '] },
        { type: 'patchboard:lookup', ids: ['CVE-2024-3094'] },
        { type: 'patchboard:open', route: '#/hosts/web-01' },
      ].map((m) => handleMessage(s, m, contentSender())),
    );
    expect(answers[1]).toMatchObject({ ok: true, data: { items: [{ hostname: 'web-01', p1: 1 }] } });
    expect(s.openDashboard).toHaveBeenCalledWith('#/hosts/web-01');
    expect(JSON.stringify(answers)).not.toContain(TOKEN.slice(11));
    const check = await handleMessage(
      s,
      { type: 'patchboard:check-token', backendUrl: BACKEND, token: TOKEN },
      pageSender(),
    );
    expect(JSON.stringify(check)).not.toContain(TOKEN.slice(11));
  });

  it('answers through sendResponse, and leaves ignored messages unanswered', async () => {
    const { services: s } = services();
    listenToMessages(s);
    const answered = vi.fn();
    const [kept] = await fakeBrowser.runtime.onMessage.trigger({ type: 'patchboard:status' }, pageSender(), answered);
    expect(kept).toBe(true);
    await vi.waitFor(() => expect(answered).toHaveBeenCalledWith(expect.objectContaining({ connected: true })));
    const ignored = vi.fn();
    const [open] = await fakeBrowser.runtime.onMessage.trigger(
      { type: 'patchboard:api', operationId: 'listHosts' },
      contentSender(),
      ignored,
    );
    expect(open).toBe(false);
    expect(ignored).not.toHaveBeenCalled();
  });
});
