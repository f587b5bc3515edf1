import { describe, expect, it } from 'vitest';
import { packageFromPurl } from './purl';

const packageOf = (purl: string, context = {}) => {
  const result = packageFromPurl(purl, context);
  if (result.kind !== 'package') throw new Error(`expected a package, got ${JSON.stringify(result)}`);
  return result.package;
};

describe('purl to package', () => {
  it.each([
    ['pkg:npm/%40angular/core@17.0.1', 'npm', '@angular/core'],
    ['pkg:npm/lodash@4.17.21', 'npm', 'lodash'],
    ['pkg:pypi/Django_Rest@3.14.0', 'PyPI', 'django-rest'],
    ['pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1', 'Maven', 'org.apache.logging.log4j:log4j-core'],
    ['pkg:golang/golang.org/x/net@v0.17.0', 'Go', 'golang.org/x/net'],
    ['pkg:cargo/tokio@1.35.0', 'crates.io', 'tokio'],
    ['pkg:gem/rails@7.1.2', 'RubyGems', 'rails'],
    ['pkg:nuget/Newtonsoft.Json@13.0.3', 'NuGet', 'Newtonsoft.Json'],
    ['pkg:composer/laravel/framework@10.0.0', 'Packagist', 'laravel/framework'],
    ['pkg:hex/phoenix@1.7.10', 'Hex', 'phoenix'],
    ['pkg:pub/http@1.1.0', 'Pub', 'http'],
  ])('%s is %s package %s', (purl, ecosystem, name) => {
    const pkg = packageOf(purl);
    expect(pkg).toMatchObject({ ecosystem, name, purl });
    expect(pkg.packageManager).toBeUndefined();
  });

  it.each([
    'pkg:generic/openssl@1.1.1',
    'pkg:github/package-url/purl-spec@1.0',
    'pkg:docker/library/debian@12',
    'pkg:oci/debian@sha256%3Aabc',
  ])('skips %s', (purl) => {
    expect(packageFromPurl(purl).kind).toBe('unsupported');
  });

  it('reports what the purl library says about a malformed purl', () => {
    expect(packageFromPurl('pkg:')).toEqual({
      kind: 'invalid',
      message: 'Invalid purl: "type" is a required component',
    });
    expect(packageFromPurl('http://example.com/x').kind).toBe('invalid');
  });

  it('prefixes a non-zero epoch qualifier and drops a zero one for rpm', () => {
    expect(packageOf('pkg:rpm/redhat/glibc@2.34-100.el9?arch=x86_64&epoch=1').version).toBe('1:2.34-100.el9');
    expect(packageOf('pkg:rpm/redhat/glibc@2.34-100.el9?epoch=0').version).toBe('2.34-100.el9');
    expect(packageOf('pkg:rpm/redhat/glibc@0:2.34-100.el9').version).toBe('2.34-100.el9');
    // Trivy puts a Debian epoch in the qualifier too.
    expect(packageOf('pkg:deb/debian/libattr1@2.5.1-4?epoch=1').version).toBe('1:2.5.1-4');
    expect(packageOf('pkg:deb/debian/libattr1@1:2.5.1-4?epoch=1').version).toBe('1:2.5.1-4');
  });

  it('reads the syft upstream qualifier of each OS type, with + kept', () => {
    expect(
      packageOf('pkg:deb/debian/libmount1@2.38.1-5+deb12u1?arch=amd64&upstream=util-linux@2.38.1-5+deb12u1'),
    ).toMatchObject({
      source: 'util-linux',
      sourceVersion: '2.38.1-5+deb12u1',
    });
    expect(packageOf('pkg:deb/debian/libacl1@2.3.1-3?upstream=acl')).toMatchObject({
      source: 'acl',
      sourceVersion: '2.3.1-3',
    });
    expect(
      packageOf('pkg:rpm/redhat/openssl-libs@3.0.7-27.el9?arch=x86_64&epoch=1&upstream=openssl-3.0.7-27.el9.src.rpm'),
    ).toMatchObject({ version: '1:3.0.7-27.el9', source: 'openssl', sourceVersion: '1:3.0.7-27.el9' });
    expect(packageOf('pkg:apk/alpine/libcrypto3@3.1.0-r4?upstream=openssl')).toMatchObject({
      source: 'openssl',
      sourceVersion: '3.1.0-r4',
    });
  });

  it('prefers the source the document states, and leaves an rpm source unknown when nothing states it', () => {
    expect(
      packageOf('pkg:deb/debian/libmount1@2.38.1-5?upstream=wrong', {
        source: 'util-linux',
        sourceVersion: '2.38.1-5',
      }),
    ).toMatchObject({
      source: 'util-linux',
      sourceVersion: '2.38.1-5',
    });
    const rpm = packageOf('pkg:rpm/redhat/bash@5.1.8-9.el9');
    expect(rpm.source).toBeUndefined();
    expect(rpm.sourceVersion).toBeUndefined();
    expect(packageOf('pkg:deb/debian/bash@5.2.15-2')).toMatchObject({ source: 'bash', sourceVersion: '5.2.15-2' });
  });

  it('falls back to the version the document states', () => {
    expect(packageOf('pkg:npm/left-pad', { version: '1.3.0' }).version).toBe('1.3.0');
    expect(packageOf('pkg:npm/left-pad@1.1.0', { version: '1.3.0' }).version).toBe('1.1.0');
  });
});
