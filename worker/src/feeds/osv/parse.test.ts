import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { OsvRecord } from './input';
import { parseOsv } from './parse';
import alsa from './testdata/ALSA-2024_2433.json?raw';
import alpine from './testdata/CVE-2022-27449.alpine.json?raw';
import dsa from './testdata/DSA-3029-1.json?raw';
import ghsa from './testdata/GHSA-9v2f-6vcg-3hgv.json?raw';
import withdrawn from './testdata/GHSA-35c4-f3rq-f9g3.withdrawn.json?raw';
import go from './testdata/GO-2024-2963.json?raw';
import nopackage from './testdata/nopackage-GHSA-9v2f-6vcg-3hgv.json?raw';
import pysec from './testdata/PYSEC-2023-74.json?raw';
import rhsa from './testdata/RHSA-2024_4546.osv.json?raw';
import ubuntuKernel from './testdata/UBUNTU-CVE-2025-38094.json?raw';
import usn from './testdata/USN-5614-1.json?raw';

function parse(text: string) {
  const record = v.parse(OsvRecord, JSON.parse(text));
  const result = parseOsv(record);
  if ('error' in result) throw new Error(result.error);
  return result.advisory;
}

describe('OSV records from the corpus', () => {
  it('DSA-3029-1: a Debian advisory for one release, with its CVE', () => {
    const advisory = parse(dsa);
    expect(advisory).toMatchObject({ id: 'DSA-3029-1', source: 'osv', cves: ['CVE-2014-3616'], withdrawn: null });
    expect(advisory.affected).toEqual([
      { ecosystem: 'Debian:7', package: 'nginx', intervals: [{ fixed: '1.2.1-2.2+wheezy3' }] },
    ]);
  });

  it('USN-5614-1: Ubuntu LTS ecosystems drop ":LTS", explicit versions become one-version intervals', () => {
    const advisory = parse(usn);
    const jammy = advisory.affected.find((a) => a.ecosystem === 'Ubuntu:22.04');
    expect(jammy?.package).toBe('wayland');
    expect(jammy?.intervals).toContainEqual({ fixed: '1.20.0-1ubuntu0.1' });
    expect(jammy?.intervals).toContainEqual({ introduced: '1.20.0-1', lastAffected: '1.20.0-1' });
    expect(advisory.affected.map((a) => a.ecosystem)).toEqual(['Ubuntu:18.04', 'Ubuntu:20.04', 'Ubuntu:22.04']);
  });

  it('USN-5614-1: the CVE inside its upstream UBUNTU-CVE id, and the scores given per package, once', () => {
    const advisory = parse(usn);
    expect(advisory.aliases).toEqual(['UBUNTU-CVE-2021-3782']);
    expect(advisory.cves).toEqual(['CVE-2021-3782']);
    expect(advisory.severity).toEqual([
      { type: 'CVSS_V3', score: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:H' },
      { type: 'Ubuntu', score: 'medium' },
    ]);
  });

  it('UBUNTU-CVE-2025-38094: 180 listed kernel versions of an ESM release stay apart from plain releases', () => {
    const advisory = parse(ubuntuKernel);
    expect(advisory.cves).toEqual(['CVE-2025-38094']);
    expect(advisory.affected[0]?.ecosystem).toBe('Ubuntu:Pro:14.04');
    expect(advisory.affected[0]?.intervals.length).toBeGreaterThanOrEqual(180);
  });

  it('RHSA-2024:4546: Red Hat extended-support streams keep their name', () => {
    const advisory = parse(rhsa);
    expect(new Set(advisory.affected.map((a) => a.ecosystem))).toEqual(
      new Set(['Red Hat:8.6:aus', 'Red Hat:8.6:e4s', 'Red Hat:8.6:tus']),
    );
    expect(advisory.affected[0]?.intervals).toEqual([{ fixed: '0:2.13.3-3.el8_6.1' }]);
  });

  it('ALSA-2024:2433, CVE-2022-27449 (Alpine), GO-2024-2963: rpm, apk and Go ranges', () => {
    expect(parse(alsa).affected).toHaveLength(10);
    expect(parse(alpine).affected.map((a) => `${a.ecosystem} ${a.intervals[0]?.fixed}`)).toContain(
      'Alpine:v3.16 10.6.8-r0',
    );
    expect(parse(go).affected[0]?.intervals).toEqual([
      { fixed: '1.21.12' },
      { introduced: '1.22.0-0', fixed: '1.22.5' },
    ]);
  });

  it('PYSEC-2023-74: GIT ranges name commits and are left to the version list; ECOSYSTEM ranges count', () => {
    const advisory = parse(pysec);
    expect(advisory.affected[0]?.intervals).toContainEqual({ introduced: '2.3.0', fixed: '2.31.0' });
    expect(JSON.stringify(advisory.affected)).not.toContain('74ea7cf7a6a27a4eeb2ae24e162bcc942a6706d5');
  });

  it('a withdrawn GHSA keeps its withdrawal date; its out-of-order events become sorted intervals', () => {
    const advisory = parse(withdrawn);
    expect(advisory.withdrawn).toBe('2018-10-11T17:29:49.000Z');
    expect(advisory.affected[0]?.intervals).toEqual([
      { introduced: '3.2.0', fixed: '3.2.22' },
      { introduced: '4.0.0', fixed: '4.1.11' },
      { introduced: '4.2.0', fixed: '4.2.2' },
    ]);
  });

  it('GHSA-9v2f-6vcg-3hgv and its broken twin parse; a package named differently is simply another package', () => {
    expect(parse(ghsa).affected[0]?.package).toBe('Gradio');
    expect(parse(nopackage).affected[0]?.package).toBe('Gradi0');
  });
});

describe('hostile and broken records', () => {
  const base = { id: 'TEST-1', modified: '2024-01-01T00:00:00Z' };

  it.each([
    [{ ...base, id: '../../etc/passwd' }, 'id'],
    [{ ...base, modified: 'yesterday' }, 'modified'],
    [
      {
        ...base,
        affected: [
          {
            package: { ecosystem: 'npm', name: 'x' },
            ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '1', fixed: '2' }] }],
          },
        ],
      },
      'exactly one',
    ],
    [
      {
        ...base,
        affected: [{ package: { ecosystem: 'npm', name: 'x' }, ranges: [{ type: 'ECOSYSTEM', events: [] }] }],
      },
      'needs events',
    ],
    [{ ...base, aliases: 'CVE-2024-1' }, 'aliases'],
  ])('refuses %j', (record, reason) => {
    const result = v.safeParse(OsvRecord, record);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.issues)).toContain(reason);
  });

  it('sets aside ecosystems without a version scheme instead of guessing', () => {
    const record = v.parse(OsvRecord, {
      ...base,
      affected: [
        {
          package: { ecosystem: 'Bitnami', name: 'brotli' },
          ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.9' }] }],
        },
        {
          package: { ecosystem: 'npm', name: 'left-pad' },
          ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.3.0' }] }],
        },
      ],
    });
    const result = parseOsv(record);
    expect(result).toMatchObject({
      advisory: {
        affected: [{ ecosystem: 'npm', package: 'left-pad' }],
        skipped: [{ ecosystem: 'Bitnami', package: 'brotli', reason: 'no version scheme for this ecosystem' }],
      },
    });
  });

  it('refuses a record whose versions its own ecosystem cannot read', () => {
    const record = v.parse(OsvRecord, {
      ...base,
      affected: [
        {
          package: { ecosystem: 'Debian:12', name: 'x' },
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: 'ünicode' }] }],
        },
      ],
    });
    expect(parseOsv(record)).toMatchObject({ error: expect.stringContaining('affected[0] (x)') });
  });
});
