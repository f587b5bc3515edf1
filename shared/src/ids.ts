/**
 * Advisory identifiers as people and vendor pages write them, recognised and brought to the one
 * spelling the vendors' own feeds use (the spelling advisories are stored under), so that
 * `cve-2024-3094`, `rhsa-2024_4546` or `KB 5034441` find the same advisory as the canonical id.
 * The worker uses it to read `GET /v1/lookup`; the extension uses `findIds` to find ids in pages.
 */

/** The families of identifiers Patchboard recognises. */
export const ID_KINDS = [
  'cve',
  'ghsa',
  'redhat',
  'usn',
  'dsa',
  'dla',
  'alsa',
  'kb',
  'ms-bulletin',
  'ms-advisory',
] as const;
export type IdKind = (typeof ID_KINDS)[number];

/** A recognised identifier: its family and its canonical spelling. */
export interface AdvisoryId {
  readonly kind: IdKind;
  readonly canonical: string;
}

/** Why a string is not an identifier Patchboard recognises. */
export interface UnrecognisedId {
  readonly reason: string;
}

/** An identifier found in free text, with where and how it was written. */
export interface FoundId extends AdvisoryId {
  /** The text as written, e.g. `rhsa-2024_4546` or `KB 5034441`. */
  readonly text: string;
  /** Offset of `text` in the searched string (UTF-16 code units, as String.prototype.slice counts). */
  readonly index: number;
}

interface Form {
  readonly kind: IdKind;
  /** The prefixes that announce this family, upper-case, for a precise reason when the rest is wrong. */
  readonly prefixes: readonly string[];
  /** The family's pattern without anchors: matched case-insensitively, every quantifier bounded. */
  readonly pattern: string;
  /** The canonical spelling, from the pattern's capture groups (upper-cased where the family is upper-case). */
  readonly canonical: (groups: readonly string[]) => string;
  /** How the family looks, for error messages. */
  readonly looksLike: string;
}

// Every quantifier below is bounded and every alternative starts with a literal prefix, so matching
// is linear in the input: the engine never retries more than a few characters at any position.
const FORMS: readonly Form[] = [
  {
    kind: 'cve',
    prefixes: ['CVE'],
    pattern: 'CVE-(\\d{4})-(\\d{4,7})',
    canonical: ([year, number]) => `CVE-${year}-${number}`,
    looksLike: 'CVE-2024-3094',
  },
  {
    // GitHub's ids are three groups of four characters of a 20-letter alphabet (no vowels, no look-alikes).
    kind: 'ghsa',
    prefixes: ['GHSA'],
    pattern: 'GHSA-([23456789cfghjmpqrvwx]{4})-([23456789cfghjmpqrvwx]{4})-([23456789cfghjmpqrvwx]{4})',
    canonical: (groups) => `GHSA-${groups.map((g) => g.toLowerCase()).join('-')}`,
    looksLike: 'GHSA-9v2f-6vcg-3hgv',
  },
  {
    // Red Hat security, bug-fix and enhancement errata; `_` is how its file names write the colon.
    kind: 'redhat',
    prefixes: ['RHSA', 'RHBA', 'RHEA'],
    pattern: '(RH[SBE]A)-(\\d{4})[:_](\\d{4,6})',
    canonical: ([type = '', year, number]) => `${type.toUpperCase()}-${year}:${number}`,
    looksLike: 'RHSA-2024:4546',
  },
  {
    kind: 'usn',
    prefixes: ['USN'],
    pattern: 'USN-(\\d{1,5})-(\\d{1,2})',
    canonical: ([number, revision]) => `USN-${number}-${revision}`,
    looksLike: 'USN-5614-1',
  },
  {
    // Debian's old advisories were numbered without the revision suffix (DSA-1024).
    kind: 'dsa',
    prefixes: ['DSA'],
    pattern: 'DSA-(\\d{1,5})(?:-(\\d{1,2}))?',
    canonical: ([number, revision]) => (revision ? `DSA-${number}-${revision}` : `DSA-${number}`),
    looksLike: 'DSA-5678-1',
  },
  {
    kind: 'dla',
    prefixes: ['DLA'],
    pattern: 'DLA-(\\d{1,5})-(\\d{1,2})',
    canonical: ([number, revision]) => `DLA-${number}-${revision}`,
    looksLike: 'DLA-3181-1',
  },
  {
    kind: 'alsa',
    prefixes: ['ALSA'],
    pattern: 'ALSA-(\\d{4})[:_](\\d{4,6})',
    canonical: ([year, number]) => `ALSA-${year}:${number}`,
    looksLike: 'ALSA-2024:2433',
  },
  {
    // `KB5034441`, `KB 5034441` (also with a no-break space, as Microsoft's pages set it), `KB-5034441`.
    kind: 'kb',
    prefixes: ['KB'],
    pattern: 'KB(?:[ \\t\\u00a0]{1,2}|-)?(\\d{6,8})',
    canonical: ([number]) => `KB${number}`,
    looksLike: 'KB5034441',
  },
  {
    kind: 'ms-bulletin',
    prefixes: ['MS'],
    pattern: 'MS(\\d{2})-(\\d{3})',
    canonical: ([year, number]) => `MS${year}-${number}`,
    looksLike: 'MS17-010',
  },
  {
    kind: 'ms-advisory',
    prefixes: ['ADV'],
    pattern: 'ADV(\\d{6})',
    canonical: ([number]) => `ADV${number}`,
    looksLike: 'ADV240001',
  },
];

/** Each family's anchored pattern under each of its prefixes: a prefix names exactly one family. */
const BY_PREFIX = new Map(
  FORMS.flatMap((form) => {
    const regex = new RegExp(`^(?:${form.pattern})$`, 'i');
    return form.prefixes.map((prefix) => [prefix, { form, regex }] as const);
  }),
);

/** Letters, digits, `_` and `-` continue a token: an id is never found inside a longer one (`MSRC-CVE-...`, `CVE-2024-12345678`). */
const TOKEN_CHAR = '[\\p{L}\\p{N}_-]';
const IN_TEXT = new RegExp(
  `(?<!${TOKEN_CHAR})(?:${FORMS.map((form) => form.pattern).join('|')})(?!${TOKEN_CHAR})`,
  'giu',
);

const EXPECTED = FORMS.map((form) => form.looksLike).join(', ');

/** Longest input worth reading as an id; anything longer is refused without running a pattern. */
const MAX_ID_LENGTH = 64;

/**
 * Recognises one identifier, case-insensitively, ignoring surrounding white space. Answers its
 * kind and canonical spelling, or why it is not one (naming the expected form when the prefix
 * says which family was meant).
 */
export function parseAdvisoryId(input: string): AdvisoryId | UnrecognisedId {
  const text = input.trim();
  if (text === '') return { reason: 'empty id' };
  // Every family starts with letters and continues with a digit or `-`, so its letters pick the one pattern to try.
  const prefix = /^[A-Za-z]+/.exec(text)?.[0].toUpperCase();
  const candidate = prefix === undefined ? undefined : BY_PREFIX.get(prefix);
  if (!candidate) return { reason: `not an advisory id Patchboard recognises: expected one of ${EXPECTED}` };
  const { form, regex } = candidate;
  const match = text.length <= MAX_ID_LENGTH ? regex.exec(text) : null;
  if (!match) return { reason: `not a well-formed ${form.prefixes.join('/')} id: expected the form ${form.looksLike}` };
  return { kind: form.kind, canonical: form.canonical(match.slice(1).map((g) => g ?? '')) };
}

export function isAdvisoryId(parsed: AdvisoryId | UnrecognisedId): parsed is AdvisoryId {
  return 'kind' in parsed;
}

/**
 * Every identifier in a text, in order of appearance, each occurrence once: case-insensitive,
 * never inside a longer token, linear in the length of the text.
 */
export function findIds(text: string): FoundId[] {
  const found: FoundId[] = [];
  for (const match of text.matchAll(IN_TEXT)) {
    const parsed = parseAdvisoryId(match[0]);
    if (isAdvisoryId(parsed)) found.push({ ...parsed, text: match[0], index: match.index });
  }
  return found;
}
