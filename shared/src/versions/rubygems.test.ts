import { describe, it } from 'vitest';
import { rubygems } from './rubygems';
import { describeScheme, expectAscending, expectEqual } from './scheme.suite';

/** Two hand-written lines name versions Gem::Version refuses: the first number must end at a dot or `-`. */
const MALFORMED = 'Gem::Version.new raises "Malformed version number string" for 1beta and 1gamma';

describeScheme(rubygems, {
  vectors: ['rubygems-versions.txt', 'rubygems-versions-generated.txt', 'rubygems-differential.txt'],
  skip: { '1 > 1beta': MALFORMED, '1 > 1gamma': MALFORMED },
  invalid: [
    '1beta',
    '1gamma',
    '1a',
    'a',
    'a1',
    '.1',
    '1.',
    '1..0',
    '1.0-',
    '-1',
    '1_0',
    'v1.0',
    '1.0+1',
    '1 0',
    '1.0\u00a0',
    '１',
    '1.0.é',
    `1.${'9'.repeat(300)}`,
  ],
});

describe('rubygems', () => {
  const huge = '9'.repeat(40);
  const huger = `1${'0'.repeat(40)}`;
  it.each([
    ['first segment', (n: string) => `${n}.1`],
    ['third segment', (n: string) => `1.2.${n}`],
    ['segment after letters', (n: string) => `1.0.a${n}`],
    ['prerelease part', (n: string) => `1.0-${n}`],
  ])('compares numbers of any length exactly in the %s', (_, at) => {
    expectAscending(rubygems, [at('9'), at('4294967296'), at(huge), at(huger)]);
    expectEqual(rubygems, [at(huge), at(`000${huge}`)]);
  });

  it('puts letter segments below numbers and below the release, and compares them as bytes', () => {
    expectAscending(rubygems, [
      '1.A',
      '1.Z',
      '1.a.0.b',
      '1.a',
      '1.a.0.1',
      '1.a.1',
      '1.b',
      '1.pre',
      '1.rc',
      '1',
      '1.0.0.1',
      '1.0.1',
      '1.1.a',
      '1.1',
    ]);
  });

  it.each([
    [['1', '1.0', '1.0.0', '01', '1.00', ' 1.0 ', '\t1\n']],
    [['0', '', ' ', '0.0']],
    [['1.a', '1.0.a', '1.0.0.a', '1.a.0', '1.a.0.0', '1.0.0.a.0']],
    [['1.0-1', '1.0.pre.1', '1-1', '1.pre1', '1.pre.1']],
    [['1.0.a10', '1.0.a.10', '1.a.010']],
  ])('treats the spellings %j as one version with one key', (versions) => {
    expectEqual(rubygems, versions);
  });
});
