/** Bindings of the Patchboard worker (wrangler.toml) and its secrets. */
export interface Env {
  readonly DB: D1Database;
  /** The service provider's root token; creates tenants. Unset means no root access at all. */
  readonly PATCHBOARD_ROOT_TOKEN?: string;
}
