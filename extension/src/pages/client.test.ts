import * as v from 'valibot';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { PageMessage } from '@/utils/messages';
import { api, browserClient, toConnectionStatus } from './client';

describe('api', () => {
  beforeEach(() => fakeBrowser.reset());
  afterEach(() => vi.restoreAllMocks());

  it('sends a patchboard:api message the background accepts, and answers its Reply', async () => {
    const send = vi
      .spyOn(browser.runtime, 'sendMessage')
      .mockResolvedValue({ ok: true, data: { items: [], nextCursor: null } } as never);
    const reply = await api('listFindings', { query: { status: 'unresolved', priority: '1', host: undefined } });
    expect(reply).toEqual({ ok: true, data: { items: [], nextCursor: null } });
    const message = send.mock.calls[0]?.[0];
    expect(message).toEqual({
      type: 'patchboard:api',
      operationId: 'listFindings',
      params: {},
      query: { status: 'unresolved', priority: '1' },
    });
    expect(v.is(PageMessage, message)).toBe(true);

    await api('approveDeployment', { params: { id: '12' }, body: { note: 'go' } });
    const decision = send.mock.calls[1]?.[0];
    expect(decision).toEqual({
      type: 'patchboard:api',
      operationId: 'approveDeployment',
      params: { id: '12' },
      query: {},
      body: { note: 'go' },
    });
    expect(v.is(PageMessage, decision)).toBe(true);
  });

  it('passes the background’s error on, and turns a missing or failed answer into one', async () => {
    const send = vi.spyOn(browser.runtime, 'sendMessage');
    send.mockResolvedValueOnce({ ok: false, error: 'another approver must approve it', status: 403 } as never);
    expect(await api('approveException', { params: { id: '3' }, body: {} })).toEqual({
      ok: false,
      error: 'another approver must approve it',
      status: 403,
    });
    send.mockResolvedValueOnce(undefined);
    expect(await api('listFeeds')).toMatchObject({ ok: false, error: expect.stringContaining('gave no answer') });
    send.mockRejectedValueOnce(new Error('Could not establish connection. Receiving end does not exist.'));
    expect(await api('listFeeds')).toMatchObject({ ok: false, error: expect.stringContaining('Receiving end') });
  });

  it('opens the dashboard in a tab', async () => {
    const create = vi.spyOn(browser.tabs, 'create').mockResolvedValue({} as never);
    await browserClient.openDashboard('#/deployments/12');
    expect(create).toHaveBeenCalledWith({ url: expect.stringMatching(/\/dashboard\.html#\/deployments\/12$/) });
  });
});

describe('toConnectionStatus', () => {
  it('reads the background’s status', () => {
    expect(
      toConnectionStatus({
        connected: true,
        version: '0.1.0',
        backendUrl: 'http://127.0.0.1:8787',
        tokenPrefix: 'pb_AbCd1234',
        approver: true,
        lastError: null,
      }),
    ).toEqual({ state: 'connected', version: '0.1.0', warning: null });
    expect(
      toConnectionStatus({
        connected: true,
        version: '0.1.0',
        tokenPrefix: 'pb_AbCd1234',
        lastError: 'the token was refused',
      }),
    ).toMatchObject({ warning: 'the token was refused' });
    expect(toConnectionStatus({ connected: true, version: '0.1.0', tokenPrefix: null })).toMatchObject({
      state: 'unconfigured',
    });
    expect(
      toConnectionStatus({ connected: false, reason: 'cannot reach http://x: refused', tokenPrefix: 'pb_x' }),
    ).toEqual({
      state: 'error',
      reason: 'cannot reach http://x: refused',
    });
    // The older bare health answer, and a Reply around it.
    expect(toConnectionStatus({ connected: true, version: '9' })).toMatchObject({ state: 'connected', version: '9' });
    expect(toConnectionStatus({ ok: true, data: { connected: true, version: '9' } })).toMatchObject({
      state: 'connected',
    });
    expect(toConnectionStatus({ ok: false, error: 'boom' })).toEqual({ state: 'error', reason: 'boom' });
    expect(toConnectionStatus(undefined)).toMatchObject({ state: 'error' });
  });
});
