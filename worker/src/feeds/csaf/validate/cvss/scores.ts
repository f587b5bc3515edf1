/**
 * Base, temporal and environmental scores from a vector, by the formulas of the CVSS v2.0 guide
 * (section 3.2) and the CVSS v3.0 and v3.1 specifications (section 7 and appendix A of v3.1).
 */
import type { Vector } from './metrics';

export type Severity = 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

export interface Scores {
  readonly baseScore: number;
  readonly temporalScore: number;
  readonly environmentalScore: number;
}

export interface V3Scores extends Scores {
  readonly baseSeverity: Severity;
  readonly temporalSeverity: Severity;
  readonly environmentalSeverity: Severity;
}

/** Qualitative severity rating scale of CVSS v3. */
export function severity(score: number): Severity {
  if (score === 0) return 'NONE';
  if (score < 4) return 'LOW';
  if (score < 7) return 'MEDIUM';
  if (score < 9) return 'HIGH';
  return 'CRITICAL';
}

const weight = (table: Readonly<Record<string, number>>, value: string | undefined): number => table[value ?? ''] ?? 0;

const v3 = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  PR: { N: 0.85, L: 0.62, H: 0.27 },
  PRChanged: { N: 0.85, L: 0.68, H: 0.5 },
  UI: { N: 0.85, R: 0.62 },
  CIA: { H: 0.56, L: 0.22, N: 0 },
  E: { X: 1, H: 1, F: 0.97, P: 0.94, U: 0.91 },
  RL: { X: 1, U: 1, W: 0.97, T: 0.96, O: 0.95 },
  RC: { X: 1, C: 1, R: 0.96, U: 0.92 },
  Requirement: { X: 1, H: 1.5, M: 1, L: 0.5 },
} as const;

/** v3.1 Roundup (appendix A): rounds up to one decimal, working in integers to dodge floating-point error. */
function roundUp31(value: number): number {
  const integer = Math.round(value * 100_000);
  return integer % 10_000 === 0 ? integer / 100_000 : (Math.floor(integer / 10_000) + 1) / 10;
}

/** v3.0 Roundup: "the smallest number, specified to one decimal place, that is equal to or higher than its input". */
function roundUp30(value: number): number {
  return Math.ceil(value * 10) / 10;
}

export function scoreV3(vector: Vector, version: '3.0' | '3.1'): V3Scores {
  const roundUp = version === '3.1' ? roundUp31 : roundUp30;
  const m = (key: string) => vector.get(key);
  /** A modified metric, or the base metric when it is not defined. */
  const modified = (key: string) => {
    const value = m(`M${key}`);
    return value === undefined || value === 'X' ? m(key) : value;
  };

  const changed = m('S') === 'C';
  const iss = 1 - (1 - weight(v3.CIA, m('C'))) * (1 - weight(v3.CIA, m('I'))) * (1 - weight(v3.CIA, m('A')));
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 : 6.42 * iss;
  const exploitability =
    8.22 *
    weight(v3.AV, m('AV')) *
    weight(v3.AC, m('AC')) *
    weight(changed ? v3.PRChanged : v3.PR, m('PR')) *
    weight(v3.UI, m('UI'));
  const baseScore = impact <= 0 ? 0 : roundUp(Math.min((changed ? 1.08 : 1) * (impact + exploitability), 10));

  const temporal = weight(v3.E, m('E')) * weight(v3.RL, m('RL')) * weight(v3.RC, m('RC'));
  const temporalScore = roundUp(baseScore * temporal);

  const modifiedChanged = modified('S') === 'C';
  const requirement = (key: string) => weight(v3.Requirement, m(key));
  const miss = Math.min(
    1 -
      (1 - requirement('CR') * weight(v3.CIA, modified('C'))) *
        (1 - requirement('IR') * weight(v3.CIA, modified('I'))) *
        (1 - requirement('AR') * weight(v3.CIA, modified('A'))),
    0.915,
  );
  const modifiedImpact = !modifiedChanged
    ? 6.42 * miss
    : version === '3.1'
      ? 7.52 * (miss - 0.029) - 3.25 * (miss * 0.9731 - 0.02) ** 13
      : 7.52 * (miss - 0.029) - 3.25 * (miss - 0.02) ** 15;
  const modifiedExploitability =
    8.22 *
    weight(v3.AV, modified('AV')) *
    weight(v3.AC, modified('AC')) *
    weight(modifiedChanged ? v3.PRChanged : v3.PR, modified('PR')) *
    weight(v3.UI, modified('UI'));
  const environmentalScore =
    modifiedImpact <= 0
      ? 0
      : roundUp(
          roundUp(Math.min((modifiedChanged ? 1.08 : 1) * (modifiedImpact + modifiedExploitability), 10)) * temporal,
        );

  return {
    baseScore,
    baseSeverity: severity(baseScore),
    temporalScore,
    temporalSeverity: severity(temporalScore),
    environmentalScore,
    environmentalSeverity: severity(environmentalScore),
  };
}

const v2 = {
  AV: { L: 0.395, A: 0.646, N: 1 },
  AC: { H: 0.35, M: 0.61, L: 0.71 },
  Au: { M: 0.45, S: 0.56, N: 0.704 },
  CIA: { N: 0, P: 0.275, C: 0.66 },
  E: { U: 0.85, POC: 0.9, F: 0.95, H: 1, ND: 1 },
  RL: { OF: 0.87, TF: 0.9, W: 0.95, U: 1, ND: 1 },
  RC: { UC: 0.9, UR: 0.95, C: 1, ND: 1 },
  CDP: { N: 0, L: 0.1, LM: 0.3, MH: 0.4, H: 0.5, ND: 0 },
  TD: { N: 0, L: 0.25, M: 0.75, H: 1, ND: 1 },
  Requirement: { L: 0.5, M: 1, H: 1.51, ND: 1 },
} as const;

/**
 * v2 "round_to_1_decimal". The v2 guide does not say how to round a result that lands on a tie in binary
 * floating point (5.0 x 0.87 = 4.35 is 4.3499999999999996 as a double), and implementations differ
 * (cvss2js says 4.3, exact decimal arithmetic 4.4). Both neighbours of a tie are accepted.
 */
function round1(value: number): number[] {
  const tenths = value * 10;
  const nearest = Math.round(tenths);
  const tie = Math.abs(Math.abs(tenths - Math.trunc(tenths)) - 0.5) < 1e-9;
  const out = tie ? [Math.floor(tenths) / 10, Math.ceil(tenths) / 10] : [nearest / 10];
  // +0 turns the -0 of a zero impact into 0.
  return out.map((score) => score + 0);
}

/** v2 scores: every value the guide's formulas give, more than one when a rounding lands on a tie. */
export interface V2Scores {
  readonly baseScore: readonly number[];
  readonly temporalScore: readonly number[];
  readonly environmentalScore: readonly number[];
}

export function scoreV2(vector: Vector): V2Scores {
  const m = (key: string) => vector.get(key);
  const exploitability = 20 * weight(v2.AV, m('AV')) * weight(v2.AC, m('AC')) * weight(v2.Au, m('Au'));
  const base = (impact: number) => round1((0.6 * impact + 0.4 * exploitability - 1.5) * (impact === 0 ? 0 : 1.176));
  const temporalFactor = weight(v2.E, m('E')) * weight(v2.RL, m('RL')) * weight(v2.RC, m('RC'));
  const temporal = (scores: readonly number[]) => unique(scores.flatMap((score) => round1(score * temporalFactor)));

  const [c, i, a] = [weight(v2.CIA, m('C')), weight(v2.CIA, m('I')), weight(v2.CIA, m('A'))];
  const baseScore = base(10.41 * (1 - (1 - c) * (1 - i) * (1 - a)));
  const requirement = (key: string) => weight(v2.Requirement, m(key));
  const adjustedImpact = Math.min(
    10,
    10.41 * (1 - (1 - c * requirement('CR')) * (1 - i * requirement('IR')) * (1 - a * requirement('AR'))),
  );
  const [cdp, td] = [weight(v2.CDP, m('CDP')), weight(v2.TD, m('TD'))];
  const environmentalScore = unique(
    temporal(base(adjustedImpact)).flatMap((adjusted) => round1((adjusted + (10 - adjusted) * cdp) * td)),
  );
  return { baseScore, temporalScore: temporal(baseScore), environmentalScore };
}

function unique(values: readonly number[]): number[] {
  return [...new Set(values)];
}
