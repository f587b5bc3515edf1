/** Real CSAF documents: OASIS's examples (BSI, Cisco, Red Hat, VEX use cases) and Red Hat's advisories. */
import { describe, expect, it } from 'vitest';
import { describeFailures, validateCsaf } from './index';

const documents = import.meta.glob<string>('./testdata/documents/**/*.json', {
  query: '?raw',
  import: 'default',
  eager: true,
});

/**
 * RHSA-2003:315 as Red Hat publishes it today really breaks two mandatory tests: revision 2 is dated
 * 2003-11-12T00:00 and revision 1 2003-11-12T14:16, so by date the history runs 2, 1, 3 (6.1.14) and
 * starts at 2 (6.1.21). The reference validator (secvisogram/csaf-validator-lib) reports the same two.
 */
const knownInvalid: Readonly<Record<string, readonly string[]>> = {
  './testdata/documents/rhsa-2003_315.json': ['6.1.14', '6.1.21'],
};

describe('real CSAF documents', () => {
  const names = Object.keys(documents).filter((name) => !(name in knownInvalid));

  it('are all here', () => {
    expect(names.length).toBe(24);
  });

  it.each(names)('%s is valid', (name) => {
    expect(validateCsaf(JSON.parse(documents[name] ?? 'null'))).toEqual({ valid: true, failures: [] });
  });

  it.each(Object.entries(knownInvalid))('%s fails %j, as it should', (name, tests) => {
    const result = validateCsaf(JSON.parse(documents[name] ?? 'null'));
    expect(result.valid).toBe(false);
    expect([...new Set(result.failures.map((failure) => failure.test))]).toEqual(tests);
  });

  it('a broken copy of a real advisory fails with the rule and the place', () => {
    const advisory = JSON.parse(documents['./testdata/documents/rhsa-2024_6163.json'] ?? 'null');
    advisory.vulnerabilities[0].scores[0].cvss_v3.baseScore = 9.9;
    advisory.vulnerabilities[0].cwe.name = 'Loop';
    advisory.document.tracking.version = '7';
    advisory.product_tree.product_groups = [{ group_id: 'G', product_ids: ['no-such-product', 'another'] }];
    const failures = validateCsaf(advisory).failures;
    expect(failures).toContainEqual(
      expect.objectContaining({ test: '6.1.9', path: '/vulnerabilities/0/scores/0/cvss_v3/baseScore' }),
    );
    expect(failures).toContainEqual(expect.objectContaining({ test: '6.1.11', path: '/vulnerabilities/0/cwe/name' }));
    expect(failures).toContainEqual(expect.objectContaining({ test: '6.1.16', path: '/document/tracking/version' }));
    expect(describeFailures(failures, 1)).toBe(
      '6.1.1 /product_tree/product_groups/0/product_ids/0: product id "no-such-product" is not defined in the product tree; and 4 more',
    );
    expect(failures).toContainEqual({
      test: '6.1.1',
      path: '/product_tree/product_groups/0/product_ids/0',
      message: 'product id "no-such-product" is not defined in the product tree',
    });
  });

  it('a document that breaks the schema is refused with the schema paths', () => {
    const advisory = JSON.parse(documents['./testdata/documents/bsi-2022-0001.json'] ?? 'null');
    delete advisory.document.title;
    advisory.document.csaf_version = '2.1';
    advisory.document.tracking.current_release_date = 'yesterday';
    advisory.vulnerabilities[0].product_status.fixed = [];
    const result = validateCsaf(advisory);
    expect(result.valid).toBe(false);
    expect(result.failures.every((failure) => failure.test === 'schema')).toBe(true);
    expect(result.failures.map((failure) => failure.path).sort()).toEqual([
      '/document/csaf_version',
      '/document/title',
      '/document/tracking/current_release_date',
      '/vulnerabilities/0/product_status/fixed',
    ]);
  });
});
