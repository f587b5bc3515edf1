/**
 * The shape of a route's contract and the helper that declares one. Kept apart from api.ts so the
 * contracts of each area (api/*.ts) can be declared in their own module and joined there.
 */
import type * as v from 'valibot';
import type { Role } from './schemas/common';

/**
 * Who may call a route: nobody needs a token (`public`), only the provider's root token (`root`),
 * or tokens of the listed roles, where `root` in a list lets the root token in too (acting on
 * global data, since it has no tenant). `agent` in the list means an agent token, and only for the
 * host named by the route's `{hostname}`; any other host answers 404 as if it did not exist.
 */
export type Access = 'public' | 'root' | readonly (Role | 'root')[];

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** A body the route reads as raw text in one of several formats chosen by Content-Type. */
export interface RawBody {
  readonly kind: 'raw';
  readonly contentTypes: readonly string[];
  /** The schema of the `application/json` variant, for the documentation. */
  readonly json?: v.GenericSchema;
  readonly description: string;
}

export interface RouteContract {
  readonly operationId: string;
  readonly method: Method;
  /** OpenAPI path template, e.g. `/v1/hosts/{hostname}`. */
  readonly path: string;
  readonly summary: string;
  readonly description?: string;
  readonly tag: string;
  readonly access: Access;
  readonly params?: v.GenericSchema;
  readonly query?: v.GenericSchema;
  readonly body?: v.GenericSchema | RawBody;
  readonly status: 200 | 201 | 204;
  /** Media types of a successful answer when it is not only JSON (reports as CSV, Markdown, HTML). */
  readonly produces?: readonly string[];
  readonly response?: v.GenericSchema;
}

export const READERS = ['admin', 'approver', 'operator', 'viewer'] as const satisfies readonly Role[];

export function route<const C extends RouteContract>(contract: C): C {
  return contract;
}
