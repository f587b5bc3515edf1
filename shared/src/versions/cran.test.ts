import { describe, expect, it } from 'vitest';
import { cran } from './cran';
import { compareStrings } from './key';
import type { VersionScheme } from './scheme';
import { describeScheme } from './scheme.suite';

describeScheme(cran, {
  vectors: ['cran-versions.txt', 'cran-versions-generated.txt'],
  invalid: ['', '1.', '.1', '1..2', '1.-2', '1-', 'v1.0', '1.0a', '1.0-beta', '1_0', '1.0 ', ' 1.0', '1,0', '١.٠'],
});

/** Every pair of `versions`, listed in ascending order, compares and keys in that order. */
function expectAscending(scheme: VersionScheme, versions: readonly string[]): void {
  versions.forEach((a, i) => {
    versions.forEach((b, j) => {
      const want = Math.sign(i - j);
      expect(scheme.compare(a, b), `${a} vs ${b}`).toBe(want);
      expect(compareStrings(scheme.key(a) as string, scheme.key(b) as string), `key(${a}) vs key(${b})`).toBe(want);
    });
  });
}

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
    expect(cran.compare(a, b)).toBe(0);
    expect(cran.key(a)).toBe(cran.key(b));
  });
});
