/** Input no advisory feed should send, and some will: the validator answers, fast, and never throws. */
import { describe, expect, it } from 'vitest';
import { maxDepth } from './guard';
import { validateCsaf } from './index';

function minimal(): Record<string, unknown> & {
  document: Record<string, unknown> & { tracking: Record<string, unknown> };
} {
  return {
    document: {
      category: 'csaf_base',
      csaf_version: '2.0',
      publisher: { category: 'other', name: 'Patchboard tests', namespace: 'https://patchboard.invalid' },
      title: 'Hostile',
      tracking: {
        current_release_date: '2024-01-01T00:00:00Z',
        id: 'HOSTILE-1',
        initial_release_date: '2024-01-01T00:00:00Z',
        revision_history: [{ date: '2024-01-01T00:00:00Z', number: '1', summary: 'Initial.' }],
        status: 'final',
        version: '1',
      },
    },
  };
}

/** Validates and returns the result with the time it took. */
function timed(input: unknown) {
  const start = performance.now();
  const result = validateCsaf(input);
  return { result, ms: performance.now() - start };
}

const huge = 'a'.repeat(10_000_000);

describe('hostile input', () => {
  it('a minimal document is valid', () => {
    expect(validateCsaf(minimal())).toEqual({ valid: true, failures: [] });
  });

  it.each([null, undefined, 0, 'csaf', true, [], [minimal()], {}, { document: null }, { document: [] }])(
    '%j is refused as schema',
    (input) => {
      const { valid, failures } = validateCsaf(input);
      expect(valid).toBe(false);
      expect(failures.length).toBeGreaterThan(0);
      expect(failures.every((failure) => failure.test === 'schema')).toBe(true);
    },
  );

  it('deeply nested branches are refused before they reach the recursive schema', () => {
    const doc = minimal();
    let branch: Record<string, unknown> = { category: 'vendor', name: 'v', product: { name: 'p', product_id: 'P' } };
    for (let i = 0; i < 100_000; i++) branch = { category: 'vendor', name: 'v', branches: [branch] };
    doc.product_tree = { branches: [branch] };
    const { result, ms } = timed(doc);
    expect(result.failures).toEqual([
      { test: 'schema', path: '', message: `the document nests deeper than ${maxDepth} levels` },
    ]);
    expect(ms).toBeLessThan(2000);
  });

  it('deeply nested arrays anywhere are refused too', () => {
    let nested: unknown = [];
    for (let i = 0; i < 1_000_000; i++) nested = [nested];
    const doc = minimal();
    doc.x_extension = nested;
    expect(validateCsaf(doc).failures[0]?.message).toMatch(/nests deeper/);
  });

  it('branches as deep as the limit allows still validate', () => {
    const doc = minimal();
    let branch: Record<string, unknown> = {
      category: 'product_version',
      name: '1',
      product: { name: 'p', product_id: 'P' },
    };
    for (let i = 0; i < 40; i++) branch = { category: 'product_family', name: `f${i}`, branches: [branch] };
    doc.product_tree = { branches: [branch] };
    expect(validateCsaf(doc)).toEqual({ valid: true, failures: [] });
  });

  it('a cyclic object graph is refused; shared sub-objects are fine until they explode', () => {
    const doc = minimal();
    doc.loop = doc;
    expect(validateCsaf(doc).failures[0]?.message).toMatch(/contains itself/);

    const shared = { name: 'p', product_id: 'P' };
    const twice = minimal();
    twice.product_tree = { full_product_names: [shared, shared] };
    expect(validateCsaf(twice).failures.map((failure) => failure.test)).toEqual(['6.1.2']);

    let laughs: unknown[] = [];
    for (let i = 0; i < 60; i++) laughs = [laughs, laughs];
    const bomb = minimal();
    bomb.x_laughs = laughs;
    const { result, ms } = timed(bomb);
    expect(result.failures[0]?.message).toMatch(/more than 5000000 objects/);
    expect(ms).toBeLessThan(5000);
  });

  it.each([
    ['title', (doc: ReturnType<typeof minimal>) => Object.assign(doc.document, { title: huge })],
    ['category', (doc: ReturnType<typeof minimal>) => Object.assign(doc.document, { category: huge })],
    [
      'category ending in a dash',
      (doc: ReturnType<typeof minimal>) => Object.assign(doc.document, { category: `${huge}-` }),
    ],
    ['lang', (doc: ReturnType<typeof minimal>) => Object.assign(doc.document, { lang: huge })],
    [
      'version',
      (doc: ReturnType<typeof minimal>) =>
        Object.assign(doc.document.tracking, { version: `1.0.0-${'1'.repeat(10_000_000)}!` }),
    ],
    ['tracking id', (doc: ReturnType<typeof minimal>) => Object.assign(doc.document.tracking, { id: `${huge} ` })],
    ['date', (doc: ReturnType<typeof minimal>) => Object.assign(doc.document.tracking, { initial_release_date: huge })],
    [
      'publisher namespace',
      (doc: ReturnType<typeof minimal>) =>
        Object.assign(doc.document, { publisher: { category: 'other', name: 'x', namespace: `https://${huge}` } }),
    ],
    [
      'cpe',
      (doc: ReturnType<typeof minimal>) =>
        Object.assign(doc, {
          product_tree: {
            full_product_names: [
              { name: 'p', product_id: 'P', product_identification_helper: { cpe: `cpe:2.3:a:${huge}!` } },
            ],
          },
        }),
    ],
    [
      'purl',
      (doc: ReturnType<typeof minimal>) =>
        Object.assign(doc, {
          product_tree: {
            full_product_names: [
              { name: 'p', product_id: 'P', product_identification_helper: { purl: `pkg:npm/${huge}@1` } },
            ],
          },
        }),
    ],
    [
      'hash',
      (doc: ReturnType<typeof minimal>) =>
        Object.assign(doc, {
          product_tree: {
            full_product_names: [
              {
                name: 'p',
                product_id: 'P',
                product_identification_helper: {
                  hashes: [
                    { filename: 'f', file_hashes: [{ algorithm: 'sha256', value: `${'a'.repeat(10_000_000)}g` }] },
                  ],
                },
              },
            ],
          },
        }),
    ],
    [
      'product id',
      (doc: ReturnType<typeof minimal>) =>
        Object.assign(doc, {
          product_tree: { full_product_names: [{ name: 'p', product_id: huge }] },
          vulnerabilities: [{ product_status: { fixed: [`${huge}b`] } }],
        }),
    ],
    [
      'CVSS vector',
      (doc: ReturnType<typeof minimal>) =>
        Object.assign(doc, {
          product_tree: { full_product_names: [{ name: 'p', product_id: 'P' }] },
          vulnerabilities: [
            {
              scores: [
                {
                  products: ['P'],
                  cvss_v3: {
                    version: '3.1',
                    vectorString: `CVSS:3.1/${'AV:N/'.repeat(2_000_000)}`,
                    baseScore: 1,
                    baseSeverity: 'LOW',
                  },
                },
              ],
            },
          ],
        }),
    ],
    [
      'product version name',
      (doc: ReturnType<typeof minimal>) =>
        Object.assign(doc, {
          product_tree: {
            branches: [
              {
                category: 'product_version',
                name: `a${'!'.repeat(10_000_000)}a`,
                product: { name: 'p', product_id: 'P' },
              },
            ],
          },
        }),
    ],
    [
      'product version word',
      (doc: ReturnType<typeof minimal>) =>
        Object.assign(doc, {
          product_tree: {
            branches: [{ category: 'product_version', name: huge, product: { name: 'p', product_id: 'P' } }],
          },
        }),
    ],
    [
      'CWE name',
      (doc: ReturnType<typeof minimal>) =>
        Object.assign(doc, { vulnerabilities: [{ cwe: { id: 'CWE-79', name: huge } }] }),
    ],
  ])('a 10 MB %s is answered in time', (_name, patch) => {
    const doc = minimal();
    patch(doc);
    const { result, ms } = timed(doc);
    expect(typeof result.valid).toBe('boolean');
    expect(ms).toBeLessThan(3000);
  });

  it('relationship chains and circles of 20,000 products are answered in time', () => {
    const doc = minimal();
    const relationships = Array.from({ length: 20_000 }, (_, i) => ({
      category: 'default_component_of',
      full_product_name: { name: `R${i}`, product_id: `R${i}` },
      product_reference: i === 0 ? 'R19999' : `R${i - 1}`,
      relates_to_product_reference: 'BASE',
    }));
    doc.product_tree = { full_product_names: [{ name: 'base', product_id: 'BASE' }], relationships };
    const { result, ms } = timed(doc);
    const circular = result.failures.filter((failure) => failure.test === '6.1.3');
    // Capped at 100 failures a test, plus one line that says more were left out.
    expect(circular.length).toBe(101);
    expect(ms).toBeLessThan(3000);

    relationships[0] = { ...relationships[0], product_reference: 'BASE' } as (typeof relationships)[number];
    expect(validateCsaf(doc)).toEqual({ valid: true, failures: [] });
  });

  it('product ids that look like object internals are plain ids', () => {
    const doc = minimal();
    doc.product_tree = {
      full_product_names: ['__proto__', 'constructor', 'toString', 'hasOwnProperty'].map((id) => ({
        name: id,
        product_id: id,
      })),
      product_groups: [{ group_id: '__proto__', product_ids: ['__proto__', 'constructor'] }],
    };
    doc.vulnerabilities = [
      {
        product_status: { fixed: ['__proto__'], known_affected: ['constructor'], under_investigation: ['valueOf'] },
        remediations: [{ category: 'vendor_fix', details: 'Update.', group_ids: ['__proto__'] }],
        cwe: { id: 'CWE-79', name: 'constructor' },
      },
    ];
    expect(validateCsaf(doc).failures.map((failure) => `${failure.test} ${failure.path}`)).toEqual([
      '6.1.1 /vulnerabilities/0/product_status/under_investigation/0',
      '6.1.11 /vulnerabilities/0/cwe/name',
    ]);
  });

  it('50,000 product references and revisions are answered in time', () => {
    const doc = minimal();
    const ids = Array.from({ length: 50_000 }, (_, i) => `P${i}`);
    doc.product_tree = { full_product_names: ids.map((id) => ({ name: id, product_id: id })) };
    doc.vulnerabilities = [{ product_status: { fixed: ids, known_affected: ids } }];
    doc.document.tracking = {
      ...doc.document.tracking,
      revision_history: ids.map((_, i) => ({ date: '2024-01-01T00:00:00Z', number: `${i + 1}`, summary: 'Again.' })),
      version: '50000',
    };
    const { result, ms } = timed(doc);
    expect(result.failures.filter((failure) => failure.test === '6.1.6').length).toBe(101);
    expect(ms).toBeLessThan(3000);
  });
});
