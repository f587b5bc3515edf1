import * as v from 'valibot';

/** Machine-readable error codes; the HTTP status says the class, the code says which case. */
export const ErrorCode = v.picklist([
  'bad_request',
  'validation_failed',
  'malformed_inventory',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'not_configured',
  'internal',
]);
export type ErrorCode = v.InferOutput<typeof ErrorCode>;

/** One problem in a request: where (a JSON path, a line of an inventory file) and what. */
export const ErrorDetail = v.object({
  path: v.optional(v.string()),
  line: v.optional(v.number()),
  message: v.string(),
});
export type ErrorDetail = v.InferOutput<typeof ErrorDetail>;

/** The one error shape of every route. */
export const ErrorBody = v.object({
  error: v.object({
    code: ErrorCode,
    message: v.string(),
    details: v.optional(v.array(ErrorDetail)),
  }),
});
export type ErrorBody = v.InferOutput<typeof ErrorBody>;
