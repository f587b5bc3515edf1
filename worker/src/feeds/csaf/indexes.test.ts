import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { advance, isNew } from './cursor';
import { cpeEcosystem } from './identify';
import { documentUrl, idFromPath, readCsvLine } from './indexes';
import { ProviderMetadata } from './input';
import exampleMetadata from './testdata/oasis/example-01-provider-metadata.json?raw';
import changes from './testdata/vunnel/changes.csv?raw';
import deletions from './testdata/vunnel/deletions.csv?raw';

describe('index files', () => {
  it('reads Red Hat’s changes.csv and deletions.csv lines', () => {
    const rows = changes.split('\n').flatMap((line) => readCsvLine(line) ?? []);
    expect(rows).toHaveLength(5);
    expect(rows[0]).toEqual({ path: '2024/rhsa-2024_0010.json', time: Date.parse('2025-02-18T14:28:08Z') });
    // Not strictly newest first, and two documents share one second: order is the reader's job.
    expect(rows.filter((r) => r.time === Date.parse('2025-02-18T14:27:54Z')).map((r) => r.path)).toEqual([
      '2024/rhsa-2024_5555.json',
      '2024/rhsa-2024_6666.json',
    ]);
    expect(
      deletions
        .split('\n')
        .flatMap((line) => readCsvLine(line) ?? [])
        .map((r) => idFromPath(r.path)),
    ).toEqual(['RHEA-2024:5245', 'RHSA-2024:2106']);
    expect(readCsvLine('')).toBeUndefined();
    expect(readCsvLine('"2024/x.json","yesterday"')).toBeUndefined();
  });

  it('names documents inside their directory only', () => {
    const dir = 'https://security.access.redhat.com/data/csaf/v2/advisories/';
    expect(documentUrl(dir, '2024/rhsa-2024_0010.json')).toBe(`${dir}2024/rhsa-2024_0010.json`);
    expect(documentUrl(dir, '../vex/2024/cve-2024-1.json')).toBeUndefined();
    expect(documentUrl(dir, 'https://evil.example/x.json')).toBeUndefined();
    expect(documentUrl(dir, '//evil.example/x.json')).toBeUndefined();
  });

  it('reads the OASIS example provider metadata (one ROLIE feed)', () => {
    const metadata = v.parse(ProviderMetadata, JSON.parse(exampleMetadata));
    expect(metadata.distributions?.[0]?.rolie?.feeds[0]?.url).toBe(
      'https://www.example.com/.well-known/csaf/feed-tlp-white.json',
    );
  });
});

describe('positions', () => {
  const t = Date.parse('2025-11-20T08:00:00Z');

  it('remembers the documents stored at the newest timestamp, so none sharing it is skipped', () => {
    let position = advance(undefined, t, 'a.json');
    position = advance(position, t, 'b.json');
    expect(position).toEqual({
      at: '2025-11-20T08:00:00.000Z',
      done: ['a.json', 'b.json'],
      etag: null,
      lastModified: null,
    });
    expect(isNew(position, 0, t, 'b.json')).toBe(false);
    expect(isNew(position, 0, t, 'c.json')).toBe(true);
    expect(isNew(position, 0, t - 1, 'z.json')).toBe(false);
    expect(advance(position, t + 1000, 'c.json').done).toEqual(['c.json']);
  });

  it('before any position, the window starts at since', () => {
    expect(isNew(undefined, t, t - 1, 'a.json')).toBe(false);
    expect(isNew(undefined, t, t, 'a.json')).toBe(true);
  });
});

describe('platform CPEs', () => {
  it.each([
    ['cpe:/o:redhat:enterprise_linux:9::baseos', 'Red Hat:9'],
    ['cpe:/a:redhat:enterprise_linux:9::appstream', 'Red Hat:9'],
    ['cpe:/a:redhat:rhel_eus:9.2::appstream', 'Red Hat:9.2:eus'],
    ['cpe:/a:redhat:rhel_aus:8.6::appstream', 'Red Hat:8.6:aus'],
    ['cpe:/o:redhat:rhel_els:6', 'Red Hat:6:els'],
    ['cpe:/a:redhat:openshift:4.12::el8', 'Red Hat:openshift:4.12::el8'],
    ['cpe:2.3:o:redhat:enterprise_linux:8:*:*:*:*:*:*:*', 'Red Hat:8'],
    ['cpe:/o:debian:debian_linux:12', 'Debian:12'],
    ['cpe:/o:canonical:ubuntu_linux:22.04', 'Ubuntu:22.04'],
    ['cpe:2.3:o:alpinelinux:alpine_linux:3.20:*:*:*:*:*:*:*', 'Alpine:v3.20'],
    ['cpe:/o:microsoft:windows_server_2022', undefined],
  ])('%s -> %s', (cpe, ecosystem) => {
    expect(cpeEcosystem(cpe)).toBe(ecosystem);
  });
});
