import { describe, expect, it } from 'vitest';
import { hackage } from './hackage';
import { describeScheme, expectAscending } from './scheme.suite';

describeScheme(hackage, {
  vectors: ['hackage-versions.txt'],
  invalid: ['', '1.', '.1', '1..2', '1-2', '01', '1.02', '1.0.00', 'v1.0', '1.0-beta', '1.0a', '1.0 ', '١'],
});

describe('hackage', () => {
  it.each([0, 1, 2])('compares numbers of any length exactly in component %i', (position) => {
    const at = (n: string) => ['1', '2', '3'].map((part, i) => (i === position ? n : part)).join('.');
    expectAscending(hackage, [at('9'), at('99999999999999999999999'), at('100000000000000000000000')]);
  });

  it('compares as lists: a prefix sorts first', () => {
    expectAscending(hackage, ['0', '0.0', '0.0.1', '0.1', '1', '1.0', '1.0.0', '1.0.0.0', '1.0.1', '1.2', '1.10', '2']);
  });

  it('refuses leading zeros, as Cabal does, but reads zero itself', () => {
    expect(hackage.validate('1.02')?.reason).toMatch(/leading zero/);
    expect(hackage.validate('0.0.10')).toBeUndefined();
  });
});
