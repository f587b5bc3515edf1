import fc from 'fast-check';
import nodeSemver from 'semver';
import { describe, expect, it } from 'vitest';
import { compareStrings } from './key';
import { isInvalid } from './scheme';
import { describeScheme, expectAscending, expectEqual } from './scheme.suite';
import { semver } from './semver';

describeScheme(semver, {
  vectors: ['semver-versions.txt', 'semver-differential.txt'],
  invalid: [
    '',
    'v',
    'V1.2.3',
    '=1.2.3',
    ' 1.2.3',
    '1.2.3 ',
    '1.',
    '.1',
    '1..2',
    '-1.2.3',
    '1.2.3-',
    '1.2.3+',
    '1.2.3-a..b',
    '1.2.3-a.',
    '1.2.3+a+b',
    '1.2.3-a_b',
    '1.2.3-é',
    '1.2.٣',
    '1.2.3.4-beta',
    '1.x',
    'latest',
  ],
});

describe('semver', () => {
  const small = '99999999999999999999999';
  const big = '100000000000000000000000';

  it.each([0, 1, 2])('compares numbers of any length exactly in component %i', (position) => {
    const at = (n: string) => ['1', '2', '3'].map((part, i) => (i === position ? n : part)).join('.');
    expectAscending(semver, [at('9'), at(small), at(big), at(`${big}0`)]);
  });

  it('compares numeric pre-release identifiers of any length exactly', () => {
    expectAscending(semver, [`1.2.3-${small}`, `1.2.3-${big}`, '1.2.3-a', '1.2.3']);
    expectAscending(semver, [`1.2.3-rc.${small}`, `1.2.3-rc.${big}`, `1.2.3-rc.${big}.0`]);
  });

  it('orders pre-releases by SemVer 2.0.0 precedence', () => {
    expectAscending(semver, [
      '1.2.3-0',
      '1.2.3-1',
      '1.2.3-1.a',
      '1.2.3-2',
      '1.2.3-10',
      '1.2.3--',
      '1.2.3-0a',
      '1.2.3-1-a',
      '1.2.3-A',
      '1.2.3-Z',
      '1.2.3-a',
      '1.2.3-a.0',
      '1.2.3-a.0.0',
      '1.2.3-a.1',
      '1.2.3-a.a',
      '1.2.3-a-',
      '1.2.3-a-b',
      '1.2.3-a0',
      '1.2.3-aa',
      '1.2.3',
      '1.2.4-0',
    ]);
  });

  it.each([
    ['1.2.3+a', '1.2.3+b'],
    ['1.2.3', '1.2.3+build.5'],
    ['1.2.3-rc.1+a', '1.2.3-rc.1+b.c'],
    ['v1.2.3', '1.2.3'],
    ['1', '1.0.0'],
    ['1.2', '1.2.0'],
    ['1-beta', '1.0.0-beta'],
    ['01.002.0003', '1.2.3'],
    ['1.2.3-01', '1.2.3-1'],
    ['1.2.3-rc.00', '1.2.3-rc.0'],
    ['1.1.3.4.5', '1.1.3'],
    ['1.1.3.4.5', '1.1.3+4.5'],
  ])('%s = %s, with identical keys', (a, b) => {
    expectEqual(semver, [a, b]);
  });

  it('encodes keys as documented', () => {
    expect(semver.key('1.2.3')).toBe('111112113~');
    expect(semver.key('1.2.3-rc.10')).toBe('111112113-$rc!#1210!');
    expect(semver.key('0.0.0-a-b.0')).toBe('000-$a-b!#0!');
  });

  it('refuses, with a reason, a pre-release after a fourth component rather than guess which it is', () => {
    expect(semver.validate('1.2.3.4-beta')?.reason).toMatch(/pre-release/);
    expect(semver.validate('1.2.3.4+build')).toBeUndefined();
  });

  // node-semver's own grammar (strict): numbers without leading zeros and at most 15 digits, where
  // node-semver is exact (it refuses numbers above 2^53 and reads longer pre-release numbers as text).
  const number = fc.oneof(
    fc.constantFrom('0', '1', '2', '9', '10'),
    fc.bigInt({ min: 0n, max: 999_999_999_999_999n }).map(String),
  );
  const alphanumeric = fc.stringMatching(/^[0-9A-Za-z-]{0,4}[A-Za-z-][0-9A-Za-z-]{0,4}$/);
  const prerelease = fc.array(fc.oneof(number, alphanumeric, fc.constantFrom('alpha', 'beta', 'rc')), {
    minLength: 1,
    maxLength: 4,
  });
  const build = fc.array(fc.stringMatching(/^[0-9A-Za-z-]{1,6}$/), { minLength: 1, maxLength: 3 });
  const strictSemver = fc
    .record({ release: fc.tuple(number, number, number), prerelease: fc.option(prerelease), build: fc.option(build) })
    .map(
      ({ release, prerelease, build }) =>
        release.join('.') + (prerelease ? `-${prerelease.join('.')}` : '') + (build ? `+${build.join('.')}` : ''),
    );
  // Pairs that share their release part, so that pre-releases and builds get compared too.
  const pair = fc.oneof(
    fc.tuple(strictSemver, strictSemver),
    fc
      .tuple(strictSemver, prerelease, fc.option(build))
      .map(([a, pre, b]): [string, string] => [
        a,
        `${a.replace(/[-+].*$/, '')}-${pre.join('.')}${b ? `+${b.join('.')}` : ''}`,
      ]),
  );

  it('agrees with node-semver on generated strict SemVer versions', () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        expect(nodeSemver.valid(a) && nodeSemver.valid(b), `${a} ${b} strict`).toBeTruthy();
        expect(semver.compare(a, b)).toBe(nodeSemver.compare(a, b));
        const ka = semver.key(a);
        const kb = semver.key(b);
        expect(isInvalid(ka) || isInvalid(kb)).toBe(false);
        expect(compareStrings(ka as string, kb as string)).toBe(nodeSemver.compare(a, b));
      }),
      { numRuns: 5_000 },
    );
  });
});
