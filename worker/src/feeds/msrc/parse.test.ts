import { AdvisoryDocument } from '@patchboard/shared/schemas/advisory';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { rangeRows } from '../../db/advisories';
import type { FeedRecord } from '../feed';
import { msrcFeed } from './index';
import { parseMonthlyDocument } from './parse';
import feb from './testdata/2024-Feb.json?raw';
import jan from './testdata/2024-Jan.json?raw';

type AdvisoryRecord = Extract<FeedRecord, { kind: 'advisory' }>;

async function advisories(text: string): Promise<Map<string, AdvisoryRecord>> {
  const { records } = await parseMonthlyDocument(JSON.parse(text), 'test', text);
  const out = new Map<string, AdvisoryRecord>();
  for (const record of records) {
    if (record.kind !== 'advisory') throw new Error(`unexpected ${record.kind}: ${JSON.stringify(record)}`);
    out.set(record.advisory.id, record);
  }
  return out;
}

async function advisory(text: string, id: string): Promise<AdvisoryRecord> {
  const record = (await advisories(text)).get(id);
  if (!record) throw new Error(`${id} missing`);
  return record;
}

describe('the January 2024 document (hand-written after the v3 format)', () => {
  it('gives one advisory per CVE, named MSRC-<CVE>, with the month and its revision dates', async () => {
    const parsed = await parseMonthlyDocument(JSON.parse(jan), 'test', jan);
    expect(parsed.release).toBe('2024-Jan');
    expect(parsed.currentReleaseDate).toBe('2024-01-25T08:00:00.000Z');
    expect([...(await advisories(jan)).keys()]).toEqual([
      'MSRC-CVE-2024-20674',
      'MSRC-CVE-2024-20666',
      'MSRC-CVE-2024-21307',
      'MSRC-CVE-2024-20677',
    ]);
    const rdp = (await advisory(jan, 'MSRC-CVE-2024-21307')).advisory;
    expect(rdp).toMatchObject({
      source: 'msrc',
      summary: 'Remote Desktop Client Remote Code Execution Vulnerability',
      aliases: ['CVE-2024-21307'],
      cves: ['CVE-2024-21307'],
      published: '2024-01-09T08:00:00.000Z',
      modified: '2024-01-25T08:00:00.000Z',
      withdrawn: null,
      references: [{ type: 'ADVISORY', url: 'https://msrc.microsoft.com/update-guide/vulnerability/CVE-2024-21307' }],
      severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:H/A:H/E:U/RL:O/RC:C' }],
    });
  });

  it('CVE-2024-20674: each Windows release becomes its build ecosystem, fixed at FixedBuild or by its KBs', async () => {
    const { advisory: kerberos } = await advisory(jan, 'MSRC-CVE-2024-20674');
    expect(kerberos.affected).toEqual([
      {
        ecosystem: 'Windows:10.0.17763',
        package: 'windows',
        intervals: [{ fixed: '10.0.17763.5329' }],
        fixedBy: { kbs: ['KB5034127'] },
      },
      {
        ecosystem: 'Windows:10.0.20348',
        package: 'windows',
        intervals: [{ fixed: '10.0.20348.2227' }],
        fixedBy: { kbs: ['KB5034129'] },
      },
      {
        ecosystem: 'Windows:10.0.22631',
        package: 'windows',
        intervals: [{ fixed: '10.0.22631.3007' }],
        fixedBy: { kbs: ['KB5034123'] },
      },
      {
        ecosystem: 'Windows:10.0.25398',
        package: 'windows',
        intervals: [{ fixed: '10.0.25398.643' }],
        fixedBy: { kbs: ['KB5034130'] },
      },
      // The monthly rollup names a build, the security-only update only its KB: both count.
      {
        ecosystem: 'Windows:6.3.9600',
        package: 'windows',
        intervals: [{ fixed: '6.3.9600.21774' }],
        fixedBy: { kbs: ['KB5034167', 'KB5034171'] },
      },
    ]);
    // Server 2008's fix names no build: set aside, not matched by KB alone.
    expect(kerberos.skipped).toEqual([
      {
        ecosystem: 'Windows:6.0.6003',
        package: 'windows',
        reason: 'no vendor fix with a FixedBuild for Windows Server 2008 for x64-based Systems Service Pack 2',
      },
    ]);
    expect(kerberos.severity).toEqual([
      { type: 'CVSS_V3', score: 'CVSS:3.1/AV:A/AC:H/PR:N/UI:N/S:C/C:H/I:H/A:H/E:U/RL:O/RC:C' },
    ]);
  });

  it('CVE-2024-20674: remediations per KB, with the releases they apply to and the restart they need', async () => {
    const { advisory: kerberos } = await advisory(jan, 'MSRC-CVE-2024-20674');
    expect(kerberos.remediations).toContainEqual({
      category: 'vendor_fix',
      details: 'KB5034129',
      url: 'https://catalog.update.microsoft.com/v7/site/Search.aspx?q=KB5034129',
      restartRequired: 'machine',
      packages: ['Windows:10.0.20348 windows'],
    });
    expect(kerberos.remediations).toContainEqual({
      category: 'vendor_fix',
      details: 'KB5034173',
      url: 'https://catalog.update.microsoft.com/v7/site/Search.aspx?q=KB5034173',
      restartRequired: 'machine',
      packages: ['Windows:6.0.6003 windows'],
    });
    // Server 2019 and Windows 10 1809 share one build and one update.
    expect(kerberos.remediations.find((r) => r.details === 'KB5034127')?.packages).toEqual([
      'Windows:10.0.17763 windows',
    ]);
    expect(kerberos.remediations).toHaveLength(7);
  });

  it('CVE-2024-20674: supersedence pairs (newer, older) from every vendor fix', async () => {
    const record = await advisory(jan, 'MSRC-CVE-2024-20674');
    expect(record.supersedence).toEqual([
      ['KB5034129', 'KB5033118'],
      ['KB5034123', 'KB5033375'],
      ['KB5034130', 'KB5033383'],
      ['KB5034127', 'KB5033371'],
      ['KB5034171', 'KB5033420'],
      ['KB5034167', 'KB5033424'],
      ['KB5034173', 'KB5033422'],
    ]);
  });

  it('CVE-2024-20666: a release fixed by two updates (the cumulative one and a WinRE one) lists both KBs', async () => {
    const { advisory: bitlocker } = await advisory(jan, 'MSRC-CVE-2024-20666');
    expect(bitlocker.affected.find((a) => a.ecosystem === 'Windows:10.0.20348')).toEqual({
      ecosystem: 'Windows:10.0.20348',
      package: 'windows',
      intervals: [{ fixed: '10.0.20348.2227' }],
      fixedBy: { kbs: ['KB5034129', 'KB5034439'] },
    });
    expect(bitlocker.remediations.find((r) => r.details === 'KB5034439')).toEqual({
      category: 'vendor_fix',
      details: 'KB5034439',
      url: 'https://support.microsoft.com/help/5034439',
      restartRequired: 'none',
      packages: ['Windows:10.0.20348 windows'],
    });
  });

  it('CVE-2024-21307: the Remote Desktop app is skipped; its release notes and a workaround stay remediations', async () => {
    const { advisory: rdp } = await advisory(jan, 'MSRC-CVE-2024-21307');
    expect(rdp.affected.map((a) => a.ecosystem)).toEqual(['Windows:10.0.20348', 'Windows:10.0.22631']);
    expect(rdp.skipped).toEqual([
      {
        ecosystem: 'Microsoft',
        package: 'Remote Desktop client for Windows Desktop',
        reason: 'not a Windows release: hosts do not report it as a build to match',
      },
    ]);
    expect(rdp.remediations).toContainEqual({
      category: 'vendor_fix',
      details: 'Release Notes',
      url: 'https://learn.microsoft.com/windows-server/remote/remote-desktop-services/clients/windowsdesktop-whatsnew',
      restartRequired: 'none',
      packages: ['Remote Desktop client for Windows Desktop'],
    });
    expect(rdp.remediations).toContainEqual({
      category: 'workaround',
      details: 'Connect only to Remote Desktop servers you trust.',
      url: null,
      restartRequired: null,
      packages: ['Windows:10.0.20348 windows', 'Windows:10.0.22631 windows'],
    });
  });

  it('CVE-2024-20677 (Office): no Windows release, so nothing to match and every product skipped', async () => {
    const { advisory: office } = await advisory(jan, 'MSRC-CVE-2024-20677');
    expect(office.affected).toEqual([]);
    expect(office.skipped.map((s) => s.package)).toEqual([
      'Microsoft Office LTSC 2021 for 64-bit editions',
      'Microsoft 365 Apps for Enterprise for 64-bit Systems',
    ]);
    expect(office.remediations).toEqual([
      {
        category: 'vendor_fix',
        details: 'Click to Run',
        url: 'https://aka.ms/OfficeSecurityReleases',
        restartRequired: 'none',
        packages: [
          'Microsoft Office LTSC 2021 for 64-bit editions',
          'Microsoft 365 Apps for Enterprise for 64-bit Systems',
        ],
      },
    ]);
  });
});

describe('the February 2024 document', () => {
  it('CVE-2024-21412: exploited in the wild, fixed by the February updates that supersede January', async () => {
    const record = await advisory(feb, 'MSRC-CVE-2024-21412');
    expect(record.advisory.threats).toContainEqual({
      category: 'exploit_status',
      details: 'Exploited:Yes; Publicly Disclosed:No; Latest Software Release:Exploitation Detected',
      date: null,
    });
    expect(record.advisory.threats).toContainEqual({
      category: 'impact',
      details: 'Security Feature Bypass',
      date: null,
    });
    expect(record.advisory.affected).toContainEqual({
      ecosystem: 'Windows:10.0.20348',
      package: 'windows',
      intervals: [{ fixed: '10.0.20348.2322' }],
      fixedBy: { kbs: ['KB5034770'] },
    });
    // `KB5034123, KB5034204`: several KBs, with their prefix, separated by a comma.
    expect(record.supersedence).toEqual([
      ['KB5034770', 'KB5034129'],
      ['KB5034765', 'KB5034123'],
      ['KB5034765', 'KB5034204'],
      ['KB5034769', 'KB5034130'],
      ['KB5034768', 'KB5034127'],
    ]);
  });

  it('only the two Windows CVEs carry an exploited threat; the Outlook CVE is skipped whole', async () => {
    const parsed = await advisories(feb);
    const exploited = [...parsed.values()]
      .filter((r) =>
        r.advisory.threats.some((t) => t.category === 'exploit_status' && t.details.startsWith('Exploited:Yes')),
      )
      .map((r) => r.advisory.id);
    expect(exploited).toEqual(['MSRC-CVE-2024-21412', 'MSRC-CVE-2024-21351']);
    expect(parsed.get('MSRC-CVE-2024-21413')?.advisory.affected).toEqual([]);
  });
});

describe('every advisory of the fixtures', () => {
  it('is a valid AdvisoryDocument whose ranges the store can key', async () => {
    for (const text of [jan, feb]) {
      for (const record of (await advisories(text)).values()) {
        expect(() => v.parse(AdvisoryDocument, record.advisory)).not.toThrow();
        expect(rangeRows(record.advisory)).not.toHaveProperty('error');
        expect(record.contentHash).toMatch(/^[0-9a-f]{64}$/);
      }
    }
  });

  it('is the same record from the same document (idempotent content hashes)', async () => {
    const first = await parseMonthlyDocument(JSON.parse(jan), 'test', jan);
    const again = await parseMonthlyDocument(JSON.parse(jan), 'test', jan);
    expect(again).toEqual(first);
  });

  it('changes only for the vulnerability that changed in a revised month', async () => {
    const revised = JSON.parse(jan);
    revised.DocumentTracking.CurrentReleaseDate = '2024-02-01T08:00:00';
    revised.Vulnerability[1].Remediations[0].FixedBuild = '10.0.20348.2228';
    const before = await advisories(jan);
    const after = await advisories(JSON.stringify(revised));
    const changed = [...after.values()]
      .filter((r) => r.contentHash !== before.get(r.advisory.id)?.contentHash)
      .map((r) => r.advisory.id);
    expect(changed).toEqual(['MSRC-CVE-2024-20666']);
  });
});

describe('broken documents and entries', () => {
  it('quarantines one malformed vulnerability and reads the others', async () => {
    const doc = JSON.parse(jan);
    doc.Vulnerability[2].Remediations[0].ProductID = 'not a list';
    const { records } = await parseMonthlyDocument(doc, '2024-Jan');
    expect(records.map((r) => r.kind)).toEqual(['advisory', 'advisory', 'quarantine', 'advisory']);
    expect(records[2]).toMatchObject({
      kind: 'quarantine',
      document: 'MSRC-CVE-2024-21307',
      reason: expect.stringContaining('Remediations.0.ProductID'),
    });
  });

  it.each([
    ['no DocumentTracking', (d: Record<string, unknown>) => delete d.DocumentTracking, 'DocumentTracking'],
    [
      'an unreadable release date',
      (d: { DocumentTracking: Record<string, unknown> }) => {
        d.DocumentTracking.CurrentReleaseDate = 'last Tuesday';
      },
      'timestamp',
    ],
    [
      'a release id that is no path segment',
      (d: { DocumentTracking: { Identification: { ID: { Value: string } } } }) => {
        d.DocumentTracking.Identification.ID.Value = '../2024-Jan';
      },
      'release id',
    ],
  ])('quarantines a whole document with %s', async (_, spoil, reason) => {
    const doc = JSON.parse(jan);
    spoil(doc);
    const parsed = await parseMonthlyDocument(doc, '2024-Jan', jan);
    expect(parsed.release).toBeNull();
    expect(parsed.records).toEqual([
      {
        kind: 'quarantine',
        document: 'MSRC 2024-Jan',
        reason: expect.stringContaining(reason),
        content: jan.slice(0, 2048),
      },
    ]);
  });

  it('refuses an id in the CVE field that is neither a CVE nor an ADV number', async () => {
    const doc = JSON.parse(feb);
    doc.Vulnerability[0].CVE = '<script>';
    const { records } = await parseMonthlyDocument(doc, '2024-Feb');
    expect(records[0]).toMatchObject({ kind: 'quarantine', document: 'MSRC 2024-Feb Vulnerability[0]' });
  });

  it('sets aside a FixedBuild of another release instead of matching hosts against it', async () => {
    const doc = JSON.parse(feb);
    doc.Vulnerability[0].Remediations[0].FixedBuild = '10.0.22631.3155';
    const { records } = await parseMonthlyDocument(doc, '2024-Feb');
    const record = records[0] as AdvisoryRecord;
    expect(record.advisory.affected.map((a) => a.ecosystem)).not.toContain('Windows:10.0.20348');
    expect(record.advisory.skipped).toContainEqual({
      ecosystem: 'Windows:10.0.20348',
      package: 'windows',
      reason: expect.stringContaining('FixedBuild "10.0.22631.3155" is not a build of Windows:10.0.20348'),
    });
  });

  it('reads ADV advisories, a hotpatch beside the cumulative update, and ignores remediation types it does not know', async () => {
    const doc = JSON.parse(feb);
    const [first] = doc.Vulnerability;
    first.CVE = 'ADV240001';
    first.Remediations.push(
      {
        ...first.Remediations[0],
        Description: { Value: '5034795' },
        SubType: 'Security Hotpatch Update',
        FixedBuild: '10.0.20348.2291',
        Supercedence: '',
      },
      { Type: 6, Description: { Value: '5034770' }, ProductID: ['11923'] },
    );
    const { records } = await parseMonthlyDocument(doc, '2024-Feb');
    const record = records[0] as AdvisoryRecord;
    expect(record.advisory).toMatchObject({ id: 'MSRC-ADV240001', aliases: ['ADV240001'], cves: [] });
    expect(record.advisory.affected[0]).toEqual({
      ecosystem: 'Windows:10.0.17763',
      package: 'windows',
      intervals: [{ fixed: '10.0.17763.5458' }],
      fixedBy: { kbs: ['KB5034768'] },
    });
    expect(record.advisory.affected[1]).toEqual({
      ecosystem: 'Windows:10.0.20348',
      package: 'windows',
      intervals: [{ fixed: '10.0.20348.2322' }],
      fixedBy: { kbs: ['KB5034770', 'KB5034795'] },
    });
    expect(record.advisory.remediations).toHaveLength(5);
  });
});

describe('threat dates', () => {
  it('keeps a date the source specified and drops the .NET default of an unspecified one', async () => {
    const doc = JSON.parse(feb);
    const threats = doc.Vulnerability[0].Threats;
    const exploit = threats.find((t: { Type: number }) => t.Type === 1);
    exploit.Date = '2024-02-13T08:00:00';
    exploit.DateSpecified = true;
    threats.push({ Type: 1, Description: { Value: 'Exploited:No' }, Date: '0001-01-01T00:00:00' });
    const { records } = await parseMonthlyDocument(doc, '2024-Feb');
    const record = records[0] as AdvisoryRecord;
    expect(record.advisory.threats.filter((t) => t.category === 'exploit_status')).toEqual([
      {
        category: 'exploit_status',
        details: 'Exploited:Yes; Publicly Disclosed:No; Latest Software Release:Exploitation Detected',
        date: '2024-02-13T08:00:00.000Z',
      },
      { category: 'exploit_status', details: 'Exploited:No', date: null },
    ]);
  });
});

describe('the import of ?format=cvrf', () => {
  it('recognises a CVRF document and nothing else', () => {
    const importer = msrcFeed.importer;
    expect(importer?.detect(JSON.parse(jan), jan)).toBe(true);
    expect(importer?.detect({ id: 'GHSA-1', modified: '2024-01-01T00:00:00Z' }, '')).toBe(false);
    expect(importer?.detect([JSON.parse(jan)], '')).toBe(false);
    expect(importer?.detect(null, 'null')).toBe(false);
  });

  it('reads an uploaded month like a fetched one', async () => {
    const records = (await msrcFeed.importer?.parse(JSON.parse(feb), feb)) ?? [];
    const fetched = await parseMonthlyDocument(JSON.parse(feb), '2024-Feb', feb);
    expect(records).toEqual(fetched.records);
    expect(records).toHaveLength(3);
  });
});
