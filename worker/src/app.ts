import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import { errorBody, toErrorResponse } from './http/errors';
import type { AppEnv } from './http/routing';
import { mountAdvisories } from './routes/advisories';
import { mountAgent } from './routes/agent';
import { mountAudit } from './routes/audit';
import { mountDeployments } from './routes/deployments';
import { mountExceptions } from './routes/exceptions';
import { mountFeeds } from './routes/feeds';
import { mountFindings } from './routes/findings';
import { mountHosts } from './routes/hosts';
import { mountLookup } from './routes/lookup';
import { mountMeta } from './routes/meta';
import { mountReports } from './routes/reports';
import { mountSoftware } from './routes/software';
import { mountTenants } from './routes/tenants';
import { mountTokens } from './routes/tokens';
import { mountTriage } from './routes/triage';
import { mountWindows } from './routes/windows';

/** CORS_ORIGINS, comma-separated, as a set of exact origins. */
function allowedOrigins(list: string | undefined): Set<string> {
  return new Set(
    (list ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
  );
}

export interface AppOptions {
  /** The time source of every request; tests inject a fixed or stepping clock. */
  readonly clock?: () => Date;
  /** Requests to feed sources (POST /v1/feeds/{id}/sync); tests inject recorded upstreams. */
  readonly upstream?: typeof fetch;
}

/** The Patchboard API: one error shape, authentication and roles per route (see shared/src/api.ts). */
export function createApp(options: AppOptions = {}): Hono<AppEnv> {
  const clock = options.clock ?? (() => new Date());
  const upstream = options.upstream ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const app = new Hono<AppEnv>();
  app.use(secureHeaders());
  // Browsers may call the API only from the origins the operator lists (the extension's, the admins'
  // consoles); any other origin gets no CORS headers, so its page cannot read an answer. The
  // extension's background itself needs none: its host permissions exempt it.
  app.use(
    cors({
      origin: (origin, c) => (allowedOrigins(c.env.CORS_ORIGINS).has(origin) ? origin : null),
      allowHeaders: ['authorization', 'content-type', 'if-none-match'],
      allowMethods: ['GET', 'POST', 'PUT', 'DELETE'],
      exposeHeaders: ['etag', 'retry-after'],
      maxAge: 600,
    }),
  );
  app.use(async (c, next) => {
    c.set('clock', clock);
    c.set('upstream', upstream);
    await next();
  });
  mountMeta(app);
  mountTenants(app);
  mountTokens(app);
  mountHosts(app);
  mountSoftware(app);
  mountAdvisories(app);
  mountFindings(app);
  mountFeeds(app);
  mountAudit(app);
  mountExceptions(app);
  mountReports(app);
  mountLookup(app);
  mountTriage(app);
  mountWindows(app);
  mountDeployments(app);
  mountAgent(app);
  app.notFound((c) => c.json(errorBody('not_found', `no route ${c.req.method} ${new URL(c.req.url).pathname}`), 404));
  app.onError((err) => toErrorResponse(err));
  return app;
}
