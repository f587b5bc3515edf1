/**
 * A CVSS object of a CSAF score (`cvss_v2`, `cvss_v3`) read against FIRST's JSON schemas
 * (cvss-v2.0.json, cvss-v3.0.json, cvss-v3.1.json, which the CSAF schema references), plus the
 * vector rules of the CVSS specifications (see parseVector). Kept by hand: ae-cvss-calculator, which
 * scores the vectors (cvss/scores.ts), writes CVSS JSON objects but does not check them, and it
 * ignores the `CVSS:3.x/` prefix, so it cannot tell a 3.0 vector under version 3.1.
 */
import { type Metric, parseVector, type Vector, v2Metrics, v3Metrics } from './metrics';

export type CvssVersion = '2.0' | '3.0' | '3.1';

export interface CvssObject {
  readonly version: CvssVersion;
  readonly metrics: readonly Metric[];
  /** The property values as given. */
  readonly properties: Readonly<Record<string, unknown>>;
  /** The vector string when it is valid, to be scored; undefined when it is missing or invalid (already a problem). */
  readonly vectorString: string | undefined;
  /** The metrics of that vector string. */
  readonly vector: Vector | undefined;
}

export interface CvssProblem {
  /** The property at fault, or undefined for the object as a whole. */
  readonly property?: string;
  readonly message: string;
}

const severities = ['NONE', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

/** Reads one CVSS object; `problems` are the schema violations (test 6.1.8). */
export function readCvss(
  kind: 'cvss_v2' | 'cvss_v3',
  value: unknown,
): { readonly problems: readonly CvssProblem[]; readonly cvss?: CvssObject } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { problems: [{ message: 'must be a CVSS object' }] };
  }
  const properties = value as Readonly<Record<string, unknown>>;
  const problems: CvssProblem[] = [];
  const allowed: readonly CvssVersion[] = kind === 'cvss_v2' ? ['2.0'] : ['3.0', '3.1'];
  const version = allowed.find((v) => v === properties.version);
  if (version === undefined) {
    const expected = allowed.map((v) => JSON.stringify(v)).join(' or ');
    problems.push({ property: 'version', message: `must be ${expected}` });
  }
  const metrics = kind === 'cvss_v2' ? v2Metrics : v3Metrics;

  let vector: Vector | undefined;
  let validVectorString: string | undefined;
  const vectorString = properties.vectorString;
  if (typeof vectorString !== 'string') {
    problems.push({ property: 'vectorString', message: 'is required and must be a string' });
  } else if (version !== undefined) {
    const prefix = kind === 'cvss_v2' ? '' : `CVSS:${version}/`;
    if (!vectorString.startsWith(prefix)) {
      problems.push({ property: 'vectorString', message: `must start with ${prefix} for CVSS version ${version}` });
    } else {
      const parsed = parseVector(metrics, kind === 'cvss_v2' ? 'ND' : 'X', vectorString.slice(prefix.length));
      if ('error' in parsed) problems.push({ property: 'vectorString', message: parsed.error });
      else {
        vector = parsed.vector;
        validVectorString = vectorString;
      }
    }
  }

  for (const metric of metrics) {
    const given = properties[metric.property];
    if (given !== undefined && !(typeof given === 'string' && Object.values(metric.values).includes(given))) {
      problems.push({
        property: metric.property,
        message: `must be one of ${Object.values(metric.values).join(', ')}`,
      });
    }
  }
  for (const group of ['base', 'temporal', 'environmental']) {
    const score = properties[`${group}Score`];
    if (score === undefined && group === 'base') problems.push({ property: 'baseScore', message: 'is required' });
    else if (score !== undefined && !(typeof score === 'number' && score >= 0 && score <= 10)) {
      problems.push({ property: `${group}Score`, message: 'must be a number from 0 to 10' });
    }
    if (kind === 'cvss_v3') {
      const rating = properties[`${group}Severity`];
      if (rating === undefined && group === 'base') problems.push({ property: 'baseSeverity', message: 'is required' });
      else if (rating !== undefined && !(typeof rating === 'string' && severities.includes(rating))) {
        problems.push({ property: `${group}Severity`, message: `must be one of ${severities.join(', ')}` });
      }
    }
  }
  return version === undefined
    ? { problems }
    : { problems, cvss: { version, metrics, properties, vectorString: validVectorString, vector } };
}
