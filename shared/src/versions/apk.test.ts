import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apk } from './apk';
import { describeScheme, expectAscending, expectEqual, expectKeysFollowCompare } from './scheme.suite';

/**
 * Eight hand-written lines of osv-scalibr's alpine-versions.txt record what apk-tools 3 answers for
 * versions that apk itself calls invalid; the file's own comments say apk-tools 2.x (the 3.x
 * releases' tool, which generated alpine-versions-generated.txt) answers the other way. This
 * scheme is apk-tools 2.x's version.c (it passes all 13,979 generated lines and agrees with a
 * line-by-line port on 60,000 random pairs), so those lines are listed here rather than bent to.
 * No valid apk version is among them.
 */
const apk3OnInvalidVersions =
  'apk-tools 3 result on an invalid version; apk-tools 2.x, which generated the corpus, answers otherwise';

describeScheme(apk, {
  vectors: ['alpine-versions.txt', 'alpine-versions-generated.txt'],
  skip: {
    '1-r-0 < 1-r0': apk3OnInvalidVersions,
    '1-r-1 < 1-r0': apk3OnInvalidVersions,
    '0.r1 < 0r2': apk3OnInvalidVersions,
    '0.8.21.r2 < 0.8.21r2': apk3OnInvalidVersions,
    '1.2.0A < 1.2.0d': apk3OnInvalidVersions,
    '1.2.0D < 1.2.0d': apk3OnInvalidVersions,
    '1 > 1-ruff': apk3OnInvalidVersions,
    '1-ruff2 = 1--ruff1': apk3OnInvalidVersions,
  },
  invalid: ['', ' ', '1.0 ', ' 1.0', '1\t2', '1.0\n', '1.0\u0000', '1.0é', '1.٣'],
});

// There is no apk on the build machines: these follow apk-tools 2.x's src/version.c, read by hand
// and checked against a line-by-line transliteration of it on 60,000 random pairs.
describe('apk', () => {
  const small = '99999999999999999999999';
  const big = '100000000000000000000000';

  it('compares numbers of any length by value, in every numeric position', () => {
    expectAscending(apk, [small, big]);
    expectAscending(apk, [`1.${small}`, `1.${big}`, '2']);
    expectAscending(apk, [`1_p${small}`, `1_p${big}`]);
    expectAscending(apk, [`1-r${small}`, `1-r${big}`]);
  });

  it('lets the type of the next token decide: pre-release suffixes, end, revision, post suffixes, letter, digits', () => {
    expectAscending(apk, [
      '1_alpha',
      '1_alpha1',
      '1_beta',
      '1_pre',
      '1_rc',
      '1_rc1',
      '1',
      '1-r1',
      '1_cvs',
      '1_svn',
      '1_git',
      '1_hg',
      '1_p',
      '1_p1',
      '1a',
      '1b',
      '1.0',
      '1.1',
      '1.2',
    ]);
  });

  it('reads leading zeros after a dot as minus their count, then the rest as a number', () => {
    // Neither a decimal fraction nor a string comparison: `02` < `010` because 2 < 10.
    expectAscending(apk, ['1.001', '1.01', '1.02', '1.010', '1.1', '1.2']);
    expectAscending(apk, ['1.00', '1.0', '1.', '1.1']);
  });

  it('sorts a version with an unexpected character after those equal up to it, ignoring the rest', () => {
    expectAscending(apk, ['1.2_blah', '1.2', '1.2-r1', '1.2_p1', '1.2a', '1.2.0', '1.2~abc']);
    expect(apk.compare('1.2~abc', '1.2~def')).toBe(0);
    expect(apk.compare('1.2-1', '1.2-2')).toBe(0);
  });

  it.each([
    ['1-r1', '1-r01'],
    ['1-r', '1-r0'],
    ['01.2', '1.2'],
    ['1.2-ruff', '1.2-r0uff'],
    ['1_foo', '1_bar'],
    ['1_', '1_cvs'],
  ])('%j = %j, with identical keys', (a, b) => {
    expectEqual(apk, [a, b]);
  });

  it('tells a suffix without a number from one with 0', () => {
    expect(apk.compare('1_alpha', '1_alpha0')).toBe(-1);
    expect(apk.compare('1_p', '1_p0')).toBe(-1);
  });

  it('encodes keys as documented', () => {
    // 1, then a `.` token: 2, then an `_` suffix token read as post-release: p (weight 4),
    // then a suffix number: 3, then a revision number: 1, then the end.
    expect(apk.key('1.2_p3-r1')).toBe('1111H1112EiD1113C1111B');
    // Two leading zeros: `0` and numberKey(2) = `112` complemented to `887`.
    expect(apk.key('1.002')).toBe('1111H0887G1112B');
  });

  // Strings of apk's tokens, valid or not, short enough that equal and near-equal pairs come up.
  const atom = fc.constantFrom(
    '0',
    '00',
    '1',
    '2',
    '10',
    '05',
    '.',
    '_',
    '-r',
    '-',
    'a',
    'z',
    'p',
    'A',
    '~1',
    '_alpha',
    '_rc',
    '_p',
    '_git',
    '_x',
  );
  const version = fc.array(atom, { minLength: 1, maxLength: 7 }).map((atoms) => atoms.join(''));

  it('keeps keys in compare order on generated versions', () => {
    expectKeysFollowCompare(apk, version);
  });
});
