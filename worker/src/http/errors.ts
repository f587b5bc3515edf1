import type { ErrorBody, ErrorCode, ErrorDetail } from '@patchboard/shared/schemas/error';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * An error the client can act on: a 4xx status, a stable code and the reason. Thrown anywhere in
 * a request and turned into the one error shape `{ error: { code, message, details } }`.
 */
export class ApiError extends HTTPException {
  readonly code: ErrorCode;
  readonly details: readonly ErrorDetail[] | undefined;

  /** Headers the answer carries (Retry-After of a 429). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: ContentfulStatusCode,
    code: ErrorCode,
    message: string,
    details?: readonly ErrorDetail[],
    headers: Readonly<Record<string, string>> = {},
  ) {
    super(status, { message });
    this.code = code;
    this.details = details;
    this.headers = headers;
  }

  override getResponse(): Response {
    return Response.json(errorBody(this.code, this.message, this.details), {
      status: this.status,
      headers: this.headers,
    });
  }
}

export function errorBody(code: ErrorCode, message: string, details?: readonly ErrorDetail[]): ErrorBody {
  return { error: { code, message, ...(details?.length ? { details: [...details] } : {}) } };
}

export const notFound = (what: string): ApiError => new ApiError(404, 'not_found', `${what} not found`);

export const forbidden = (message: string): ApiError => new ApiError(403, 'forbidden', message);

export const badRequest = (message: string, details?: readonly ErrorDetail[]): ApiError =>
  new ApiError(400, 'bad_request', message, details);

const codeByStatus: Partial<Record<number, ErrorCode>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

/**
 * Maps anything thrown during a request to the error shape. D1 constraint failures can only come
 * from a race with another request (inputs are validated before any write), so they answer 409
 * rather than 500; the batch they were part of has rolled back.
 */
export function toErrorResponse(err: unknown): Response {
  if (err instanceof ApiError) return err.getResponse();
  if (err instanceof HTTPException) {
    const code = codeByStatus[err.status] ?? 'bad_request';
    return Response.json(errorBody(code, err.message || 'request failed'), { status: err.status });
  }
  const message = err instanceof Error ? err.message : String(err);
  if (/UNIQUE constraint failed|FOREIGN KEY constraint failed|CHECK constraint failed/.test(message)) {
    return Response.json(errorBody('conflict', 'the request conflicted with a concurrent change; retry it'), {
      status: 409,
    });
  }
  console.error('unhandled error', err);
  return Response.json(errorBody('internal', 'internal error'), { status: 500 });
}
