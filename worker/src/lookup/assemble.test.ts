import { parseAdvisoryId } from '@patchboard/shared/ids';
import { describe, expect, it } from 'vitest';
import { assemble, type Requested } from './assemble';
import type { LookupRow } from './queries';

function requested(id: string): Requested {
  return { id, ...parseAdvisoryId(id) };
}

/** A statement row for index `idx`: no advisory and no fact unless given. */
function row(idx: number, fields: Partial<LookupRow> = {}): LookupRow {
  return {
    idx,
    cves: '[]',
    advisory_count: 0,
    advisories: null,
    statuses: '[null,null,null,null]',
    rings: null,
    priority: null,
    fixes: null,
    kev: null,
    epss: null,
    nvd: 0,
    next_deployment: null,
    ...fields,
  };
}

describe('assemble', () => {
  it('answers in request order, unrecognised ids with their reason and without a row', () => {
    const items = assemble(
      [requested('openssl'), requested('USN-5614-1'), requested('usn-5614-1')],
      [
        row(2, { advisory_count: 1, advisories: '[["USN-5614-1","osv","wayland",null,null]]' }),
        row(1, { advisory_count: 1, advisories: '[["USN-5614-1","osv","wayland",null,null]]' }),
      ],
    );
    expect(items.map((i) => [i.id, i.canonical, i.known])).toEqual([
      ['openssl', null, false],
      ['USN-5614-1', 'USN-5614-1', true],
      ['usn-5614-1', 'USN-5614-1', true],
    ]);
    expect(items[0]?.reason).toContain('not an advisory id Patchboard recognises');
  });

  it('sums the rings into the affected hosts, keeps counts per status and reads priority, KEV and EPSS', () => {
    const [item] = assemble(
      [requested('KB5034129')],
      [
        row(0, {
          cves: '["CVE-2024-21307","CVE-2024-20666"]',
          advisory_count: 60,
          advisories: '[["MSRC-CVE-2024-21307","msrc",null,"2024-01-09T08:00:00.000Z",null]]',
          statuses: '[5,1,0,2]',
          rings: '{"prod":3,"test":1}',
          priority: '[2,"2024-06-03T00:00:00.000Z","P2: CVSS 7.0"]',
          fixes: '[["Windows:10.0.20348","windows","10.0.20348.2227"]]',
          kev: '["CVE-2024-21307","2024-01-20","2024-02-10","Known"]',
          epss: '["CVE-2024-20666",0.0231,0.89,"2024-02-01"]',
        }),
      ],
    );
    expect(item).toMatchObject({
      known: true,
      reason: null,
      advisoryCount: 60,
      cves: ['CVE-2024-20666', 'CVE-2024-21307'],
      cveCount: 2,
      hosts: { affected: 4, byRing: { prod: 3, test: 1 } },
      findings: { open: 5, scheduled: 1, excepted: 0, resolved: 2 },
      priority: { highest: 2, dueAt: '2024-06-03T00:00:00.000Z', explanation: 'P2: CVSS 7.0' },
      kev: { cve: 'CVE-2024-21307', dateAdded: '2024-01-20', dueDate: '2024-02-10', ransomware: true },
      epss: { cve: 'CVE-2024-20666', score: 0.0231, percentile: 0.89, date: '2024-02-01' },
      fixedVersions: [{ ecosystem: 'Windows:10.0.20348', package: 'windows', version: '10.0.20348.2227' }],
      nextDeployment: null,
    });
  });

  it('lists advisories newest first, undated last, whatever order the rows came in', () => {
    const [item] = assemble(
      [requested('CVE-2021-3782')],
      [
        row(0, {
          advisory_count: 3,
          advisories:
            '[["ACME-1","osv",null,null,null],["UBUNTU-CVE-2021-3782","osv",null,"2022-08-30T20:51:00.000Z",null],["USN-5614-1","osv",null,"2022-09-15T16:43:06.000Z",null]]',
        }),
      ],
    );
    expect(item?.advisories.map((a) => a.id)).toEqual(['USN-5614-1', 'UBUNTU-CVE-2021-3782', 'ACME-1']);
  });

  it('knows a CVE without advisory from KEV, EPSS or NVD alone; any other id needs an advisory', () => {
    const items = assemble(
      [requested('CVE-2025-0108'), requested('CVE-1999-0002'), requested('CVE-2024-3094'), requested('CVE-2099-0001')],
      [
        row(0, { cves: '["CVE-2025-0108"]', kev: '["CVE-2025-0108","2025-02-18","2025-03-11","Unknown"]' }),
        row(1, { cves: '["CVE-1999-0002"]', epss: '["CVE-1999-0002",0.01328,0.85996,"2025-02-20"]' }),
        row(2, { cves: '["CVE-2024-3094"]', nvd: 1 }),
        row(3, { cves: '["CVE-2099-0001"]' }),
      ],
    );
    expect(items.map((i) => i.known)).toEqual([true, true, true, false]);
    expect(items[0]?.kev?.ransomware).toBe(false);
    expect(items[3]).toMatchObject({
      reason: 'no advisory, KEV, EPSS or NVD record names this CVE',
      cves: ['CVE-2099-0001'],
    });
    const [kb] = assemble([requested('KB9999999')], [row(0, { epss: '["CVE-1",0.5,0.5,"2025-01-01"]' })]);
    expect(kb).toMatchObject({ known: false, reason: 'no advisory this tenant can see names this id', epss: null });
  });
});
