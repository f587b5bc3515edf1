import { describe, expect, it } from 'vitest';
import apkInstalled from '../src/inventory/testdata/apk-installed?raw';
import cyclonedxMaven from '../src/inventory/testdata/cyclonedx-bom-examples-VEX-bom.json?raw';
import dpkgQueryDebian from '../src/inventory/testdata/dpkg-query.debian-12.txt?raw';
import dpkgStatusValid from '../src/inventory/testdata/dpkg-status-valid?raw';
import getHotfix from '../src/inventory/testdata/get-hotfix.windows-server-2022.json?raw';
import osqueryWindows from '../src/inventory/testdata/osquery-results.windows-server-2022.ndjson?raw';
import osqueryDebian from '../src/inventory/testdata/osquery-snapshot.debian-12.json?raw';
import rpmQa from '../src/inventory/testdata/rpm-qa.rhel-9.txt?raw';
import cyclonedxCentos from '../src/inventory/testdata/trivy-centos-7-cyclonedx.json?raw';
import spdxCentos from '../src/inventory/testdata/trivy-centos-7-spdx.json?raw';
import spdxDebian from '../src/inventory/testdata/trivy-multiple-os.sdpx.json?raw';
import { call, expectStatus, newTenant, putHost } from './helpers';

interface Installed {
  ecosystem: string;
  name: string;
  version: string;
  arch: string | null;
  source: string | null;
  sourceVersion: string | null;
}

/**
 * Every accepted format, through the API, on a real sample (or, where no licensed sample exists,
 * one written after the real format: see worker/src/inventory/testdata/NOTICE.md).
 */
const cases = [
  {
    format: 'text/x-dpkg-status',
    os: { family: 'debian', release: '12' },
    body: dpkgStatusValid,
    packages: 7,
    hotfixes: 0,
    expect: {
      name: 'util-linux-extra',
      version: '2.38.1-5+b1',
      source: 'util-linux',
      sourceVersion: '2.38.1-5',
      ecosystem: 'Debian:12',
    },
  },
  {
    format: 'text/x-dpkg-query',
    os: { family: 'debian', release: '12.12' },
    body: dpkgQueryDebian,
    packages: 710,
    hotfixes: 0,
    expect: {
      name: 'libssl3',
      version: '3.0.19-1~deb12u2',
      arch: 'amd64',
      source: 'openssl',
      sourceVersion: '3.0.19-1~deb12u2',
    },
  },
  {
    format: 'text/x-rpm-qa',
    os: { family: 'rhel', release: '9.4' },
    body: rpmQa,
    packages: 42,
    hotfixes: 0,
    // Changes are counted per (name, arch): the kernel packages are installed in two versions each.
    added: 39,
    expect: {
      name: 'openssl-libs',
      version: '1:3.0.7-27.el9',
      arch: 'x86_64',
      source: 'openssl',
      ecosystem: 'Red Hat:9',
    },
  },
  {
    format: 'text/x-apk-installed',
    os: { family: 'alpine', release: '3.18.0' },
    body: apkInstalled,
    packages: 15,
    hotfixes: 0,
    expect: { name: 'libssl3', version: '3.1.0-r4', arch: 'x86_64', source: 'openssl', ecosystem: 'Alpine:v3.18' },
  },
  {
    format: 'application/vnd.cyclonedx+json',
    os: { family: 'rhel', release: '7' },
    body: cyclonedxCentos,
    packages: 2,
    hotfixes: 0,
    expect: { name: 'openssl-libs', version: '1:1.0.2k-16.el7', arch: 'x86_64', ecosystem: 'Red Hat:7' },
  },
  {
    format: 'application/vnd.cyclonedx+json',
    os: { family: 'debian', release: '12' },
    body: cyclonedxMaven,
    packages: 3,
    hotfixes: 0,
    expect: { name: 'com.fasterxml.jackson.core:jackson-databind', ecosystem: 'Maven' },
  },
  {
    format: 'application/spdx+json',
    os: { family: 'rhel', release: '7' },
    body: spdxCentos,
    packages: 2,
    hotfixes: 0,
    expect: { name: 'openssl-libs', version: '1:1.0.2k-16.el7' },
  },
  {
    format: 'application/spdx+json',
    os: { family: 'debian', release: '12.5' },
    body: spdxDebian,
    packages: 2,
    hotfixes: 0,
    expect: { name: 'libmount1', version: '2.38.1-5+deb12u1' },
  },
  {
    format: 'application/x-osquery+json',
    os: { family: 'debian', release: '12' },
    body: osqueryDebian,
    packages: 12,
    hotfixes: 0,
    expect: { name: 'base-files', version: '12.4+deb12u11' },
  },
  {
    format: 'application/x-osquery+json',
    os: { family: 'windows', release: '10.0.20348.2849' },
    body: osqueryWindows,
    // The 9 programs, and the OS build itself as package `windows` (what Microsoft's advisories match).
    packages: 10,
    hotfixes: 6,
    expect: { name: 'windows', version: '10.0.20348.2849', ecosystem: 'Windows:10.0.20348' },
  },
  {
    format: 'application/x-windows-hotfix+json',
    os: { family: 'windows', release: '10.0.20348.2849' },
    body: getHotfix,
    packages: 1,
    hotfixes: 13,
    expect: { name: 'windows', version: '10.0.20348.2849' },
  },
  {
    format: 'application/json',
    os: { family: 'ubuntu', release: '22.04' },
    body: JSON.stringify({
      packages: [{ name: 'openssl', version: '3.0.2-0ubuntu1.15', arch: 'amd64', source: 'openssl' }],
    }),
    packages: 1,
    hotfixes: 0,
    expect: { name: 'openssl', version: '3.0.2-0ubuntu1.15', ecosystem: 'Ubuntu:22.04' },
  },
] as const;

describe('inventory formats through the API', () => {
  it.each(cases.map((c) => [`${c.format} (${c.os.family} ${c.os.release}, ${c.packages} packages)`, c] as const))(
    '%s',
    async (_, sample) => {
      const { adminToken } = await newTenant();
      await putHost(adminToken, 'sample-01', { os: sample.os });
      const summary = await expectStatus(
        call('PUT', '/v1/hosts/sample-01/software', {
          token: adminToken,
          body: sample.body,
          contentType: sample.format,
        }),
        200,
      );
      const added = 'added' in sample ? sample.added : sample.packages + sample.hotfixes;
      expect(summary).toMatchObject({ packages: sample.packages, hotfixes: sample.hotfixes, added });
      const software = await expectStatus<{ items: Installed[]; hotfixes: { kb: string }[] }>(
        call('GET', '/v1/hosts/sample-01/software?limit=500', { token: adminToken }),
        200,
      );
      expect(software.hotfixes).toHaveLength(sample.hotfixes);
      if (sample.packages <= 500) expect(software.items).toHaveLength(sample.packages);
      if (sample.expect) {
        const name = 'name' in sample.expect ? sample.expect.name : software.items[0]?.name;
        expect(software.items.find((p) => p.name === name)).toMatchObject(sample.expect);
      }
      const host = await expectStatus<{ packageCount: number; hotfixCount: number }>(
        call('GET', '/v1/hosts/sample-01', { token: adminToken }),
        200,
      );
      expect(host).toMatchObject({ packageCount: sample.packages, hotfixCount: sample.hotfixes });
    },
  );

  it('covers every accepted content type', async () => {
    const { inventoryFormats } = await import('@patchboard/shared/schemas/inventory');
    expect(new Set(cases.map((c) => c.format))).toEqual(new Set(inventoryFormats));
  });
});
