import type { InventoryBuilder } from './builder';
import { defineParser } from './define';
import { isJsonObject, type JsonObject, jsonPath, jsonType, member, parseJson } from './json-value';
import { type PurlContext, packageFromPurl } from './purl';
import { rpmEvr } from './rpm';

/** Deeper nesting than any real SBOM has; a hostile document could otherwise nest without end. */
export const maxComponentDepth = 32;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** Trivy's `properties` of OS packages: `aquasecurity:trivy:SrcName` and friends. */
function trivySource(component: JsonObject): Pick<PurlContext, 'source' | 'sourceVersion'> {
  const properties = member(component, 'properties');
  if (!Array.isArray(properties)) return {};
  const found = new Map<string, string>();
  for (const property of properties) {
    if (!isJsonObject(property)) continue;
    const name = member(property, 'name');
    const value = text(member(property, 'value'));
    if (typeof name === 'string' && name.startsWith('aquasecurity:trivy:Src') && value !== undefined) {
      found.set(name.slice('aquasecurity:trivy:'.length), value);
    }
  }
  const source = found.get('SrcName');
  const version = found.get('SrcVersion');
  if (source === undefined) return {};
  // Trivy splits versions like rpm does for every OS (epoch, version, release); Alpine has no release.
  return {
    source,
    ...(version !== undefined && { sourceVersion: rpmEvr(found.get('SrcEpoch'), version, found.get('SrcRelease')) }),
  };
}

function readComponent(component: unknown, path: string, inventory: InventoryBuilder): void {
  if (!isJsonObject(component)) {
    inventory.issue({ path }, `a component must be an object, found ${jsonType(component)}`);
    return;
  }
  const purl = member(component, 'purl');
  // No purl: the SBOM's operating system, a file, an application without a package: nothing to match.
  if (purl === undefined || purl === null) return;
  const purlPath = jsonPath(path, 'purl');
  if (typeof purl !== 'string') {
    inventory.issue({ path: purlPath }, `purl must be a string, found ${jsonType(purl)}`);
    return;
  }
  const result = packageFromPurl(purl, {
    name: text(member(component, 'name')),
    version: text(member(component, 'version')),
    ...trivySource(component),
  });
  if (result.kind === 'invalid') inventory.issue({ path: purlPath }, result.message);
  if (result.kind === 'package') inventory.addPackage(result.package, { path });
}

function readComponents(list: unknown, path: string, depth: number, inventory: InventoryBuilder): void {
  if (list === undefined || list === null) return;
  if (!Array.isArray(list)) {
    inventory.issue({ path }, `components must be an array, found ${jsonType(list)}`);
    return;
  }
  if (depth > maxComponentDepth) {
    inventory.issue({ path }, `components are nested more than ${maxComponentDepth} levels deep`);
    return;
  }
  list.forEach((component, index) => {
    const componentPath = jsonPath(path, index);
    readComponent(component, componentPath, inventory);
    if (isJsonObject(component)) {
      readComponents(member(component, 'components'), jsonPath(componentPath, 'components'), depth + 1, inventory);
    }
  });
}

/**
 * `application/vnd.cyclonedx+json`: a CycloneDX JSON SBOM (1.4 to 1.6; older ones read the same).
 * Every component with a purl of a tracked type is a package, nested components included; the
 * SBOM's subject (`metadata.component`) is not installed software and is left out.
 */
export const cycloneDxParser = defineParser('application/vnd.cyclonedx+json', 'cyclonedx', (body, inventory) => {
  const parsed = parseJson(body);
  if (!parsed.ok) {
    inventory.issue({}, parsed.message);
    return;
  }
  const bom = parsed.value;
  if (!isJsonObject(bom)) {
    inventory.issue({}, `a CycloneDX document is an object, found ${jsonType(bom)}`);
    return;
  }
  if (member(bom, 'bomFormat') !== 'CycloneDX') {
    inventory.issue({ path: 'bomFormat' }, 'bomFormat must be "CycloneDX"');
    return;
  }
  readComponents(member(bom, 'components'), 'components', 1, inventory);
});
