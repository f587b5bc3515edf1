import { describe, it } from 'vitest';
import { packagist } from './packagist';
import { describeScheme, expectAscending, expectEqual } from './scheme.suite';

describeScheme(packagist, {
  vectors: ['packagist-versions.txt', 'packagist-versions-generated.txt', 'packagist-differential.txt'],
  skip: {
    // With `1.2.3.# = 1.2.3` beside it, this line would make 1.2.3 = 1.2.3.1, which the generated
    // lines contradict (e.g. `1.0.0 < 1.0.0.1`); PHP itself says 1.2.3.# < 1.2.3.1 (and < 1.2.3).
    '1.2.3.# = 1.2.3.1': '`#` cannot equal both the end and a number in a total order; it equals the end here',
  },
  invalid: ['', ' ', '1 0', '1.0\t', '\t1.0', '1.0\n', 'é', '1.0-β', '١', `1.${'9'.repeat(300)}`],
});

describe('packagist', () => {
  const huge = '9'.repeat(40);
  const huger = `1${'0'.repeat(40)}`;
  it.each([
    ['first component', (n: string) => `${n}.1`],
    ['third component', (n: string) => `1.2.${n}`],
    ['number after a word', (n: string) => `1.0-RC${n}`],
    ['trailing component', (n: string) => `1.0.0.${n}`],
  ])('compares numbers of any length exactly in the %s', (_, at) => {
    expectAscending(packagist, [at('9'), at('9223372036854775808'), at(huge), at(huger)]);
    expectEqual(packagist, [at(huge), at(`000${huge}`)]);
  });

  it('orders the special forms as version_compare does: other words first, `pl` above numbers', () => {
    expectAscending(packagist, [
      '1.0-foo',
      '1.0-dev',
      '1.0-alpha1',
      '1.0-beta1',
      '1.0-RC1',
      '1.0-RC2',
      '1.0',
      '1.0.0',
      '1.0.1',
      '1.0-pl1',
    ]);
  });

  it.each([
    [['1.0', 'v1.0', 'V1.0', '1_0', '1+0', '1-0']],
    [['1.0-foo', '1.0-STABLE', '1.0-Alpha', '1.0-x']],
    [['1.0a1', '1.0-alpha-1', '1.0.alpha.1', '1.0-a.1', '1.0-abc1']],
    [['1.0rc1', '1.0RC1', '1.0-rc.1', '1.0-rcx1']],
    [['1.0pl1', '1.0p1', '1.0-patch1', '1.0.p.1']],
    [['1.0-dev', '1.0-devel', '1.0.dev']],
    [['1.2.3.#', '1.2.3', '1.2.3.#.#']],
  ])('treats the spellings %j as one version with one key', (versions) => {
    expectEqual(packagist, versions);
  });

  it('lets a longer version win with a number next, and otherwise weighs its next word against `#`', () => {
    expectAscending(packagist, ['1.0-beta', '1.0-RC', '1.0', '1.0.0', '1.0.0.0', '1.0-p']);
    expectAscending(packagist, ['1.2.3.#.beta', '1.2.3', '1.2.3.#.1', '1.2.3.#.p3', '1.2.3.0']);
  });
});
