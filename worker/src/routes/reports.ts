import { routes } from '@patchboard/shared/api';
import type { Hono } from 'hono';
import { findTenant } from '../db/tenants';
import { notFound } from '../http/errors';
import { type AppContext, type AppEnv, mount } from '../http/routing';
import { complianceDocument, gatherCompliance } from '../reports/compliance';
import { contentSecurityPolicy, renderHtml } from '../reports/html';
import { renderMarkdown } from '../reports/markdown';
import { chooseFormat } from '../reports/negotiate';
import { buildSummary, type ReportTenant } from '../reports/summary';
import { summaryCsv } from '../reports/summary-csv';

async function reportTenant(c: AppContext, tenantId: string): Promise<ReportTenant> {
  const tenant = await findTenant(c.env.DB, tenantId);
  // A valid token of a deleted tenant cannot exist; answer as for any missing object.
  if (!tenant) throw notFound('tenant');
  return { id: tenant.id, name: tenant.name };
}

/** `patchboard-summary-acme-corp-2026-11-27.csv`: the tenant and the day, safe in any file system. */
function filename(kind: string, tenant: ReportTenant, now: Date, extension: string): string {
  const slug =
    tenant.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'tenant';
  return `patchboard-${kind}-${slug}-${now.toISOString().slice(0, 10)}.${extension}`;
}

/**
 * A report as a file to save. Reports describe a tenant's weaknesses, so no cache keeps them; the
 * answer depends on Accept, so caches must not reuse it for another.
 */
function attachment(body: string, contentType: string, name: string, headers: Record<string, string> = {}): Response {
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': contentType,
      'content-disposition': `attachment; filename="${name}"`,
      'cache-control': 'no-store',
      vary: 'Accept',
      'x-content-type-options': 'nosniff',
      ...headers,
    },
  });
}

export function mountReports(app: Hono<AppEnv>): void {
  mount(app, routes.getReportSummary, async (c, { query, principal, now }) => {
    const tenant = await reportTenant(c, principal.tenantId);
    const summary = await buildSummary(c.env.DB, tenant, now);
    const format = chooseFormat(
      query.format,
      c.req.header('accept'),
      [
        ['application/json', 'json'],
        ['text/csv', 'csv'],
      ],
      'json',
    );
    if (format === 'csv') {
      return attachment(
        summaryCsv(summary),
        'text/csv; charset=utf-8; header=present',
        filename('summary', tenant, now, 'csv'),
      );
    }
    c.header('cache-control', 'no-store');
    c.header('vary', 'Accept');
    return summary;
  });

  mount(app, routes.getComplianceReport, async (c, { query, principal, now }) => {
    const tenant = await reportTenant(c, principal.tenantId);
    const format = chooseFormat(
      query.format,
      c.req.header('accept'),
      [
        ['text/markdown', 'markdown'],
        ['text/html', 'html'],
      ],
      'markdown',
    );
    const document = complianceDocument(await gatherCompliance(c.env.DB, tenant, now));
    if (format === 'html') {
      // The page carries the same policy in a meta element, for when it is opened from disk.
      return attachment(
        await renderHtml(document),
        'text/html; charset=utf-8',
        filename('compliance', tenant, now, 'html'),
        {
          'content-security-policy': await contentSecurityPolicy(),
        },
      );
    }
    return attachment(
      renderMarkdown(document),
      'text/markdown; charset=utf-8; variant=GFM',
      filename('compliance', tenant, now, 'md'),
    );
  });
}
