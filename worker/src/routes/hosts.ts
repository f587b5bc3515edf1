import { routes } from '@patchboard/shared/api';
import { ecosystemOf, isOsFamily } from '@patchboard/shared/os';
import type { Hono } from 'hono';
import { listFindings, toFinding } from '../db/findings';
import { deleteHostStatements, findHost, listHosts, matchHosts, toHost, upsertHostStatements } from '../db/hosts';
import { DEFAULT_PAGE_SIZE, decodeCursor, pageOf } from '../http/cursor';
import { ApiError, notFound } from '../http/errors';
import { type AppEnv, auditActor, mount } from '../http/routing';
import { triage } from '../triage/pass';

/** Findings shown with one host; the full list is GET /v1/findings?host=. */
const HOST_FINDINGS_LIMIT = 500;

export function mountHosts(app: Hono<AppEnv>): void {
  mount(app, routes.putHost, async (c, { params, body, principal, now }) => {
    const family = body.os.family;
    const mapped = isOsFamily(family) ? ecosystemOf(family, body.os.release) : { error: 'unknown family' };
    if ('error' in mapped) {
      throw new ApiError(400, 'validation_failed', `invalid body: ${mapped.error}`, [
        { path: 'os.release', message: mapped.error },
      ]);
    }
    await c.env.DB.batch(
      upsertHostStatements(c.env.DB, auditActor(principal, now), {
        hostname: params.hostname,
        osFamily: family,
        osRelease: body.os.release,
        ecosystem: mapped.ecosystem,
        ring: body.ring,
        criticality: body.criticality,
        internetFacing: body.internetFacing,
        tags: body.tags === undefined ? undefined : [...new Set(body.tags)].sort(),
        owner: body.owner,
        addresses: body.addresses === undefined ? undefined : [...new Set(body.addresses)].sort(),
      }),
    );
    const host = await findHost(c.env.DB, principal.tenantId, params.hostname);
    if (!host) throw notFound(`host "${params.hostname}"`); // deleted by a concurrent request
    // Criticality, exposure, ring and tags feed priorities and exceptions.
    await triage(c.env.DB, { kind: 'host', hostId: host.id }, now);
    return toHost(host);
  });

  mount(app, routes.matchHosts, async (c, { body, principal }) => {
    const rows = await matchHosts(c.env.DB, principal.tenantId, body.names);
    return {
      items: rows.map((row) => {
        const deployment = row.deployment ? (JSON.parse(row.deployment) as [number, string, string]) : null;
        return {
          name: row.name,
          hostname: row.hostname,
          ring: row.ring,
          p1: row.p1,
          p2: row.p2,
          pendingDeployment: deployment ? { id: deployment[0], title: deployment[1], status: deployment[2] } : null,
        };
      }),
    };
  });

  mount(app, routes.listHosts, async (c, { query, principal }) => {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const [after] = decodeCursor(query.cursor, ['string']) ?? [];
    const rows = await listHosts(c.env.DB, principal.tenantId, { ...query, after, limit: limit + 1 });
    return pageOf(rows, limit, toHost, (row) => [row.hostname]);
  });

  mount(app, routes.getHost, async (c, { params, principal, now }) => {
    const host = await findHost(c.env.DB, principal.tenantId, params.hostname);
    if (!host) throw notFound(`host "${params.hostname}"`);
    const findings = await listFindings(c.env.DB, principal.tenantId, {
      hostId: host.id,
      status: 'unresolved',
      limit: HOST_FINDINGS_LIMIT,
      now,
    });
    return { ...toHost(host), findings: findings.map((row) => toFinding(row, now)) };
  });

  mount(app, routes.deleteHost, async (c, { params, principal, now }) => {
    const host = await findHost(c.env.DB, principal.tenantId, params.hostname);
    if (!host) throw notFound(`host "${params.hostname}"`);
    await c.env.DB.batch(deleteHostStatements(c.env.DB, auditActor(principal, now), host));
    return undefined;
  });
}
