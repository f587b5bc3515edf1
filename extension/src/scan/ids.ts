/**
 * Advisory ids in a string of page text: CVE, GHSA, RHSA/RHBA/RHEA, USN, DSA, DLA, ALSA, KB,
 * MSyy-nnn and ADVnnnnnn, each with its canonical spelling (the one Patchboard's lookup takes) and
 * where it is written. The grammar is shared/src/ids.ts's, never repeated here: its one compiled
 * pattern finds the ids, case-insensitively and never inside a longer token.
 */
import { findIds } from '@patchboard/shared/ids';

/** One id written in a text: `text.slice(start, end)` is how it is written (`rhsa-2024_0010`, `KB 5034441`). */
export interface IdInText {
  /** The canonical id: `CVE-2024-3094`, `RHSA-2024:0010`, `KB5034441`, `GHSA-9v2f-6vcg-3hgv`. */
  readonly id: string;
  /** Offsets in UTF-16 code units, as String.prototype.slice and Text.splitText count. */
  readonly start: number;
  readonly end: number;
}

/**
 * Every id in `text`, in order of appearance (each occurrence). Text without an id (most of a
 * page) costs one pass of the pattern and no allocation beyond the empty answer.
 */
export function idsInText(text: string): IdInText[] {
  const found = findIds(text);
  const ids: IdInText[] = new Array(found.length);
  for (let i = 0; i < found.length; i++) {
    const { canonical, index, text: written } = found[i] as (typeof found)[number];
    ids[i] = { id: canonical, start: index, end: index + written.length };
  }
  return ids;
}
