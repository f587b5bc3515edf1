import type { InventoryBuilder } from './builder';
import { defineParser } from './define';
import { readHotfixId } from './hotfix';
import { windowsInstallDate } from './install-date';
import { isJsonObject, jsonPath, jsonType, member, parseJson } from './json-value';

function readHotfix(entry: unknown, path: string, inventory: InventoryBuilder): void {
  if (!isJsonObject(entry)) {
    inventory.issue(path === '' ? {} : { path }, `a hotfix must be an object, found ${jsonType(entry)}`);
    return;
  }
  const idPath = jsonPath(path, 'HotFixID');
  const rawId = member(entry, 'HotFixID');
  if (!Object.hasOwn(entry, 'HotFixID')) {
    inventory.issue({ path: idPath }, 'a Get-HotFix object has a HotFixID');
    return;
  }
  // null: an entry Windows keeps without an id; skipped like "File 1".
  if (rawId === null) return;
  if (typeof rawId !== 'string') {
    inventory.issue({ path: idPath }, `HotFixID must be a string, found ${jsonType(rawId)}`);
    return;
  }
  const id = readHotfixId(rawId);
  if ('skip' in id) return;
  if ('error' in id) {
    inventory.issue({ path: idPath }, id.error);
    return;
  }
  const installedOn = windowsInstallDate(member(entry, 'InstalledOn'));
  inventory.addHotfix({ kb: id.kb, ...(installedOn !== undefined && { installedOn }) }, { path });
}

/**
 * `application/x-windows-hotfix+json`: `Get-HotFix | ConvertTo-Json`. PowerShell writes a single
 * object instead of an array when there is one hotfix; InstalledOn is `{"value": "/Date(…)/", …}`
 * in Windows PowerShell 5.1 and an ISO string in PowerShell 7.
 */
export const windowsHotfixParser = defineParser(
  'application/x-windows-hotfix+json',
  'windows-hotfix',
  (body, inventory) => {
    const parsed = parseJson(body);
    if (!parsed.ok) {
      inventory.issue({}, parsed.message);
      return;
    }
    const document = parsed.value;
    if (Array.isArray(document)) {
      document.forEach((entry, index) => {
        readHotfix(entry, jsonPath('', index), inventory);
      });
    } else if (isJsonObject(document)) {
      readHotfix(document, '', inventory);
    } else {
      inventory.issue({}, `expected Get-HotFix objects (an array or one object), found ${jsonType(document)}`);
    }
  },
);
