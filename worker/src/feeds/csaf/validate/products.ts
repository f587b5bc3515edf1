/** Where a CSAF document defines and references products and product groups. */
import { pointer } from './failures';
import type { Branch, CsafDocument, FullProductName, ProductStatus } from './schema';

/** A value found in the document, with the JSON pointer to it. */
export interface Located<T = string> {
  readonly value: T;
  readonly path: string;
}

/** The product status groups of a vulnerability (`/vulnerabilities[]/product_status/*`). */
export const productStatuses = [
  'first_affected',
  'first_fixed',
  'fixed',
  'known_affected',
  'known_not_affected',
  'last_affected',
  'recommended',
  'under_investigation',
] as const satisfies readonly (keyof ProductStatus)[];

/** Calls `visit` for every branch, depth first in document order; a loop, not recursion. */
export function walkBranches(
  branches: readonly Branch[] | undefined,
  base: string,
  visit: (branch: Branch, path: string) => void,
): void {
  const stack: Located<Branch>[] = [];
  const push = (list: readonly Branch[] | undefined, path: string) => {
    for (let i = (list?.length ?? 0) - 1; i >= 0; i--) {
      const branch = list?.[i];
      if (branch !== undefined) stack.push({ value: branch, path: `${path}/${i}` });
    }
  };
  push(branches, base);
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    visit(item.value, item.path);
    push(item.value.branches, `${item.path}/branches`);
  }
}

/** Every Full Product Name (branches, full_product_names, relationships), with the pointer to it. */
export function fullProductNames(doc: CsafDocument): Located<FullProductName>[] {
  const out: Located<FullProductName>[] = [];
  const tree = doc.product_tree;
  walkBranches(tree?.branches, '/product_tree/branches', (branch, path) => {
    if (branch.product !== undefined) out.push({ value: branch.product, path: `${path}/product` });
  });
  tree?.full_product_names?.forEach((product, i) => {
    out.push({ value: product, path: pointer('product_tree', 'full_product_names', i) });
  });
  tree?.relationships?.forEach((relationship, i) => {
    out.push({
      value: relationship.full_product_name,
      path: pointer('product_tree', 'relationships', i, 'full_product_name'),
    });
  });
  return out;
}

/** Every reference to a product id outside a Full Product Name (`product_id_t` and `products_t` items). */
export function productReferences(doc: CsafDocument): Located[] {
  const out: Located[] = [];
  const each = (ids: readonly string[] | undefined, ...path: (string | number)[]) => {
    ids?.forEach((id, i) => {
      out.push({ value: id, path: pointer(...path, i) });
    });
  };
  const tree = doc.product_tree;
  tree?.product_groups?.forEach((group, g) => {
    each(group.product_ids, 'product_tree', 'product_groups', g, 'product_ids');
  });
  tree?.relationships?.forEach((relationship, r) => {
    out.push({
      value: relationship.product_reference,
      path: pointer('product_tree', 'relationships', r, 'product_reference'),
    });
    out.push({
      value: relationship.relates_to_product_reference,
      path: pointer('product_tree', 'relationships', r, 'relates_to_product_reference'),
    });
  });
  doc.vulnerabilities?.forEach((vulnerability, v) => {
    for (const status of productStatuses) {
      each(vulnerability.product_status?.[status], 'vulnerabilities', v, 'product_status', status);
    }
    vulnerability.remediations?.forEach((item, i) => {
      each(item.product_ids, 'vulnerabilities', v, 'remediations', i, 'product_ids');
    });
    vulnerability.scores?.forEach((item, i) => {
      each(item.products, 'vulnerabilities', v, 'scores', i, 'products');
    });
    vulnerability.threats?.forEach((item, i) => {
      each(item.product_ids, 'vulnerabilities', v, 'threats', i, 'product_ids');
    });
    vulnerability.flags?.forEach((item, i) => {
      each(item.product_ids, 'vulnerabilities', v, 'flags', i, 'product_ids');
    });
  });
  return out;
}

/** Every reference to a product group id (`product_groups_t` items of remediations, threats and flags). */
export function groupReferences(doc: CsafDocument): Located[] {
  const out: Located[] = [];
  doc.vulnerabilities?.forEach((vulnerability, v) => {
    for (const key of ['remediations', 'threats', 'flags'] as const) {
      vulnerability[key]?.forEach((item, i) => {
        item.group_ids?.forEach((id, g) => {
          out.push({ value: id, path: pointer('vulnerabilities', v, key, i, 'group_ids', g) });
        });
      });
    }
  });
  return out;
}

/** Product group id -> its product ids (a group defined twice, which 6.1.5 reports, gets both lists). */
export function groupMembers(doc: CsafDocument): ReadonlyMap<string, readonly string[]> {
  const out = new Map<string, string[]>();
  for (const group of doc.product_tree?.product_groups ?? []) {
    const members = out.get(group.group_id);
    if (members === undefined) out.set(group.group_id, [...group.product_ids]);
    else members.push(...group.product_ids);
  }
  return out;
}

/** The products an item (remediation, threat, flag) applies to, directly and through its groups. */
export function productsOf(
  item: { readonly product_ids?: readonly string[] | undefined; readonly group_ids?: readonly string[] | undefined },
  groups: ReadonlyMap<string, readonly string[]>,
): Set<string> {
  const out = new Set(item.product_ids);
  for (const group of item.group_ids ?? []) for (const id of groups.get(group) ?? []) out.add(id);
  return out;
}
