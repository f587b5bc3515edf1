import { describe, expect, it } from 'vitest';
import { compareStrings } from './key';
import { pep440 } from './pep440';
import { describeScheme, expectAscending, expectEqual } from './scheme.suite';

const VECTOR_FILES = [
  'pypi-versions.txt',
  'pypi-versions-generated.txt',
  'pep440-differential.txt',
  'pep440-legacy-differential.txt',
];

describeScheme(pep440, {
  vectors: VECTOR_FILES,
  // Any other string is at least a legacy version; these no OSV record holds (pep440-legacy.ts).
  invalid: [
    '',
    ' ',
    '1.0 a1',
    'trunk ',
    '0.9-doduo\t',
    '1.0\u0000',
    '1.0\x7f',
    '\ufeff1.0',
    '１.０',
    '1.0+ſ',
    '1.0.poſt1',
    '1.0+\u212a',
    'caf\u00e9',
    `1.${'9'.repeat(300)}`,
    `x${'9'.repeat(300)}`,
  ],
});

describe('pep440', () => {
  const small = '9';
  const huge = '9'.repeat(40);
  const huger = `1${'0'.repeat(40)}`;
  it.each([
    ['epoch', (n: string) => `${n}!1.0`],
    ['first release number', (n: string) => `${n}.1`],
    ['third release number', (n: string) => `1.2.${n}`],
    ['pre-release number', (n: string) => `1.0rc${n}`],
    ['post-release number', (n: string) => `1.0.post${n}`],
    ['dev-release number', (n: string) => `1.0.dev${n}`],
    ['local number', (n: string) => `1.0+abc.${n}`],
  ])('compares numbers of any length exactly in the %s', (_, at) => {
    expectAscending(pep440, [at(small), at(huge), at(huger)]);
    expectEqual(pep440, [at(huge), at(`000${huge}`)]);
  });

  it('orders the parts as packaging’s _cmpkey does', () => {
    expectAscending(pep440, [
      '0.9.post1',
      '1.0.dev0',
      '1.0.dev1',
      '1.0a0.dev0',
      '1.0a0',
      '1.0a0.post0.dev0',
      '1.0a0.post0',
      '1.0a1',
      '1.0b0',
      '1.0rc0',
      '1.0rc0+local',
      '1.0',
      '1.0+abc',
      '1.0+abc.a',
      '1.0+abc.0',
      '1.0+abc.1',
      '1.0+abd',
      '1.0+0',
      '1.0+1.a',
      '1.0+2',
      '1.0.post0.dev0',
      '1.0.post0',
      '1.0.post1',
      '1.0.0.1.dev0',
      '1.0.0.1',
      '1.1',
      '1!0.1',
    ]);
  });

  it.each([
    [['1', '1.0', '1.0.0', '0!1', '000!1.000', 'v1.0', 'V1', ' \t1.0\n', '\u20031.0\u3000', '\x1c1\x1f']],
    [['1.0.post1', '1.0-1', '1.0.r1', '1.0-rev1', '1.0_post_1', '1.0POST1', '1.0post01', '1.0.0-post.1']],
    [['1.0RC1', '1.0rc1', '1.0c1', '1.0-pre1', '1.0.preview.1', '1.0_RC_1', '1.0rc01']],
    [['1.0a', '1.0a0', '1.0-alpha', '1.0.ALPHA.0', '1.0a.']],
    [['1.0b2', '1.0beta2', '1.0-BETA-2']],
    [['1.0.dev', '1.0dev0', '1.0-dev-0', '1.0_DEV']],
    [['1.0.post', '1.0.post0', '1.0-r', '1.0rev']],
    [['1.0+Ubuntu.1', '1.0+ubuntu-1', '1.0+ubuntu_01', '1.0.0+UBUNTU.1']],
  ])('treats the spellings %j as one version with one key', (versions) => {
    expectEqual(pep440, versions);
  });

  it('keeps epochs apart from release numbers', () => {
    expectAscending(pep440, ['2.0', '1!1.0', '1!2.0', '2!0.1']);
  });
});

describe('pep440 legacy versions (packaging 21.3 LegacyVersion)', () => {
  it('sorts them by _legacy_cmpkey, all before every PEP 440 version', () => {
    expectAscending(pep440, [
      '-class.-jw.util.version.version-dev',
      'trunk',
      '0.3m1',
      '0.9-doduo',
      '1!2!3',
      '1.0-dev-x',
      '1.0a1b1',
      '1.0-rc1-x',
      '1.0-final',
      '1.0-x',
      '1.0.x',
      '2013-01-21T20:33:09+0100',
      '2013-09-11T19-27-10',
      '0.dev0',
      '1.0',
    ]);
  });

  it('compares numbers as strings padded to 8 digits, so longer ones not by value', () => {
    expectAscending(pep440, ['1.000000001x', '1.00000002x', '1.0123456789x', '1.123456789x', '1.99999999x']);
  });

  it.each([
    [['trunk', 'TRUNK', 'Trunk']],
    [['1.0rc1x', '1.0-rc1x', '1.0.c.1.x', '1.0pre1x', '1.0-PREVIEW1x']],
    [['1.x-dev', '1.x-@', '1.x.dev.0', '1.x-DEV']],
    [['1.0_0', '1_0', '1.0_000']],
    [['1.0.x', '1.x', '1.0.0.x', '01.00000000x']],
  ])('treats %j as one version with one key', (versions) => {
    expectEqual(pep440, versions);
  });

  it('keys them as `-` and the parts joined by spaces, below every PEP 440 key', () => {
    expect(pep440.key('0.9-doduo')).toBe('-00000000 00000009 *doduo *final');
    expect(pep440.key('trunk')).toBe('-*trunk *final');
    expect(compareStrings(pep440.key('~~~') as string, pep440.key('0!0.dev0') as string)).toBe(-1);
  });
});
