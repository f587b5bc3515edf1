import { type InventoryFormat, inventoryFormats } from '@patchboard/shared/schemas/inventory';
import { apkInstalledParser } from './apk-installed';
import { cycloneDxParser } from './cyclonedx';
import { dpkgQueryParser } from './dpkg-query';
import { dpkgStatusParser } from './dpkg-status';
import { jsonParser } from './json';
import type { InventoryParser } from './model';
import { osqueryParser } from './osquery';
import { rpmQaParser } from './rpm-qa';
import { spdxParser } from './spdx';
import { windowsHotfixParser } from './windows-hotfix';

export type { InventoryParser, ParsedHotfix, ParsedInventory, ParsedPackage, ParseOutcome } from './model';

/** One parser per accepted content type; a format without one is a type error. */
const parsersByType: Readonly<Record<InventoryFormat, InventoryParser>> = {
  'application/json': jsonParser,
  'text/x-dpkg-query': dpkgQueryParser,
  'text/x-dpkg-status': dpkgStatusParser,
  'text/x-rpm-qa': rpmQaParser,
  'text/x-apk-installed': apkInstalledParser,
  'application/vnd.cyclonedx+json': cycloneDxParser,
  'application/spdx+json': spdxParser,
  'application/x-osquery+json': osqueryParser,
  'application/x-windows-hotfix+json': windowsHotfixParser,
};

/** Every inventory parser, in the order of `inventoryFormats`. */
export const inventoryParsers: readonly InventoryParser[] = inventoryFormats.map((format) => parsersByType[format]);

/**
 * The parser for a request's Content-Type: the media type is compared case-insensitively and its
 * parameters (`; charset=utf-8`) are ignored.
 */
export function parserFor(contentType: string): InventoryParser | undefined {
  const mediaType = contentType.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  return inventoryParsers.find((parser) => parser.contentType === mediaType);
}
