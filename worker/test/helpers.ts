import { exports } from 'cloudflare:workers';
import { expect } from 'vitest';

/** The root token the test pool binds (worker/vitest.config.ts). */
export const ROOT_TOKEN = 'test-root-token-for-vitest-only';

export interface CallOptions {
  readonly token?: string | undefined;
  readonly json?: unknown;
  readonly body?: BodyInit;
  readonly contentType?: string;
  readonly headers?: Record<string, string>;
}

/** The request a client would send: bearer token, JSON or raw body with its content type. */
export function apiRequest(method: string, path: string, options: CallOptions = {}): Request {
  const headers = new Headers(options.headers);
  if (options.token !== undefined) headers.set('authorization', `Bearer ${options.token}`);
  let body = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers.set('content-type', 'application/json');
  }
  if (options.contentType) headers.set('content-type', options.contentType);
  return new Request(`http://patchboard.test${path}`, { method, headers, body: body ?? null });
}

/** Calls the worker's own fetch handler, as a client would over HTTP. */
export async function call(method: string, path: string, options: CallOptions = {}): Promise<Response> {
  return exports.default.fetch(apiRequest(method, path, options));
}

/** Calls and asserts the status, answering the parsed JSON body (or null for 204). */
export async function expectStatus<T = Record<string, unknown>>(
  response: Promise<Response> | Response,
  status: number,
): Promise<T> {
  const res = await response;
  const text = await res.text();
  expect(res.status, `${res.status} ${text.slice(0, 500)}`).toBe(status);
  return (text ? JSON.parse(text) : null) as T;
}

let counter = 0;
/** A fresh tenant with a unique name; storage is shared by the tests of a file. */
export async function newTenant(prefix = 'tenant'): Promise<{ id: string; name: string; adminToken: string }> {
  counter += 1;
  const name = `${prefix}-${counter}-${crypto.randomUUID().slice(0, 8)}`;
  return expectStatus(call('POST', '/v1/tenants', { token: ROOT_TOKEN, json: { name } }), 201);
}

export async function newToken(admin: string, role: string, hostname?: string): Promise<string> {
  const created = await expectStatus<{ token: string }>(
    call('POST', '/v1/tokens', { token: admin, json: { role, ...(hostname ? { hostname } : {}) } }),
    201,
  );
  return created.token;
}

export const debian12 = { os: { family: 'debian', release: '12.5' } };

export async function putHost(
  token: string,
  hostname: string,
  body: unknown = debian12,
): Promise<Record<string, unknown>> {
  return expectStatus(call('PUT', `/v1/hosts/${hostname}`, { token, json: body }), 200);
}

/** A small `dpkg-query -W` inventory. */
export function dpkgQuery(packages: readonly [name: string, version: string][]): string {
  return packages.map(([name, version]) => `${name}\t${version}\tamd64\t${name}\t${version}\n`).join('');
}

export async function putSoftware(token: string, hostname: string, body: string, contentType = 'text/x-dpkg-query') {
  return expectStatus<Record<string, unknown>>(
    call('PUT', `/v1/hosts/${hostname}/software`, { token, body, contentType }),
    200,
  );
}
