/** Test 6.1.6: a product is in at most one of the contradicting product status groups of a vulnerability. */
import { pointer, quote } from './failures';
import type { MandatoryTest } from './mandatory-test';
import type { productStatuses } from './products';

/** The contradicting groups; `recommended` belongs to none (any product may be recommended). */
const groups: readonly (readonly [string, readonly (typeof productStatuses)[number][]])[] = [
  ['affected', ['first_affected', 'known_affected', 'last_affected']],
  ['not affected', ['known_not_affected']],
  ['fixed', ['first_fixed', 'fixed']],
  ['under investigation', ['under_investigation']],
];

export const contradictingProductStatus: MandatoryTest = {
  id: '6.1.6',
  title: 'Contradicting Product Status',
  run(doc, report) {
    doc.vulnerabilities?.forEach((vulnerability, v) => {
      const status = vulnerability.product_status;
      if (status === undefined) return;
      const groupOf = new Map<string, string>();
      for (const [group, keys] of groups) {
        for (const key of keys) {
          status[key]?.forEach((id, i) => {
            const earlier = groupOf.get(id);
            if (earlier === undefined) groupOf.set(id, group);
            else if (earlier !== group) {
              report(
                pointer('vulnerabilities', v, 'product_status', key, i),
                `product ${quote(id)} is both ${earlier} and ${group}`,
              );
            }
          });
        }
      }
    });
  },
};
