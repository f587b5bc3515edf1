import { describe, expect, it } from 'vitest';
import { cycloneDxParser, maxComponentDepth } from './cyclonedx';
import { inventoryOf, issuesOf, packageNamed } from './outcome.testing';
import vexBom from './testdata/cyclonedx-bom-examples-VEX-bom.json?raw';
import minimal from './testdata/osv-scalibr-minimal.cdx.json?raw';
import centos7 from './testdata/trivy-centos-7-cyclonedx.json?raw';

const parse = (text: string) => cycloneDxParser.parse(text);
const bom = (components: unknown) => JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', components });

describe('CycloneDX SBOM', () => {
  it('reads the rpm packages of a Trivy CentOS 7 SBOM, epoch from the purl qualifier', () => {
    const inventory = inventoryOf(parse(centos7));
    // The operating-system component has no purl and is skipped.
    expect(inventory.packages).toHaveLength(2);
    expect(packageNamed(inventory, 'openssl-libs')).toEqual({
      name: 'openssl-libs',
      version: '1:1.0.2k-16.el7',
      arch: 'x86_64',
      source: 'openssl',
      sourceVersion: '1:1.0.2k-16.el7',
      packageManager: 'rpm',
      purl: 'pkg:rpm/centos/openssl-libs@1.0.2k-16.el7?arch=x86_64&epoch=1&distro=centos-7.6.1810',
    });
    expect(packageNamed(inventory, 'bash')).toMatchObject({
      version: '4.2.46-31.el7',
      arch: 'x86_64',
      source: 'bash',
      sourceVersion: '4.2.46-31.el7',
      packageManager: 'rpm',
    });
  });

  it('reads Maven components as Maven packages named group:artifact (CycloneDX bom-examples VEX/bom.json)', () => {
    const inventory = inventoryOf(parse(vexBom));
    expect(inventory.packages).toEqual(
      ['jackson-databind', 'jackson-annotations', 'jackson-core'].map((artifact) => ({
        name: `com.fasterxml.jackson.core:${artifact}`,
        version: '2.10.0',
        ecosystem: 'Maven',
        purl: `pkg:maven/com.fasterxml.jackson.core/${artifact}@2.10.0?type=jar`,
      })),
    );
  });

  it('finds no packages in an SBOM without components; its subject (metadata.component) is not installed software', () => {
    expect(inventoryOf(parse(minimal)).packages).toEqual([]);
  });

  it('walks nested components', () => {
    const inventory = inventoryOf(
      parse(
        bom([
          {
            type: 'application',
            name: 'app',
            components: [
              { type: 'library', name: 'lodash', purl: 'pkg:npm/lodash@4.17.21' },
              { type: 'library', name: 'x', components: [{ type: 'library', purl: 'pkg:pypi/Django@4.2.1' }] },
            ],
          },
        ]),
      ),
    );
    expect(inventory.packages).toEqual([
      { name: 'lodash', version: '4.17.21', ecosystem: 'npm', purl: 'pkg:npm/lodash@4.17.21' },
      { name: 'django', version: '4.2.1', ecosystem: 'PyPI', purl: 'pkg:pypi/Django@4.2.1' },
    ]);
  });

  it('uses the component version when the purl has none, and skips untracked purl types', () => {
    const inventory = inventoryOf(
      parse(
        bom([
          { name: 'musl', version: '1.2.4-r0', purl: 'pkg:apk/alpine/musl?arch=x86_64&upstream=musl' },
          { name: 'nginx', version: '1.25', purl: 'pkg:generic/nginx@1.25' },
          { name: 'img', purl: 'pkg:oci/debian@sha256%3A244fd47e07d1004f0aed9c?tag=12' },
          { name: 'repo', purl: 'pkg:github/package-url/purl-spec@244fd47e07d1004f' },
        ]),
      ),
    );
    expect(inventory.packages).toEqual([
      {
        name: 'musl',
        version: '1.2.4-r0',
        arch: 'x86_64',
        source: 'musl',
        sourceVersion: '1.2.4-r0',
        packageManager: 'apk',
        purl: 'pkg:apk/alpine/musl?arch=x86_64&upstream=musl',
      },
    ]);
  });

  it('reports a document that is not CycloneDX, bad purls and bad components with their JSON path', () => {
    expect(issuesOf(parse('{"bomFormat":"SPDX"}'))).toEqual([
      { path: 'bomFormat', message: 'bomFormat must be "CycloneDX"' },
    ]);
    expect(issuesOf(parse('[]'))).toEqual([{ message: 'a CycloneDX document is an object, found an array' }]);
    const issues = issuesOf(
      parse(
        bom([
          { name: 'ok', purl: 'pkg:npm/ok@1.0.0' },
          { name: 'bad', purl: 'not a purl' },
          'string',
          { name: 'n', purl: 42 },
          { name: 'nv', purl: 'pkg:deb/debian/nv' },
          { components: { not: 'an array' } },
        ]),
      ),
    );
    expect(issues.map((i) => i.path)).toEqual([
      'components[1].purl',
      'components[2]',
      'components[3].purl',
      'components[4]',
      'components[5].components',
    ]);
    expect(issues[1]?.message).toBe('a component must be an object, found a string');
    expect(issues[3]?.message).toBe('package "nv" has an empty version');
  });

  it(`stops at ${maxComponentDepth} levels of nesting`, () => {
    let nested: unknown[] = [{ purl: 'pkg:npm/deep@1.0.0' }];
    for (let depth = 0; depth < 100; depth++) nested = [{ name: `level${depth}`, components: nested }];
    const issues = issuesOf(parse(bom(nested)));
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toBe(`components are nested more than ${maxComponentDepth} levels deep`);
    expect(issues[0]?.path).toBe(`components${'[0].components'.repeat(maxComponentDepth)}`);
  });

  it('keeps identical components once', () => {
    const component = { purl: 'pkg:deb/debian/libc6@2.36-9?arch=amd64' };
    expect(inventoryOf(parse(bom([component, component]))).packages).toHaveLength(1);
  });
});
