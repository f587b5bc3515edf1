/**
 * Knowledge Base article numbers as MSRC writes them: a vendor fix's Description is the bare
 * number (`5034129`), and its Supercedence field names the updates it replaces, sometimes several,
 * separated by commas, semicolons or spaces, with or without a `KB` prefix. Patchboard stores them in the
 * form hosts report them (`KB5034129`, see inventory/hotfix.ts).
 */

const KB = /^(?:KB)?\s*(\d{6,8})$/i;

/** `KB5034129` from `5034129`, ` kb5034129 `, `KB 5034129`; undefined for anything else (`Release Notes`). */
export function normalizeKb(raw: string | null | undefined): string | undefined {
  const match = KB.exec((raw ?? '').trim());
  return match ? `KB${match[1]}` : undefined;
}

/** The KBs a Supercedence field names, normalised, each once; unreadable parts are dropped. */
export function supersededKbs(raw: string | null | undefined): string[] {
  // Splitting at spaces too leaves a lone `KB` of `KB 5033118`, which simply reads as nothing.
  const kbs = (raw ?? '').split(/[\s,;]+/).map(normalizeKb);
  return [...new Set(kbs.filter((kb): kb is string => kb !== undefined))];
}
