/** Windows update ids as Get-HotFix and osquery's patches table report them. */

import { quote } from './text';

export type HotfixId = { readonly kb: string } | { readonly skip: true } | { readonly error: string };

/**
 * `KB5034441` from ` kb5034441 `. Ids that do not even start with KB (`File 1`, an empty string)
 * are entries Windows keeps for broken or non-KB installs: skipped without a complaint. An id that
 * starts with KB but is not KB and 6 to 8 digits is a real problem and reported.
 */
export function readHotfixId(raw: string): HotfixId {
  const id = raw.trim().toUpperCase();
  if (/^KB\d{6,8}$/.test(id)) return { kb: id };
  if (!id.startsWith('KB')) return { skip: true };
  return { error: `hotfix id ${quote(raw)} is not KB and 6 to 8 digits, such as KB5034441` };
}
