import { JsonInventory, JsonInventoryPackage, KbId } from '@patchboard/shared/schemas/inventory';
import * as v from 'valibot';
import type { InventoryBuilder } from './builder';
import { maxHotfixes, maxPackages } from './builder';
import { defineParser } from './define';
import { isJsonObject, jsonPath, member, parseJson } from './json-value';

/** `packages[3].version`: the valibot issue path below `prefix`. */
function issuePath(prefix: string, issue: v.BaseIssue<unknown>): string {
  let path = prefix;
  for (const item of issue.path ?? []) {
    path = jsonPath(path, typeof item.key === 'number' ? item.key : String(item.key));
  }
  return path;
}

function report(inventory: InventoryBuilder, prefix: string, issues: readonly v.BaseIssue<unknown>[]): void {
  for (const issue of issues) {
    const path = issuePath(prefix, issue);
    inventory.issue(path === '' ? {} : { path }, issue.message);
  }
}

/** Validates each element on its own, so that the list of issues never grows past the issue cap. */
function eachValid<S extends v.GenericSchema>(
  inventory: InventoryBuilder,
  key: string,
  list: unknown,
  max: number,
  schema: S,
  take: (item: v.InferOutput<S>, path: string) => void,
): void {
  if (!Array.isArray(list)) return;
  if (list.length > max) {
    inventory.issue({ path: key }, `at most ${max} ${key}`);
    return;
  }
  list.forEach((item, index) => {
    const path = jsonPath(key, index);
    const result = v.safeParse(schema, item);
    if (result.success) take(result.output, path);
    else report(inventory, path, result.issues);
  });
}

/**
 * Patchboard's own format, `application/json`, checked with the shared `JsonInventory` schema:
 * `{ "packages": [{ "name", "version", "arch"?, "source"?, "sourceVersion"? }], "hotfixes"?: ["KB5034441"] }`.
 * The package manager is left for the route to fill in with the host's.
 */
export const jsonParser = defineParser('application/json', 'json', (text, inventory) => {
  const parsed = parseJson(text);
  if (!parsed.ok) {
    inventory.issue({}, parsed.message);
    return;
  }
  const document = parsed.value;
  // The document's own shape first, with its lists emptied: valibot keeps every issue of a run, and
  // 100 000 bad packages checked at once take more memory than a Worker has. The lists follow item by item.
  const emptied = (list: unknown) => (Array.isArray(list) ? [] : list);
  const shape = isJsonObject(document)
    ? { ...document, packages: emptied(member(document, 'packages')), hotfixes: emptied(member(document, 'hotfixes')) }
    : document;
  const top = v.safeParse(JsonInventory, shape);
  if (!top.success) report(inventory, '', top.issues);
  if (!isJsonObject(document)) return;
  eachValid(inventory, 'packages', member(document, 'packages'), maxPackages, JsonInventoryPackage, (pkg, path) => {
    inventory.addPackage(pkg, { path });
  });
  eachValid(inventory, 'hotfixes', member(document, 'hotfixes'), maxHotfixes, KbId, (kb, path) => {
    inventory.addHotfix({ kb }, { path });
  });
});
