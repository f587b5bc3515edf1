import { describe, expect, it } from 'vitest';
import { matchesBySource, matchIdentity, normalizeEcosystem } from './ecosystems';

describe('normalizeEcosystem', () => {
  it.each([
    ['Debian:12', 'Debian:12'],
    ['Ubuntu:22.04:LTS', 'Ubuntu:22.04'],
    ['Ubuntu:24.10', 'Ubuntu:24.10'],
    ['Ubuntu:Pro:16.04:LTS', 'Ubuntu:Pro:16.04'],
    ['Red Hat:enterprise_linux:9::appstream', 'Red Hat:9'],
    ['Red Hat:enterprise_linux:9.4::baseos', 'Red Hat:9'],
    ['Red Hat:rhel_aus:8.6::appstream', 'Red Hat:8.6:aus'],
    ['Red Hat:rhel_els:6', 'Red Hat:6:els'],
    ['Red Hat:openshift:4.14::el9', 'Red Hat:openshift:4.14::el9'],
    ['Alpine:v3.20', 'Alpine:v3.20'],
    ['AlmaLinux:9', 'AlmaLinux:9'],
    ['npm', 'npm'],
  ])('%s applies to %s', (advisory, host) => {
    expect(normalizeEcosystem(advisory)).toBe(host);
  });
});

describe('matchIdentity', () => {
  it('matches Debian, Ubuntu and Alpine packages by their source', () => {
    expect(matchesBySource('Debian:12')).toBe(true);
    expect(
      matchIdentity('Debian:12', {
        name: 'libssl3',
        version: '3.0.11-1~deb12u2+b1',
        source: 'openssl',
        sourceVersion: '3.0.11-1~deb12u2',
      }),
    ).toEqual({
      name: 'openssl',
      version: '3.0.11-1~deb12u2',
    });
    expect(matchIdentity('Alpine:v3.20', { name: 'libcrypto3', version: '3.3.2-r1', source: 'openssl' })).toEqual({
      name: 'openssl',
      version: '3.3.2-r1',
    });
    expect(matchIdentity('Debian:12', { name: 'bash', version: '5.2.15-2+b7' })).toEqual({
      name: 'bash',
      version: '5.2.15-2+b7',
    });
  });

  it('matches rpm and language packages by their own name', () => {
    expect(
      matchIdentity('Red Hat:9', {
        name: 'openssl-libs',
        version: '1:3.0.7-27.el9',
        source: 'openssl',
        sourceVersion: '1:3.0.7-27.el9',
      }),
    ).toEqual({
      name: 'openssl-libs',
      version: '1:3.0.7-27.el9',
    });
    expect(matchIdentity('npm', { name: 'lodash', version: '4.17.20' })).toEqual({
      name: 'lodash',
      version: '4.17.20',
    });
  });
});
