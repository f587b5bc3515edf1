import { routes } from '@patchboard/shared/api';
import type { AdvisoryDocument } from '@patchboard/shared/schemas/advisory';
import type { Hono } from 'hono';
import { advisoryFindingCounts, findVisibleAdvisory } from '../db/advisories';
import type { FeedAdapter } from '../feeds/feed';
import { importFormats, sharedFactFormats } from '../feeds/registry';
import { storeRecords } from '../feeds/store';
import { ApiError, forbidden, notFound } from '../http/errors';
import { type AppEnv, auditActor, mount, scopeOf } from '../http/routing';

/** Most documents one OSV array import takes; larger sets go through the feeds (or several imports). */
const MAX_DOCUMENTS = 5_000;

/** The format named by `?format=`, else the first whose importer recognises the content. */
function pickFormat(named: string | undefined, value: unknown, text: string): readonly [string, FeedAdapter] {
  if (named !== undefined) {
    const found = importFormats.find(([name]) => name === named);
    if (!found) throw new ApiError(400, 'bad_request', `unknown format "${named}"`);
    return found;
  }
  const detected = importFormats.find(([, adapter]) => adapter.importer?.detect(value, text));
  if (!detected) {
    throw new ApiError(
      400,
      'bad_request',
      `could not recognise the format; name it with ?format= (${importFormats.map(([name]) => name).join(', ')})`,
    );
  }
  return detected;
}

export function mountAdvisories(app: Hono<AppEnv>): void {
  mount(app, routes.importAdvisories, async (c, { body, query, principal, now }) => {
    const text = body.text;
    let value: unknown;
    if (/^\s*[[{]/.test(text)) {
      try {
        value = JSON.parse(text);
      } catch (err) {
        throw new ApiError(400, 'bad_request', `body is not valid JSON: ${(err as Error).message}`);
      }
    }
    if (Array.isArray(value) && value.length > MAX_DOCUMENTS) {
      throw new ApiError(400, 'bad_request', `at most ${MAX_DOCUMENTS} advisories per import (got ${value.length})`);
    }
    const [format, adapter] = pickFormat(query.format, value, text);
    if (sharedFactFormats.has(format) && principal.kind !== 'root') {
      throw forbidden(
        `${format} data are facts every tenant shares: the service provider imports them with the root token`,
      );
    }
    const importer = adapter.importer;
    if (!importer) throw new ApiError(400, 'bad_request', `format "${format}" cannot be imported`);
    const records = await importer.parse(value, text);
    const { counts, quarantined } = await storeRecords(c.env.DB, records, {
      scope: scopeOf(principal),
      actor: auditActor(principal, now),
    });
    // Importers return one record per submitted document for arrays (OSV), so the index is the document's.
    const rejected = quarantined.map((q) => ({
      index: q.index,
      id: q.document || null,
      reason: q.reason,
    }));
    return {
      format,
      imported: counts.imported,
      unchanged: counts.unchanged,
      withdrawn: counts.deleted,
      rejected,
      findings: { opened: counts.findingsOpened, resolved: counts.findingsResolved },
      enrichment: counts.kev + counts.epss + counts.cves,
    };
  });

  mount(app, routes.getAdvisory, async (c, { params, principal }) => {
    const row = await findVisibleAdvisory(c.env.DB, principal.tenantId, params.id);
    if (!row) throw notFound(`advisory "${params.id}"`);
    const document = JSON.parse(row.document) as AdvisoryDocument;
    return {
      ...document,
      scope: row.scope === '' ? ('global' as const) : ('tenant' as const),
      findings: await advisoryFindingCounts(c.env.DB, principal.tenantId, row.pk),
    };
  });
}
