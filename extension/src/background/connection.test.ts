import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { backendUrlItem, DEFAULT_BACKEND_URL } from '@/utils/settings';
import { TOKEN_REFUSED } from './api';
import { checkAndSaveToken, status } from './connection';
import { eventsStateItem } from './events';
import { fakeFetch, json, TOKEN } from './testing';
import { createTokenStore } from './token';

const OTHER = 'https://patch.example.com';

/** A backend at OTHER: /health, and /v1/hosts answering by token. */
function backend(answer: (auth: string | null) => Response) {
  return fakeFetch((request) => {
    if (request.url.pathname === '/health') return json({ ok: true, version: '2.1.0' });
    if (request.url.pathname === '/v1/hosts') return answer(request.headers.get('authorization'));
    return json({}, 404);
  });
}

const check = (token: string, backendUrl = OTHER) => ({ type: 'patchboard:check-token' as const, backendUrl, token });

describe('check and save the token', () => {
  beforeEach(() => fakeBrowser.reset());

  it('saves URL and token only when the backend takes them, and answers the prefix', async () => {
    const tokens = createTokenStore(null);
    await eventsStateItem.setValue({ cursor: 'old', etag: null, seen: [], lastError: null });
    const { fetcher, requests } = backend(() => json({ items: [], nextCursor: null }));
    const reply = await checkAndSaveToken(check(` ${TOKEN} `, `${OTHER}/ignored/path`), tokens, fetcher);
    expect(reply).toEqual({ ok: true, data: { connected: true, version: '2.1.0', prefix: 'pb_AbCdEfGh' } });
    expect(requests[1]?.url.href).toBe(`${OTHER}/v1/hosts?limit=1`);
    expect(await backendUrlItem.getValue()).toBe(OTHER);
    expect(await tokens.get()).toBe(TOKEN);
    expect(await eventsStateItem.getValue()).toBeNull();
    expect(JSON.stringify(reply)).not.toContain(TOKEN);
  });

  it.each([
    ['refused', () => json({ error: { code: 'unauthorized', message: 'invalid token' } }, 401), TOKEN_REFUSED],
    [
      'wrong role',
      () => json({ error: { code: 'forbidden', message: 'a agent token may not list hosts' } }, 403),
      'wrong role',
    ],
  ])('answers the reason (%s) and saves nothing', async (_, answer, reason) => {
    const tokens = createTokenStore(null);
    const reply = await checkAndSaveToken(check(TOKEN), tokens, backend(answer).fetcher);
    expect(reply.ok).toBe(false);
    expect(reply.ok ? '' : reply.error).toContain(reason);
    expect(await tokens.get()).toBeNull();
    expect(await backendUrlItem.getValue()).toBe(DEFAULT_BACKEND_URL);
  });

  it('says when the backend is unreachable or not Patchboard, or the URL is not one', async () => {
    const tokens = createTokenStore(null);
    const down = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    expect(await checkAndSaveToken(check(TOKEN), tokens, down)).toMatchObject({
      ok: false,
      error: expect.stringContaining('cannot reach'),
    });
    const html = fakeFetch(() => new Response('<html>', { headers: { 'content-type': 'text/html' } }));
    expect(await checkAndSaveToken(check(TOKEN), tokens, html.fetcher)).toMatchObject({
      ok: false,
      error: expect.stringContaining('does not look like a Patchboard backend'),
    });
    expect(await checkAndSaveToken(check(TOKEN, 'javascript:alert(1)'), tokens, html.fetcher)).toMatchObject({
      ok: false,
    });
    expect(await checkAndSaveToken(check('  '), tokens, html.fetcher)).toMatchObject({
      ok: false,
      error: expect.stringContaining('enter'),
    });
  });

  it('reports status with the prefix, never the token', async () => {
    const tokens = createTokenStore(null);
    const { fetcher } = backend(() => json({ items: [], nextCursor: null }));
    await checkAndSaveToken(check(TOKEN), tokens, fetcher);
    const answer = await status(fetcher);
    expect(answer).toMatchObject({ connected: true, version: '2.1.0', backendUrl: OTHER, tokenPrefix: 'pb_AbCdEfGh' });
    expect(JSON.stringify(answer)).not.toContain(TOKEN);
  });
});
