import { normalizeEcosystem } from '@patchboard/shared/ecosystems';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { digestHex } from '../http';
import { readCsafDocument } from './document';
import { csafFeed } from './index';
import { CsafDocument } from './input';
import { parseCsaf } from './parse';
import msrc from './testdata/microsoft/advisories/2024/msrc_cve-2024-21338.json?raw';
import notAffected from './testdata/oasis/2022-evd-uc-01-na-001.json?raw';
import ui from './testdata/oasis/2022-evd-uc-01-ui-001.json?raw';
import multiple from './testdata/oasis/2022-evd-uc-03-ms-001.json?raw';
import mixed from './testdata/oasis/2022-evd-uc-06-001.json?raw';
import families from './testdata/oasis/2022-evd-uc-09-001.json?raw';
import rhsa0011 from './testdata/oasis/rhsa-2022_0011.json?raw';
import secvex from './testdata/oasis/sec-vex-2022-0001.json?raw';
import rhsa315 from './testdata/redhat/advisories/2003/rhsa-2003_315.json?raw';
import rhsa0010 from './testdata/redhat/advisories/2024/rhsa-2024_0010.json?raw';
import rhsa4546 from './testdata/redhat/advisories/2024/rhsa-2024_4546.json?raw';
import rhsa6163 from './testdata/redhat/advisories/2024/rhsa-2024_6163.json?raw';
import rhsa9371 from './testdata/redhat/advisories/2024/rhsa-2024_9371.json?raw';
import rhsa23414 from './testdata/redhat/advisories/2025/rhsa-2025_23414.json?raw';
import rhsa4546osv from './testdata/redhat/RHSA-2024_4546.osv.json?raw';

function parse(input: string | object) {
  const read = v.parse(CsafDocument, typeof input === 'string' ? JSON.parse(input) : input);
  const result = parseCsaf(read);
  if ('error' in result) throw new Error(result.error);
  return result.advisory;
}

/** `ecosystem package fixed` of every affected package, sorted. */
function fixes(advisory: ReturnType<typeof parse>): string[] {
  return advisory.affected.flatMap((a) => a.intervals.map((i) => `${a.ecosystem} ${a.package} ${i.fixed}`)).sort();
}

describe('real Red Hat advisories', () => {
  it('RHSA-2024:4546 agrees with Red Hat’s own OSV conversion: git-lfs fixed only on the 8.6 AUS/E4S/TUS streams', () => {
    const advisory = parse(rhsa4546);
    expect(advisory).toMatchObject({
      id: 'RHSA-2024:4546',
      source: 'csaf',
      summary: 'Red Hat Security Advisory: git-lfs security update',
      published: '2024-07-15T16:12:25.000Z',
      modified: '2024-07-16T13:38:03.000Z',
      withdrawn: null,
      cves: ['CVE-2023-45288'],
      aliases: ['CVE-2023-45288'],
      severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H' }],
    });
    expect(fixes(advisory)).toEqual([
      'Red Hat:8.6:aus git-lfs 0:2.13.3-3.el8_6.1',
      'Red Hat:8.6:e4s git-lfs 0:2.13.3-3.el8_6.1',
      'Red Hat:8.6:tus git-lfs 0:2.13.3-3.el8_6.1',
    ]);
    // Red Hat's OSV record lists the debuginfo and debugsource packages too; hosts do not run those.
    const osv = JSON.parse(rhsa4546osv) as {
      affected: { package: { ecosystem: string; name: string }; ranges: { events: Record<string, string>[] }[] }[];
    };
    const fromOsv = osv.affected
      .filter((a) => !/-debug(info|source)$/.test(a.package.name))
      .map((a) => {
        const fixed = a.ranges[0]?.events.find((e) => e.fixed)?.fixed;
        return `${normalizeEcosystem(a.package.ecosystem)} ${a.package.name} ${fixed}`;
      })
      .sort();
    expect(fixes(advisory)).toEqual(fromOsv);
    expect(advisory.remediations).toContainEqual({
      category: 'vendor_fix',
      details: expect.stringContaining('https://access.redhat.com/articles/11258'),
      url: 'https://access.redhat.com/errata/RHSA-2024:4546',
      restartRequired: 'none',
      packages: ['Red Hat:8.6:aus git-lfs', 'Red Hat:8.6:e4s git-lfs', 'Red Hat:8.6:tus git-lfs'],
    });
    expect(advisory.remediations.map((r) => r.category)).toEqual(['vendor_fix', 'workaround']);
    expect(advisory.threats).toEqual([{ category: 'impact', details: 'Important', date: null }]);
    expect(advisory.references).toContainEqual({
      type: 'ADVISORY',
      url: 'https://access.redhat.com/errata/RHSA-2024:4546',
    });
  });

  it('RHSA-2024:0010: seven tigervnc binaries of RHEL 9 (BaseOS and AppStream merge), no src or debuginfo', () => {
    const advisory = parse(rhsa0010);
    expect(advisory.cves).toEqual(['CVE-2023-5367', 'CVE-2023-6377', 'CVE-2023-6478']);
    expect(advisory.affected.map((a) => a.package)).toEqual([
      'tigervnc',
      'tigervnc-icons',
      'tigervnc-license',
      'tigervnc-selinux',
      'tigervnc-server',
      'tigervnc-server-minimal',
      'tigervnc-server-module',
    ]);
    expect(new Set(advisory.affected.map((a) => a.ecosystem))).toEqual(new Set(['Red Hat:9']));
    expect(new Set(advisory.affected.flatMap((a) => a.intervals.map((i) => i.fixed)))).toEqual(
      new Set(['0:1.13.1-3.el9_3.3']),
    );
    expect(advisory.severity).toHaveLength(2);
    expect(advisory.skipped).toEqual([]);
  });

  it('RHSA-2024:6163 and RHSA-2024:9371 (fixtures with only the source rpm): nothing to match, said in skipped', () => {
    for (const [text, id] of [
      [rhsa6163, 'RHSA-2024:6163'],
      [rhsa9371, 'RHSA-2024:9371'],
    ] as const) {
      const advisory = parse(text);
      expect(advisory.id).toBe(id);
      expect(advisory.affected).toEqual([]);
      // AppStream-9.4.0.Z.MAIN.EUS names the stream, but its CPE says plain RHEL 9.
      expect(advisory.skipped).toEqual([
        {
          ecosystem: 'Red Hat:9',
          package: 'python3.9',
          reason: 'only the source package is listed, not the binary packages built from it',
        },
      ]);
    }
  });

  it('RHSA-2025:23414: epoch 32 from the purl, ELS kept apart from plain RHEL 6, VEX not-affected packages', () => {
    const advisory = parse(rhsa23414);
    expect(fixes(advisory)).toEqual([
      'Red Hat:6:els bind 32:9.8.2-0.68.rc1.el6_10.17',
      'Red Hat:6:els bind-libs 32:9.8.2-0.68.rc1.el6_10.17',
      'Red Hat:6:els bind-sdb 32:9.8.2-0.68.rc1.el6_10.17',
      'Red Hat:6:els bind-utils 32:9.8.2-0.68.rc1.el6_10.17',
    ]);
    expect(advisory.notAffected).toEqual([
      { ecosystem: 'Red Hat:6:els', package: 'bind-chroot', justification: 'vulnerable_code_not_present' },
      { ecosystem: 'Red Hat:6:els', package: 'bind-devel', justification: 'vulnerable_code_not_present' },
    ]);
    expect(advisory.cves).toEqual(['CVE-2021-25220', 'CVE-2025-40778']);
    // One vendor fix for both CVEs, and each CVE's own workaround.
    expect(advisory.remediations.map((r) => r.category)).toEqual(['vendor_fix', 'workaround', 'workaround']);
  });

  it('RHSA-2003:315: an old erratum reads (Red Hat:3), but fails the CSAF test of a sorted revision history', async () => {
    expect(fixes(parse(rhsa315))).toEqual(['Red Hat:3 quagga 0:0.96.2-8.3E']);
    const record = await readCsafDocument(rhsa315, 'rhsa-2003_315.json');
    expect(record).toMatchObject({ kind: 'quarantine', document: 'rhsa-2003_315.json' });
    expect(record.kind === 'quarantine' && record.reason).toMatch(
      /^not valid CSAF 2\.0: 6\.1\.14 \/document\/tracking\/revision_history\/0: /,
    );
  });

  it('RHSA-2022:0011 (no purls): package, epoch and version from the product ids; 7.6 AUS/E4S/TUS streams', () => {
    expect(fixes(parse(rhsa0011))).toEqual([
      'Red Hat:7.6:aus telnet 1:0.17-65.el7_6',
      'Red Hat:7.6:aus telnet-server 1:0.17-65.el7_6',
      'Red Hat:7.6:e4s telnet 1:0.17-65.el7_6',
      'Red Hat:7.6:e4s telnet-server 1:0.17-65.el7_6',
      'Red Hat:7.6:tus telnet 1:0.17-65.el7_6',
      'Red Hat:7.6:tus telnet-server 1:0.17-65.el7_6',
    ]);
  });
});

describe('VEX statuses (OASIS examples)', () => {
  it('known_not_affected keeps its justification: the flag label, else the impact statement', () => {
    expect(parse(secvex).notAffected).toEqual([
      { ecosystem: 'Secvisogram', package: 'Secvisogram', justification: 'component_not_present' },
    ]);
    expect(parse(notAffected).notAffected).toEqual([
      {
        ecosystem: 'Example Company',
        package: 'ABC',
        justification: 'Class with vulnerable code was removed before shipping.',
      },
    ]);
  });

  it('under_investigation is no affected interval: it is listed in skipped with that reason', () => {
    const advisory = parse(ui);
    expect(advisory.affected).toEqual([]);
    expect(advisory.skipped).toEqual([
      {
        ecosystem: 'Example Company',
        package: 'GHI',
        reason: 'under investigation: not yet known whether it is affected',
      },
    ]);
  });

  it('a product affected in some versions and not in others is never listed as not affected', () => {
    const advisory = parse(mixed);
    expect(advisory.notAffected).toEqual([]);
    expect(advisory.skipped).toEqual([
      { ecosystem: 'Example Company', package: 'ABC', reason: 'no purl or platform that names a host ecosystem' },
    ]);
    expect(advisory.remediations[0]?.packages).toEqual([
      'Example Company ABC 2.4',
      'Example Company ABC 2.6',
      'Example Company ABC >=2.9|<=4.1',
    ]);
  });

  it('product families: one not affected, the other affected with no fix available', () => {
    const advisory = parse(families);
    expect(advisory.notAffected).toEqual([
      { ecosystem: 'Example Company', package: 'PROD_ALPHA', justification: 'These products do not use Java at all.' },
    ]);
    expect(advisory.remediations).toEqual([
      {
        category: 'none_available',
        details: 'Example Company is currently working on a fix which is expected to be ready in 06/2022.',
        url: null,
        restartRequired: null,
        packages: ['Example Company PROD_BETA'],
      },
    ]);
  });

  it('nineteen CVEs with every status in one document', () => {
    const advisory = parse(multiple);
    expect(advisory.cves).toHaveLength(19);
    expect(advisory.skipped.map((s) => s.reason)).toEqual([
      'under investigation: not yet known whether it is affected',
      'no purl or platform that names a host ecosystem',
    ]);
  });
});

describe('Microsoft (a document written after MSRC’s format)', () => {
  it('Windows releases by build, fixed by build or by KB; restart, exploitation and severity kept', () => {
    const advisory = parse(msrc);
    expect(advisory.id).toBe('msrc_CVE-2024-21338');
    // The full installation and Server Core are one build: one package.
    expect(advisory.affected).toEqual([
      {
        ecosystem: 'Windows:10.0.20348',
        package: 'windows',
        intervals: [{ fixed: '10.0.20348.2322' }],
        fixedBy: { kbs: ['KB5034770'] },
      },
      {
        ecosystem: 'Windows:10.0.22631',
        package: 'windows',
        intervals: [{ fixed: '10.0.22631.3155' }],
        fixedBy: { kbs: ['KB5034765'] },
      },
    ]);
    expect(advisory.skipped).toEqual([
      {
        ecosystem: 'Microsoft',
        package: 'Microsoft SharePoint Server 2019',
        reason: 'no purl or platform that names a host ecosystem',
      },
    ]);
    expect(advisory.remediations[0]).toEqual({
      category: 'vendor_fix',
      details: '5034770',
      url: 'https://catalog.update.microsoft.com/v7/site/Search.aspx?q=KB5034770',
      restartRequired: 'machine',
      packages: ['Windows:10.0.20348 windows'],
    });
    expect(advisory.threats).toContainEqual({
      category: 'exploit_status',
      details: 'Publicly Disclosed:No;Exploited:Yes;Latest Software Release:Exploitation Detected',
      date: '2024-03-04T08:00:00.000Z',
    });
    expect(advisory.details).toBe(
      'An attacker who successfully exploited this vulnerability could gain SYSTEM privileges.',
    );
  });
});

/** A document built for the cases the real ones do not show. */
function synthetic(products: object, status: object, extra: object = {}) {
  return {
    document: {
      category: 'csaf_security_advisory',
      csaf_version: '2.0',
      title: 'synthetic',
      publisher: { category: 'vendor', name: 'Example Vendor', namespace: 'https://example.com' },
      tracking: {
        id: 'EX-2024-1',
        initial_release_date: '2024-01-01T00:00:00Z',
        current_release_date: '2024-01-02T00:00:00Z',
        status: 'final',
      },
    },
    product_tree: products,
    vulnerabilities: [{ cve: 'CVE-2024-0001', product_status: status, ...extra }],
  };
}

const rhelEus = {
  category: 'product_name',
  name: 'Red Hat Enterprise Linux AppStream EUS (v.9.2)',
  product: {
    name: 'Red Hat Enterprise Linux AppStream EUS (v.9.2)',
    product_id: 'AppStream-9.2.0.Z.EUS',
    product_identification_helper: { cpe: 'cpe:/a:redhat:rhel_eus:9.2::appstream' },
  },
};

function version(id: string, purl: string) {
  return {
    category: 'product_version',
    name: id,
    product: { name: id, product_id: id, product_identification_helper: { purl } },
  };
}

function component(platform: string, id: string) {
  return {
    category: 'default_component_of',
    full_product_name: { name: `${id} as a component of ${platform}`, product_id: `${platform}:${id}` },
    product_reference: id,
    relates_to_product_reference: platform,
  };
}

describe('flattening rules', () => {
  it('an EUS stream keeps its own ecosystem; the epoch comes from the purl, else from the product id', () => {
    const advisory = parse(
      synthetic(
        {
          branches: [
            {
              category: 'vendor',
              name: 'Red Hat',
              branches: [
                rhelEus,
                version('openssl-1:3.0.7-27.el9.x86_64', 'pkg:rpm/redhat/openssl@3.0.7-27.el9?arch=x86_64&epoch=1'),
                version('openssl-libs-1:3.0.7-27.el9.x86_64', 'pkg:rpm/redhat/openssl-libs@3.0.7-27.el9?arch=x86_64'),
                version(
                  'openssl-debuginfo-1:3.0.7-27.el9.x86_64',
                  'pkg:rpm/redhat/openssl-debuginfo@3.0.7-27.el9?arch=x86_64',
                ),
                version('openssl-1:3.0.7-27.el9.src', 'pkg:rpm/redhat/openssl@3.0.7-27.el9?arch=src&epoch=1'),
              ],
            },
          ],
          relationships: [
            component('AppStream-9.2.0.Z.EUS', 'openssl-1:3.0.7-27.el9.x86_64'),
            component('AppStream-9.2.0.Z.EUS', 'openssl-libs-1:3.0.7-27.el9.x86_64'),
            component('AppStream-9.2.0.Z.EUS', 'openssl-debuginfo-1:3.0.7-27.el9.x86_64'),
            component('AppStream-9.2.0.Z.EUS', 'openssl-1:3.0.7-27.el9.src'),
          ],
        },
        {
          fixed: [
            'AppStream-9.2.0.Z.EUS:openssl-1:3.0.7-27.el9.x86_64',
            'AppStream-9.2.0.Z.EUS:openssl-libs-1:3.0.7-27.el9.x86_64',
            'AppStream-9.2.0.Z.EUS:openssl-debuginfo-1:3.0.7-27.el9.x86_64',
            'AppStream-9.2.0.Z.EUS:openssl-1:3.0.7-27.el9.src',
          ],
        },
      ),
    );
    expect(fixes(advisory)).toEqual([
      'Red Hat:9.2:eus openssl 1:3.0.7-27.el9',
      'Red Hat:9.2:eus openssl-libs 1:3.0.7-27.el9',
    ]);
  });

  it('Debian, Alpine and npm purls name their own ecosystems; vers ranges and first_affected bound the intervals', () => {
    const advisory = parse(
      synthetic(
        {
          full_product_names: [
            {
              name: 'openssl deb',
              product_id: 'deb',
              product_identification_helper: {
                purl: 'pkg:deb/debian/openssl@3.0.13-1~deb12u1?arch=amd64&distro=debian-12',
              },
            },
            {
              name: 'musl apk',
              product_id: 'apk',
              product_identification_helper: { purl: 'pkg:apk/alpine/musl@1.2.5-r1?distro=alpine-3.20.3' },
            },
            {
              name: 'lodash old',
              product_id: 'npm-old',
              product_identification_helper: { purl: 'pkg:npm/lodash@4.17.0' },
            },
            {
              name: 'lodash fixed',
              product_id: 'npm-fixed',
              product_identification_helper: { purl: 'pkg:npm/lodash@4.17.21' },
            },
          ],
          branches: [
            {
              category: 'vendor',
              name: 'Example Vendor',
              branches: [
                {
                  category: 'product_version_range',
                  name: 'vers:npm/>=1.0.0|<1.2.3',
                  product: {
                    name: 'left-pad range',
                    product_id: 'range',
                    product_identification_helper: { purl: 'pkg:npm/left-pad' },
                  },
                },
              ],
            },
          ],
        },
        { fixed: ['deb', 'apk', 'npm-fixed'], first_affected: ['npm-old'], known_affected: ['range'] },
      ),
    );
    expect(advisory.affected).toEqual([
      { ecosystem: 'Debian:12', package: 'openssl', intervals: [{ fixed: '3.0.13-1~deb12u1' }] },
      { ecosystem: 'Alpine:v3.20', package: 'musl', intervals: [{ fixed: '1.2.5-r1' }] },
      { ecosystem: 'npm', package: 'lodash', intervals: [{ introduced: '4.17.0', fixed: '4.17.21' }] },
      { ecosystem: 'npm', package: 'left-pad', intervals: [{ introduced: '1.0.0', fixed: '1.2.3' }] },
    ]);
  });

  it('known_affected without a version is every version; with one it is that version alone', () => {
    const advisory = parse(
      synthetic(
        {
          full_product_names: [
            { name: 'a', product_id: 'any', product_identification_helper: { purl: 'pkg:pypi/requests' } },
            { name: 'b', product_id: 'one', product_identification_helper: { purl: 'pkg:pypi/urllib3@2.0.6' } },
          ],
        },
        { known_affected: ['any', 'one'] },
      ),
    );
    expect(advisory.affected).toEqual([
      { ecosystem: 'PyPI', package: 'requests', intervals: [{}] },
      { ecosystem: 'PyPI', package: 'urllib3', intervals: [{ introduced: '2.0.6', lastAffected: '2.0.6' }] },
    ]);
  });

  it('a version the ecosystem cannot read refuses the document rather than matching part of it', () => {
    const read = v.parse(
      CsafDocument,
      synthetic(
        {
          full_product_names: [
            { name: 'x', product_id: 'x', product_identification_helper: { purl: 'pkg:npm/x@not..a..version' } },
          ],
        },
        { fixed: ['x'] },
      ),
    );
    expect(parseCsaf(read)).toEqual({ error: expect.stringContaining('npm x version "not..a..version"') });
  });

  it('a container image or a Maven artifact inside a vendor platform is that vendor’s, not the public package', () => {
    const advisory = parse(
      synthetic(
        {
          branches: [
            {
              category: 'vendor',
              name: 'Red Hat',
              branches: [
                {
                  category: 'product_name',
                  name: 'JBoss EAP 7.4',
                  product: {
                    name: 'JBoss EAP 7.4',
                    product_id: 'EAP',
                    product_identification_helper: { cpe: 'cpe:/a:redhat:jboss_enterprise_application_platform:7.4' },
                  },
                },
                version('log4j', 'pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1.redhat-00001'),
              ],
            },
          ],
          relationships: [component('EAP', 'log4j')],
        },
        { fixed: ['EAP:log4j'] },
      ),
    );
    expect(advisory.affected).toEqual([]);
    expect(advisory.skipped).toEqual([
      { ecosystem: 'JBoss EAP 7.4', package: 'log4j', reason: 'a maven component of JBoss EAP 7.4' },
    ]);
  });
});

describe('the importer', () => {
  it('recognises CSAF documents and reads one into an advisory record with the hash of its text', async () => {
    const importer = csafFeed.importer;
    expect(importer?.detect(JSON.parse(rhsa4546), rhsa4546)).toBe(true);
    expect(importer?.detect({ id: 'GHSA-1', modified: '2024-01-01T00:00:00Z' }, '{}')).toBe(false);
    const records = await importer?.parse(JSON.parse(rhsa4546), rhsa4546);
    expect(records).toEqual([
      { kind: 'advisory', advisory: parse(rhsa4546), contentHash: await digestHex('SHA-256', rhsa4546) },
    ]);
  });

  it('the same document twice gives the same record', async () => {
    const first = await readCsafDocument(rhsa0010, 'x');
    const second = await readCsafDocument(rhsa0010, 'x');
    expect(second).toEqual(first);
  });

  it('quarantines what is not valid CSAF, naming the failed test and where', async () => {
    const broken = JSON.parse(rhsa4546);
    broken.vulnerabilities[0].scores.push(structuredClone(broken.vulnerabilities[0].scores[0]));
    const text = JSON.stringify(broken);
    const [record] = (await csafFeed.importer?.parse(broken, text)) ?? [];
    expect(record).toMatchObject({ kind: 'quarantine', document: 'RHSA-2024:4546', content: text });
    expect(record?.kind === 'quarantine' && record.reason).toContain('6.1.7 /vulnerabilities/0/scores/1');
  });

  it.each([
    ['not JSON', '{"document": ', 'not JSON'],
    ['an OSV record', JSON.stringify({ id: 'GHSA-1', modified: '2024-01-01T00:00:00Z' }), 'not valid CSAF 2.0'],
  ])('quarantines %s', async (_what, text, reason) => {
    const record = await readCsafDocument(text, 'upload');
    expect(record).toMatchObject({ kind: 'quarantine', document: 'upload' });
    expect(record.kind === 'quarantine' && record.reason).toContain(reason);
  });
});
