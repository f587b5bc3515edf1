import type { AdvisoryId } from '@patchboard/shared/ids';

/**
 * How a key finds advisories:
 * - `name`: an advisory's id or one of its aliases (CVEs are aliases of every advisory naming them);
 * - `revisions`: every revision of an old-style id (`DSA-140` -> `DSA-140-1`, `DSA-140-2`, ...);
 * - `fix`: advisories with an affected range fixed by this KB.
 */
export type ResolveMode = 'name' | 'revisions' | 'fix';

export type WantedKey = readonly [key: string, mode: ResolveMode];

/**
 * One recognised id as the lookup statement reads it: its position in the request, itself when it
 * is a CVE (a CVE stands for itself; other ids for the CVEs of their advisories), and its keys.
 */
export type Wanted = readonly [index: number, cve: string | null, keys: readonly WantedKey[]];

/** The keys that resolve one recognised id to its advisories. */
export function keysFor(id: AdvisoryId): WantedKey[] {
  switch (id.kind) {
    case 'dsa':
      // DSA-140 is how Debian numbered advisories before revisions; feeds may also store it as DSA-140-1.
      return /^DSA-\d+$/.test(id.canonical)
        ? [
            [id.canonical, 'name'],
            [id.canonical, 'revisions'],
          ]
        : [[id.canonical, 'name']];
    case 'kb':
      return [
        [id.canonical, 'fix'],
        [id.canonical, 'name'],
      ];
    case 'ms-advisory':
      // The MSRC adapter stores ADV240001 as MSRC-ADV240001 (aliased ADV240001); other sources use the bare id.
      return [
        [id.canonical, 'name'],
        [`MSRC-${id.canonical}`, 'name'],
      ];
    default:
      return [[id.canonical, 'name']];
  }
}

export function wantedFor(index: number, id: AdvisoryId): Wanted {
  return [index, id.kind === 'cve' ? id.canonical : null, keysFor(id)];
}
