import { describe, expect, it } from 'vitest';
import { call, newTenant, newToken } from './helpers';

describe('abuse limits', () => {
  it('answers 429 with Retry-After once a token spends its budget, and only for that token', async () => {
    const { adminToken } = await newTenant('rate-limit');
    const viewer = await newToken(adminToken, 'viewer');
    // wrangler.toml: 600 requests per token per minute. A window may turn over during the run, so
    // the token is driven until it is limited, and at most two windows' worth.
    let limited: Response | undefined;
    let sent = 0;
    while (!limited && sent < 1_300) {
      const batch = await Promise.all(
        Array.from({ length: 50 }, () => call('GET', '/v1/deployment-plan', { token: viewer })),
      );
      sent += batch.length;
      limited = batch.find((res) => res.status === 429);
      for (const res of batch) expect([200, 429]).toContain(res.status);
    }
    expect(limited, `no 429 after ${sent} requests`).toBeDefined();
    expect(limited?.headers.get('retry-after')).toBe('60');
    expect(await limited?.json()).toEqual({
      error: { code: 'rate_limited', message: 'too many requests with this token; retry after 60 seconds' },
    });
    // Another token of the same tenant is unaffected.
    expect((await call('GET', '/v1/deployment-plan', { token: adminToken })).status).toBe(200);
  }, 120_000);

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
