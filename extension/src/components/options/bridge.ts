import type * as v from 'valibot';
import { adapters } from '@/sites';
import type { PageMessage, Reply } from '@/utils/messages';

/** Asks the background; a missing answer (ignored message) or a broken channel becomes an error. */
export async function ask<T>(message: v.InferInput<typeof PageMessage>): Promise<Reply<T>> {
  try {
    const answer = (await browser.runtime.sendMessage(message)) as Reply<T> | undefined;
    return answer ?? { ok: false, error: 'the background did not answer' };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

/** A vendor site adapter as the options page needs it. */
export interface SiteEntry {
  readonly name: string;
  readonly label: string;
}

/** The vendor site adapters (src/sites/), by name and label. */
export function siteEntries(): SiteEntry[] {
  return adapters.map(({ name, label }) => ({ name, label }));
}
