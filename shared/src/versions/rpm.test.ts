import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rpm } from './rpm';
import { describeScheme, expectAscending, expectEqual, expectKeysFollowCompare } from './scheme.suite';

describeScheme(rpm, {
  vectors: ['redhat-versions.txt', 'rpm-differential.txt'],
  invalid: ['', ' ', '1.0 1', '1.0\t', '1.0\n', '\u0000', '1.0\u007f', '1:', '-1', '1:-1', '00:-'],
});

// Every ordering and equality below was checked with python3-rpm 4.18 rpm.labelCompare.
describe('rpm', () => {
  const small = '99999999999999999999999';
  const big = '100000000000000000000000';

  it('compares numeric segments of any length by value, in epoch, version and release', () => {
    expectAscending(rpm, [`1.${small}`, `1.${big}`, `1.0${big}1`, `2.${small}`]);
    expectAscending(rpm, [`1-${small}`, `1-${big}`, `1-${big}a`, `1-${big}.0`]);
    expectAscending(rpm, [`${small}:1`, `${big}:0`]);
  });

  it('orders segments ~ < end < ^ < letters < digits, ignoring separators', () => {
    expectAscending(rpm, [
      '1.0~~',
      '1.0~',
      '1.0~1',
      '1.0',
      '1.0^~',
      '1.0^',
      '1.0^a',
      '1.0^1',
      '1.0a',
      '1.0z',
      '1.0.0',
      '1.0.1',
      '1.1',
    ]);
  });

  it('sorts a missing release before any present one, even an empty one or ~', () => {
    expectAscending(rpm, ['1', '1-~', '1-', '1-a', '1-0', '1-1']);
  });

  it('compares the epoch first and takes the release after the last hyphen', () => {
    expectAscending(rpm, ['999', '1:0', '1:0-1', '01:0.1', '2:~']);
    // `1-2-3` is version `1-2`, release `3`: above `1-3` (version `1`), below `1.3-1`.
    expectAscending(rpm, ['1-3', '1-2-3', '1-2-4', '1.3-1']);
  });

  it.each([
    ['1.0', '1_0'],
    ['1.0', '0:1.0'],
    ['1.0', '00:1.0'],
    ['1.0', ':1.0'],
    ['1.01', '1.1'],
    ['1-1', '1-1.'],
    ['1.', '1'],
    ['1-', '1-.'],
    ['1.1.α', '1.1'],
    ['1.0a', '1.0.a'],
    ['1.0+el9', '1.0.el9'],
  ])('%j = %j, with identical keys', (a, b) => {
    expectEqual(rpm, [a, b]);
  });

  it('reads a colon that does not end a leading digit run as part of the version', () => {
    expect(rpm.compare('a:1', 'a1')).toBe(0);
    expect(rpm.compare('1.m+e2:1', '1.m+e2.1')).toBe(0);
  });

  it('encodes keys as documented', () => {
    // Epoch 1; version: numeric 2, alphabetic `el`, numeric 9, `~`, then the end; release: numeric 3.
    expect(rpm.key('1:2el9~-3')).toBe('111%112$el!%119!"1%113"');
    expect(rpm.key('2^')).toBe('0%112#"0');
  });

  // EVRs from what a spec file may hold, short enough that equal and near-equal pairs come up.
  const segment = fc.stringMatching(/^(?:[0-9]{1,3}|0{1,2}|[a-zA-Z]{1,2}|[~^]|[._+])$/);
  const part = fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => s.join(''));
  const evr = fc
    .record({ epoch: fc.option(fc.constantFrom('0', '1', '01', '2')), version: part, release: fc.option(part) })
    .map(
      ({ epoch, version, release }) =>
        (epoch === null ? '' : `${epoch}:`) + version + (release === null ? '' : `-${release}`),
    );

  it('keeps keys in compare order on generated EVRs', () => {
    expectKeysFollowCompare(rpm, evr);
  });
});
