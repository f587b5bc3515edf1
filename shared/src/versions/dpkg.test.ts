import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dpkg } from './dpkg';
import { describeScheme, expectAscending, expectEqual, expectKeysFollowCompare } from './scheme.suite';

describeScheme(dpkg, {
  vectors: ['debian-versions.txt', 'debian-versions-generated.txt', 'dpkg-differential.txt'],
  // All refused by `dpkg --validate-version` too, except the one marked.
  invalid: [
    '',
    ' \t ',
    '1.0 1',
    '1.0\n',
    ':1.0',
    '1:',
    'a:1.0',
    '1a:1.0',
    '-1:1.0',
    '+1:1.0', // dpkg's strtol takes the sign; refused here
    '2147483648:1.0',
    '99999999999999999999999:1.0',
    '1.0-',
    '1.0-1-',
    '-1',
    'a1.0',
    '~1.0',
    '1.0_1',
    '1.0-1_1',
    '1.0-1:1',
    '1:1.0-a:b',
    '1.0é',
    '1.٣',
  ],
});

// Every ordering and equality below was checked with dpkg 1.21 --compare-versions.
describe('dpkg', () => {
  const small = '99999999999999999999999';
  const big = '100000000000000000000000';

  it('compares digit runs of any length by value, in upstream and revision', () => {
    expectAscending(dpkg, [`1.${small}`, `1.${big}`, `1.0${big}1`, `2.${small}`]);
    expectAscending(dpkg, [`1.0-${small}`, `1.0-${big}~`, `1.0-${big}`, `1.0-${big}a`]);
  });

  it('orders ~ before the end, the end before letters, letters (ASCII) before other characters', () => {
    expectAscending(dpkg, [
      '1.0~~',
      '1.0~~a',
      '1.0~',
      '1.0~a',
      '1.0',
      '1.0A',
      '1.0Z',
      '1.0a',
      '1.0z',
      '1.0+',
      '1.0.',
      '1.0.1',
      '1.1',
    ]);
    expectAscending(dpkg, ['1.0-1~bpo1', '1.0-1', '1.0-1+b1', '1.0-1+deb12u1', '1.0-1.1', '1.0-2~deb12u1', '1.0-2']);
  });

  it('compares the epoch first, then upstream, then the revision after the last hyphen', () => {
    expectAscending(dpkg, ['9.9-9', '1:0', '1:0-1', '1:0.0', '2:0~', '2147483647:0']);
    // `1-2-3` is upstream `1-2`, revision `3`; `-` sorts below `.` (both non-letters, in ASCII order).
    expectAscending(dpkg, ['1-2-3', '1-2-4', '1.2-3', '1:1:2-1']);
    expect(dpkg.compare('1:1.2', '1:1:2')).toBe(-1);
  });

  it('orders a missing revision like 0: after one with ~, before any other, and digits before letters', () => {
    expectAscending(dpkg, ['1.0-~', '1.0-0~', '1.0', '1.0-1', '1.0-a']);
  });

  it.each([
    ['1.0', '1.0-0'],
    ['1.0', '0:1.0'],
    ['1.0', '000:1.0-00'],
    ['1.0', ' 1.0\t'],
    ['01.00', '1.0'],
    ['1.0a', '1.0a0'],
    ['1.0.', '1.0.0'],
    ['1.0~rc1', '1.0~rc01'],
    ['1:2', '01:2'],
    ['1.0-1', '1.0-01'],
    ['1.0-a', '1.0-a0'],
  ])('%j = %j, with identical keys', (a, b) => {
    expectEqual(dpkg, [a, b]);
  });

  it('encodes keys as documented', () => {
    // Epoch 1; upstream pairs ('', 1) ('.', 0) ('~rc', 1) and the closing marker; revision ('', 2).
    expect(dpkg.key('1:1.0~rc1-2')).toBe('111"111}"0!rc"111""112"');
    expect(dpkg.key('1.0')).toBe('0"111}"0""0"');
  });

  it('says why a version is refused', () => {
    expect(dpkg.validate('1.0-')?.reason).toBe('revision number is empty');
    expect(dpkg.validate('a1')?.reason).toBe('version number does not start with digit');
    expect(dpkg.validate('2147483648:1')?.reason).toBe('epoch in version is too big');
    expect(dpkg.validate('1.0 1')?.reason).toBe('version string has embedded spaces');
  });

  // Versions from dpkg's grammar, short enough that fast-check meets equal and near-equal pairs.
  const run = fc.stringMatching(/^(?:[0-9]{1,3}|[a-zA-Z]{1,2}|[~+.]|0{1,2})$/);
  const part = fc.array(run, { minLength: 0, maxLength: 5 }).map((runs) => runs.join(''));
  const version = fc
    .record({
      epoch: fc.option(fc.constantFrom('0', '1', '01', '2')),
      upstream: fc.tuple(fc.integer({ min: 0, max: 3 }).map(String), part),
      revision: fc.option(fc.tuple(run, part).map(([r, p]) => r + p)),
    })
    .map(
      ({ epoch, upstream, revision }) =>
        (epoch === null ? '' : `${epoch}:`) + upstream.join('') + (revision === null ? '' : `-${revision}`),
    );

  it('keeps keys in compare order on generated versions', () => {
    expectKeysFollowCompare(dpkg, version);
  });
});
