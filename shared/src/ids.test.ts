import { describe, expect, it } from 'vitest';
import { findIds, isAdvisoryId, parseAdvisoryId } from './ids';

/** Real identifiers, as people write them, with the kind and spelling the vendors' feeds use. */
const REAL: readonly [written: string, kind: string, canonical: string][] = [
  ['CVE-2024-3094', 'cve', 'CVE-2024-3094'],
  ['cve-2021-44228', 'cve', 'CVE-2021-44228'],
  ['CVE-2014-0160', 'cve', 'CVE-2014-0160'],
  ['CVE-2021-1000000', 'cve', 'CVE-2021-1000000'], // seven-digit sequence numbers exist since 2021
  ['GHSA-9v2f-6vcg-3hgv', 'ghsa', 'GHSA-9v2f-6vcg-3hgv'],
  ['ghsa-jfh8-c2jp-5v3q', 'ghsa', 'GHSA-jfh8-c2jp-5v3q'],
  ['GHSA-J8R2-6X86-Q33Q', 'ghsa', 'GHSA-j8r2-6x86-q33q'],
  ['RHSA-2024:4546', 'redhat', 'RHSA-2024:4546'],
  ['rhsa-2024_4546', 'redhat', 'RHSA-2024:4546'], // Red Hat's CSAF file name
  ['RHSA-2025:23414', 'redhat', 'RHSA-2025:23414'],
  ['RHBA-2019:0024', 'redhat', 'RHBA-2019:0024'],
  ['rhea-2024:5245', 'redhat', 'RHEA-2024:5245'],
  ['USN-5614-1', 'usn', 'USN-5614-1'],
  ['usn-6429-3', 'usn', 'USN-6429-3'],
  ['DSA-5970-1', 'dsa', 'DSA-5970-1'],
  ['DSA-2808-2', 'dsa', 'DSA-2808-2'],
  ['DSA-140', 'dsa', 'DSA-140'], // 2002, numbered before revisions
  ['dla-3181-1', 'dla', 'DLA-3181-1'],
  ['DLA-302-1', 'dla', 'DLA-302-1'],
  ['ALSA-2024:2433', 'alsa', 'ALSA-2024:2433'],
  ['alsa-2024_2433', 'alsa', 'ALSA-2024:2433'], // the OSV file name
  ['KB5034441', 'kb', 'KB5034441'],
  ['kb5034129', 'kb', 'KB5034129'],
  ['KB 5034441', 'kb', 'KB5034441'],
  ['KB\u00a03201860', 'kb', 'KB3201860'],
  ['KB-890830', 'kb', 'KB890830'],
  ['MS17-010', 'ms-bulletin', 'MS17-010'],
  ['ms08-067', 'ms-bulletin', 'MS08-067'],
  ['ADV160008', 'ms-advisory', 'ADV160008'],
  ['adv240001', 'ms-advisory', 'ADV240001'],
  ['  CVE-2024-3094\t', 'cve', 'CVE-2024-3094'],
];

describe('parseAdvisoryId', () => {
  it.each(REAL)('reads %s as %s %s', (written, kind, canonical) => {
    expect(parseAdvisoryId(written)).toEqual({ kind, canonical });
  });

  it('names the expected form when the prefix says which family was meant', () => {
    expect(parseAdvisoryId('CVE-2024-94')).toEqual({
      reason: 'not a well-formed CVE id: expected the form CVE-2024-3094',
    });
    // GitHub's alphabet has no vowels and no 0, 1: this is a typo, not an id.
    expect(parseAdvisoryId('GHSA-9v2f-6vcg-3hga')).toMatchObject({ reason: expect.stringContaining('GHSA-') });
    expect(parseAdvisoryId('RHSA-2024-4546')).toMatchObject({ reason: expect.stringContaining('RHSA-2024:4546') });
    expect(parseAdvisoryId('USN-5614')).toMatchObject({ reason: expect.stringContaining('USN-5614-1') });
    expect(parseAdvisoryId('DLA-3181')).toMatchObject({ reason: expect.stringContaining('DLA-3181-1') });
    expect(parseAdvisoryId('KB12')).toMatchObject({ reason: expect.stringContaining('KB5034441') });
    expect(parseAdvisoryId('MS17-10')).toMatchObject({ reason: expect.stringContaining('MS17-010') });
  });

  it('refuses what is no identifier of a known family, listing the families', () => {
    for (const text of ['', '   ', 'openssl', 'GO-2024-2611', 'MSRC-CVE-2024-21307', 'CVE-2024-3094x', '2024-3094']) {
      const parsed = parseAdvisoryId(text);
      expect(isAdvisoryId(parsed), text).toBe(false);
    }
    expect(parseAdvisoryId('GO-2024-2611')).toEqual({
      reason:
        'not an advisory id Patchboard recognises: expected one of CVE-2024-3094, GHSA-9v2f-6vcg-3hgv, RHSA-2024:4546, USN-5614-1, DSA-5678-1, DLA-3181-1, ALSA-2024:2433, KB5034441, MS17-010, ADV240001',
    });
    expect(parseAdvisoryId('')).toEqual({ reason: 'empty id' });
    expect(isAdvisoryId(parseAdvisoryId(`CVE-2024-${'1'.repeat(100)}`))).toBe(false);
  });
});

describe('findIds', () => {
  it('finds every kind in prose, in order, with the text as written and where', () => {
    const text = `Fixed in rhsa-2024_4546 (see https://nvd.nist.gov/vuln/detail/CVE-2023-45288), like DSA-5970-1, DSA-140,
      DLA-3181-1, USN-5614-1 and ALSA-2024:2433; GHSA-JFH8-C2JP-5V3Q; install KB 5034441 or KB5034129 (MS17-010, ADV160008).`;
    const found = findIds(text);
    expect(found.map((f) => [f.kind, f.canonical])).toEqual([
      ['redhat', 'RHSA-2024:4546'],
      ['cve', 'CVE-2023-45288'],
      ['dsa', 'DSA-5970-1'],
      ['dsa', 'DSA-140'],
      ['dla', 'DLA-3181-1'],
      ['usn', 'USN-5614-1'],
      ['alsa', 'ALSA-2024:2433'],
      ['ghsa', 'GHSA-jfh8-c2jp-5v3q'],
      ['kb', 'KB5034441'],
      ['kb', 'KB5034129'],
      ['ms-bulletin', 'MS17-010'],
      ['ms-advisory', 'ADV160008'],
    ]);
    for (const f of found) expect(text.slice(f.index, f.index + f.text.length)).toBe(f.text);
    expect(found[0]?.text).toBe('rhsa-2024_4546');
    expect(found[8]?.text).toBe('KB 5034441');
  });

  it('never finds an id inside a longer token', () => {
    expect(
      findIds(
        'MSRC-CVE-2024-21307 UBUNTU-CVE-2021-3782 CVE-2024-12345678 XCVE-2024-3094 CVE-2024-3094a ' +
          'DLA-34 backbone DSA-5970-1b KB5034441x aKB5034441 USN-5614-1-2 GHSA-9v2f-6vcg-3hgvw ' +
          'MS17-0100 ADV1600080 RHSA-2024:45467890 cve_2024_3094 CVE-2024-3094_x',
      ),
    ).toEqual([]);
  });

  it('finds ids next to punctuation: brackets, quotes, commas, slashes, colons, file extensions', () => {
    const text = '(CVE-2024-3094),"USN-5614-1";[KB5034441]/rhsa-2024_4546.json:DSA-5970-1.';
    expect(findIds(text).map((f) => f.canonical)).toEqual([
      'CVE-2024-3094',
      'USN-5614-1',
      'KB5034441',
      'RHSA-2024:4546',
      'DSA-5970-1',
    ]);
  });

  it('reports each occurrence, also of the same id', () => {
    expect(findIds('CVE-2024-3094 and cve-2024-3094').map((f) => f.index)).toEqual([0, 18]);
  });

  // Inputs that make a backtracking pattern retry each position many times. A catastrophic
  // pattern would not finish these within the test's timeout; the assertions check the answers.
  it('reads 1 MB adversarial texts in one pass', () => {
    const mb = 1024 * 1024;
    const digits = `CVE-2024-${'1'.repeat(mb)}`;
    expect(findIds(digits)).toEqual([]);
    const prefixes = 'CVE-2024-'.repeat(mb / 9);
    expect(findIds(prefixes)).toEqual([]);
    const nearMisses = 'GHSA-9v2f-6vcg-3hg KB 12345 DSA-1-1-1 RHSA-2024: '.repeat(mb / 48);
    expect(findIds(nearMisses)).toEqual([]);
    const spaces = `KB${' '.repeat(mb)}5034441`;
    expect(findIds(spaces)).toEqual([]);
    const dense = 'CVE-2024-3094 '.repeat(mb / 14);
    expect(findIds(dense)).toHaveLength(Math.floor(mb / 14));
  });
});
