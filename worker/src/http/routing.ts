import type { RawBody, RouteContract } from '@patchboard/shared/api';
import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type * as v from 'valibot';
import { authenticate } from '../auth/authenticate';
import type { Principal, TenantPrincipal } from '../auth/principal';
import type { AuditActor } from '../db/audit';
import type { Env } from '../env';
import { ApiError, forbidden, notFound } from './errors';
import { enforceRateLimit } from './rate-limit';
import { parseInput } from './validate';

export interface AppEnv {
  Bindings: Env;
  Variables: { clock: () => Date; upstream: typeof fetch };
}

export type AppContext = Context<AppEnv>;

/** JSON bodies are small documents; inventories (raw bodies) may be large SBOMs. */
export const JSON_BODY_LIMIT = 1024 * 1024;
export const RAW_BODY_LIMIT = 8 * 1024 * 1024;

/** A raw body as read: its media type (lower-case, without parameters) and its UTF-8 text. */
export interface RawRequestBody {
  readonly contentType: string;
  /** The body as UTF-8 text; empty for a multipart body, which is read into `form` instead. */
  readonly text: string;
  readonly form?: FormData;
}

type Parsed<S> = S extends v.GenericSchema ? v.InferOutput<S> : undefined;

type Access = RouteContract['access'];

type PrincipalOf<C extends RouteContract> = C['access'] extends 'public'
  ? null
  : C['access'] extends 'root'
    ? Extract<Principal, { kind: 'root' }>
    : C['access'] extends readonly (infer R)[]
      ? 'root' extends R
        ? Principal
        : TenantPrincipal
      : never;

export interface RouteInput<C extends RouteContract> {
  readonly params: Parsed<C['params']>;
  readonly query: Parsed<C['query']>;
  readonly body: C['body'] extends RawBody ? RawRequestBody : Parsed<C['body']>;
  readonly principal: PrincipalOf<C>;
  /** The request's time, from the app's clock (injected in tests). */
  readonly now: Date;
}

type RouteOutput<C extends RouteContract> = C['response'] extends v.GenericSchema
  ? v.InferInput<C['response']> | Response
  : undefined | Response;

export type RouteHandler<C extends RouteContract> = (c: AppContext, input: RouteInput<C>) => Promise<RouteOutput<C>>;

/**
 * How a principal is named in the audit log at this request's time. The root token acts on global
 * data, whose entries belong to no tenant (tenant '').
 */
export function auditActor(principal: Principal, now: Date): AuditActor {
  return principal.kind === 'root'
    ? { tenantId: '', at: now.toISOString(), actor: 'root', actorRole: 'root' }
    : { tenantId: principal.tenantId, at: now.toISOString(), actor: principal.prefix, actorRole: principal.role };
}

/** The advisory scope a principal reads and writes: its tenant, or '' (global) for root. */
export function scopeOf(principal: Principal): string {
  return principal.kind === 'root' ? '' : principal.tenantId;
}

function isRawBody(body: RouteContract['body']): body is RawBody {
  return typeof body === 'object' && body !== null && 'kind' in body && body.kind === 'raw';
}

/** `/v1/hosts/{hostname}` -> `/v1/hosts/:hostname` */
export function honoPath(openApiPath: string): string {
  return openApiPath.replace(/\{(\w+)\}/g, ':$1');
}

export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

async function readText(c: AppContext): Promise<string> {
  const bytes = await c.req.arrayBuffer();
  try {
    return utf8.decode(bytes);
  } catch {
    throw new ApiError(400, 'bad_request', 'body is not valid UTF-8');
  }
}

async function readForm(c: AppContext): Promise<FormData> {
  try {
    return await c.req.formData();
  } catch (err) {
    throw new ApiError(400, 'bad_request', `body is not valid multipart/form-data: ${(err as Error).message}`);
  }
}

async function readJson(c: AppContext): Promise<unknown> {
  const type = mediaType(c.req.header('content-type'));
  if (type !== 'application/json') {
    throw new ApiError(415, 'unsupported_media_type', `send the body as application/json (got "${type || 'none'}")`);
  }
  const text = await readText(c);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ApiError(400, 'bad_request', `body is not valid JSON: ${(err as Error).message}`);
  }
}

/**
 * Checks the caller may use the route: 401 without a valid token, 403 for a role the route does
 * not list (before the input is even parsed, so a viewer learns nothing from validation errors).
 * An agent may only touch its own host; any other hostname answers 404 like a missing host.
 */
async function authorize(c: AppContext, contract: RouteContract, now: Date): Promise<Principal | null> {
  if (contract.access === 'public') return null;
  const principal = await authenticate(c.env, c.req.header('authorization'), now, (p) => c.executionCtx.waitUntil(p));
  await enforceRateLimit(c.env, principal);
  const access: Access = contract.access;
  if (access === 'root') {
    if (principal.kind !== 'root') throw forbidden('this route needs the service provider root token');
    return principal;
  }
  if (principal.kind === 'root') {
    if (access.includes('root')) return principal;
    throw forbidden('the root token manages tenants and global data; use a token of the tenant');
  }
  if (!access.includes(principal.role)) {
    throw forbidden(`a ${principal.role} token may not ${contract.summary.toLowerCase()}`);
  }
  // Routes with a {hostname} let an agent touch only its own host; the /v1/agent/ routes act on
  // the token's host and take none.
  if (principal.role === 'agent' && contract.path.includes('{hostname}')) {
    const hostname = c.req.param('hostname')?.toLowerCase();
    if (hostname === undefined || hostname !== principal.hostname) throw notFound(`host "${hostname ?? ''}"`);
  }
  return principal;
}

/** Registers a route of the contract: body limit, authentication, role check, validation, then the handler. */
export function mount<C extends RouteContract>(app: Hono<AppEnv>, contract: C, handler: RouteHandler<C>): void {
  const raw = isRawBody(contract.body);
  const limit = raw ? RAW_BODY_LIMIT : JSON_BODY_LIMIT;
  app.on(
    contract.method,
    honoPath(contract.path),
    bodyLimit({
      maxSize: limit,
      onError: () => {
        throw new ApiError(413, 'payload_too_large', `body is larger than ${limit / 1024 / 1024} MiB`);
      },
    }),
    async (c) => {
      const now = c.var.clock();
      const principal = await authorize(c, contract, now);
      const params = contract.params ? parseInput(contract.params, c.req.param(), 'path') : undefined;
      const query = contract.query ? parseInput(contract.query, c.req.query(), 'query') : undefined;
      let body: unknown;
      if (isRawBody(contract.body)) {
        const contentType = mediaType(c.req.header('content-type'));
        if (!contract.body.contentTypes.includes(contentType)) {
          throw new ApiError(
            415,
            'unsupported_media_type',
            `unsupported Content-Type "${contentType || 'none'}"; send one of: ${contract.body.contentTypes.join(', ')}`,
          );
        }
        body = (
          contentType === 'multipart/form-data'
            ? { contentType, text: '', form: await readForm(c) }
            : { contentType, text: await readText(c) }
        ) satisfies RawRequestBody;
      } else if (contract.body) {
        body = parseInput(contract.body, await readJson(c), 'body');
      }
      const input = { params, query, body, principal, now } as RouteInput<C>;
      const result = await handler(c, input);
      if (result instanceof Response) return result;
      if (contract.status === 204) return c.body(null, 204);
      return c.json(result as object, contract.status);
    },
  );
}
