import { describe, it } from 'vitest';
import { maven } from './maven';
import { describeScheme, expectAscending, expectEqual } from './scheme.suite';

/**
 * ComparableVersion (3.8.6, which generated these lines) contradicts itself on three of them: it
 * also puts `2.9.0.RC1` < `2.9.0` < `2.9.0-1`, so no total order holds all three comparisons; the
 * scheme keeps the two against the common prefix, as maven-artifact 3.8.7 (MNG-7559) does too.
 */
const CYCLE = 'part of a ComparableVersion cycle through the common prefix; 3.8.7 orders it the other way';

describeScheme(maven, {
  vectors: ['maven-versions.txt', 'maven-versions-generated.txt', 'maven-differential.txt'],
  skip: {
    '1-1 = 1-ga-1':
      'no maven-artifact 3.x agrees (3.0 to 3.9.6 all say >): 1-ga-1 normalises to [1, [[1]]], a list where 1-1 has a number',
    '1.0.0-gradle-rework-beta3 < 1.0.0.RC7-3': CYCLE,
    '2.9.0-1 < 2.9.0.RC1': CYCLE,
    '1.1.0-01-glassfish < 1.1.0.Beta1': CYCLE,
  },
  invalid: ['', ' ', '1 0', '1.0\t', '\t1.0', '1.0\n', 'é', '1.0-β', '١', `1.${'9'.repeat(300)}`],
});

describe('maven', () => {
  const huge = '9'.repeat(40);
  const huger = `1${'0'.repeat(40)}`;
  it.each([
    ['first number', (n: string) => `${n}.1`],
    ['third number', (n: string) => `1.2.${n}`],
    ['number after a qualifier', (n: string) => `1.0-rc${n}`],
    ['number in a nested list', (n: string) => `1-${n}-x`],
  ])('compares numbers of any length exactly in the %s', (_, at) => {
    expectAscending(maven, [at('9'), at('4294967296'), at('9223372036854775808'), at(huge), at(huger)]);
    expectEqual(maven, [at(huge), at(`000${huge}`)]);
  });

  it('orders qualifiers alpha < beta < milestone < rc < snapshot < release < sp < others < numbers', () => {
    expectAscending(maven, [
      '1-alpha-1',
      '1-beta-1',
      '1-milestone-1',
      '1-rc-1',
      '1-SNAPSHOT',
      '1',
      '1-sp',
      '1-abc',
      '1-abd',
      '1-1',
      '1.1',
    ]);
  });

  it.each([
    [['1', '1.0', '1.0.0', '01', '1.', '1-', '1-0', '1.0-0', '1-ga', '1.ga', '1-final', '1.final-0']],
    [['1', '1-release', '1.RELEASE', '1-GA', '1.0.0.Final']],
    [['1a1', '1-alpha-1', '1A1', '1-ALPHA-01']],
    [['1cr1', '1rc1', '1-RC-1', '1-cr-1']],
    [
      ['1b2', '1-beta-2'],
      ['1m3', '1-milestone-3', '1MILESTONE3'],
    ],
  ])('treats the spellings %j as one version with one key', (...groups) => {
    for (const versions of groups) expectEqual(maven, versions);
  });

  it('reads a qualifier after a dot in the outer list, as maven-artifact did before MNG-7559', () => {
    // 3.8.7 reads 1.0.RC1 as 1.0-RC1 and would say 1.0.RC1 > 1.0-RC0.
    expectAscending(maven, ['1.0-RC0', '1.0.RC1', '1.0']);
  });

  it('where ComparableVersion is intransitive, keeps the order against the shorter version', () => {
    // ComparableVersion: 1-alpha < 1 < 1.sp.1, yet 1-alpha > 1.sp.1 (a list outranks a qualifier).
    expectAscending(maven, ['1-alpha', '1', '1.sp.1']);
  });
});
