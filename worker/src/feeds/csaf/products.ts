/**
 * The product tree of a CSAF document, flattened: every product id with what the tree says about
 * it. A product is defined in one of three places: a leaf of the branches (whose ancestors name
 * its vendor, product, version or version range, and architecture), the top-level
 * full_product_names, or a relationship (`X default_component_of Y`: package X as shipped in
 * platform Y, which is how Red Hat says "openssl in RHEL 9 AppStream").
 */
import type { Branch, ProductTree } from './input';

export interface Product {
  readonly id: string;
  readonly name: string;
  readonly purl?: string;
  readonly cpe?: string;
  /** Names of the enclosing branches, by category (the nearest one wins). */
  readonly vendor?: string;
  readonly productName?: string;
  readonly productFamily?: string;
  readonly version?: string;
  readonly versionRange?: string;
  /** For a product defined by a relationship: the component and the platform it belongs to. */
  readonly relationship?: { readonly category: string; readonly component: string; readonly platform: string };
}

type BranchContext = Pick<Product, 'vendor' | 'productName' | 'productFamily' | 'version' | 'versionRange'>;

const contextKeys: Readonly<Record<string, keyof BranchContext>> = {
  vendor: 'vendor',
  product_name: 'productName',
  product_family: 'productFamily',
  product_version: 'version',
  product_version_range: 'versionRange',
};

/** Branch nesting deeper than this is not a real product tree; the walk stops there. */
const MAX_DEPTH = 64;

export interface ProductIndex {
  readonly products: ReadonlyMap<string, Product>;
  /** product_groups: group id -> product ids. */
  readonly groups: ReadonlyMap<string, readonly string[]>;
}

export function indexProducts(tree: ProductTree | undefined): ProductIndex {
  const products = new Map<string, Product>();
  const add = (product: Product) => {
    // A product id names one product; a repeated definition adds nothing (the validator reports it).
    if (!products.has(product.id)) products.set(product.id, product);
  };
  // Iterative, so a hostile nesting cannot exhaust the stack.
  const stack: { branch: Branch; context: BranchContext; depth: number }[] = (tree?.branches ?? [])
    .map((branch) => ({ branch, context: {}, depth: 0 }))
    .reverse();
  while (stack.length > 0) {
    const next = stack.pop();
    if (!next || next.depth > MAX_DEPTH) continue;
    const { branch, depth } = next;
    const key = contextKeys[branch.category];
    const context: BranchContext = key ? { ...next.context, [key]: branch.name } : next.context;
    if (branch.product) {
      const helper = branch.product.product_identification_helper;
      add({
        ...context,
        id: branch.product.product_id,
        name: branch.product.name,
        ...(helper?.purl !== undefined && { purl: helper.purl }),
        ...(helper?.cpe !== undefined && { cpe: helper.cpe }),
      });
    }
    for (const child of [...(branch.branches ?? [])].reverse())
      stack.push({ branch: child, context, depth: depth + 1 });
  }
  for (const full of tree?.full_product_names ?? []) {
    const helper = full.product_identification_helper;
    add({
      id: full.product_id,
      name: full.name,
      ...(helper?.purl !== undefined && { purl: helper.purl }),
      ...(helper?.cpe !== undefined && { cpe: helper.cpe }),
    });
  }
  for (const relationship of tree?.relationships ?? []) {
    const full = relationship.full_product_name;
    const helper = full.product_identification_helper;
    add({
      id: full.product_id,
      name: full.name,
      ...(helper?.purl !== undefined && { purl: helper.purl }),
      ...(helper?.cpe !== undefined && { cpe: helper.cpe }),
      relationship: {
        category: relationship.category,
        component: relationship.product_reference,
        platform: relationship.relates_to_product_reference,
      },
    });
  }
  const groups = new Map<string, readonly string[]>();
  for (const group of tree?.product_groups ?? []) groups.set(group.group_id, group.product_ids);
  return { products, groups };
}

/** The product ids a statement names directly and through its groups, each once. */
export function targetsOf(
  index: ProductIndex,
  target: { readonly product_ids?: readonly string[] | undefined; readonly group_ids?: readonly string[] | undefined },
): string[] {
  const ids = new Set(target.product_ids ?? []);
  for (const group of target.group_ids ?? []) for (const id of index.groups.get(group) ?? []) ids.add(id);
  return [...ids];
}
