import { describe, expect, it } from 'vitest';
import { automatable, exploitMaturity, readCvss, technicalImpact } from './cvss';
import table from './testdata/cvssv4_to_technical_impact_1_0_0.csv?raw';

describe('readCvss', () => {
  // Scores as FIRST's calculators give them.
  it.each([
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
    ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:H', 6.6],
    ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H/E:F/RL:O/RC:C', 7.8],
    ['CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 9.3],
    ['CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 8.5],
  ])('%s scores %s', (vector, score) => {
    expect(readCvss(vector)?.baseScore).toBe(score);
  });

  it.each([
    ['an incomplete vector', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H'],
    ['a value its version does not define', 'CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'],
    ['a metric given twice', 'CVSS:3.1/AV:N/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'],
    ['CVSS v2 (no version prefix)', 'AV:N/AC:L/Au:N/C:P/I:P/A:P'],
    ['a qualitative rating', 'medium'],
    ['nothing', ''],
  ])('refuses %s', (_, vector) => {
    expect(readCvss(vector)).toBeUndefined();
  });
});

describe('SSVC decision points from CVSS', () => {
  it('automatable: network, low complexity, no privileges, no user interaction (and no attack requirements in v4)', () => {
    const yes = readCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H');
    const needsUser = readCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H');
    const local = readCvss('CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H');
    const v4Requirements = readCvss('CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N');
    expect([yes, needsUser, local, v4Requirements].map((r) => r && automatable(r))).toEqual([
      true,
      false,
      false,
      false,
    ]);
  });

  const rows = table
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(','));
  const letter = (value: string | undefined) => (value ?? 'none').charAt(0).toUpperCase();
  it.each(rows.map((r) => [r.slice(1, 4).join(' / '), r] as const))(
    'technical impact as CERT/CC maps CVSS v4 (PR / VC / VI: %s)',
    (_, row) => {
      const [, pr, vc, vi, impact] = row;
      const reading = readCvss(
        `CVSS:4.0/AV:N/AC:L/AT:N/PR:${letter(pr)}/UI:N/VC:${letter(vc)}/VI:${letter(vi)}/VA:N/SC:N/SI:N/SA:N`,
      );
      expect(reading && technicalImpact(reading)).toBe(impact);
    },
  );

  it('reads exploit maturity from the v4 threat and v3 temporal metric', () => {
    const of = (vector: string) => {
      const reading = readCvss(vector);
      return reading && exploitMaturity(reading);
    };
    expect(of('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A')).toBe('active');
    expect(of('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:P')).toBe('poc');
    expect(of('CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H/E:F/RL:O/RC:C')).toBe('poc');
    expect(of('CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H/E:U')).toBeUndefined();
    expect(of('CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H')).toBeUndefined();
  });
});
