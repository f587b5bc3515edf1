import { describe, expect, it } from 'vitest';
import { pub } from './pub';
import { describeScheme, expectAscending, expectEqual } from './scheme.suite';

describeScheme(pub, {
  vectors: ['pub-versions.txt'],
  invalid: ['', 'v', '1.', '1..2', '1.2.3-', '1.2.3+', '1.2.3+a..b', '1.2.3+a_b', '1.2.3+a+b', '1.2.3.4-beta', 'any'],
});

describe('pub', () => {
  const small = '99999999999999999999999';
  const big = '100000000000000000000000';

  it.each([0, 1, 2])('compares numbers of any length exactly in component %i', (position) => {
    const at = (n: string) => ['1', '2', '3'].map((part, i) => (i === position ? n : part)).join('.');
    expectAscending(pub, [at('9'), at(small), at(big)]);
  });

  it('orders build metadata after none, like pre-release identifiers', () => {
    expectAscending(pub, [
      '1.2.3-alpha',
      '1.2.3-alpha+1',
      '1.2.3-alpha+a',
      '1.2.3-alpha.0',
      '1.2.3',
      '1.2.3+0',
      '1.2.3+1',
      '1.2.3+1.0',
      '1.2.3+1.a',
      '1.2.3+2',
      '1.2.3+10',
      `1.2.3+${small}`,
      `1.2.3+${big}`,
      '1.2.3+-',
      '1.2.3+A',
      '1.2.3+a',
      '1.2.3+a.0',
      '1.2.3+a-',
      '1.2.3+b',
      '1.2.4-0',
    ]);
  });

  it.each([
    ['v1.2.3+01', '1.2.3+1'],
    ['1', '1.0.0'],
    ['1.1.3.4.5', '1.1.3+4.5'],
    ['1.2.3-rc.01+b', '1.2.3-rc.1+b'],
  ])('%s = %s, with identical keys', (a, b) => {
    expectEqual(pub, [a, b]);
  });

  it('encodes keys as documented', () => {
    expect(pub.key('1.2.3')).toBe('111112113~!');
    expect(pub.key('1.2.3+b.7')).toBe('111112113~$b!#117!');
  });
});
