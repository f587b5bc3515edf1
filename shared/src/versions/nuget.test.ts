import { describe, it } from 'vitest';
import { nuget } from './nuget';
import { describeScheme, expectAscending, expectEqual } from './scheme.suite';

describeScheme(nuget, {
  vectors: ['nuget-versions.txt'],
  invalid: [
    '',
    'v1.0.0',
    '1.2.3.4.5',
    '1.',
    '1..0',
    '1.0.0-',
    '1.0.0+',
    '1.0.0-beta..1',
    '1.0.0-beta_1',
    'a.b',
    '1.0 ',
  ],
});

describe('nuget', () => {
  it.each([0, 1, 2, 3])('compares numbers of any length exactly in component %i', (position) => {
    const at = (n: string) => ['1', '2', '3', '4'].map((part, i) => (i === position ? n : part)).join('.');
    expectAscending(nuget, [at('9'), at('99999999999999999999999'), at('100000000000000000000000')]);
  });

  it('compares pre-release identifiers case-insensitively, numeric ones first', () => {
    expectAscending(nuget, [
      '1.0.0-1',
      '1.0.0-99999999999999999999999',
      '1.0.0-100000000000000000000000',
      '1.0.0-a',
      '1.0.0-B',
      '1.0.0-beta',
      '1.0.0-Beta.1',
      '1.0.0-beta.a',
      '1.0.0-BETA.Z',
      '1.0.0',
      '1.0.0.1-alpha',
      '1.0.0.1',
    ]);
  });

  it.each([
    ['1', '1.0.0.0'],
    ['1.0', '1.0.0'],
    ['1.0.0', '1.0.0.0'],
    ['1.0.0+build', '1.0.0'],
    ['1.0.0-BETA.X', '1.0.0-beta.x+Other'],
    ['01.0.010', '1.0.10.0'],
    ['1.0.0-rc.01', '1.0.0-RC.1'],
  ])('%s = %s, with identical keys', (a, b) => {
    expectEqual(nuget, [a, b]);
  });
});
