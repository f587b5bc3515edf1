/**
 * The metrics of CVSS v2.0, v3.0 and v3.1: vector key, JSON property (FIRST's CVSS JSON schemas) and the
 * allowed values, abbreviation -> property value. The values are exactly the enums of FIRST's schemas.
 *
 * Kept by hand although ae-cvss-calculator knows the metrics too: it has no JSON property names, and its
 * enum names miss some values (v2 TD:H, v3 E:U and RC:U have none), which tests 6.1.8 and 6.1.10 need.
 */

export type MetricGroup = 'base' | 'temporal' | 'environmental';

export interface Metric {
  /** Key in the vector string: `AV`, `MPR`, `Au`. */
  readonly key: string;
  /** Property of the CVSS JSON object: `attackVector`. */
  readonly property: string;
  readonly group: MetricGroup;
  /** Abbreviation in the vector -> value of the property: `N` -> `NETWORK`. */
  readonly values: Readonly<Record<string, string>>;
}

const metric = (group: MetricGroup, key: string, property: string, values: Record<string, string>): Metric => ({
  key,
  property,
  group,
  values,
});

const v3Cia = { N: 'NONE', L: 'LOW', H: 'HIGH' };
const v3ModifiedCia = { X: 'NOT_DEFINED', ...v3Cia };
const v3Requirement = { X: 'NOT_DEFINED', L: 'LOW', M: 'MEDIUM', H: 'HIGH' };
const v3AttackVector = { N: 'NETWORK', A: 'ADJACENT_NETWORK', L: 'LOCAL', P: 'PHYSICAL' };
const v3AttackComplexity = { L: 'LOW', H: 'HIGH' };
const v3Privileges = { N: 'NONE', L: 'LOW', H: 'HIGH' };
const v3UserInteraction = { N: 'NONE', R: 'REQUIRED' };
const v3Scope = { U: 'UNCHANGED', C: 'CHANGED' };

/** CVSS v3.0 and v3.1 share their metrics; they differ in rounding and one environmental formula. */
export const v3Metrics: readonly Metric[] = [
  metric('base', 'AV', 'attackVector', v3AttackVector),
  metric('base', 'AC', 'attackComplexity', v3AttackComplexity),
  metric('base', 'PR', 'privilegesRequired', v3Privileges),
  metric('base', 'UI', 'userInteraction', v3UserInteraction),
  metric('base', 'S', 'scope', v3Scope),
  metric('base', 'C', 'confidentialityImpact', v3Cia),
  metric('base', 'I', 'integrityImpact', v3Cia),
  metric('base', 'A', 'availabilityImpact', v3Cia),
  metric('temporal', 'E', 'exploitCodeMaturity', {
    X: 'NOT_DEFINED',
    U: 'UNPROVEN',
    P: 'PROOF_OF_CONCEPT',
    F: 'FUNCTIONAL',
    H: 'HIGH',
  }),
  metric('temporal', 'RL', 'remediationLevel', {
    X: 'NOT_DEFINED',
    O: 'OFFICIAL_FIX',
    T: 'TEMPORARY_FIX',
    W: 'WORKAROUND',
    U: 'UNAVAILABLE',
  }),
  metric('temporal', 'RC', 'reportConfidence', { X: 'NOT_DEFINED', U: 'UNKNOWN', R: 'REASONABLE', C: 'CONFIRMED' }),
  metric('environmental', 'CR', 'confidentialityRequirement', v3Requirement),
  metric('environmental', 'IR', 'integrityRequirement', v3Requirement),
  metric('environmental', 'AR', 'availabilityRequirement', v3Requirement),
  metric('environmental', 'MAV', 'modifiedAttackVector', { X: 'NOT_DEFINED', ...v3AttackVector }),
  metric('environmental', 'MAC', 'modifiedAttackComplexity', { X: 'NOT_DEFINED', ...v3AttackComplexity }),
  metric('environmental', 'MPR', 'modifiedPrivilegesRequired', { X: 'NOT_DEFINED', ...v3Privileges }),
  metric('environmental', 'MUI', 'modifiedUserInteraction', { X: 'NOT_DEFINED', ...v3UserInteraction }),
  metric('environmental', 'MS', 'modifiedScope', { X: 'NOT_DEFINED', ...v3Scope }),
  metric('environmental', 'MC', 'modifiedConfidentialityImpact', v3ModifiedCia),
  metric('environmental', 'MI', 'modifiedIntegrityImpact', v3ModifiedCia),
  metric('environmental', 'MA', 'modifiedAvailabilityImpact', v3ModifiedCia),
];

const v2Cia = { N: 'NONE', P: 'PARTIAL', C: 'COMPLETE' };
const v2Requirement = { L: 'LOW', M: 'MEDIUM', H: 'HIGH', ND: 'NOT_DEFINED' };

export const v2Metrics: readonly Metric[] = [
  metric('base', 'AV', 'accessVector', { L: 'LOCAL', A: 'ADJACENT_NETWORK', N: 'NETWORK' }),
  metric('base', 'AC', 'accessComplexity', { H: 'HIGH', M: 'MEDIUM', L: 'LOW' }),
  metric('base', 'Au', 'authentication', { M: 'MULTIPLE', S: 'SINGLE', N: 'NONE' }),
  metric('base', 'C', 'confidentialityImpact', v2Cia),
  metric('base', 'I', 'integrityImpact', v2Cia),
  metric('base', 'A', 'availabilityImpact', v2Cia),
  metric('temporal', 'E', 'exploitability', {
    U: 'UNPROVEN',
    POC: 'PROOF_OF_CONCEPT',
    F: 'FUNCTIONAL',
    H: 'HIGH',
    ND: 'NOT_DEFINED',
  }),
  metric('temporal', 'RL', 'remediationLevel', {
    OF: 'OFFICIAL_FIX',
    TF: 'TEMPORARY_FIX',
    W: 'WORKAROUND',
    U: 'UNAVAILABLE',
    ND: 'NOT_DEFINED',
  }),
  metric('temporal', 'RC', 'reportConfidence', {
    UC: 'UNCONFIRMED',
    UR: 'UNCORROBORATED',
    C: 'CONFIRMED',
    ND: 'NOT_DEFINED',
  }),
  metric('environmental', 'CDP', 'collateralDamagePotential', {
    N: 'NONE',
    L: 'LOW',
    LM: 'LOW_MEDIUM',
    MH: 'MEDIUM_HIGH',
    H: 'HIGH',
    ND: 'NOT_DEFINED',
  }),
  metric('environmental', 'TD', 'targetDistribution', {
    N: 'NONE',
    L: 'LOW',
    M: 'MEDIUM',
    H: 'HIGH',
    ND: 'NOT_DEFINED',
  }),
  metric('environmental', 'CR', 'confidentialityRequirement', v2Requirement),
  metric('environmental', 'IR', 'integrityRequirement', v2Requirement),
  metric('environmental', 'AR', 'availabilityRequirement', v2Requirement),
];

/** A parsed vector: metric key -> abbreviation, with every metric the vector leaves out set to "not defined". */
export type Vector = ReadonlyMap<string, string>;

/**
 * Reads a vector string without its `CVSS:3.x/` prefix. Beyond the pattern of FIRST's schema (which lets
 * metrics come in any number and order), the CVSS specifications require every base metric exactly once
 * and no metric twice; a vector that breaks this has no defined score.
 *
 * ae-cvss-calculator's parser cannot do this: it keeps the last of a repeated metric, takes X or ND for
 * a base metric (and then gives no base score), drops blanks, parentheses and backslashes, and runs
 * regular expressions over the whole string. This one stops at the first wrong part of a vector of any
 * length, and the library only ever sees vectors it accepted.
 */
export function parseVector(
  metrics: readonly Metric[],
  notDefined: string,
  text: string,
): { readonly vector: Vector } | { readonly error: string } {
  const byKey = new Map(metrics.map((m) => [m.key, m]));
  const vector = new Map<string, string>();
  for (const part of text.split('/')) {
    const [key = '', value = '', extra] = part.split(':');
    const metric = byKey.get(key);
    if (metric === undefined || extra !== undefined || !Object.hasOwn(metric.values, value)) {
      return { error: `the vector has an unknown metric or value ${JSON.stringify(part.slice(0, 20))}` };
    }
    if (vector.has(key)) return { error: `the vector gives metric ${key} twice` };
    vector.set(key, value);
  }
  for (const metric of metrics) {
    if (vector.has(metric.key)) continue;
    if (metric.group === 'base') return { error: `the vector lacks the base metric ${metric.key}` };
    vector.set(metric.key, notDefined);
  }
  return { vector };
}
