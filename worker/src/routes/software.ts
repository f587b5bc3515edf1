import { routes } from '@patchboard/shared/api';
import type { Hono } from 'hono';
import { randomChars } from '../auth/secrets';
import { findHost } from '../db/hosts';
import {
  listHotfixes,
  listInstalled,
  listReports,
  type ReportRow,
  replaceSoftwareStatements,
  reportAuditStatement,
  selectReportStatement,
  toReportSummary,
} from '../db/inventory';
import { DEFAULT_PAGE_SIZE, decodeCursor, pageOf } from '../http/cursor';
import { ApiError, notFound } from '../http/errors';
import { type AppEnv, auditActor, mount } from '../http/routing';
import { recordsForHost } from '../inventory/for-host';
import { parserFor } from '../inventory/index';
import { rematchStatements } from '../match/rematch';
import { triage } from '../triage/pass';

/** Report ids sort by time (base-36 milliseconds), then by randomness for reports in the same millisecond. */
function reportId(now: Date): string {
  return `rp_${now.getTime().toString(36).padStart(9, '0')}${randomChars(8)}`;
}

const HISTORY_PAGE_SIZE = 20;

export function mountSoftware(app: Hono<AppEnv>): void {
  mount(app, routes.putSoftware, async (c, { params, body, principal, now }) => {
    const host = await findHost(c.env.DB, principal.tenantId, params.hostname);
    if (!host) throw notFound(`host "${params.hostname}"`);
    // The route admits only content types that have a parser (checked before the body was read).
    const parser = parserFor(body.contentType);
    if (!parser) throw new ApiError(415, 'unsupported_media_type', `no parser for "${body.contentType}"`);
    const parsed = parser.parse(body.text);
    if (!parsed.ok) {
      throw new ApiError(400, 'malformed_inventory', `not a valid ${parser.format} inventory`, parsed.issues);
    }
    const records = recordsForHost(host, parsed.inventory);
    if (!records.ok) {
      throw new ApiError(
        400,
        'malformed_inventory',
        `the ${parser.format} inventory does not fit ${host.hostname}`,
        records.issues,
      );
    }
    const actor = auditActor(principal, now);
    const report = {
      id: reportId(now),
      tenantId: principal.tenantId,
      hostId: host.id,
      hostname: host.hostname,
      format: parser.format,
      packages: records.packages,
      hotfixes: records.hotfixes,
    };
    // Inventory, findings and audit change together or not at all.
    const results = await c.env.DB.batch<ReportRow>([
      ...replaceSoftwareStatements(c.env.DB, actor, report),
      ...rematchStatements(c.env.DB, { kind: 'host', hostId: host.id }, actor.at),
      reportAuditStatement(c.env.DB, actor, report),
      selectReportStatement(c.env.DB, report.id),
    ]);
    const stored = results.at(-1)?.results[0];
    if (!stored) throw new Error('software report was not stored');
    // Priorities of the host's findings (new ones have none yet); derived, so after the commit.
    await triage(c.env.DB, { kind: 'host', hostId: host.id }, now);
    return toReportSummary(stored);
  });

  mount(app, routes.getSoftware, async (c, { params, query, principal }) => {
    const host = await findHost(c.env.DB, principal.tenantId, params.hostname);
    if (!host) throw notFound(`host "${params.hostname}"`);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE * 10;
    const after = decodeCursor(query.cursor, ['string', 'string', 'string', 'string']);
    const rows = await listInstalled(c.env.DB, host.id, { name: query.name, after, limit: limit + 1 });
    const page = pageOf(
      rows,
      limit,
      (row) => ({
        ecosystem: row.ecosystem,
        name: row.name,
        version: row.version,
        arch: row.arch === '' ? null : row.arch,
        source: row.source_name,
        sourceVersion: row.source_version,
        purl: row.purl,
      }),
      (row) => [row.name, row.arch, row.version, row.ecosystem],
    );
    const hotfixes = (await listHotfixes(c.env.DB, host.id)).map((h) => ({ kb: h.kb, installedOn: h.installed_on }));
    return { ...page, hotfixes };
  });

  mount(app, routes.getHistory, async (c, { params, query, principal }) => {
    const host = await findHost(c.env.DB, principal.tenantId, params.hostname);
    if (!host) throw notFound(`host "${params.hostname}"`);
    const limit = query.limit ?? HISTORY_PAGE_SIZE;
    const [before] = decodeCursor(query.cursor, ['string']) ?? [];
    const reports = await listReports(c.env.DB, host.id, { before, limit: limit + 1 });
    return pageOf(
      reports,
      limit,
      (report) => report,
      (report) => [report.id],
    );
  });
}
