import { AdvisoryDocument } from '@patchboard/shared/schemas/advisory';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import type { FeedRecord } from '../feed';
import { SecdbFile } from './input';
import { SecdbCollector, type SecdbSource, secdbRecord } from './parse';
import community from './testdata/v3.15-community.json?raw';
import main from './testdata/v3.15-main.json?raw';
import wolfi from './testdata/wolfi-security.json?raw';

const MODIFIED = '2026-11-26T12:00:00.000Z';

function source(label: string, ecosystem = `Alpine:${label.split('/')[0]}`): SecdbSource {
  return { url: `https://secdb.alpinelinux.org/${label}.json`, ecosystem, label, release: label.split('/')[0] ?? null };
}

async function read(prefix: string, files: [SecdbSource, unknown][]) {
  const collector = new SecdbCollector(prefix);
  for (const [src, file] of files) collector.add(src, v.parse(SecdbFile, file));
  const { advisories, quarantined } = collector.finish();
  const records: FeedRecord[] = await Promise.all(advisories.map((a) => secdbRecord(prefix, a, MODIFIED)));
  const documents = records.flatMap((r) => (r.kind === 'advisory' ? [r.advisory] : []));
  return { documents, quarantined, byId: new Map(documents.map((d) => [d.id, d])), records };
}

/** The secfixes of vunnel's v3.15 YAML fixtures, written out by hand: what the JSON must say. */
const V315 = [
  ['xz', '5.2.5-r1', 'CVE-2022-1271'],
  ['zeromq', '4.3.1-r0', 'CVE-2019-6250'],
  ['zeromq', '4.3.2-r0', 'CVE-2019-13132'],
  ['zeromq', '4.3.3-r0', 'CVE-2020-15166'],
  ['zlib', '1.2.12-r0', 'CVE-2018-25032'],
  ['zlib', '1.2.12-r2', 'CVE-2022-37434'],
  ['zsh', '5.4.2-r1', 'CVE-2018-1083'],
  ['zsh', '5.4.2-r1', 'CVE-2018-1071'],
  ['zsh', '5.8-r0', 'CVE-2019-20044'],
  ['zsh', '5.8.1-r0', 'CVE-2021-45444'],
  ['zstd', '1.3.8-r0', 'CVE-2019-11922'],
  ['zstd', '1.4.1-r0', 'CVE-2021-24031'],
  ['zstd', '1.4.9-r0', 'CVE-2021-24032'],
  ['advancecomp', '2.1-r2', 'CVE-2019-9210'],
  ['alpine', '2.23-r0', 'CVE-2020-14929'],
  ['alpine', '2.25-r0', 'CVE-2021-38370'],
] as const;

describe('Alpine secdb v3.15 (main and community)', () => {
  it('one advisory per (CVE, package), exactly the entries of the YAML fixtures', async () => {
    const { documents, quarantined } = await read('ALPINE', [
      [source('v3.15/main'), JSON.parse(main)],
      [source('v3.15/community'), JSON.parse(community)],
    ]);
    expect(quarantined).toEqual([]);
    expect(documents).toHaveLength(V315.length);
    const got = documents.map((d) => [d.affected[0]?.package, d.affected[0]?.intervals[0]?.fixed, d.cves[0]]);
    expect(got.sort()).toEqual(V315.map((e) => [...e]).sort());
    for (const d of documents) {
      expect(v.safeParse(AdvisoryDocument, d).success).toBe(true);
      expect(d.affected).toHaveLength(1);
      expect(d.affected[0]?.ecosystem).toBe('Alpine:v3.15');
    }
  });

  it('names advisories ALPINE-<id>:<origin package>, with the CVE as alias and a link to security.alpinelinux.org', async () => {
    const { byId } = await read('ALPINE', [[source('v3.15/main'), JSON.parse(main)]]);
    expect(byId.get('ALPINE-CVE-2022-37434:zlib')).toEqual({
      id: 'ALPINE-CVE-2022-37434:zlib',
      source: 'alpine-secdb',
      summary: null,
      details: null,
      published: null,
      modified: MODIFIED,
      withdrawn: null,
      aliases: ['CVE-2022-37434'],
      cves: ['CVE-2022-37434'],
      references: [{ type: 'ADVISORY', url: 'https://security.alpinelinux.org/vuln/CVE-2022-37434' }],
      affected: [{ ecosystem: 'Alpine:v3.15', package: 'zlib', intervals: [{ fixed: '1.2.12-r2' }] }],
      skipped: [],
      severity: [],
      remediations: [
        {
          category: 'vendor_fix',
          details: 'Update zlib to 1.2.12-r2 or later (Alpine:v3.15).',
          url: null,
          restartRequired: null,
          packages: ['Alpine:v3.15 zlib'],
        },
      ],
      notAffected: [],
      threats: [],
    });
  });

  it('one advisory spans the releases followed; version 0 is not affected in that release', async () => {
    const v316 = JSON.parse(main);
    v316.distroversion = 'v3.16';
    v316.packages = [
      { pkg: { name: 'zlib', secfixes: { '1.2.12-r3': ['CVE-2022-37434'] } } },
      { pkg: { name: 'xz', secfixes: { '0': ['CVE-2022-1271'] } } },
    ];
    const { byId } = await read('ALPINE', [
      [source('v3.16/main'), v316],
      [source('v3.15/main'), JSON.parse(main)],
    ]);
    expect(byId.get('ALPINE-CVE-2022-37434:zlib')?.affected).toEqual([
      { ecosystem: 'Alpine:v3.15', package: 'zlib', intervals: [{ fixed: '1.2.12-r2' }] },
      { ecosystem: 'Alpine:v3.16', package: 'zlib', intervals: [{ fixed: '1.2.12-r3' }] },
    ]);
    const xz = byId.get('ALPINE-CVE-2022-1271:xz');
    expect(xz?.affected.map((a) => a.ecosystem)).toEqual(['Alpine:v3.15']);
    expect(xz?.notAffected).toEqual([{ ecosystem: 'Alpine:v3.16', package: 'xz', justification: null }]);
  });

  it('hashes the secfixes an advisory is built from, whatever the file order', async () => {
    const a = await read('ALPINE', [
      [source('v3.15/main'), JSON.parse(main)],
      [source('v3.15/community'), JSON.parse(community)],
    ]);
    const b = await read('ALPINE', [
      [source('v3.15/community'), JSON.parse(community)],
      [source('v3.15/main'), JSON.parse(main)],
    ]);
    expect(b.records).toEqual(a.records);
  });
});

describe('Wolfi security.json', () => {
  it('reads every (id, package): 59, six of them never affected, a GHSA without a CVE', async () => {
    const { documents, quarantined, byId } = await read('WOLFI', [
      [
        { url: 'https://packages.wolfi.dev/os/security.json', ecosystem: 'Wolfi', label: 'Wolfi', release: null },
        JSON.parse(wolfi),
      ],
    ]);
    expect(quarantined).toEqual([]);
    expect(documents).toHaveLength(59);
    expect(documents.filter((d) => d.affected.length === 0)).toHaveLength(6);
    expect(byId.get('WOLFI-GHSA-jq35-85cj-fj4p:apko')).toMatchObject({
      aliases: ['GHSA-jq35-85cj-fj4p'],
      cves: [],
      affected: [],
      notAffected: [{ ecosystem: 'Wolfi', package: 'apko', justification: null }],
      references: [],
    });
    expect(byId.get('WOLFI-CVE-2022-3602:openssl')?.affected).toEqual([
      { ecosystem: 'Wolfi', package: 'openssl', intervals: [{ fixed: '3.0.7-r0' }] },
    ]);
  });
});

describe('entries that cannot be read', () => {
  const v316 = (packages: unknown[]) => ({ distroversion: 'v3.16', reponame: 'main', packages });

  it('quarantines a bad version and holds back the advisories it lists, so no release silently drops out', async () => {
    const { byId, quarantined } = await read('ALPINE', [
      [source('v3.15/main'), JSON.parse(main)],
      [
        source('v3.16/main'),
        v316([{ pkg: { name: 'zlib', secfixes: { '1.2 12': ['CVE-2022-37434'], '1.3-r0': ['CVE-2023-1'] } } }]),
      ],
    ]);
    expect(quarantined).toMatchObject([
      { document: 'v3.16/main zlib 1.2 12', reason: expect.stringContaining('1.2 12') },
    ]);
    expect(byId.has('ALPINE-CVE-2022-37434:zlib')).toBe(false);
    expect(byId.has('ALPINE-CVE-2018-25032:zlib')).toBe(true);
  });

  it('quarantines a package entry of the wrong shape and holds back that package everywhere', async () => {
    const { byId, quarantined } = await read('ALPINE', [
      [source('v3.15/main'), JSON.parse(main)],
      [source('v3.16/main'), v316([{ pkg: { name: 'zsh', secfixes: ['CVE-2019-20044'] } }, 'zstd', null])],
    ]);
    expect(quarantined.map((q) => q.kind === 'quarantine' && q.document)).toEqual([
      'v3.16/main packages[0]',
      'v3.16/main packages[1]',
      'v3.16/main packages[2]',
    ]);
    expect([...byId.keys()].filter((id) => id.endsWith(':zsh'))).toEqual([]);
    expect([...byId.keys()].filter((id) => id.endsWith(':zstd'))).toHaveLength(3);
  });

  it('reads lines with several ids or a remark, refuses a line with none, and passes empty lists', async () => {
    const { byId, quarantined } = await read('ALPINE', [
      [
        source('v3.16/main'),
        v316([
          {
            pkg: {
              name: 'busybox',
              secfixes: {
                '1.35.0-r3': ['CVE-2022-28391 CVE-2022-30065', 'XSA-384 (xen backport)', 'see upstream', null],
                '1.36.0-r0': null,
              },
            },
          },
          { pkg: { name: 'musl' } },
        ]),
      ],
    ]);
    expect([...byId.keys()]).toEqual([
      'ALPINE-CVE-2022-28391:busybox',
      'ALPINE-CVE-2022-30065:busybox',
      'ALPINE-XSA-384:busybox',
    ]);
    expect(byId.get('ALPINE-XSA-384:busybox')).toMatchObject({ cves: [], aliases: ['XSA-384'], references: [] });
    expect(quarantined).toMatchObject([{ reason: '"see upstream" names no vulnerability id' }]);
  });

  it('takes the latest of several fixes of one id in one release', async () => {
    const { byId } = await read('ALPINE', [
      [
        source('v3.16/main'),
        v316([{ pkg: { name: 'curl', secfixes: { '8.1.0-r0': ['CVE-2023-1'], '7.9.0-r0': ['CVE-2023-1'] } } }]),
      ],
    ]);
    expect(byId.get('ALPINE-CVE-2023-1:curl')?.affected[0]?.intervals).toEqual([{ fixed: '8.1.0-r0' }]);
  });
});
