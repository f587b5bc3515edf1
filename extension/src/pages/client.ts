/**
 * The API client of the extension's own pages (popup, dashboard). Pages never hold the token and
 * never fetch: each call is a `patchboard:api` message to the background, which validates it
 * (utils/messages.ts), calls the backend and answers a `Reply`. Types come from the contract
 * (shared/src/api.ts), so a page cannot ask for a route it may not call or misread an answer.
 *
 * Components take the client from `ClientContext`, so tests hand them a fake one.
 */
import type { Routes } from '@patchboard/shared/api';
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type * as v from 'valibot';
import type { PAGE_OPERATIONS, Reply } from '@/utils/messages';

/** An operationId a page may call through the background. */
export type PageOperation = (typeof PAGE_OPERATIONS)[number];

type Assert<T extends true> = T;
/** Compile-time check: every page operation is a route of the contract under the same name. */
export type PageOperationsAreRoutes = Assert<PageOperation extends keyof Routes ? true : false>;

type Contract<O extends PageOperation> = Routes[O & keyof Routes];

/** What a schema accepts on the wire (strings in paths and queries; the backend transforms them). */
type InputOf<C, K extends string> = C extends { readonly [P in K]: infer S extends v.GenericSchema }
  ? v.InferInput<S>
  : never;

/** The answer of an operation: the contract's response schema, or text for routes that answer none (Markdown). */
export type ApiResponse<O extends PageOperation> =
  Contract<O> extends { readonly response: infer S extends v.GenericSchema } ? v.InferOutput<S> : string;

/** Path parameters, query and body of an operation; `params` is required when the path has some. */
export type ApiArgs<O extends PageOperation> = ([InputOf<Contract<O>, 'params'>] extends [never]
  ? { params?: undefined }
  : { params: InputOf<Contract<O>, 'params'> }) & {
  query?: [InputOf<Contract<O>, 'query'>] extends [never] ? undefined : Partial<InputOf<Contract<O>, 'query'>>;
  body?: [InputOf<Contract<O>, 'body'>] extends [never] ? undefined : InputOf<Contract<O>, 'body'>;
};

export type ApiClient = <O extends PageOperation>(operationId: O, args?: ApiArgs<O>) => Promise<Reply<ApiResponse<O>>>;

/** Drops undefined values and stringifies the rest: the message schema takes records of strings. */
function strings(record: object | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record ?? {})) {
    if (value !== undefined && value !== null) out[key] = String(value);
  }
  return out;
}

function isReply(value: unknown): value is Reply<unknown> {
  if (typeof value !== 'object' || value === null || !('ok' in value)) return false;
  return value.ok === true
    ? 'data' in value
    : value.ok === false && typeof (value as { error?: unknown }).error === 'string';
}

/** Calls an API operation through the background; never throws, every failure is a `Reply` with a readable error. */
export const api: ApiClient = async (operationId, args) => {
  const message = {
    type: 'patchboard:api' as const,
    operationId,
    params: strings(args?.params),
    query: strings(args?.query),
    ...(args?.body === undefined ? {} : { body: args.body }),
  };
  try {
    const reply: unknown = await browser.runtime.sendMessage(message);
    if (isReply(reply)) return reply as Reply<ApiResponse<typeof operationId>>;
    return { ok: false, error: 'the extension’s background gave no answer; reload the extension' };
  } catch (err) {
    return { ok: false, error: `the extension’s background did not answer: ${(err as Error).message}` };
  }
};

/** Whether the backend can be used: connected, not set up yet (no token), or failing with a reason. */
export type ConnectionStatus =
  | {
      readonly state: 'connected';
      readonly version: string | null;
      /** Why the background's last call failed (a refused token, say), if it did. */
      readonly warning: string | null;
    }
  | { readonly state: 'unconfigured'; readonly reason: string }
  | { readonly state: 'error'; readonly reason: string };

/**
 * Reads the background's answer to `patchboard:status`: the backend's health (`{connected, version}`
 * or `{connected: false, reason}`) with `tokenPrefix` (null: no token saved yet) and `lastError`,
 * possibly wrapped in a `Reply`. `configured: false` is read as "not set up" too.
 */
export function toConnectionStatus(answer: unknown): ConnectionStatus {
  let value = answer;
  if (isReply(value)) {
    if (!value.ok) return { state: 'error', reason: value.error };
    value = value.data;
  }
  if (typeof value !== 'object' || value === null) {
    return { state: 'error', reason: 'the extension’s background gave no answer; reload the extension' };
  }
  const status = value as Record<string, unknown>;
  const reason = typeof status.reason === 'string' ? status.reason : null;
  if (status.configured === false || status.tokenPrefix === null) {
    return { state: 'unconfigured', reason: 'no API token yet: set one in the options' };
  }
  if (status.connected === true) {
    return {
      state: 'connected',
      version: typeof status.version === 'string' ? status.version : null,
      warning: typeof status.lastError === 'string' ? status.lastError : null,
    };
  }
  return { state: 'error', reason: reason ?? 'the backend is not reachable' };
}

/** Everything a page needs from the browser; replaced by a fake in tests. */
export interface PageClient {
  readonly api: ApiClient;
  status(): Promise<ConnectionStatus>;
  /** Opens the dashboard page in a tab, at a route such as `#/deployments/12`. */
  openDashboard(route?: string): Promise<void>;
  openOptions(): Promise<void>;
}

export const browserClient: PageClient = {
  api,
  async status() {
    try {
      return toConnectionStatus(await browser.runtime.sendMessage({ type: 'patchboard:status' }));
    } catch (err) {
      return { state: 'error', reason: `the extension’s background did not answer: ${(err as Error).message}` };
    }
  },
  async openDashboard(route = '') {
    await browser.tabs.create({ url: `${browser.runtime.getURL('/dashboard.html')}${route}` });
  },
  async openOptions() {
    await browser.runtime.openOptionsPage();
  },
};

export const ClientContext = createContext<PageClient>(browserClient);

export function useClient(): PageClient {
  return useContext(ClientContext);
}
