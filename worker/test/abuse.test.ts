import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import { apiRequest, call, newTenant, newToken } from './helpers';

const app = createApp();
const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;

describe('abuse limits', () => {
  it('answers 429 with Retry-After once a token spends its budget, and only for that token', async () => {
    // The real middleware and the real Rate Limiting binding, with a budget of 5 (worker/vitest.config.ts).
    const tight = { ...env, TOKEN_RATE_LIMIT: (env as unknown as { TIGHT_RATE_LIMIT: RateLimit }).TIGHT_RATE_LIMIT };
    const { adminToken } = await newTenant('rate-limit');
    const viewer = await newToken(adminToken, 'viewer');
    const send = (token: string) => app.fetch(apiRequest('GET', '/v1/deployment-plan', { token }), tight, ctx);
    const statuses: number[] = [];
    let limited: Response | undefined;
    // A window may turn over during the run: drive the token until it is limited, at most two windows' worth.
    while (!limited && statuses.length < 11) {
      const res = await send(viewer);
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
    expect(limited, `no 429 after ${statuses.length} requests`).toBeDefined();
    expect(limited?.headers.get('retry-after')).toBe('60');
    expect(await limited?.json()).toEqual({
      error: { code: 'rate_limited', message: 'too many requests with this token; retry after 60 seconds' },
    });
    // Another token of the same tenant is unaffected.
    expect((await send(adminToken)).status).toBe(200);
  });

  it('allows CORS only for the configured origins', async () => {
    const preflight = (origin: string) =>
      call('OPTIONS', '/v1/lookup', {
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
      });
    const extension = await preflight('chrome-extension://patchboardtestextensionidaaaaaaaa');
    expect(extension.headers.get('access-control-allow-origin')).toBe(
      'chrome-extension://patchboardtestextensionidaaaaaaaa',
    );
    expect(extension.headers.get('access-control-allow-headers')).toContain('authorization');
    const console = await call('GET', '/health', { headers: { origin: 'https://cmdb.example.com' } });
    expect(console.headers.get('access-control-allow-origin')).toBe('https://cmdb.example.com');
    for (const origin of ['https://evil.example', 'null', 'chrome-extension://someotherextensionaaaaaaaaaaaaaa']) {
      expect((await preflight(origin)).headers.get('access-control-allow-origin'), origin).toBeNull();
    }
  }, 30_000);

  it('sends security headers on every answer, errors included', async () => {
    for (const res of [await call('GET', '/health'), await call('GET', '/v1/hosts'), await call('GET', '/nowhere')]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=/);
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    }
  }, 30_000);
});
