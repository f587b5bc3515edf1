/** Tests 6.1.7 to 6.1.10: the CVSS scores of each vulnerability. */
import { readCvss } from './cvss/object';
import { scoreV2, scoreV3 } from './cvss/scores';
import { pointer, quote } from './failures';
import type { MandatoryTest } from './mandatory-test';
import type { CsafDocument } from './schema';

const kinds = ['cvss_v2', 'cvss_v3'] as const;

/** Every CVSS object of the document, read, with the pointer to it. */
function* cvssObjects(doc: CsafDocument) {
  for (const [v, vulnerability] of (doc.vulnerabilities ?? []).entries()) {
    for (const [s, score] of (vulnerability.scores ?? []).entries()) {
      for (const kind of kinds) {
        if (score[kind] === undefined) continue;
        yield { path: pointer('vulnerabilities', v, 'scores', s, kind), ...readCvss(kind, score[kind]) };
      }
    }
  }
}

export const multipleScoresPerProduct: MandatoryTest = {
  id: '6.1.7',
  title: 'Multiple Scores with same Version per Product',
  run(doc, report) {
    doc.vulnerabilities?.forEach((vulnerability, v) => {
      const seen = new Set<string>();
      vulnerability.scores?.forEach((score, s) => {
        for (const kind of kinds) {
          if (score[kind] === undefined) continue;
          const { cvss } = readCvss(kind, score[kind]);
          const version = cvss?.version ?? kind;
          for (const product of score.products) {
            const key = `${version} ${product}`;
            if (seen.has(key)) {
              report(
                pointer('vulnerabilities', v, 'scores', s),
                `product ${quote(product)} has a second CVSS ${version} score`,
              );
            }
            seen.add(key);
          }
        }
      });
    });
  },
};

export const invalidCvss: MandatoryTest = {
  id: '6.1.8',
  title: 'Invalid CVSS',
  run(doc, report) {
    for (const { path, problems } of cvssObjects(doc)) {
      for (const problem of problems) {
        report(problem.property === undefined ? path : `${path}/${problem.property}`, problem.message);
      }
    }
  },
};

/** Scores and severities are computed from the vector string, which takes precedence. */
export const invalidCvssComputation: MandatoryTest = {
  id: '6.1.9',
  title: 'Invalid CVSS computation',
  run(doc, report) {
    for (const { path, cvss } of cvssObjects(doc)) {
      if (cvss?.vectorString === undefined) continue;
      // Every value the formulas allow per property, the expected one first.
      const computed: Readonly<Record<string, readonly (number | string)[]>> =
        cvss.version === '2.0'
          ? { ...scoreV2(cvss.vectorString) }
          : Object.fromEntries(
              Object.entries(scoreV3(cvss.vectorString, cvss.version)).map(([key, value]) => [key, [value]]),
            );
      for (const [property, accepted] of Object.entries(computed)) {
        const given = cvss.properties[property];
        if (typeof given === typeof accepted[0] && !accepted.includes(given as number | string)) {
          report(
            `${path}/${property}`,
            `is ${given}, but the vector gives ${accepted.join(' or ')} (CVSS ${cvss.version})`,
          );
        }
      }
    }
  },
};

/**
 * Each metric property must say what the vector says. A metric the vector leaves out is "not defined",
 * so a temporal or environmental property with another value contradicts the vector too.
 */
export const inconsistentCvss: MandatoryTest = {
  id: '6.1.10',
  title: 'Inconsistent CVSS',
  run(doc, report) {
    for (const { path, cvss } of cvssObjects(doc)) {
      if (cvss?.vector === undefined) continue;
      for (const metric of cvss.metrics) {
        const given = cvss.properties[metric.property];
        const expected = metric.values[cvss.vector.get(metric.key) ?? ''];
        if (typeof given === 'string' && expected !== undefined && given !== expected) {
          report(
            `${path}/${metric.property}`,
            `is ${given}, but the vector says ${metric.key}:${cvss.vector.get(metric.key)} (${expected})`,
          );
        }
      }
    }
  },
};
