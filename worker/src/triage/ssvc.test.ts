import { describe, expect, it } from 'vitest';
import { type Exploitation, type MissionImpact, missionImpact, ssvcDecision } from './ssvc';
import table from './testdata/cisa_coordinator_2_0_3.csv?raw';

const exploitation: Record<string, Exploitation> = { none: 'none', 'public poc': 'poc', active: 'active' };

describe('CISA SSVC decision', () => {
  const rows = table
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(','));

  it('has every row of CERT/CC’s published table', () => {
    expect(rows).toHaveLength(36);
  });

  it.each(rows.map((r) => [r.slice(1, 5).join(' / '), r] as const))('%s', (_, row) => {
    const [, e, auto, impact, mission, decision] = row;
    expect(
      ssvcDecision({
        exploitation: exploitation[e ?? ''] ?? 'none',
        automatable: auto === 'yes',
        technicalImpact: impact === 'total' ? 'total' : 'partial',
        missionImpact: mission as MissionImpact,
      }),
    ).toBe(decision);
  });
});

describe('mission impact of a host', () => {
  it('follows criticality, one level up when internet-facing', () => {
    expect([1, 2, 3, 4].map((c) => missionImpact(c, false))).toEqual(['high', 'medium', 'low', 'low']);
    expect([1, 2, 3, 4].map((c) => missionImpact(c, true))).toEqual(['high', 'high', 'medium', 'medium']);
  });
});
