/**
 * An upstream failure the runner should back off from: a 5xx, a timeout, a reset, a truncated or
 * mistyped body, a rate limit. `retryAfterSeconds` is the source's own wish when it said one.
 */
export class FeedError extends Error {
  readonly retryAfterSeconds: number | undefined;
  /** The HTTP status when the source answered with an error status. */
  readonly status: number | undefined;

  constructor(
    message: string,
    options: { retryAfterSeconds?: number | undefined; status?: number | undefined; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'FeedError';
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.status = options.status;
  }
}
