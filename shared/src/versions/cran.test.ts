import { describe, it } from 'vitest';
import { cran } from './cran';
import { describeScheme, expectAscending, expectEqual } from './scheme.suite';

describeScheme(cran, {
  vectors: ['cran-versions.txt', 'cran-versions-generated.txt'],
  invalid: ['', '1.', '.1', '1..2', '1.-2', '1-', 'v1.0', '1.0a', '1.0-beta', '1_0', '1.0 ', ' 1.0', '1,0', '١.٠'],
});

describe('cran', () => {
  it.each([0, 1, 2])('compares numbers of any length exactly in component %i', (position) => {
    const at = (n: string) => ['1', '2', '3'].map((part, i) => (i === position ? n : part)).join('.');
    expectAscending(cran, [at('9'), at('99999999999999999999999'), at('100000000000000000000000')]);
  });

  it('sorts a prefix first, whatever the separators', () => {
    expectAscending(cran, ['0', '0.9', '0.75', '1', '1.8', '1-8-0', '1.8.0.0', '1.8-1', '1.9']);
  });

  it.each([
    ['0.01.0', '0.1-0'],
    ['1-2-3', '1.2.3'],
    ['1.002', '1-2'],
  ])('%s = %s, with identical keys', (a, b) => {
    expectEqual(cran, [a, b]);
  });
});
