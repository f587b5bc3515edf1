import type { AdvisoryDocument } from '@patchboard/shared/schemas/advisory';
import * as v from 'valibot';
import { sha256Hex } from '../auth/secrets';
import { OsvRecord } from '../feeds/osv/input';
import { parseOsv } from '../feeds/osv/parse';
import { issueDetails } from '../http/validate';

/** One document of an import, read into the normal form, or why not. */
export type ReadDocument =
  | { readonly ok: true; readonly advisory: AdvisoryDocument; readonly contentHash: string }
  | { readonly ok: false; readonly id: string | null; readonly reason: string };

function idOf(value: unknown): string | null {
  return typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string'
    ? (value as { id: string }).id.slice(0, 128)
    : null;
}

/**
 * Reads the documents of an import body: one OSV record or an array of them. The content hash is
 * taken over the document as sent, so re-sending the same document is recognised and changes
 * nothing. (The feeds issue adds the other formats here, detected from the content.)
 */
export async function readImport(body: unknown): Promise<ReadDocument[]> {
  const documents = Array.isArray(body) ? body : [body];
  return Promise.all(
    documents.map(async (document): Promise<ReadDocument> => {
      const checked = v.safeParse(OsvRecord, document);
      if (!checked.success) {
        const first = issueDetails(checked.issues)[0];
        return {
          ok: false,
          id: idOf(document),
          reason: `not a valid OSV record: ${first?.path ? `${first.path}: ` : ''}${first?.message}`,
        };
      }
      const parsed = parseOsv(checked.output);
      if ('error' in parsed) return { ok: false, id: checked.output.id, reason: parsed.error };
      return { ok: true, advisory: parsed.advisory, contentHash: await sha256Hex(JSON.stringify(document)) };
    }),
  );
}
