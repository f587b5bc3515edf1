/**
 * Test 6.1.11: the CWE exists and carries its name. CSAF 2.0 names no CWE version, so a name is right
 * when it is the name the weakness has, or had, in any published CWE catalogue (data/cwe-names.json,
 * weaknesses of CWE 1.0 to 4.17; categories and views are not in it). See data/README.md to update it.
 */
import cweNames from './data/cwe-names.json';
import { pointer, quote } from './failures';
import type { MandatoryTest } from './mandatory-test';

const weaknesses: Readonly<Record<string, readonly string[]>> = cweNames.weaknesses;

/** The names of a weakness id (`CWE-79`), newest first, or undefined for an unknown id. */
export function cweNamesOf(id: string): readonly string[] | undefined {
  const number = id.replace(/^CWE-/, '');
  return Object.hasOwn(weaknesses, number) ? weaknesses[number] : undefined;
}

export const cwe: MandatoryTest = {
  id: '6.1.11',
  title: 'CWE',
  run(doc, report) {
    doc.vulnerabilities?.forEach((vulnerability, v) => {
      if (vulnerability.cwe === undefined) return;
      const { id, name } = vulnerability.cwe;
      const names = cweNamesOf(id);
      if (names === undefined) report(pointer('vulnerabilities', v, 'cwe', 'id'), `${id} is not a known CWE weakness`);
      else if (!names.includes(name)) {
        report(
          pointer('vulnerabilities', v, 'cwe', 'name'),
          `${id} is named ${quote(names[0] ?? '')}, not ${quote(name)}`,
        );
      }
    });
  },
};
