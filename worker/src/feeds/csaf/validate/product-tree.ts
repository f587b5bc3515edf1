/** Tests 6.1.13, 6.1.25 and 6.1.31: what the product tree says about each product. */
import { PackageURL } from 'packageurl-js';
import { quote } from './failures';
import type { MandatoryTest } from './mandatory-test';
import { fullProductNames, walkBranches } from './products';

/** Valid by the purl specification as packageurl-js reads it, type-specific rules included (maven needs a namespace). */
export const purl: MandatoryTest = {
  id: '6.1.13',
  title: 'PURL',
  run(doc, report) {
    for (const product of fullProductNames(doc)) {
      const text = product.value.product_identification_helper?.purl;
      if (text === undefined) continue;
      try {
        PackageURL.fromString(text);
      } catch (error) {
        const reason = error instanceof Error ? error.message : 'unreadable';
        report(
          `${product.path}/product_identification_helper/purl`,
          `${quote(text)} is not a valid package URL: ${reason}`,
        );
      }
    }
  },
};

/** Algorithm names compared case-insensitively: `sha256` and `SHA256` are one algorithm. */
export const multipleUseOfSameHashAlgorithm: MandatoryTest = {
  id: '6.1.25',
  title: 'Multiple Use of Same Hash Algorithm',
  run(doc, report) {
    for (const product of fullProductNames(doc)) {
      product.value.product_identification_helper?.hashes?.forEach((hash, h) => {
        const seen = new Set<string>();
        hash.file_hashes.forEach((fileHash, f) => {
          const algorithm = fileHash.algorithm.toLowerCase();
          if (seen.has(algorithm)) {
            report(
              `${product.path}/product_identification_helper/hashes/${h}/file_hashes/${f}/algorithm`,
              `${quote(fileHash.algorithm)} is used twice for ${quote(hash.filename)}`,
            );
          }
          seen.add(algorithm);
        });
      });
    }
  },
};

const comparators = ['<', '>'];
const rangeWords = new Set(['after', 'all', 'before', 'earlier', 'later', 'prior', 'versions']);

/**
 * The standard deems it sufficient that the lower-cased name contains none of `<`, `<=`, `>`, `>=`, `after`,
 * `all`, `before`, `earlier`, `later`, `prior`, `versions`. The words count as whole words (the OASIS test
 * file 6-1-31-12 names a valid version `after-eight`); punctuation around a word is ignored, so
 * "(all versions)" is caught.
 */
export function versionRangeIn(name: string): string | undefined {
  const lower = name.toLowerCase();
  const comparator = comparators.find((c) => lower.includes(c));
  if (comparator !== undefined) return comparator;
  // Words longer than 32 characters are none of these, and trimming them with a regex could be quadratic.
  return lower
    .split(/\s+/)
    .filter((word) => word.length <= 32)
    .map((word) => word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''))
    .find((word) => rangeWords.has(word));
}

export const versionRangeInProductVersion: MandatoryTest = {
  id: '6.1.31',
  title: 'Version Range in Product Version',
  run(doc, report) {
    walkBranches(doc.product_tree?.branches, '/product_tree/branches', (branch, path) => {
      if (branch.category !== 'product_version') return;
      const found = versionRangeIn(branch.name);
      if (found !== undefined) {
        report(`${path}/name`, `product version ${quote(branch.name)} reads as a version range (${quote(found)})`);
      }
    });
  },
};
