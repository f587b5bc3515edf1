import { describe, expect, it } from 'vitest';
import type { CveRecord } from '../feed';
import { nvdFeed } from './index';
import { parseNvdPage } from './parse';
import v4Cve from './testdata/fkie-CVE-2024-0012.cve.json?raw';
import rejectedCve from './testdata/fkie-CVE-2024-0069.rejected.cve.json?raw';
import ffmpeg from './testdata/osvdev-CVE-2021-28429.json?raw';
import xz from './testdata/osvdev-CVE-2024-3094.json?raw';
import fullPage from './testdata/vunnel-full-page.json?raw';
import single from './testdata/vunnel-single-entry.json?raw';
import { pageOf } from './testing';

function records(text: string): CveRecord[] {
  const parsed = parseNvdPage(JSON.parse(text), 'test');
  if ('error' in parsed) throw new Error(parsed.error);
  expect(parsed.quarantined).toEqual([]);
  return [...parsed.records];
}

const byId = (list: readonly CveRecord[], id: string) => list.find((r) => r.cve === id);

describe('NVD API 2.0 pages from the corpus', () => {
  it('vunnel full page: 38 CVEs; CVE-2023-27314 with its NVD (Primary) score and CWE, placeholders dropped', () => {
    const page = records(fullPage);
    expect(page).toHaveLength(38);
    expect(byId(page, 'CVE-2023-27314')).toEqual({
      cve: 'CVE-2023-27314',
      status: 'Analyzed',
      published: '2023-10-12T19:15:11.747Z',
      modified: '2023-10-18T18:00:24.900Z',
      description: expect.stringMatching(/^ONTAP 9 versions prior to 9\.8P19, 9\.9\.1P16, 9\.10\.1P12/),
      cvss3: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', score: 7.5 },
      cvss4: null,
      cwes: ['CWE-400'],
    });
  });

  it('the Primary score wins over a CNA Secondary one; a CVE awaiting analysis keeps the CNA score', () => {
    const page = records(fullPage);
    expect(byId(page, 'CVE-2023-45109')?.cvss3).toEqual({
      vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H',
      score: 8.8,
    });
    expect(byId(page, 'CVE-2023-30781')).toMatchObject({
      status: 'Awaiting Analysis',
      cvss3: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:L', score: 7.1 },
    });
    expect(byId(page, 'CVE-2023-43250')).toMatchObject({ cvss3: null, cvss4: null, cwes: [] });
    expect(page.filter((r) => r.status === 'Awaiting Analysis')).toHaveLength(13);
  });

  it('single entry: English description chosen, CVSS v2 ignored', () => {
    const [record] = records(single);
    expect(record).toEqual({
      cve: 'CVE-2022-1576',
      status: 'Modified',
      published: '2022-07-11T13:15:08.503Z',
      modified: '2024-11-21T06:41:00.133Z',
      description: expect.stringMatching(/^The WP Maintenance Mode & Coming Soon WordPress plugin before 2\.4\.5/),
      cvss3: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:H/A:N', score: 6.5 },
      cvss4: null,
      cwes: ['CWE-352'],
    });
  });

  it('osv.dev samples: escaped slashes in vectors, SSVC metrics passed over, Primary listed second still wins', () => {
    expect(records(ffmpeg)[0]).toMatchObject({
      cve: 'CVE-2021-28429',
      cvss3: { vector: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:H', score: 5.5 },
      cwes: ['CWE-190'],
    });
    expect(records(xz)[0]).toMatchObject({
      cve: 'CVE-2024-3094',
      status: 'Modified',
      modified: '2026-06-17T07:43:17.830Z',
      cvss3: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', score: 10 },
      cvss4: null,
      cwes: ['CWE-506'],
    });
  });

  it("fkie-cad CVE-2024-0012: a CVSS 4.0 score (CNA) beside NVD's 3.1; a CWE named twice is kept once", () => {
    const [record] = records(pageOf([JSON.parse(v4Cve)]));
    expect(record).toMatchObject({
      cve: 'CVE-2024-0012',
      cvss3: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 9.8 },
      cvss4: {
        vector:
          'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:L/SI:N/SA:N/E:X/CR:X/IR:X/AR:X/MAV:X/MAC:X/MAT:X/MPR:X/MUI:X/MVC:X/MVI:X/MVA:X/MSC:X/MSI:X/MSA:X/S:X/AU:N/R:U/V:C/RE:H/U:Red',
        score: 9.3,
      },
      cwes: ['CWE-306'],
    });
    expect(record?.description).toMatch(/^An authentication bypass in Palo Alto Networks PAN-OS software/);
  });

  it('fkie-cad CVE-2024-0069: a Rejected CVE, the status Patchboard withdraws advisories on', () => {
    const [record] = records(pageOf([JSON.parse(rejectedCve)]));
    expect(record).toEqual({
      cve: 'CVE-2024-0069',
      status: 'Rejected',
      published: '2023-11-28T00:15:07.140Z',
      modified: '2023-11-28T00:15:07.140Z',
      description: 'Rejected reason: This CVE ID was unused by the CNA.',
      cvss3: null,
      cvss4: null,
      cwes: [],
    });
  });

  it("a malformed CVE is quarantined and the page's others kept; a malformed score is passed over", () => {
    const good = JSON.parse(rejectedCve);
    const noDate = { ...JSON.parse(v4Cve), lastModified: 'last tuesday' };
    const badMetric = JSON.parse(v4Cve);
    badMetric.id = 'CVE-2024-9999';
    badMetric.metrics.cvssMetricV40[0].cvssData.baseScore = 93;
    const parsed = parseNvdPage(JSON.parse(pageOf([good, noDate, badMetric, { nothing: true }])), 'page-x');
    if ('error' in parsed) throw new Error(parsed.error);
    expect(parsed.records.map((r) => r.cve)).toEqual(['CVE-2024-0069', 'CVE-2024-9999']);
    expect(parsed.records[1]).toMatchObject({ cvss4: null, cvss3: { score: 9.8 } });
    expect(parsed.quarantined.map((q) => [q.document, q.reason])).toEqual([
      ['nvd:CVE-2024-0012', 'cve.lastModified: lastModified must be an ISO 8601 timestamp'],
      ['nvd:page-x#3', expect.stringContaining('cve')],
    ]);
  });

  it('refuses what is not a page', () => {
    expect(parseNvdPage({ vulnerabilities: [] }, 'x')).toEqual({ error: expect.stringContaining('resultsPerPage') });
  });

  it('the same page twice gives the same records', () => {
    expect(records(fullPage)).toEqual(records(fullPage));
  });
});

describe('NVD importer', () => {
  it('detects an API page by its format or its shape, and reads it', async () => {
    const importer = nvdFeed.importer;
    if (!importer) throw new Error('nvd has an importer');
    expect(importer.detect(JSON.parse(fullPage), fullPage)).toBe(true);
    const { format: _format, ...unformatted } = JSON.parse(single);
    expect(importer.detect(unformatted, '')).toBe(true);
    expect(importer.detect({ catalogVersion: 'x', vulnerabilities: [{ cveID: 'CVE-2024-1' }] }, '')).toBe(false);
    expect(importer.detect(JSON.parse(rejectedCve), rejectedCve)).toBe(false);
    const read = await importer.parse(JSON.parse(fullPage), fullPage);
    expect(read).toHaveLength(1);
    expect(read[0]?.kind === 'cve' && read[0].records).toHaveLength(38);
  });
});
