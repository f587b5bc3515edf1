import { describe, expect, it } from 'vitest';
import type { RiskExceptionRow, VexFindingRow, VexPackageRow } from '../db/exceptions';
import { validateCsaf } from '../feeds/csaf/validate';
import { packageFromPurl } from '../inventory/purl';
import { csafVexDocument, OPENVEX_CONTEXT, openVexDocument, osPackagePurl, type VexInput } from './vex';

const NOW = new Date('2026-11-27T10:00:00.000Z');

function exception(overrides: Partial<RiskExceptionRow>): RiskExceptionRow {
  return {
    id: 1,
    tenant_id: 'tn_AAAAAAAAAAAAAAAA',
    host_kind: 'all',
    host_value: '',
    target_kind: 'package',
    target_value: 'openssl',
    reason: 'The vendor patch breaks the payment gateway',
    compensating_control: 'TLS terminated at the load balancer',
    status: 'approved',
    requested_by: 'pb_Requestr',
    requested_at: '2026-11-20T09:00:00.000Z',
    decided_by: 'pb_Approver',
    decided_at: '2026-11-21T09:00:00.000Z',
    decision_note: null,
    expires_at: '2027-01-31T00:00:00.000Z',
    ended_at: null,
    ...overrides,
  };
}

function finding(overrides: Partial<VexFindingRow>): VexFindingRow {
  return {
    finding_id: 1,
    exception_id: 1,
    hostname: 'web-01',
    os_family: 'debian',
    os_release: '12.5',
    advisory: 'DSA-5678-1',
    cves: '["CVE-2024-0727","CVE-2023-6237"]',
    ecosystem: 'Debian:12',
    package: 'openssl',
    installed_version: '3.0.11-1~deb12u2',
    ...overrides,
  };
}

/**
 * Three exceptions: one for a package (two hosts, a Debian advisory with two CVEs, one host's
 * package known from an SBOM purl), one for a single CVE of an AlmaLinux advisory (rpm purl
 * built with the epoch), one for an advisory without any CVE (named by its own id).
 */
const input: VexInput = {
  tenant: { id: 'tn_AAAAAAAAAAAAAAAA', name: 'Example Bank' },
  now: NOW,
  origin: 'https://patchboard.example',
  documentId: 'urn:uuid:00000000-0000-4000-8000-000000000000',
  toolVersion: '0.1.0',
  exceptions: [
    exception({}),
    exception({ id: 2, host_kind: 'ring', host_value: 'prod', target_kind: 'cve', target_value: 'CVE-2023-38469' }),
    exception({
      id: 3,
      host_kind: 'hostname',
      host_value: 'app-01',
      target_kind: 'advisory',
      target_value: 'GHSA-9v2f-6vcg-3hgv',
    }),
  ],
  findings: [
    finding({}),
    finding({ finding_id: 2, hostname: 'web-02' }),
    finding({
      finding_id: 3,
      exception_id: 2,
      hostname: 'alma-01',
      os_family: 'almalinux',
      os_release: '9.3',
      advisory: 'ALSA-2024:2433',
      cves: '["CVE-2023-38469","CVE-2023-38470"]',
      ecosystem: 'AlmaLinux:9',
      package: 'avahi-libs',
      installed_version: '0.8-15.el9',
    }),
    finding({
      finding_id: 4,
      exception_id: 3,
      hostname: 'app-01',
      advisory: 'GHSA-9v2f-6vcg-3hgv',
      cves: '[]',
      ecosystem: 'npm',
      package: 'example-lib',
      installed_version: '1.2.3',
    }),
  ],
  packages: [
    { finding_id: 1, name: 'libssl3', version: '3.0.11-1~deb12u2', arch: 'amd64', purl: null },
    { finding_id: 1, name: 'openssl', version: '3.0.11-1~deb12u2', arch: 'amd64', purl: null },
    {
      finding_id: 2,
      name: 'libssl3',
      version: '3.0.11-1~deb12u2',
      arch: 'amd64',
      purl: 'pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12',
    },
    { finding_id: 3, name: 'avahi-libs', version: '1:0.8-15.el9', arch: 'x86_64', purl: null },
  ] satisfies VexPackageRow[],
};

describe('osPackagePurl', () => {
  it.each([
    [
      'debian',
      '12.5',
      'libssl3',
      '3.0.11-1~deb12u2',
      'amd64',
      'pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12.5',
    ],
    [
      'ubuntu',
      '22.04',
      'libwayland-client0',
      '1.20.0-1',
      'amd64',
      'pkg:deb/ubuntu/libwayland-client0@1.20.0-1?arch=amd64&distro=ubuntu-22.04',
    ],
    [
      'rhel',
      '9.4',
      'openssl-libs',
      '1:3.0.7-27.el9',
      'x86_64',
      'pkg:rpm/redhat/openssl-libs@3.0.7-27.el9?arch=x86_64&distro=redhat-9.4&epoch=1',
    ],
    [
      'almalinux',
      '9.3',
      'avahi-libs',
      '0:0.8-15.el9',
      'x86_64',
      'pkg:rpm/almalinux/avahi-libs@0.8-15.el9?arch=x86_64&distro=almalinux-9.3',
    ],
    [
      'alpine',
      '3.20.3',
      'busybox',
      '1.36.1-r28',
      'x86_64',
      'pkg:apk/alpine/busybox@1.36.1-r28?arch=x86_64&distro=alpine-3.20.3',
    ],
  ])('names a %s package by the conventions of its purl type', (family, release, name, version, arch, expected) => {
    const purl = osPackagePurl(family, release, { name, version, arch });
    expect(purl).toBe(expected);
    // What our own SBOM reader makes of it is the package we started from.
    const back = packageFromPurl(purl ?? '');
    expect(back).toMatchObject({ kind: 'package', package: { name, version: version.replace(/^0:/, ''), arch } });
  });

  it('has no purl for Windows builds or an unknown family', () => {
    expect(
      osPackagePurl('windows', '10.0.20348', { name: 'windows', version: '10.0.20348.2402', arch: '' }),
    ).toBeNull();
    expect(osPackagePurl('plan9', '4', { name: 'rc', version: '1', arch: '' })).toBeNull();
  });
});

describe('openVexDocument', () => {
  const doc = openVexDocument(input) as {
    '@context': string;
    statements: {
      vulnerability: { name: string; aliases?: string[] };
      products: { '@id': string; subcomponents?: { '@id': string; identifiers: { purl: string } }[] }[];
      status: string;
      action_statement: string;
      status_notes: string;
    }[];
  };

  it('states each exception and vulnerability once, affected, with the control and the expiry as the action', () => {
    expect(doc['@context']).toBe(OPENVEX_CONTEXT);
    expect(doc.statements.map((s) => [s.vulnerability.name, s.vulnerability.aliases, s.status])).toEqual([
      ['CVE-2024-0727', ['DSA-5678-1'], 'affected'],
      ['CVE-2023-6237', ['DSA-5678-1'], 'affected'],
      // The exception accepts one CVE of the advisory, not the others it fixes.
      ['CVE-2023-38469', ['ALSA-2024:2433'], 'affected'],
      // No CVE: the advisory's own id names the vulnerability.
      ['GHSA-9v2f-6vcg-3hgv', undefined, 'affected'],
    ]);
    expect(doc.statements[0]?.action_statement).toBe(
      'Compensating control: TLS terminated at the load balancer. Risk accepted until 2027-01-31T00:00:00.000Z; patch the affected hosts by then.',
    );
    expect(doc.statements[0]?.status_notes).toContain('requested by pb_Requestr, approved by pb_Approver');
  });

  it('names hosts by their API URL and the packages behind them by purl where known', () => {
    expect(doc.statements[0]?.products).toEqual([
      {
        '@id': 'https://patchboard.example/v1/hosts/web-01',
        subcomponents: [
          {
            '@id': 'pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12.5',
            identifiers: { purl: 'pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12.5' },
          },
          {
            '@id': 'pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12.5',
            identifiers: { purl: 'pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12.5' },
          },
        ],
      },
      {
        '@id': 'https://patchboard.example/v1/hosts/web-02',
        // The SBOM's own purl wins over one we would build.
        subcomponents: [
          {
            '@id': 'pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12',
            identifiers: { purl: 'pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12' },
          },
        ],
      },
    ]);
    // An npm package reported without purl and not installed as an OS package: the host alone.
    expect(doc.statements[3]?.products).toEqual([{ '@id': 'https://patchboard.example/v1/hosts/app-01' }]);
  });
});

describe('csafVexDocument', () => {
  const doc = csafVexDocument(input) as {
    document: { category: string };
    product_tree: {
      full_product_names: { name: string; product_id: string; product_identification_helper?: { purl: string } }[];
      relationships: { category: string; product_reference: string; relates_to_product_reference: string }[];
    };
    vulnerabilities: {
      cve?: string;
      ids?: { system_name: string; text: string }[];
      product_status: { known_affected: string[] };
      remediations: { category: string; details: string; product_ids: string[] }[];
    }[];
  };

  it('passes every mandatory test of CSAF 2.0, the VEX profile included', () => {
    const result = validateCsaf(doc);
    expect(result.failures).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.document.category).toBe('csaf_vex');
  });

  it('has one vulnerability per CVE, its affected packages on hosts, each with the mitigation', () => {
    expect(doc.vulnerabilities.map((v) => v.cve ?? v.ids?.[0]?.text)).toEqual([
      'CVE-2023-38469',
      'CVE-2023-6237',
      'CVE-2024-0727',
      'GHSA-9v2f-6vcg-3hgv',
    ]);
    const cve = doc.vulnerabilities[2];
    const names = new Map(doc.product_tree.full_product_names.map((p) => [p.product_id, p]));
    const onHost = new Map(
      doc.product_tree.relationships.map((r) => [`${r.product_reference}:${r.relates_to_product_reference}`, r]),
    );
    expect(cve?.product_status.known_affected).toHaveLength(3); // libssl3 and openssl on web-01, libssl3 on web-02
    for (const id of cve?.product_status.known_affected ?? []) {
      const relationship = onHost.get(id);
      expect(relationship?.category).toBe('installed_on');
      expect(names.get(relationship?.relates_to_product_reference ?? '')?.name).toMatch(/^host web-0[12]$/);
    }
    expect(cve?.remediations).toEqual([
      {
        category: 'mitigation',
        details: expect.stringContaining('TLS terminated at the load balancer'),
        date: '2026-11-21T09:00:00.000Z',
        product_ids: cve?.product_status.known_affected,
      },
    ]);
    expect([...names.values()].find((p) => p.name === 'avahi-libs 1:0.8-15.el9 (x86_64)')).toMatchObject({
      product_identification_helper: {
        purl: 'pkg:rpm/almalinux/avahi-libs@0.8-15.el9?arch=x86_64&distro=almalinux-9.3&epoch=1',
      },
    });
  });
});
