import { describe, expect, it } from 'vitest';
import { inventoryOf, issuesOf, packageNamed } from './outcome.testing';
import { spdxParser } from './spdx';
import purlAndCpe from './testdata/osv-scalibr-purl_and_cpe.spdx.json?raw';
import centos7 from './testdata/trivy-centos-7-spdx.json?raw';
import multipleOs from './testdata/trivy-multiple-os.sdpx.json?raw';

const parse = (text: string) => spdxParser.parse(text);
const spdx = (packages: unknown) => JSON.stringify({ spdxVersion: 'SPDX-2.3', SPDXID: 'SPDXRef-DOCUMENT', packages });
const purlRef = (purl: string, category = 'PACKAGE-MANAGER') => ({
  referenceCategory: category,
  referenceType: 'purl',
  referenceLocator: purl,
});

describe('SPDX SBOM', () => {
  it('reads a Trivy CentOS 7 SPDX 2.2 document; the purl wins over a disagreeing versionInfo', () => {
    const inventory = inventoryOf(parse(centos7));
    expect(inventory.packages).toHaveLength(2);
    // versionInfo says 1:1.0.2k-19.el7; the purl (and the CycloneDX twin) say 1.0.2k-16.el7 with epoch 1.
    expect(packageNamed(inventory, 'openssl-libs')).toEqual({
      name: 'openssl-libs',
      version: '1:1.0.2k-16.el7',
      arch: 'x86_64',
      // Trivy's sourceInfo in this fixture names the binary package itself.
      source: 'openssl-libs',
      sourceVersion: '1:1.0.2k-16.el7',
      packageManager: 'rpm',
      purl: 'pkg:rpm/centos/openssl-libs@1.0.2k-16.el7?arch=x86_64&epoch=1&distro=centos-7.6.1810',
    });
    // versionInfo "4.2.46" lacks the release; the purl has it.
    expect(packageNamed(inventory, 'bash')).toMatchObject({
      version: '4.2.46-31.el7',
      source: 'bash',
      sourceVersion: '4.2.46-31.el7',
    });
  });

  it('reads Debian packages of a multi-OS SPDX 2.3 document, decoding %2B', () => {
    const inventory = inventoryOf(parse(multipleOs));
    // The Debian OS element appears twice but has no purl.
    expect(inventory.packages).toHaveLength(2);
    expect(packageNamed(inventory, 'libmount1')).toEqual({
      name: 'libmount1',
      version: '2.38.1-5+deb12u1',
      arch: 'arm64',
      source: 'util-linux',
      sourceVersion: '2.38.1-5+deb12u1',
      packageManager: 'dpkg',
      purl: 'pkg:deb/debian/libmount1@2.38.1-5%2Bdeb12u1?arch=arm64&distro=debian-12.5',
    });
    expect(packageNamed(inventory, 'libedit2')).toMatchObject({
      version: '3.1-20221030-2',
      arch: 'amd64',
      source: 'libedit',
      sourceVersion: '3.1-20221030-2',
    });
  });

  it('skips purls of the SECURITY category and of untracked types (osv-scalibr purl_and_cpe)', () => {
    expect(inventoryOf(parse(purlAndCpe)).packages).toEqual([]);
  });

  it('accepts the PACKAGE_MANAGER spelling and takes the first tracked purl of a package', () => {
    const inventory = inventoryOf(
      parse(
        spdx([
          {
            name: 'requests',
            versionInfo: '2.31.0',
            externalRefs: [
              purlRef('pkg:generic/requests@2.31.0', 'PACKAGE_MANAGER'),
              purlRef('pkg:pypi/requests@2.31.0', 'PACKAGE_MANAGER'),
              purlRef('pkg:pypi/requests@9.9.9', 'PACKAGE_MANAGER'),
            ],
          },
        ]),
      ),
    );
    expect(inventory.packages).toEqual([
      { name: 'requests', version: '2.31.0', ecosystem: 'PyPI', purl: 'pkg:pypi/requests@2.31.0' },
    ]);
  });

  it('requires an SPDX 2 document', () => {
    expect(issuesOf(parse('{"spdxVersion":"SPDX-3.0"}'))).toEqual([
      { path: 'spdxVersion', message: 'spdxVersion must be SPDX-2.2 or SPDX-2.3' },
    ]);
    expect(issuesOf(parse('{"bomFormat":"CycloneDX"}'))[0]?.path).toBe('spdxVersion');
    expect(issuesOf(parse('"SPDX-2.3"'))).toEqual([{ message: 'an SPDX document is an object, found a string' }]);
  });

  it('reports bad purls and packages with their JSON path', () => {
    const issues = issuesOf(
      parse(
        spdx([
          { name: 'ok', externalRefs: [purlRef('pkg:npm/ok@1.0.0')] },
          { name: 'bad', externalRefs: [purlRef('pkg:')] },
          null,
          { name: 'refs', externalRefs: 'nope' },
          { name: 'num', externalRefs: [{ ...purlRef(''), referenceLocator: 7 }] },
        ]),
      ),
    );
    expect(issues.map((i) => i.path)).toEqual([
      'packages[1].externalRefs[0].referenceLocator',
      'packages[2]',
      'packages[3].externalRefs',
      'packages[4].externalRefs[0].referenceLocator',
    ]);
  });
});
