/**
 * The scores a CVSS vector gives (test 6.1.9), from ae-cvss-calculator, metaeffekt's implementation of
 * FIRST's CVSS specifications. For v3.0 and v3.1 it gives every score and severity (see scoreV3 for
 * one fill-in), as FIRST's own calculators cvsscalc30.js and cvsscalc31.js do on 200,000 random vectors.
 * For v2.0 it gives the base score and the weights; the temporal and environmental equations of the v2
 * guide stay here, because the library departs from them (see scoreV2).
 *
 * Only vectors that parseVector accepted may come here: the library is lenient where the specifications
 * are strict (it keeps the last of a repeated metric, takes X for a base metric, drops blanks and
 * parentheses, and throws on an unknown value), and it runs regular expressions over the whole string.
 */
import cvss from 'ae-cvss-calculator';

export type Severity = 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

export interface V3Scores {
  readonly baseScore: number;
  readonly baseSeverity: Severity;
  readonly temporalScore: number;
  readonly temporalSeverity: Severity;
  readonly environmentalScore: number;
  readonly environmentalSeverity: Severity;
}

/** v3.0 or v3.1 scores and severities of a vector string (with its `CVSS:3.x/` prefix). */
export function scoreV3(vectorString: string, version: '3.0' | '3.1'): V3Scores {
  const scorer = version === '3.1' ? new cvss.Cvss3P1(vectorString) : new cvss.Cvss3P0(vectorString);
  // The library leaves a temporal or environmental score undefined while every metric of its group is X.
  // The specifications define both for every vector, an X weighing 1, as E:H and CR:M do: setting those
  // makes the library score the group without changing the result.
  if (!scorer.isAnyTemporalDefined()) scorer.applyComponentString('E', 'H');
  if (!scorer.isAnyEnvironmentalDefined()) scorer.applyComponentString('CR', 'M');
  // The library's CVSS JSON object; only its scores and severities are read (its metric values miss some
  // enum names, e.g. for E:U, so 6.1.10 keeps its own table in metrics.ts).
  const json = scorer.createJsonSchema();
  const temporalScore = required(json.temporalScore, 'temporal', vectorString);
  const environmentalScore = required(json.environmentalScore, 'environmental', vectorString);
  return {
    baseScore: required(json.baseScore, 'base', vectorString),
    baseSeverity: json.baseSeverity,
    temporalScore,
    // The library leaves out the severity of a score of 0, which is NONE.
    temporalSeverity: json.temporalSeverity ?? 'NONE',
    environmentalScore,
    environmentalSeverity: json.environmentalSeverity ?? 'NONE',
  };
}

/** v2 scores: every value the guide's equations give, more than one when a rounding lands on a tie. */
export interface V2Scores {
  readonly baseScore: readonly number[];
  readonly temporalScore: readonly number[];
  readonly environmentalScore: readonly number[];
}

/**
 * v2 scores of a vector string. The base score and every weight are the library's; the temporal and
 * environmental equations are the v2 guide's (section 3.2), kept here because the library departs
 * from them:
 * - environmental: the guide rounds AdjustedBase and AdjustedTemporal to one decimal (both are the base
 *   and temporal equations, which round) and uses the exploitability sub-score unrounded; the library
 *   does the opposite. About one vector in seven comes out 0.1 off, two of the guide's three worked
 *   examples among them (section 3.3: 9.1 for 9.2, 7.4 for 7.5). The library also gives no
 *   environmental score when no environmental metric is given, where the guide's equation gives one.
 * - temporal: see round1; the library rounds a binary tie like 2.85 down to 2.8 (307 of the 72,900
 *   base and temporal combinations), where the guide's decimal arithmetic gives 2.9.
 */
export function scoreV2(vectorString: string): V2Scores {
  const scorer = new cvss.Cvss2(vectorString);
  const w = (key: string) => weight(scorer, key);
  const base = required(scorer.calculateScores().base, 'base', vectorString);

  const temporalFactor = w('E') * w('RL') * w('RC');
  const temporal = (baseScore: number) => round1(baseScore * temporalFactor);

  const exploitability = 20 * w('AV') * w('AC') * w('Au');
  const adjustedImpact = Math.min(
    10,
    10.41 * (1 - (1 - w('C') * w('CR')) * (1 - w('I') * w('IR')) * (1 - w('A') * w('AR'))),
  );
  const adjustedBase = round1((0.6 * adjustedImpact + 0.4 * exploitability - 1.5) * (adjustedImpact === 0 ? 0 : 1.176));
  const adjustedTemporal = unique(adjustedBase.flatMap(temporal));
  const environmentalScore = unique(
    adjustedTemporal.flatMap((adjusted) => round1((adjusted + (10 - adjusted) * w('CDP')) * w('TD'))),
  );
  return { baseScore: [base], temporalScore: temporal(base), environmentalScore };
}

/** The library's weight of the value a v2 vector gives a metric (ND included: TD:ND is 1, CDP:ND 0). */
function weight(scorer: InstanceType<typeof cvss.Cvss2>, key: string): number {
  const value = scorer.getComponentByString(key);
  if (!('value' in value) || typeof value.value !== 'number')
    throw new Error(`ae-cvss-calculator has no weight for ${key}`);
  return value.value;
}

/**
 * v2 "round_to_1_decimal". The v2 guide does not say how to round a result that lands on a tie in binary
 * floating point (5.0 x 0.87 = 4.35 is 4.3499999999999996 as a double), and implementations differ
 * (cvss2js says 4.3, exact decimal arithmetic and the library 4.4; at 3.0 x 0.95 = 2.85 the library
 * says 2.8, exact decimal arithmetic 2.9). Both neighbours of a tie are accepted.
 */
function round1(value: number): number[] {
  const tenths = value * 10;
  const nearest = Math.round(tenths);
  const tie = Math.abs(Math.abs(tenths - Math.trunc(tenths)) - 0.5) < 1e-9;
  const out = tie ? [Math.floor(tenths) / 10, Math.ceil(tenths) / 10] : [nearest / 10];
  // +0 turns the -0 of a zero impact into 0.
  return out.map((score) => score + 0);
}

function unique(values: readonly number[]): number[] {
  return [...new Set(values)];
}

/** A score the library leaves undefined only for a vector without every base metric, which parseVector refuses. */
function required(score: number | undefined, group: string, vectorString: string): number {
  if (score === undefined) throw new Error(`ae-cvss-calculator gave no ${group} score for ${vectorString}`);
  return score;
}
