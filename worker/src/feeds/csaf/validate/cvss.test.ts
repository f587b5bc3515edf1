/** CVSS scores (tests 6.1.7 to 6.1.10) against the reference calculators. */
import cvss from 'ae-cvss-calculator';
import { describe, expect, it } from 'vitest';
import { v2Metrics, v3Metrics } from './cvss/metrics';
import { scoreV2, scoreV3 } from './cvss/scores';
import { validateCsaf } from './index';
import vectors from './testdata/cvss-vectors.json';

const v3Version = (vector: string) => (vector.startsWith('CVSS:3.0/') ? '3.0' : '3.1');

describe('scores from vectors', () => {
  it.each([...vectors['v3.0'], ...vectors['v3.1']])('$vector', ({ vector, ...expected }) => {
    expect(scoreV3(vector, v3Version(vector))).toEqual(expected);
  });

  it.each([...vectors['v2.0'], ...vectors['v2.0 guide examples']])('$vector', ({ vector, ...expected }) => {
    const scores = scoreV2(vector);
    for (const [property, value] of Object.entries(expected)) {
      expect(scores[property as keyof typeof scores]).toContain(value);
    }
  });

  it('v2 accepts both neighbours of a rounding tie, and only them', () => {
    // Base 5.0 x RL:OF 0.87 = 4.35 exactly, 4.3499999999999996 as a double.
    const scores = scoreV2('AV:L/AC:M/Au:S/C:P/I:C/A:N/E:H/RL:OF/RC:ND');
    expect(scores.baseScore).toEqual([5]);
    expect(scores.temporalScore).toEqual([4.3, 4.4]);
  });

  it("v3.0 and v3.1 differ where v3.1 changed them (checked with FIRST's calculators)", () => {
    const score = (version: '3.0' | '3.1', vector: string) => scoreV3(`CVSS:${version}/${vector}`, version);
    // Base 5.0 x RC:U 0.92 = 4.6, a double just above 4.6: v3.0's ceiling makes it 4.7, v3.1's integer Roundup 4.6.
    const temporal = 'AV:P/AC:H/PR:L/UI:R/S:U/C:L/I:H/A:L/E:X/RL:X/RC:U';
    expect(score('3.0', temporal).temporalScore).toBe(4.7);
    expect(score('3.1', temporal).temporalScore).toBe(4.6);
    // v3.1 changed the modified impact formula under a changed modified scope.
    const environmental =
      'AV:P/AC:H/PR:L/UI:N/S:C/C:L/I:H/A:L/RC:U/CR:M/IR:H/AR:L/MAV:A/MAC:L/MPR:H/MUI:N/MS:C/MC:L/MA:H';
    expect(score('3.0', environmental).environmentalScore).toBe(7.8);
    expect(score('3.1', environmental).environmentalScore).toBe(7.9);
  });

  it('v3 temporal and environmental scores exist without any temporal or environmental metric', () => {
    // ae-cvss-calculator leaves them undefined; FIRST's cvsscalc31.js gives 9.6, 9.6 and 9.7: with every
    // modified metric X, v3.1's modified impact formula under a changed scope still differs from the base one.
    expect(scoreV3('CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H', '3.1')).toEqual({
      baseScore: 9.6,
      baseSeverity: 'CRITICAL',
      temporalScore: 9.6,
      temporalSeverity: 'CRITICAL',
      environmentalScore: 9.7,
      environmentalSeverity: 'CRITICAL',
    });
    // All given as X is the same as none given.
    expect(scoreV3('CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:X/RL:X/RC:X/CR:X/MAV:X', '3.0')).toEqual(
      scoreV3('CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', '3.0'),
    );
  });

  it('a v3 score of 0 is rated NONE', () => {
    const none = { baseScore: 0, baseSeverity: 'NONE' };
    expect(scoreV3('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N/E:U', '3.1')).toEqual({
      ...none,
      temporalScore: 0,
      temporalSeverity: 'NONE',
      environmentalScore: 0,
      environmentalSeverity: 'NONE',
    });
  });

  it('every metric value the tables allow is one the library scores', () => {
    const tables = [
      { metrics: v3Metrics, make: (v: string) => new cvss.Cvss3P1(v) },
      { metrics: v3Metrics, make: (v: string) => new cvss.Cvss3P0(v) },
      { metrics: v2Metrics, make: (v: string) => new cvss.Cvss2(v) },
    ];
    for (const { metrics, make } of tables) {
      for (const metric of metrics) {
        for (const value of Object.keys(metric.values)) {
          expect(make(`${metric.key}:${value}`).getComponentByString(metric.key).shortName).toBe(value);
        }
      }
    }
  });

  describe('where ae-cvss-calculator departs from the v2 guide (why v2 keeps its equations by hand)', () => {
    const library = (vector: string) => new cvss.Cvss2(vector).calculateScores();

    it("environmental: the guide's worked examples (section 3.3)", () => {
      // The guide rounds AdjustedBase and AdjustedTemporal; the library does not. The guide gives 9.2 and 7.5.
      const examples = vectors['v2.0 guide examples'];
      expect(examples.map(({ vector }) => library(vector).environmental)).toEqual([9.1, 9, 7.4]);
      expect(examples.map(({ vector }) => scoreV2(vector).environmentalScore)).toEqual([[9.1, 9.2], [9], [7.4, 7.5]]);
      expect(examples.map(({ environmentalScore }) => environmentalScore)).toEqual([9.2, 9, 7.5]);
    });

    it('environmental: no tie, still 0.1 apart', () => {
      // The guide: AdjustedImpact 1.431375, AdjustedBase round(2.4597) = 2.5, AdjustedTemporal round(2.375) = 2.4,
      // environmental 2.4. The library: exploitability 6.832 rounded to 6.8, AdjustedBase 2.4447 unrounded,
      // x 0.95 = 2.3225, environmental 2.3.
      const vector = 'AV:N/AC:M/Au:S/C:N/I:P/A:N/E:F/RL:U/RC:C/CDP:ND/TD:H/CR:M/IR:L/AR:H';
      expect(library(vector).environmental).toBe(2.3);
      expect(scoreV2(vector).environmentalScore).toEqual([2.4]);
    });

    it('temporal: a decimal tie below .5 in binary', () => {
      // Base 3.0 x E:F 0.95 = 2.85: the library rounds the double 2.8499999999999996 down.
      const vector = 'AV:L/AC:M/Au:S/C:N/I:P/A:P/E:F/RL:U/RC:C';
      expect(library(vector)).toMatchObject({ base: 3, temporal: 2.8 });
      expect(scoreV2(vector)).toMatchObject({ baseScore: [3], temporalScore: [2.8, 2.9] });
    });
  });
});

function documentWithScores(...scores: readonly Record<string, unknown>[]) {
  return {
    document: {
      category: 'csaf_base',
      csaf_version: '2.0',
      publisher: { category: 'other', name: 'Patchboard tests', namespace: 'https://patchboard.invalid' },
      title: 'CVSS',
      tracking: {
        current_release_date: '2024-01-01T00:00:00Z',
        id: 'CVSS-1',
        initial_release_date: '2024-01-01T00:00:00Z',
        revision_history: [{ date: '2024-01-01T00:00:00Z', number: '1', summary: 'Initial.' }],
        status: 'final',
        version: '1',
      },
    },
    product_tree: { full_product_names: [{ name: 'A', product_id: 'A' }] },
    vulnerabilities: [{ scores: scores.map((score) => ({ products: ['A'], ...score })) }],
  };
}

const critical = {
  version: '3.1',
  vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
  baseScore: 9.8,
  baseSeverity: 'CRITICAL',
};

describe('CVSS tests on documents', () => {
  it('a correct score passes', () => {
    expect(validateCsaf(documentWithScores({ cvss_v3: critical })).valid).toBe(true);
  });

  it('6.1.7: a v3.0 and a v3.1 score for one product are two versions, two v3.1 scores are not', () => {
    const v30 = { ...critical, version: '3.0', vectorString: critical.vectorString.replace('3.1', '3.0') };
    expect(validateCsaf(documentWithScores({ cvss_v3: critical }, { cvss_v3: v30 })).valid).toBe(true);
    expect(validateCsaf(documentWithScores({ cvss_v3: critical }, { cvss_v3: critical })).failures).toEqual([
      { test: '6.1.7', path: '/vulnerabilities/0/scores/1', message: 'product "A" has a second CVSS 3.1 score' },
    ]);
  });

  it('6.1.8: the version must match the vector, and a vector needs every base metric once', () => {
    const tests = (cvss: Record<string, unknown>) =>
      validateCsaf(documentWithScores({ cvss_v3: cvss })).failures.map((f) => `${f.test} ${f.path} ${f.message}`);
    expect(tests({ ...critical, version: '3.0' })).toEqual([
      '6.1.8 /vulnerabilities/0/scores/0/cvss_v3/vectorString must start with CVSS:3.0/ for CVSS version 3.0',
    ]);
    expect(tests({ ...critical, vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H' })).toEqual([
      '6.1.8 /vulnerabilities/0/scores/0/cvss_v3/vectorString the vector lacks the base metric A',
    ]);
    expect(tests({ ...critical, vectorString: `${critical.vectorString}/A:L` })).toEqual([
      '6.1.8 /vulnerabilities/0/scores/0/cvss_v3/vectorString the vector gives metric A twice',
    ]);
    expect(tests({ ...critical, baseScore: 11, attackVector: 'NEAR' })).toEqual([
      '6.1.8 /vulnerabilities/0/scores/0/cvss_v3/attackVector must be one of NETWORK, ADJACENT_NETWORK, LOCAL, PHYSICAL',
      '6.1.8 /vulnerabilities/0/scores/0/cvss_v3/baseScore must be a number from 0 to 10',
      '6.1.9 /vulnerabilities/0/scores/0/cvss_v3/baseScore is 11, but the vector gives 9.8 (CVSS 3.1)',
      '6.1.10 /vulnerabilities/0/scores/0/cvss_v3/attackVector is NEAR, but the vector says AV:N (NETWORK)',
    ]);
  });

  it('6.1.9: temporal and environmental scores and severities are checked too', () => {
    const cvss = {
      ...critical,
      vectorString: `${critical.vectorString}/E:U/RL:O/RC:U`,
      temporalScore: 7.5,
      temporalSeverity: 'HIGH',
      environmentalScore: 9.8,
      environmentalSeverity: 'CRITICAL',
    };
    expect(validateCsaf(documentWithScores({ cvss_v3: cvss })).failures).toEqual([
      {
        test: '6.1.9',
        path: '/vulnerabilities/0/scores/0/cvss_v3/temporalScore',
        message: 'is 7.5, but the vector gives 7.8 (CVSS 3.1)',
      },
      {
        test: '6.1.9',
        path: '/vulnerabilities/0/scores/0/cvss_v3/environmentalScore',
        message: 'is 9.8, but the vector gives 7.8 (CVSS 3.1)',
      },
      {
        test: '6.1.9',
        path: '/vulnerabilities/0/scores/0/cvss_v3/environmentalSeverity',
        message: 'is CRITICAL, but the vector gives HIGH (CVSS 3.1)',
      },
    ]);
  });

  it('6.1.10: a property for a metric the vector leaves out must be NOT_DEFINED', () => {
    const cvss = { ...critical, exploitCodeMaturity: 'HIGH', remediationLevel: 'NOT_DEFINED' };
    expect(validateCsaf(documentWithScores({ cvss_v3: cvss })).failures).toEqual([
      {
        test: '6.1.10',
        path: '/vulnerabilities/0/scores/0/cvss_v3/exploitCodeMaturity',
        message: 'is HIGH, but the vector says E:X (NOT_DEFINED)',
      },
    ]);
  });

  it('v2 objects are checked the same way', () => {
    const v2 = { version: '2.0', vectorString: 'AV:N/AC:L/Au:N/C:P/I:P/A:P', baseScore: 7.5, accessVector: 'NETWORK' };
    expect(validateCsaf(documentWithScores({ cvss_v2: v2 })).valid).toBe(true);
    expect(
      validateCsaf(documentWithScores({ cvss_v2: { ...v2, baseScore: 7.4, accessVector: 'LOCAL' } })).failures,
    ).toEqual([
      {
        test: '6.1.9',
        path: '/vulnerabilities/0/scores/0/cvss_v2/baseScore',
        message: 'is 7.4, but the vector gives 7.5 (CVSS 2.0)',
      },
      {
        test: '6.1.10',
        path: '/vulnerabilities/0/scores/0/cvss_v2/accessVector',
        message: 'is LOCAL, but the vector says AV:N (NETWORK)',
      },
    ]);
  });
});
