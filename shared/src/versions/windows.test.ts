import { describe, expect, it } from 'vitest';
import { describeScheme, expectAscending, expectEqual } from './scheme.suite';
import { windowsBuild } from './windows';

describeScheme(windowsBuild, {
  vectors: ['windows-versions.txt'],
  invalid: [
    '',
    '.',
    '10.',
    '.10',
    '10..0',
    '10.0.20348.2402.1',
    'v10.0.20348',
    '10.0.20348 ',
    ' 10.0.20348',
    '10.0.20348-2402',
    '10.0.20348a',
    '10.0.-1',
    '10.0.+1',
    '10.0.0x1F',
    '1e3',
    '10.٣',
  ],
});

describe('windows', () => {
  it('compares components of any length by value', () => {
    const small = '99999999999999999999999';
    const big = '100000000000000000000000';
    expectAscending(windowsBuild, [`10.0.20348.${small}`, `10.0.20348.${big}`, `10.0.20349`, `10.${small}`]);
  });

  it('orders by major, minor, build, then update build revision', () => {
    expectAscending(windowsBuild, ['6.1.7601.27067', '6.3.9600.21924', '10', '10.0.20348', '10.0.20348.1', '10.1']);
  });

  it.each([
    ['10.0.20348', '10.0.20348.0'],
    ['10', '10.0.0.0'],
    ['10.00.020348.02402', '10.0.20348.2402'],
  ])('%j = %j, with identical keys', (a, b) => {
    expectEqual(windowsBuild, [a, b]);
  });

  it('encodes keys as four numberKeys', () => {
    expect(windowsBuild.key('10.0.20348.2402')).toBe('1210' + '0' + '1520348' + '142402');
  });
});
