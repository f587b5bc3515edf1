/**
 * The OASIS CSAF TC's own test files for the mandatory tests (testdata/mandatory, testcases.json):
 * a `-0x` file must fail its test, a `-1x` file must pass it. Every `-1x` file is also fully valid.
 */
import { describe, expect, it } from 'vitest';
import { type CsafFailure, mandatoryTests, validateCsaf } from './index';
import testcases from './testdata/testcases.json';

const files = import.meta.glob<string>('./testdata/mandatory/*.json', {
  query: '?raw',
  import: 'default',
  eager: true,
});

function load(name: string): unknown {
  const text = files[`./testdata/${name}`];
  if (text === undefined) throw new Error(`testdata/${name} is missing`);
  return JSON.parse(text);
}

const mandatory = testcases.tests.filter((test) => test.group === 'mandatory');

/**
 * Failing files that fail other tests too, and why: the OASIS files are minimal documents, so breaking one
 * rule often breaks a neighbour. Pinned here so that a change in what they report is seen.
 */
const alsoFails: Readonly<Record<string, readonly string[]>> = {
  // Revision histories out of date order: the earliest-dated revision is 2, not 0 or 1 (6.1.21), and
  // the document version is not the number of the latest-dated revision (6.1.16).
  '6-1-14-01': ['6.1.21'],
  '6-1-14-02': ['6.1.16', '6.1.21'],
  '6-1-14-03': ['6.1.16', '6.1.21'],
  '6-1-14-04': ['6.1.21'],
  '6-1-14-05': ['6.1.16', '6.1.21'],
  '6-1-14-08': ['6.1.21'],
  // A final document whose only revision is 0.9.5: that revision is unreleased (6.1.18).
  '6-1-17-01': ['6.1.18'],
  // Version 1.0.0-alpha with status interim: a pre-release must be a draft (6.1.17), and its history's
  // latest number is 1.0.0 (6.1.16).
  '6-1-20-01': ['6.1.16', '6.1.17'],
  // Profile test files carry only what their own test needs: no notes, references, product tree, ...
  '6-1-27-01-01': ['6.1.27.2'],
  '6-1-27-02-01': ['6.1.27.1'],
  '6-1-27-03-01': ['6.1.27.1', '6.1.27.2'],
  '6-1-27-04-01': ['6.1.27.5', '6.1.27.6'],
  '6-1-27-05-01': ['6.1.27.4', '6.1.27.6'],
  '6-1-27-06-01': ['6.1.27.4', '6.1.27.5'],
  '6-1-27-07-01': ['6.1.27.5', '6.1.27.8'],
  '6-1-27-08-01': ['6.1.27.4', '6.1.27.5', '6.1.27.7'],
  '6-1-27-10-01': ['6.1.27.5'],
};

function fileKey(name: string): string {
  return name.replace(/^.*2021-/, '').replace(/\.json$/, '');
}

/** The pointer leads into the document: its parent exists (the last step may name a missing member). */
function parentResolves(document: unknown, failure: CsafFailure): boolean {
  if (failure.path === '') return true;
  const steps = failure.path
    .split('/')
    .slice(1, -1)
    .map((step) => step.replaceAll('~1', '/').replaceAll('~0', '~'));
  let node: unknown = document;
  for (const step of steps) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, step)) return false;
    node = (node as Record<string, unknown>)[step];
  }
  return node !== null && typeof node === 'object';
}

describe('OASIS mandatory test files', () => {
  it('cover every mandatory test, in the order of the standard', () => {
    expect(mandatoryTests.map((test) => test.id)).toEqual(mandatory.map((test) => test.id));
  });

  describe.each(mandatory)('test $id', ({ id, failures, valid }) => {
    it.each(failures.map((file) => file.name))(`%s fails ${id}`, (name) => {
      const document = load(name);
      const result = validateCsaf(document);
      expect(result.valid).toBe(false);
      expect(result.failures.filter((failure) => failure.test === id)).not.toEqual([]);
      const others = [...new Set(result.failures.map((failure) => failure.test))].filter((test) => test !== id);
      expect(others).toEqual(alsoFails[fileKey(name)] ?? []);
      for (const failure of result.failures) expect(parentResolves(document, failure), failure.path).toBe(true);
    });

    it.each((valid ?? []).map((file) => file.name))(`%s passes ${id} and every other test`, (name) => {
      expect(validateCsaf(load(name))).toEqual({ valid: true, failures: [] });
    });
  });
});
