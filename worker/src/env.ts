/** Bindings of the Patchboard worker (wrangler.toml) and its secrets. */
export interface Env {
  readonly DB: D1Database;
  /** The service provider's root token; creates tenants. Unset means no root access at all. */
  readonly PATCHBOARD_ROOT_TOKEN?: string;
  /** NVD API key (secret): 50 instead of 5 requests per 30 seconds. */
  readonly NVD_API_KEY?: string;
  /** Requests per token per period (wrangler.toml [[ratelimits]]); absent: no limit. */
  readonly TOKEN_RATE_LIMIT?: RateLimit;
  /**
   * Origins allowed to call the API from a browser (CORS), comma-separated: the extension's
   * (`chrome-extension://<id>`, `moz-extension://<uuid>`) and the admins' own consoles.
   */
  readonly CORS_ORIGINS?: string;
}
