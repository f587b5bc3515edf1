import { describe, expect, it } from 'vitest';
import { createApiClient, describeError, fillPath, findRoute, NO_TOKEN, TOKEN_REFUSED } from './api';
import { apiError, BACKEND, fakeFetch, json, TOKEN } from './testing';

const creds = async () => ({ url: BACKEND, token: TOKEN });

describe('api client', () => {
  it('finds routes by operationId and fills their path', () => {
    expect(findRoute('lookupMany')).toMatchObject({ method: 'POST', path: '/v1/lookup' });
    expect(findRoute('nope')).toBeUndefined();
    expect(fillPath('/v1/hosts/{hostname}', { hostname: 'web 01/x' })).toBe('/v1/hosts/web%2001%2Fx');
    expect(fillPath('/v1/deployments/{id}/cancel', {})).toEqual({ missing: 'id' });
  });

  it('sends the bearer token, the query and the JSON body, and parses the answer', async () => {
    const { fetcher, requests } = fakeFetch(() => json({ id: 3 }, 200, { etag: '"e1"' }));
    const api = createApiClient(creds, fetcher);
    const result = await api.callByName('cancelDeployment', { params: { id: 3 }, body: { note: 'x' } });
    expect(result).toEqual({ ok: true, status: 200, data: { id: 3 }, etag: '"e1"' });
    expect(requests[0]?.method).toBe('POST');
    expect(requests[0]?.url.href).toBe(`${BACKEND}/v1/deployments/3/cancel`);
    expect(requests[0]?.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(requests[0]?.body).toEqual({ note: 'x' });
    await api.call('listHosts', { query: { limit: 1, ring: undefined } });
    expect(requests[1]?.url.search).toBe('?limit=1');
  });

  it('maps failures to sentences a person can act on, without the token', async () => {
    const answers: Response[] = [
      apiError(401, 'unauthorized', 'invalid token'),
      apiError(403, 'forbidden', 'a viewer token may not schedule'),
      json(
        {
          error: {
            code: 'validation_failed',
            message: 'invalid body',
            details: [{ path: 'ids', message: 'give 1 to 50 ids' }],
          },
        },
        400,
      ),
      new Response('<html>', { status: 502, headers: { 'content-type': 'text/html' } }),
    ];
    const { fetcher } = fakeFetch(() => answers.shift() as Response);
    const api = createApiClient(creds, fetcher);
    const errors = [];
    for (let i = 0; i < 4; i += 1) errors.push(await api.call('listHosts'));
    expect(errors.map((e) => (e.ok ? null : e.error))).toEqual([
      TOKEN_REFUSED,
      "not allowed for this token's role: a viewer token may not schedule",
      'invalid body; ids: give 1 to 50 ids',
      `${BACKEND} answered 502: not a Patchboard backend?`,
    ]);
    expect(JSON.stringify(errors)).not.toContain(TOKEN);
    expect(describeError(429, { error: { code: 'rate_limited', message: 'slow down' } }, BACKEND)).toContain(
      'slow down',
    );
  });

  it('says when there is no token or no backend, and handles 304', async () => {
    const none = createApiClient(async () => null, fakeFetch(() => json({})).fetcher);
    expect(await none.call('listHosts')).toEqual({ ok: false, error: NO_TOKEN });
    const down = createApiClient(creds, (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch);
    expect(await down.call('listHosts')).toEqual({ ok: false, error: `cannot reach ${BACKEND}: Failed to fetch` });
    const same = createApiClient(
      creds,
      fakeFetch(() => new Response(null, { status: 304, headers: { etag: '"x"' } })).fetcher,
    );
    expect(await same.call('listEvents')).toEqual({ ok: true, status: 304, data: null, etag: '"x"' });
  });
});
