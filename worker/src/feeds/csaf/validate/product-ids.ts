/** Tests 6.1.1 to 6.1.5: product and product group ids are defined once, referenced only when defined, acyclic. */
import { pointer, quote } from './failures';
import type { MandatoryTest } from './mandatory-test';
import { fullProductNames, groupReferences, productReferences } from './products';

export const missingProductDefinition: MandatoryTest = {
  id: '6.1.1',
  title: 'Missing Definition of Product ID',
  run(doc, report) {
    const defined = new Set(fullProductNames(doc).map((product) => product.value.product_id));
    for (const reference of productReferences(doc)) {
      if (!defined.has(reference.value)) {
        report(reference.path, `product id ${quote(reference.value)} is not defined in the product tree`);
      }
    }
  },
};

export const multipleProductDefinition: MandatoryTest = {
  id: '6.1.2',
  title: 'Multiple Definition of Product ID',
  run(doc, report) {
    const seen = new Set<string>();
    for (const product of fullProductNames(doc)) {
      const id = product.value.product_id;
      if (seen.has(id)) report(`${product.path}/product_id`, `product id ${quote(id)} is defined more than once`);
      seen.add(id);
    }
  },
};

/**
 * A product defined by a relationship refers to its two component products. Following those references
 * must never lead into a circle. Peeling off products whose references all end (Kahn's algorithm) leaves
 * exactly the products that end up in a circle, in linear time and without recursion.
 */
export const circularProductDefinition: MandatoryTest = {
  id: '6.1.3',
  title: 'Circular Definition of Product ID',
  run(doc, report) {
    const relationships = doc.product_tree?.relationships ?? [];
    const references = new Map<string, string[]>();
    for (const r of relationships) {
      const id = r.full_product_name.product_id;
      append(references, id, r.product_reference, r.relates_to_product_reference);
    }
    const referrers = new Map<string, string[]>();
    const pending = new Map<string, number>();
    for (const [id, targets] of references) {
      const defined = targets.filter((target) => references.has(target));
      pending.set(id, defined.length);
      for (const target of defined) append(referrers, target, id);
    }
    const ended = [...pending].filter(([, count]) => count === 0).map(([id]) => id);
    for (let id = ended.pop(); id !== undefined; id = ended.pop()) {
      pending.delete(id);
      for (const referrer of referrers.get(id) ?? []) {
        const left = (pending.get(referrer) ?? 0) - 1;
        pending.set(referrer, left);
        if (left === 0) ended.push(referrer);
      }
    }
    relationships.forEach((r, i) => {
      const id = r.full_product_name.product_id;
      if (pending.has(id)) {
        report(
          pointer('product_tree', 'relationships', i, 'full_product_name', 'product_id'),
          `product id ${quote(id)} is defined through a circle of relationships`,
        );
      }
    });
  },
};

export const missingGroupDefinition: MandatoryTest = {
  id: '6.1.4',
  title: 'Missing Definition of Product Group ID',
  run(doc, report) {
    const defined = new Set(doc.product_tree?.product_groups?.map((group) => group.group_id));
    for (const reference of groupReferences(doc)) {
      if (!defined.has(reference.value)) {
        report(reference.path, `product group id ${quote(reference.value)} is not defined in the product tree`);
      }
    }
  },
};

export const multipleGroupDefinition: MandatoryTest = {
  id: '6.1.5',
  title: 'Multiple Definition of Product Group ID',
  run(doc, report) {
    const seen = new Set<string>();
    doc.product_tree?.product_groups?.forEach((group, i) => {
      if (seen.has(group.group_id)) {
        report(
          pointer('product_tree', 'product_groups', i, 'group_id'),
          `product group id ${quote(group.group_id)} is defined more than once`,
        );
      }
      seen.add(group.group_id);
    });
  },
};

function append(map: Map<string, string[]>, key: string, ...values: string[]): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, values);
  else list.push(...values);
}
