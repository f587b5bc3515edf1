/**
 * The background's client of the Patchboard API, built from the contract (shared/src/api.ts):
 * an operationId names the route, whose method and path template say how to call it. Every
 * failure becomes a sentence a person can act on; the token goes only into the Authorization
 * header, never into a result.
 */
import { type Routes, routes } from '@patchboard/shared/api';
import { ErrorBody } from '@patchboard/shared/schemas/error';
import * as v from 'valibot';

type Route = Routes[keyof Routes];
export type OperationId = Route['operationId'];
type RouteOf<Op extends OperationId> = Extract<Route, { operationId: Op }>;

/** The answer's type as the contract declares it (null for routes answering 204). */
export type ResponseOf<Op extends OperationId> =
  RouteOf<Op> extends { response: infer S extends v.GenericSchema } ? v.InferOutput<S> : null;

export interface CallInput {
  /** Path parameters by name: `{ hostname: 'web-01' }` fills `/v1/hosts/{hostname}`. */
  readonly params?: Readonly<Record<string, string | number>>;
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  readonly body?: unknown;
  /** Extra request headers (If-None-Match). */
  readonly headers?: Readonly<Record<string, string>>;
}

export type CallResult<T> =
  | { readonly ok: true; readonly status: number; readonly data: T; readonly etag: string | null }
  | { readonly ok: false; readonly error: string; readonly status?: number };

/** Where to call and with which token; null when no token is saved yet. */
export type Credentials = { readonly url: string; readonly token: string } | null;

export const TOKEN_REFUSED = 'the token was refused: check it in the options';
export const NO_TOKEN = 'no API token yet: set one in the options';

const byOperationId = new Map<string, Route>(Object.values(routes).map((route) => [route.operationId, route]));

/** The route of an operationId; undefined for one the contract does not have. */
export function findRoute(operationId: string): Route | undefined {
  return byOperationId.get(operationId);
}

/** Fills `{name}` placeholders; a missing parameter is an error rather than a request to a wrong URL. */
export function fillPath(template: string, params: CallInput['params'] = {}): string | { missing: string } {
  let missing: string | null = null;
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined || value === '') {
      missing ??= name;
      return '';
    }
    return encodeURIComponent(String(value));
  });
  return missing === null ? path : { missing };
}

/** A readable sentence for a failed answer, using the backend's `{ error: { code, message } }`. */
export function describeError(status: number, body: unknown, url: string): string {
  if (status === 401) return TOKEN_REFUSED;
  const parsed = v.safeParse(ErrorBody, body);
  // Codes the picklist may not know yet (rate_limited) still carry a message.
  const loose = body as { error?: { message?: unknown } } | null;
  const message = parsed.success
    ? parsed.output.error.message
    : typeof loose?.error?.message === 'string'
      ? loose.error.message
      : null;
  const details = parsed.success
    ? (parsed.output.error.details ?? []).map((d) => (d.path ? `${d.path}: ${d.message}` : d.message))
    : [];
  const text = message === null ? null : [message, ...details.slice(0, 3)].join('; ');
  if (status === 403) return `not allowed for this token's role: ${text ?? 'forbidden'}`;
  if (status === 429) return `the backend is busy (rate limited): ${text ?? 'try again in a minute'}`;
  if (text !== null) return text;
  return `${url} answered ${status}: not a Patchboard backend?`;
}

export interface ApiClient {
  call<Op extends OperationId>(operationId: Op, input?: CallInput): Promise<CallResult<ResponseOf<Op>>>;
  /** The same with an untyped operationId, for `patchboard:api` messages (checked against the contract). */
  callByName(operationId: string, input?: CallInput): Promise<CallResult<unknown>>;
}

export function createApiClient(
  credentials: () => Promise<Credentials>,
  fetcher: typeof fetch = (...args) => fetch(...args),
): ApiClient {
  async function callByName(operationId: string, input: CallInput = {}): Promise<CallResult<unknown>> {
    const route = findRoute(operationId);
    if (!route) return { ok: false, error: `unknown operation ${operationId}` };
    const creds = await credentials();
    if (!creds) return { ok: false, error: NO_TOKEN };
    const path = fillPath(route.path, input.params);
    if (typeof path !== 'string') return { ok: false, error: `${operationId} needs the parameter ${path.missing}` };
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(input.query ?? {})) {
      if (value !== undefined) search.set(key, String(value));
    }
    const url = `${creds.url}${path}${search.size > 0 ? `?${search}` : ''}`;
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...input.headers,
      authorization: `Bearer ${creds.token}`,
    };
    let body: string | undefined;
    if (input.body !== undefined && route.method !== 'GET') {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(input.body);
    }
    let res: Response;
    try {
      res = await fetcher(url, { method: route.method, headers, body, credentials: 'omit', cache: 'no-store' });
    } catch (err) {
      return { ok: false, error: `cannot reach ${creds.url}: ${(err as Error).message}` };
    }
    const etag = res.headers.get('etag');
    if (res.status === 304) return { ok: true, status: 304, data: null, etag };
    if (res.status === 204) return { ok: true, status: 204, data: null, etag };
    const isJson = /\bjson\b/i.test(res.headers.get('content-type') ?? '');
    const parsed: unknown = isJson ? await res.json().catch(() => undefined) : await res.text().catch(() => '');
    if (!res.ok) return { ok: false, status: res.status, error: describeError(res.status, parsed, creds.url) };
    if (isJson && parsed === undefined)
      return { ok: false, status: res.status, error: `${creds.url} sent JSON it could not read` };
    return { ok: true, status: res.status, data: parsed, etag };
  }
  return {
    call: (operationId, input) => callByName(operationId, input) as never,
    callByName,
  };
}
