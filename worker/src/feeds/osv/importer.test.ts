import { describe, expect, it } from 'vitest';
import { digestHex } from '../http';
import { osvFeed } from './index';
import dsa from './testdata/DSA-3029-1.json?raw';
import usn from './testdata/USN-5614-1.json?raw';

const { importer } = osvFeed;
if (!importer) throw new Error('the OSV adapter imports');

describe('OSV import: recognising the format', () => {
  it.each([
    ['one OSV record', JSON.parse(dsa)],
    ['an array of them', [JSON.parse(dsa), JSON.parse(usn)]],
    ['an array with broken documents among records', [JSON.parse(dsa), { id: 'NO-MODIFIED' }, 'a string']],
    ['an empty array (nothing to import)', []],
  ])('takes %s', (_, value) => {
    expect(importer.detect(value, JSON.stringify(value))).toBe(true);
  });

  it.each([
    [
      'a CSAF document',
      { document: { category: 'csaf_vex', tracking: { id: 'RHSA-2024:4546' } }, vulnerabilities: [] },
    ],
    ['the KEV catalog', { catalogVersion: '2025.02.19', count: 1, vulnerabilities: [{ cveID: 'CVE-2025-0108' }] }],
    [
      'an NVD answer',
      { resultsPerPage: 1, vulnerabilities: [{ cve: { id: 'CVE-2024-1', lastModified: '2024-01-01' } }] },
    ],
    ['a CVE 5 record', { dataType: 'CVE_RECORD', cveMetadata: { cveId: 'CVE-2024-1' }, id: 'x', modified: 'y' }],
    ['an MSRC CVRF document', { DocumentTitle: { Value: 'January 2024' }, Vulnerability: [] }],
    ['an array of KEV entries', [{ cveID: 'CVE-2025-0108', dateAdded: '2025-02-18' }]],
    ['EPSS text', undefined],
  ])('leaves %s to its own importer', (_, value) => {
    expect(importer.detect(value, JSON.stringify(value) ?? 'cve,epss,percentile')).toBe(false);
  });
});

describe('OSV import: reading the documents', () => {
  it('answers one record per document in order: advisories, and the refused with why', async () => {
    const documents = [JSON.parse(dsa), { id: 'NO-MODIFIED' }, 'a string', JSON.parse(usn)];
    const records = await importer.parse(documents, JSON.stringify(documents));
    expect(
      records.map((r) =>
        r.kind === 'advisory' ? r.advisory.id : r.kind === 'quarantine' ? [r.document, r.reason] : r.kind,
      ),
    ).toEqual([
      'DSA-3029-1',
      ['NO-MODIFIED', expect.stringContaining('modified')],
      ['', expect.stringContaining('not a valid OSV record')],
      'USN-5614-1',
    ]);
  });

  it('hashes each document as JSON.stringify writes it, so importing it again changes nothing', async () => {
    const document = JSON.parse(dsa);
    const [single] = await importer.parse(document, dsa);
    const [inArray] = await importer.parse([document], `[${dsa}]`);
    const hash = await digestHex('SHA-256', JSON.stringify(document));
    expect(single).toMatchObject({ kind: 'advisory', contentHash: hash });
    expect(inArray).toMatchObject({ kind: 'advisory', contentHash: hash });
  });

  it('refuses a body that is not JSON (named with ?format=osv)', async () => {
    expect(await importer.parse(undefined, 'not json')).toEqual([
      { kind: 'quarantine', document: '', reason: 'not a JSON document', content: 'not json' },
    ]);
  });
});
