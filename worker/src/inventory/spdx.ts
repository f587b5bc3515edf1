import type { InventoryBuilder } from './builder';
import { defineParser } from './define';
import { isJsonObject, type JsonObject, jsonPath, jsonType, member, parseJson } from './json-value';
import { type PurlContext, packageFromPurl } from './purl';

/** SPDX 2.2 spells the category with a dash, some 2.3 tools with an underscore. */
const packageManagerCategories = new Set(['PACKAGE-MANAGER', 'PACKAGE_MANAGER']);

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** Trivy's `sourceInfo`: `built package from: openssl 1:1.0.2k-16.el7`. Other tools write prose there. */
function sourceInfo(spdxPackage: JsonObject): Pick<PurlContext, 'source' | 'sourceVersion'> {
  const info = text(member(spdxPackage, 'sourceInfo'));
  const match = info === undefined ? null : /^built package from: (\S+)(?: (\S+))?$/.exec(info.trim());
  if (match?.[1] === undefined) return {};
  return { source: match[1], ...(match[2] !== undefined && { sourceVersion: match[2] }) };
}

/** The purl external references of a package, with their paths. */
function purlRefs(
  spdxPackage: JsonObject,
  path: string,
  inventory: InventoryBuilder,
): { purl: unknown; path: string }[] {
  const refs = member(spdxPackage, 'externalRefs');
  if (refs === undefined || refs === null) return [];
  const refsPath = jsonPath(path, 'externalRefs');
  if (!Array.isArray(refs)) {
    inventory.issue({ path: refsPath }, `externalRefs must be an array, found ${jsonType(refs)}`);
    return [];
  }
  const found: { purl: unknown; path: string }[] = [];
  refs.forEach((ref, index) => {
    if (!isJsonObject(ref) || member(ref, 'referenceType') !== 'purl') return;
    const category = member(ref, 'referenceCategory');
    if (typeof category !== 'string' || !packageManagerCategories.has(category)) return;
    found.push({
      purl: member(ref, 'referenceLocator'),
      path: jsonPath(jsonPath(refsPath, index), 'referenceLocator'),
    });
  });
  return found;
}

function readPackage(spdxPackage: unknown, path: string, inventory: InventoryBuilder): void {
  if (!isJsonObject(spdxPackage)) {
    inventory.issue({ path }, `a package must be an object, found ${jsonType(spdxPackage)}`);
    return;
  }
  // versionInfo is only a fallback: Trivy writes rpm versions there that disagree with the purl.
  const context: PurlContext = {
    name: text(member(spdxPackage, 'name')),
    version: text(member(spdxPackage, 'versionInfo')),
    ...sourceInfo(spdxPackage),
  };
  // The first purl of a tracked type is the package; a second one would be the same package again.
  for (const ref of purlRefs(spdxPackage, path, inventory)) {
    if (typeof ref.purl !== 'string') {
      inventory.issue({ path: ref.path }, `a purl must be a string, found ${jsonType(ref.purl)}`);
      return;
    }
    const result = packageFromPurl(ref.purl, context);
    if (result.kind === 'invalid') {
      inventory.issue({ path: ref.path }, result.message);
      return;
    }
    if (result.kind === 'package') {
      inventory.addPackage(result.package, { path });
      return;
    }
  }
}

/**
 * `application/spdx+json`: an SPDX 2.2 or 2.3 JSON document. Packages are those with a purl
 * among their package-manager references; the rest (the image, the operating system, files) are skipped.
 */
export const spdxParser = defineParser('application/spdx+json', 'spdx', (body, inventory) => {
  const parsed = parseJson(body);
  if (!parsed.ok) {
    inventory.issue({}, parsed.message);
    return;
  }
  const document = parsed.value;
  if (!isJsonObject(document)) {
    inventory.issue({}, `an SPDX document is an object, found ${jsonType(document)}`);
    return;
  }
  const version = member(document, 'spdxVersion');
  if (typeof version !== 'string' || !version.startsWith('SPDX-2.')) {
    inventory.issue({ path: 'spdxVersion' }, 'spdxVersion must be SPDX-2.2 or SPDX-2.3');
    return;
  }
  const packages = member(document, 'packages');
  if (packages === undefined) return;
  if (!Array.isArray(packages)) {
    inventory.issue({ path: 'packages' }, `packages must be an array, found ${jsonType(packages)}`);
    return;
  }
  packages.forEach((spdxPackage, index) => {
    readPackage(spdxPackage, jsonPath('packages', index), inventory);
  });
});
