import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBackend } from './backend';

// A real HTTP server standing in for the far end; the code under test uses the real fetch.
let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true,"version":"9.9.9"}');
    } else if (req.url === '/other/health') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>not patchboard</html>');
    } else {
      res.writeHead(503).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('checkBackend', () => {
  it('reports the version of a Patchboard backend', async () => {
    expect(await checkBackend(base)).toEqual({ connected: true, version: '9.9.9' });
  });

  it('says why when the backend is not usable', async () => {
    expect(await checkBackend(`${base}/other`)).toEqual({
      connected: false,
      reason: `${base}/other does not look like a Patchboard backend`,
    });
    expect(await checkBackend(`${base}/down`)).toEqual({
      connected: false,
      reason: `${base}/down/health answered 503`,
    });
    const closed = await checkBackend('http://127.0.0.1:1');
    expect(closed).toMatchObject({
      connected: false,
      reason: expect.stringContaining('cannot reach http://127.0.0.1:1'),
    });
  });
});
