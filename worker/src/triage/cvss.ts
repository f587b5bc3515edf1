/**
 * CVSS vectors as triage reads them: the base score (scored by ae-cvss-calculator, the metaeffekt
 * implementation of FIRST's v3.0, v3.1 and v4.0 specifications) and the few metrics that SSVC's
 * decision points are derived from. A vector that is incomplete or malformed scores nothing: a
 * guessed score would be worse than none, since it can raise or lower a priority.
 */
import cvss from 'ae-cvss-calculator';

export type CvssVersion = '3.0' | '3.1' | '4.0';

export interface CvssReading {
  readonly version: CvssVersion;
  readonly vector: string;
  readonly baseScore: number;
  /** The base metrics as written: `{ AV: 'N', AC: 'L', ... }`, plus threat/temporal ones when present. */
  readonly metrics: Readonly<Record<string, string>>;
}

const PREFIX = /^CVSS:(3\.0|3\.1|4\.0)\/(.+)$/;

/** Metrics without which a version has no base score. */
const REQUIRED: Readonly<Record<CvssVersion, readonly string[]>> = {
  '3.0': ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'],
  '3.1': ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'],
  '4.0': ['AV', 'AC', 'AT', 'PR', 'UI', 'VC', 'VI', 'VA', 'SC', 'SI', 'SA'],
};

function metricsOf(body: string): Record<string, string> | undefined {
  const metrics: Record<string, string> = {};
  for (const part of body.split('/')) {
    const [key, value, extra] = part.split(':');
    if (!key || !value || extra !== undefined || key in metrics) return undefined;
    metrics[key] = value;
  }
  return metrics;
}

/** Reads a v3.x or v4.0 vector string; undefined when it is not a complete, valid one. */
export function readCvss(vector: string): CvssReading | undefined {
  const match = PREFIX.exec(vector.trim());
  if (!match) return undefined;
  const version = match[1] as CvssVersion;
  const metrics = metricsOf(match[2] ?? '');
  if (!metrics || REQUIRED[version].some((key) => metrics[key] === undefined)) return undefined;
  try {
    const scorer =
      version === '4.0'
        ? new cvss.Cvss4P0(vector.trim())
        : version === '3.1'
          ? new cvss.Cvss3P1(vector.trim())
          : new cvss.Cvss3P0(vector.trim());
    const base = scorer.calculateScores().base;
    if (typeof base !== 'number' || !Number.isFinite(base)) return undefined;
    return { version, vector: vector.trim(), baseScore: base, metrics };
  } catch {
    // The library throws on a value its version does not define (AV:Q): not a vector we can use.
    return undefined;
  }
}

/**
 * SSVC "Automatable" from CVSS, as CISA's guidance approximates it: reachable over the network,
 * low complexity, no privileges and no user interaction (and, in v4, no attack requirements),
 * so the four steps of an attack can be scripted.
 */
export function automatable(reading: CvssReading): boolean {
  const m = reading.metrics;
  return m.AV === 'N' && m.AC === 'L' && m.PR === 'N' && m.UI === 'N' && (reading.version !== '4.0' || m.AT === 'N');
}

/**
 * SSVC "Technical Impact" from CVSS, after CERT/CC's mapping (SSVC data cvssv4_to_technical_impact):
 * total when the attacker gains high confidentiality and integrity impact, or, without needing any
 * privileges, high impact on one and low on the other; partial otherwise.
 */
export function technicalImpact(reading: CvssReading): 'total' | 'partial' {
  const m = reading.metrics;
  const c = reading.version === '4.0' ? m.VC : m.C;
  const i = reading.version === '4.0' ? m.VI : m.I;
  if (c === 'H' && i === 'H') return 'total';
  if (m.PR === 'N' && ((c === 'H' && i === 'L') || (c === 'L' && i === 'H'))) return 'total';
  return 'partial';
}

/**
 * What the vector's threat (v4 E) or temporal (v3 E) metric says about exploit code: v4 E:A is
 * reported attacks; v3 E:H/F (functional) and E:P and v4 E:P are public proof of concept.
 */
export function exploitMaturity(reading: CvssReading): 'active' | 'poc' | undefined {
  const e = reading.metrics.E;
  if (reading.version === '4.0') return e === 'A' ? 'active' : e === 'P' ? 'poc' : undefined;
  return e === 'H' || e === 'F' || e === 'P' ? 'poc' : undefined;
}
