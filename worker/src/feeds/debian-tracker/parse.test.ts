import { AdvisoryDocument } from '@patchboard/shared/schemas/advisory';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import type { FeedRecord } from '../feed';
import { importDebianTracker, looksLikeDebianTracker } from './import';
import { entryHash, trackerRecord, trackerRecordFromText } from './parse';
import mock from './testdata/osvdev-debian_security_tracker_mock.json?raw';
import excerpt from './testdata/vunnel-debian.json?raw';

function advisoriesOf(records: readonly FeedRecord[]) {
  return records.flatMap((r) => (r.kind === 'advisory' ? [r.advisory] : []));
}

async function byId(text: string) {
  const records = await importDebianTracker(JSON.parse(text));
  expect(records.filter((r) => r.kind !== 'advisory')).toEqual([]);
  return new Map(advisoriesOf(records).map((a) => [a.id, a]));
}

const MODIFIED = '2026-11-26T12:00:00.000Z';

async function one(pkg: string, issue: string, entry: unknown): Promise<FeedRecord | null> {
  return trackerRecord(pkg, issue, entry, JSON.stringify(entry), MODIFIED);
}

describe('the Debian tracker excerpt (vunnel)', () => {
  it('yields one advisory per (CVE, source package): seven, all valid normal-form documents', async () => {
    const advisories = await byId(excerpt);
    expect([...advisories.keys()]).toEqual([
      'DEBIAN-CVE-2008-7220:prototypejs',
      'DEBIAN-CVE-2007-2383:prototypejs',
      'DEBIAN-CVE-2013-1444:txt2man',
      'DEBIAN-CVE-2005-3111:backupninja',
      'DEBIAN-CVE-2022-0456:chromium',
      'DEBIAN-CVE-2025-53603:sope',
      'DEBIAN-CVE-2022-0358:chromium-browser',
    ]);
    for (const advisory of advisories.values()) {
      expect(v.safeParse(AdvisoryDocument, advisory).success).toBe(true);
      expect(advisory.source).toBe('debian-tracker');
      expect(advisory.cves).toEqual([advisory.aliases[0]]);
    }
  });

  it('maps codenames to releases, drops sid, and keeps the source package name', async () => {
    const prototypejs = (await byId(excerpt)).get('DEBIAN-CVE-2008-7220:prototypejs');
    expect(prototypejs).toMatchObject({
      cves: ['CVE-2008-7220'],
      details: expect.stringMatching(/^Unspecified vulnerability in Prototype JavaScript framework/),
      severity: [{ type: 'debian-urgency', score: 'high**' }],
      references: [
        { type: 'ADVISORY', url: 'https://security-tracker.debian.org/tracker/CVE-2008-7220' },
        { type: 'REPORT', url: 'https://bugs.debian.org/cgi-bin/bugreport.cgi?bug=555217' },
      ],
      skipped: [],
      notAffected: [],
    });
    expect(prototypejs?.affected).toEqual([
      { ecosystem: 'Debian:9', package: 'prototypejs', intervals: [{ fixed: '1.6.0.2-1' }] },
      { ecosystem: 'Debian:8', package: 'prototypejs', intervals: [{ fixed: '1.6.0.2-1' }] },
      { ecosystem: 'Debian:10', package: 'prototypejs', intervals: [{ fixed: '1.6.0.2-1' }] },
    ]);
  });

  it('reads fixed_version "0" as not affected', async () => {
    const advisory = (await byId(excerpt)).get('DEBIAN-CVE-2007-2383:prototypejs');
    expect(advisory?.affected).toEqual([]);
    expect(advisory?.notAffected).toEqual([
      { ecosystem: 'Debian:9', package: 'prototypejs', justification: null },
      { ecosystem: 'Debian:8', package: 'prototypejs', justification: null },
      { ecosystem: 'Debian:10', package: 'prototypejs', justification: null },
    ]);
    // `unimportant` is a severity; it is said even though nothing is affected.
    expect(advisory?.severity).toEqual([]);
  });

  it('chromium CVE-2022-0456: fixed with backport suffixes, open and out of support in buster and stretch', async () => {
    const advisory = (await byId(excerpt)).get('DEBIAN-CVE-2022-0456:chromium');
    expect(advisory?.affected).toEqual([
      { ecosystem: 'Debian:12', package: 'chromium', intervals: [{ fixed: '98.0.4758.80-1' }] },
      { ecosystem: 'Debian:11', package: 'chromium', intervals: [{ fixed: '98.0.4758.80-1~deb11u1' }] },
      { ecosystem: 'Debian:10', package: 'chromium', intervals: [{}] },
      { ecosystem: 'Debian:9', package: 'chromium', intervals: [{}] },
    ]);
    // "not yet assigned" and "end-of-life" are not severities.
    expect(advisory?.severity).toEqual([]);
    expect(advisory?.remediations.map((r) => [r.category, r.packages, r.details])).toEqual([
      ['vendor_fix', ['Debian:12 chromium'], 'Update chromium to 98.0.4758.80-1 or later (Debian 12 (bookworm)).'],
      [
        'vendor_fix',
        ['Debian:11 chromium'],
        'Update chromium to 98.0.4758.80-1~deb11u1 or later (Debian 11 (bullseye)).',
      ],
      ['no_fix_planned', ['Debian:10 chromium'], 'chromium is no longer security-supported in Debian 10 (buster).'],
      ['no_fix_planned', ['Debian:9 chromium'], 'chromium is no longer security-supported in Debian 9 (stretch).'],
    ]);
  });

  it('sope CVE-2025-53603: the +debNuM fixes of a DSA in bookworm and bullseye, trixie from sid', async () => {
    const advisory = (await byId(excerpt)).get('DEBIAN-CVE-2025-53603:sope');
    expect(advisory?.affected.map((a) => `${a.ecosystem} ${a.intervals[0]?.fixed}`)).toEqual([
      'Debian:12 5.8.0-1+deb12u1',
      'Debian:11 5.0.1-2+deb11u1',
      'Debian:13 5.12.1-2',
    ]);
  });

  it('an entry whose releases are [] is still an advisory, of nothing: it replaces whatever was stored', async () => {
    const advisory = (await byId(excerpt)).get('DEBIAN-CVE-2022-0358:chromium-browser');
    expect(advisory).toMatchObject({ affected: [], notAffected: [], remediations: [], details: null });
  });
});

describe("osv.dev's tracker mock (apparmor)", () => {
  it('three CVEs: never affected, open in stable releases, fixed everywhere', async () => {
    const advisories = await byId(mock);
    expect(advisories.size).toBe(3);
    const never = advisories.get('DEBIAN-CVE-2014-1424:apparmor');
    expect(never?.affected).toEqual([]);
    expect(never?.notAffected.map((n) => n.ecosystem)).toEqual(['Debian:12', 'Debian:11', 'Debian:10', 'Debian:13']);

    const open = advisories.get('DEBIAN-CVE-2016-1585:apparmor');
    expect(open?.affected).toEqual([
      { ecosystem: 'Debian:12', package: 'apparmor', intervals: [{}] },
      { ecosystem: 'Debian:11', package: 'apparmor', intervals: [{}] },
      { ecosystem: 'Debian:10', package: 'apparmor', intervals: [{}] },
      { ecosystem: 'Debian:13', package: 'apparmor', intervals: [{ fixed: '3.0.12-1' }] },
    ]);
    expect(open?.severity).toEqual([{ type: 'debian-urgency', score: 'unimportant' }]);
    expect(open?.remediations[0]).toMatchObject({
      category: 'none_available',
      details: 'No fixed version yet in Debian 12 (bookworm).',
    });

    const fixed = advisories.get('DEBIAN-CVE-2017-6507:apparmor');
    expect(fixed?.affected.map((a) => a.intervals)).toEqual([
      [{ fixed: '2.11.0-3' }],
      [{ fixed: '2.11.0-3' }],
      [{ fixed: '2.11.0-3' }],
      [{ fixed: '2.11.0-3' }],
    ]);
  });
});

describe('entries as the live tracker writes them', () => {
  it('no-dsa decisions: postponed is no fix yet, ignored is no fix planned; next point release is said', async () => {
    const record = await one('openssl', 'CVE-2024-4741', {
      releases: {
        bookworm: { status: 'open', urgency: 'low', nodsa: 'Minor issue', nodsa_reason: 'postponed' },
        bullseye: { status: 'open', urgency: 'low', nodsa: 'Minor issue', nodsa_reason: 'ignored' },
        trixie: { status: 'open', urgency: 'low', next_point_update: true },
      },
    });
    const advisory = record?.kind === 'advisory' ? record.advisory : null;
    expect(advisory?.remediations.map((r) => [r.category, r.details])).toEqual([
      ['none_available', 'No security update planned for Debian 12 (bookworm): Minor issue (postponed).'],
      ['no_fix_planned', 'No security update planned for Debian 11 (bullseye): Minor issue (ignored).'],
      ['none_available', 'No fixed version yet in Debian 13 (trixie). A fix is planned for the next point release.'],
    ]);
    expect(advisory?.severity).toEqual([{ type: 'debian-urgency', score: 'low' }]);
  });

  it('undetermined means every version, as the shared tracker reading says', async () => {
    const record = await one('curl', 'CVE-2024-0001', { releases: { bookworm: { status: 'undetermined' } } });
    expect(record).toMatchObject({ advisory: { affected: [{ ecosystem: 'Debian:12', intervals: [{}] }] } });
  });

  it('forky is Debian 14; a codename newer than the table shows as skipped', async () => {
    const record = await one('curl', 'CVE-2024-0001', {
      releases: { forky: { status: 'open' }, zeta: { status: 'open' } },
    });
    expect(record).toMatchObject({
      advisory: {
        affected: [{ ecosystem: 'Debian:14', package: 'curl', intervals: [{}] }],
        skipped: [{ ecosystem: 'Debian:zeta', package: 'curl', reason: 'unknown Debian release "zeta"' }],
      },
    });
  });

  it('skips TEMP ids: they are renamed when a CVE is assigned', async () => {
    expect(await one('wordpress', 'TEMP-0000000-1C3F9C', { releases: { bookworm: { status: 'open' } } })).toBeNull();
    expect(
      await trackerRecordFromText('wordpress', 'TEMP-1234567-ABCDEF', 'not even json', false, MODIFIED),
    ).toBeNull();
  });

  it.each([
    [
      'openssl',
      'CVE-2024-0001',
      { releases: { bookworm: { status: 'fixed' } } },
      'status is resolved, open or undetermined',
    ],
    [
      'openssl',
      'CVE-2024-0001',
      { releases: { bookworm: { status: 'resolved' } } },
      'resolved without a fixed version',
    ],
    [
      'openssl',
      'CVE-2024-0001',
      { releases: { bookworm: { status: 'resolved', fixed_version: 'not a version' } } },
      'bookworm: Debian:12 version "not a version"',
    ],
    ['openssl', 'CVE-2024-0001', { releases: 'bookworm' }, 'releases is an object of codenames'],
    ['openssl', 'CVE-2024-0001', { releases: { 'Book Worm': { status: 'open' } } }, 'a codename such as bookworm'],
    ['openssl', 'CVE-2024-0001', { releases: {}, debianbug: 'x' }, 'debianbug'],
    ['openssl', 'DSA-5678-1', { releases: {} }, 'neither a CVE nor a TEMP id'],
    ['../etc/passwd', 'CVE-2024-0001', { releases: {} }, 'not a Debian source package name'],
    ['openssl', 'CVE-2024-0001', [], 'releases'],
  ])('quarantines %s %s %j', async (pkg, issue, entry, reason) => {
    const record = await one(pkg, issue, entry);
    expect(record).toMatchObject({ kind: 'quarantine', document: `${pkg}/${issue}` });
    expect(record?.kind === 'quarantine' ? record.reason : '').toContain(reason);
  });

  it('quarantines an entry that is not JSON, or larger than the cap, from the stream', async () => {
    expect(await trackerRecordFromText('curl', 'CVE-2024-0001', '{"releases":', false, MODIFIED)).toMatchObject({
      kind: 'quarantine',
      reason: expect.stringContaining('not valid JSON'),
    });
    expect(await trackerRecordFromText('curl', 'CVE-2024-0001', '{"releases":{}', true, MODIFIED)).toMatchObject({
      kind: 'quarantine',
      reason: expect.stringContaining('larger than'),
    });
  });
});

describe('content hashes', () => {
  const entry = JSON.parse(excerpt).chromium['CVE-2022-0456'];

  it('ignore `repositories` (rewritten on every upload) but see every other change', async () => {
    const base = await entryHash('chromium', 'CVE-2022-0456', entry);
    const uploaded = structuredClone(entry);
    uploaded.releases.bookworm.repositories.bookworm = '99.0.1-1';
    expect(await entryHash('chromium', 'CVE-2022-0456', uploaded)).toBe(base);
    const fixed = structuredClone(entry);
    fixed.releases.buster.fixed_version = '99.0.1-1~deb10u1';
    expect(await entryHash('chromium', 'CVE-2022-0456', fixed)).not.toBe(base);
    expect(await entryHash('chromium-browser', 'CVE-2022-0456', entry)).not.toBe(base);
  });

  it('are the same whether an entry streamed in or was imported', async () => {
    const streamed = await trackerRecordFromText('chromium', 'CVE-2022-0456', JSON.stringify(entry), false, MODIFIED);
    const imported = await one('chromium', 'CVE-2022-0456', entry);
    expect(streamed?.kind === 'advisory' && streamed.contentHash).toBe(
      imported?.kind === 'advisory' && imported.contentHash,
    );
  });
});

describe('recognising the format for import', () => {
  it('recognises both corpus files', () => {
    expect(looksLikeDebianTracker(JSON.parse(excerpt))).toBe(true);
    expect(looksLikeDebianTracker(JSON.parse(mock))).toBe(true);
  });

  it.each([
    ['an OSV record', { id: 'DSA-1', modified: '2024-01-01T00:00:00Z', affected: [] }],
    ['a KEV catalog', { catalogVersion: '1', vulnerabilities: [{ cveID: 'CVE-2024-0001' }] }],
    ['a CSAF document', { document: { category: 'csaf_vex' }, vulnerabilities: [] }],
    ['an array', [{ openssl: {} }]],
    ['an empty object', {}],
    ['packages without entries', { openssl: {} }],
    ['an entry without releases', { openssl: { 'CVE-2024-0001': { description: 'x' } } }],
    ['ids that are not CVE or TEMP', { openssl: { 'DSA-1': { releases: {} } } }],
  ])('does not take %s for it', (_, value) => {
    expect(looksLikeDebianTracker(value)).toBe(false);
  });

  it('quarantines what is not an object of packages, package by package', async () => {
    expect(await importDebianTracker([1])).toMatchObject([{ kind: 'quarantine', document: 'debian-tracker' }]);
    const records = await importDebianTracker({ curl: [], openssl: { 'CVE-2024-0001': { releases: {} } } });
    expect(records.map((r) => r.kind)).toEqual(['quarantine', 'advisory']);
  });
});
