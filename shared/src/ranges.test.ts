import { describe, expect, it } from 'vitest';
import {
  type AffectedInterval,
  affectingInterval,
  explainInterval,
  intervalsFromDebianTracker,
  intervalsFromOsv,
  intervalsFromVers,
  keyInterval,
} from './ranges';
import { isInvalid } from './versions/index';

function affected(ecosystem: string, version: string, intervals: AffectedInterval[]): boolean {
  const hit = affectingInterval(ecosystem, version, intervals);
  if (isInvalid(hit)) throw new Error(hit.reason);
  return hit !== null;
}

function osv(ecosystem: string, events: object[], versions?: string[]): AffectedInterval[] {
  const result = intervalsFromOsv(ecosystem, [{ type: 'ECOSYSTEM', events: events as never }], versions);
  if ('error' in result) throw new Error(result.error);
  return result.intervals;
}

/** Checks the JS evaluation and the SQL keys agree for one version. */
function keyedAffected(
  ecosystem: string,
  version: string,
  intervals: AffectedInterval[],
  key: (v: string) => string,
): boolean {
  return intervals.some((interval) => {
    const k = keyInterval(ecosystem, interval);
    if (isInvalid(k)) throw new Error(k.reason);
    const v = key(version);
    const aboveLower = k.lowerInclusive ? v >= k.lowerKey : v > k.lowerKey;
    const belowUpper = k.upperKey === null || v < k.upperKey || (k.upperInclusive && v === k.upperKey);
    return aboveLower && belowUpper;
  });
}

describe('OSV ranges', () => {
  it('introduced 0 / fixed: every version before the fix', () => {
    const intervals = osv('Debian:12', [{ introduced: '0' }, { fixed: '3.0.13-1~deb12u1' }]);
    expect(intervals).toEqual([{ fixed: '3.0.13-1~deb12u1' }]);
    expect(affected('Debian:12', '3.0.11-1~deb12u2', intervals)).toBe(true);
    expect(affected('Debian:12', '3.0.13-1~deb12u1', intervals)).toBe(false);
    // dpkg's tilde: a backport built before the fix is still affected.
    expect(affected('Debian:12', '3.0.13-1~deb12u1~bpo1', intervals)).toBe(true);
  });

  it('last_affected includes the version itself, fixed does not', () => {
    const last = osv('PyPI', [{ introduced: '1.0' }, { last_affected: '1.4' }]);
    expect(['0.9', '1.0', '1.4', '1.4.0', '1.4.1'].map((v) => affected('PyPI', v, last))).toEqual([
      false,
      true,
      true,
      true,
      false,
    ]);
    const fixed = osv('PyPI', [{ introduced: '1.0' }, { fixed: '1.4' }]);
    expect(['1.3.99', '1.4', '1.4rc1'].map((v) => affected('PyPI', v, fixed))).toEqual([true, false, true]);
  });

  it('several intervals in one range, events in any order', () => {
    const intervals = osv('npm', [
      { fixed: '2.1.0' },
      { introduced: '3.0.0' },
      { introduced: '1.0.0' },
      { fixed: '3.2.1' },
    ]);
    expect(intervals).toEqual([
      { introduced: '1.0.0', fixed: '2.1.0' },
      { introduced: '3.0.0', fixed: '3.2.1' },
    ]);
    expect(
      ['0.9.0', '1.5.0', '2.1.0', '2.9.9', '3.0.0-rc.1', '3.1.0', '3.2.1'].map((v) => affected('npm', v, intervals)),
    ).toEqual([false, true, false, false, false, true, false]);
  });

  it('an introduced without an end is open, a limit caps it', () => {
    expect(osv('Go', [{ introduced: '1.2.0' }])).toEqual([{ introduced: '1.2.0' }]);
    const capped = osv('Go', [{ introduced: '1.2.0' }, { limit: '1.5.0' }]);
    expect(capped).toEqual([{ introduced: '1.2.0', fixed: '1.5.0' }]);
    expect(affected('Go', '1.6.0', capped)).toBe(false);
  });

  it('explicit versions are one-version intervals, and GIT ranges defer to them', () => {
    const result = intervalsFromOsv(
      'Ubuntu:22.04',
      [{ type: 'GIT', events: [{ introduced: 'abc123' }] }],
      ['1.19.0-2build1', '1.20.0-1'],
    );
    expect(result).toEqual({
      intervals: [
        { introduced: '1.19.0-2build1', lastAffected: '1.19.0-2build1' },
        { introduced: '1.20.0-1', lastAffected: '1.20.0-1' },
      ],
    });
  });

  it('rpm epochs count: 1:1.0 is newer than 2.0', () => {
    const intervals = osv('Red Hat:9', [{ introduced: '0' }, { fixed: '1:3.0.7-28.el9_4' }]);
    expect(affected('Red Hat:9', '1:3.0.7-27.el9', intervals)).toBe(true);
    expect(affected('Red Hat:9', '3.0.7-29.el9', intervals)).toBe(true); // no epoch: epoch 0, older than any 1:
    expect(affected('Red Hat:9', '1:3.0.7-28.el9_4', intervals)).toBe(false);
  });

  it('refuses versions its scheme cannot read, never guessing', () => {
    expect(
      intervalsFromOsv(
        'Debian:12',
        [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: 'not a version' }] }],
        undefined,
      ),
    ).toMatchObject({
      error: expect.stringContaining('not a version'),
    });
    expect(intervalsFromOsv('Debian:12', [{ type: 'PIXIE', events: [] }], undefined)).toEqual({
      error: 'unknown range type "PIXIE"',
    });
  });
});

describe('vers ranges (CSAF product_version_range)', () => {
  it.each([
    ['vers:deb/<3.0.13-1~deb12u1', 'Debian:12', ['3.0.11-1~deb12u2'], ['3.0.13-1~deb12u1']],
    ['vers:rpm/>=1:3.0.7-0|<1:3.0.7-28.el9_4', 'Red Hat:9', ['1:3.0.7-27.el9'], ['3.0.7-27.el9', '1:3.0.7-28.el9_4']],
    ['vers:npm/>1.0.0|<=1.4.0', 'npm', ['1.0.1', '1.4.0'], ['1.0.0', '1.4.1']],
    ['vers:pypi/1.0|2.0', 'PyPI', ['1.0', '2.0.0'], ['1.5']],
    ['vers:npm/*', 'npm', ['0.0.1', '99.0.0'], []],
    ['vers:npm/>=2.0.0', 'npm', ['2.0.0', '9.0.0'], ['1.9.9']],
  ])('%s', (vers, ecosystem, inside, outside) => {
    const result = intervalsFromVers(ecosystem, vers);
    if ('error' in result) throw new Error(result.error);
    for (const v of inside) expect(affected(ecosystem, v, result.intervals), v).toBe(true);
    for (const v of outside) expect(affected(ecosystem, v, result.intervals), v).toBe(false);
  });

  it.each([
    ['vers:npm/!=1.0.0', 'not supported'],
    ['vers:rpm/<1.0', 'does not compare like'],
    ['npm/<1.0', 'is not a vers: range'],
    ['vers:npm/>=1.0.0|>=2.0.0', 'two lower bounds'],
  ])('refuses %s', (vers, reason) => {
    expect(intervalsFromVers('npm', vers)).toMatchObject({ error: expect.stringContaining(reason) });
  });
});

describe('Debian security tracker', () => {
  it.each([
    [{ status: 'resolved', fixed_version: '0' }, []],
    [{ status: 'resolved', fixed_version: '1.2-3' }, [{ fixed: '1.2-3' }]],
    [{ status: 'open' }, [{}]],
    [{ status: 'undetermined' }, [{}]],
  ])('%o', (entry, intervals) => {
    expect(intervalsFromDebianTracker('Debian:12', entry)).toEqual({ intervals });
  });
});

describe('keys agree with the comparator', () => {
  it.each([
    [
      'Debian:12',
      [{ introduced: '0' }, { fixed: '2.36-9+deb12u4' }],
      ['2.36-9', '2.36-9+deb12u3', '2.36-9+deb12u4', '2.36-9+deb12u10', '2.36-9~bpo', '1:0.1'],
    ],
    [
      'Red Hat:9',
      [{ introduced: '0' }, { fixed: '32:9.16.23-18.el9_4.6' }],
      ['32:9.16.23-18.el9_4.1', '9.18.0-1.el9', '32:9.16.23-18.el9_4.6', '33:1'],
    ],
    [
      'PyPI',
      [{ introduced: '1.0' }, { last_affected: '1.4.post2' }],
      ['1.0.dev1', '1.0', '1.4', '1.4.post2', '1.4.post2.dev0', '1.4.post3', '1!0.1'],
    ],
  ] as const)('%s', (ecosystem, events, versions) => {
    const intervals = osv(ecosystem, [...events]);
    for (const version of versions) {
      const key = (v: string) => {
        const k = keyInterval(ecosystem, { introduced: v, lastAffected: v });
        if (isInvalid(k)) throw new Error(k.reason);
        return k.lowerKey;
      };
      expect(keyedAffected(ecosystem, version, intervals, key), version).toBe(affected(ecosystem, version, intervals));
    }
  });
});

describe('explanations', () => {
  it.each([
    [{ fixed: '3.0.13-1~deb12u1' }, '< 3.0.13-1~deb12u1 (fixed in DSA-5678-1 for Debian:12)'],
    [{ introduced: '1.0', fixed: '1.4' }, '< 1.4 (fixed in DSA-5678-1 for Debian:12, affected from 1.0)'],
    [{ lastAffected: '1.4' }, '<= 1.4 (last affected version in DSA-5678-1 for Debian:12; no fixed version known)'],
    [{ introduced: '1.4', lastAffected: '1.4' }, '= 1.4 (listed as affected in DSA-5678-1 for Debian:12)'],
    [{ introduced: '1.4' }, '>= 1.4 (affected in DSA-5678-1 for Debian:12; no fixed version yet)'],
    [{}, '(every version affected in DSA-5678-1 for Debian:12; no fixed version yet)'],
  ])('%o', (interval, text) => {
    expect(explainInterval(interval, 'DSA-5678-1', 'Debian:12')).toBe(text);
  });
});
