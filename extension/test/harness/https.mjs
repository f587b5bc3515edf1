// @ts-check
/**
 * A local HTTPS server standing in for the vendor sites: a self-signed certificate made with
 * openssl at start-up (Chromium runs with --ignore-certificate-errors), and pages served by path,
 * whatever the Host header says, since Chromium's --host-resolver-rules sends the vendors' host
 * names here. Every request is recorded, so a test can tell what reached it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * @typedef {{ method: string, host: string, path: string, url: string, authorization: string | null }} SeenRequest
 * @typedef {{ body: string, type?: string }} Page
 */

/**
 * @param {{ hosts: readonly string[] }} options the host names the certificate names (not checked, but honest)
 */
export async function startVendorServer({ hosts }) {
  const dir = mkdtempSync(path.join(tmpdir(), 'patchboard-ext-e2e-tls-'));
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      '/CN=patchboard-e2e-vendor-fixtures',
      '-addext',
      `subjectAltName=${[...hosts.map((h) => `DNS:${h}`), 'IP:127.0.0.1'].join(',')}`,
    ],
    { stdio: 'pipe' },
  );
  /** @type {Map<string, Page>} */
  const pages = new Map();
  /** @type {SeenRequest[]} */
  const seen = [];
  const server = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://fixture.invalid');
    seen.push({
      method: req.method ?? 'GET',
      host: req.headers.host ?? '',
      path: url.pathname,
      url: req.url ?? '',
      authorization: req.headers.authorization ?? null,
    });
    const page = pages.get(`${req.headers.host}${url.pathname}`) ?? pages.get(url.pathname);
    if (!page) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('no fixture here');
      return;
    }
    res.writeHead(200, { 'content-type': page.type ?? 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(page.body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the fixture server has no port');
  return {
    port: address.port,
    seen,
    /**
     * Serves `body` at `https://<host><pathname>` (or any host when host is omitted).
     * @param {string} url an absolute https URL
     * @param {string} body
     * @param {string} [type]
     */
    serve(url, body, type) {
      const { host, pathname } = new URL(url);
      pages.set(`${host}${pathname}`, { body, type });
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
