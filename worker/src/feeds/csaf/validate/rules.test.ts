/** The building blocks of the mandatory tests, on the cases the OASIS files do not reach. */
import { describe, expect, it } from 'vitest';
import { cweNamesOf } from './cwe';
import { compareInstants, isUri, parseDateTime } from './formats';
import { validateCsaf } from './index';
import { languageTagProblem } from './language';
import { versionRangeIn } from './product-tree';
import { compareVersions, parseVersion } from './versions';

describe('language tags (6.1.12)', () => {
  it.each([
    'en',
    'en-US',
    'de-DE',
    'zh-Hant-TW',
    'zh-yue',
    'sr-Latn-RS',
    'de-CH-1996',
    'es-419',
    'en-US-x-twain',
    'x-whatever',
    'i-default',
    'sgn-BE-FR',
    'qaa',
    'en-a-bbb-x-a-ccc',
  ])('%s is valid', (tag) => {
    expect(languageTagProblem(tag)).toBeUndefined();
  });

  it.each([
    ['EZ', '"ez" is not a registered language subtag'],
    ['xx', '"xx" is not a registered language subtag'],
    ['en-YY', '"yy" is not a registered region subtag'],
    ['zh-abc', '"abc" is not a registered extended language subtag'],
    ['en-Abcd', '"abcd" is not a registered script subtag'],
    ['de-1996-1996', 'variant "1996" appears twice'],
    ['en-a-bbb-a-ccc', 'extension "a" appears twice'],
  ])('%s is not: %s', (tag, problem) => {
    expect(languageTagProblem(tag)).toBe(problem);
  });
});

describe('timestamps', () => {
  const instant = (text: string) => {
    const parsed = parseDateTime(text);
    if (parsed === undefined) throw new Error(`${text} does not parse`);
    return parsed;
  };

  it('compare as instants, offsets and any number of fractional digits included', () => {
    expect(compareInstants(instant('2021-07-21T12:00:00+02:00'), instant('2021-07-21T10:00:00.000Z'))).toBe(0);
    expect(compareInstants(instant('2021-07-21T10:00:00.00010Z'), instant('2021-07-21T10:00:00.000Z'))).toBe(1);
    expect(compareInstants(instant('2021-07-21T10:00:00.1Z'), instant('2021-07-21T10:00:00.09999999Z'))).toBe(1);
    expect(compareInstants(instant('0099-01-01T00:00:00Z'), instant('1999-01-01T00:00:00Z'))).toBe(-1);
  });

  it.each([
    '2021-02-29T10:00:00Z',
    '2021-07-21 10:00:00Z',
    '2021-07-21T24:00:00Z',
    '2021-07-21T10:00:00',
    '2021-13-01T00:00:00Z',
  ])('%s is not an RFC 3339 date-time', (text) => {
    expect(parseDateTime(text)).toBeUndefined();
  });
});

describe('URIs', () => {
  it.each(['https://example.com/a?b=c#d', 'urn:isbn:0451450523', 'mailto:psirt@example.com', 'https://x/%20'])(
    '%s is a URI',
    (uri) => {
      expect(isUri(uri)).toBe(true);
    },
  );

  it.each(['example.com', 'https://example.com/a b', 'https://x/%zz', '://x', 'https://例え.jp'])(
    '%s is not',
    (uri) => {
      expect(isUri(uri)).toBe(false);
    },
  );
});

describe('document versions', () => {
  const compare = (a: string, b: string) => {
    const [x, y] = [parseVersion(a), parseVersion(b)];
    if (x === undefined || y === undefined) throw new Error('not a version');
    return Math.sign(compareVersions(x, y));
  };

  it('order like integers and semantic versions', () => {
    expect(compare('9', '10')).toBe(-1);
    expect(compare('99999999999999999999', '100000000000000000000')).toBe(-1);
    expect(compare('1.9.0', '1.10.0')).toBe(-1);
    expect(compare('1.0.0-alpha', '1.0.0')).toBe(-1);
    expect(compare('1.0.0-alpha.1', '1.0.0-alpha.beta')).toBe(-1);
    expect(compare('1.0.0-rc.2', '1.0.0-rc.10')).toBe(-1);
    expect(compare('2.0.0+build.1', '2.0.0+build.2')).toBe(0);
  });

  it.each(['01', '1.0', '1.0.0-', 'v1', ''])('%s is not a version', (text) => {
    expect(parseVersion(text)).toBeUndefined();
  });
});

describe('version ranges in product versions (6.1.31)', () => {
  it.each([
    ['prior to 4.2', 'prior'],
    ['<4.2', '<'],
    ['>= 4.1', '>'],
    ['4.1 and earlier', 'earlier'],
    ['3.X (all versions)', 'all'],
  ])('%s reads as a range', (name, found) => {
    expect(versionRangeIn(name)).toBe(found);
  });

  it.each(['4.2', 'after-eight', 'Allegro 2', '1.0 Overall'])('%s does not', (name) => {
    expect(versionRangeIn(name)).toBeUndefined();
  });
});

describe('CWE names (6.1.11)', () => {
  it('know current and former names', () => {
    expect(cweNamesOf('CWE-79')?.[0]).toBe(
      "Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')",
    );
    expect(cweNamesOf('CWE-79')).toContain("Failure to Preserve Web Page Structure ('Cross-site Scripting')");
    expect(cweNamesOf('CWE-999999')).toBeUndefined();
    expect(cweNamesOf('CWE-constructor')).toBeUndefined();
  });
});

// biome-ignore lint/suspicious/noExplicitAny: the tests patch these documents freely, valid or not
type Patchable = Record<string, any>;

function documentWith(patch: (doc: Patchable) => void) {
  const doc: Patchable = {
    document: {
      category: 'csaf_base',
      csaf_version: '2.0',
      publisher: { category: 'other', name: 'Patchboard tests', namespace: 'https://patchboard.invalid' },
      title: 'Rules',
      tracking: {
        current_release_date: '2024-01-01T00:00:00Z',
        id: 'RULES-1',
        initial_release_date: '2024-01-01T00:00:00Z',
        revision_history: [{ date: '2024-01-01T00:00:00Z', number: '1', summary: 'Initial.' }],
        status: 'final',
        version: '1',
      },
    },
    product_tree: {
      full_product_names: [
        { name: 'A', product_id: 'A' },
        { name: 'B', product_id: 'B' },
      ],
    },
  };
  patch(doc);
  return validateCsaf(doc);
}

describe('rules on small documents', () => {
  it('6.1.3: a relationship that refers into a circle ends up in it, one outside does not', () => {
    const relationship = (id: string, a: string, b: string) => ({
      category: 'installed_on',
      full_product_name: { name: id, product_id: id },
      product_reference: a,
      relates_to_product_reference: b,
    });
    const result = documentWith((doc) => {
      doc.product_tree.relationships = [
        relationship('C1', 'C2', 'A'),
        relationship('C2', 'C1', 'B'),
        relationship('D', 'C1', 'A'),
        relationship('E', 'A', 'B'),
        relationship('F', 'E', 'A'),
      ];
    });
    expect(result.failures.filter((f) => f.test === '6.1.3').map((f) => f.path)).toEqual([
      '/product_tree/relationships/0/full_product_name/product_id',
      '/product_tree/relationships/1/full_product_name/product_id',
      '/product_tree/relationships/2/full_product_name/product_id',
    ]);
  });

  it('6.1.24: involvements at the same instant written two ways collide', () => {
    const result = documentWith((doc) => {
      doc.vulnerabilities = [
        {
          involvements: [
            { date: '2024-01-01T10:00:00Z', party: 'vendor', status: 'open' },
            { date: '2024-01-01T12:00:00.000+02:00', party: 'vendor', status: 'completed' },
            { party: 'vendor', status: 'open' },
          ],
        },
      ];
    });
    expect(result.failures.map((f) => `${f.test} ${f.path}`)).toEqual(['6.1.24 /vulnerabilities/0/involvements/1']);
  });

  it('6.1.25: hash algorithms compare case-insensitively', () => {
    const hash = 'a'.repeat(64);
    const result = documentWith((doc) => {
      doc.product_tree.full_product_names[0].product_identification_helper = {
        hashes: [
          {
            filename: 'a.so',
            file_hashes: [
              { algorithm: 'sha256', value: hash },
              { algorithm: 'SHA256', value: hash },
            ],
          },
        ],
      };
    });
    expect(result.failures.map((f) => f.test)).toEqual(['6.1.25']);
  });

  it('6.1.26: the reserved prefix in any case and every profile name are refused for CSAF Base', () => {
    for (const category of [
      'Csaf_a',
      'Informational Advisory',
      'security-incident-response',
      'Security      Advisory',
      'veX',
      'V_eX',
    ]) {
      const result = documentWith((doc) => {
        doc.document.category = category;
      });
      expect(
        result.failures.map((f) => f.test),
        category,
      ).toEqual(['6.1.26']);
    }
  });

  it('6.1.27.2: a reference without a category is external', () => {
    const result = documentWith((doc) => {
      doc.document.category = 'csaf_informational_advisory';
      doc.document.notes = [{ category: 'summary', text: 'Something to know.' }];
      doc.document.references = [{ summary: 'Details', url: 'https://example.com/details' }];
    });
    expect(result).toEqual({ valid: true, failures: [] });
  });

  it('6.1.28: language tags compare case-insensitively', () => {
    const result = documentWith((doc) => {
      doc.document.lang = 'en-US';
      doc.document.source_lang = 'en-us';
    });
    expect(result.failures.map((f) => f.test)).toEqual(['6.1.28']);
  });

  it('6.1.33: a product flagged directly and through a group inside one flag is flagged once', () => {
    const result = documentWith((doc) => {
      doc.product_tree.product_groups = [{ group_id: 'G', product_ids: ['A', 'B'] }];
      doc.vulnerabilities = [
        {
          product_status: { known_not_affected: ['A', 'B'] },
          flags: [{ label: 'component_not_present', product_ids: ['A'], group_ids: ['G'] }],
        },
      ];
    });
    expect(result).toEqual({ valid: true, failures: [] });
  });
});
