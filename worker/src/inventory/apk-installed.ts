import type { InventoryBuilder } from './builder';
import { defineParser } from './define';
import { type Stanza, splitStanzas } from './stanzas';

/** The keys read here; apk's database has many more (F: folders, R: files, Z: checksums, ...). */
const keys = { P: 'name', V: 'version', A: 'arch', o: 'origin' } as const;
type Key = keyof typeof keys;

function isKey(key: string): key is Key {
  return Object.hasOwn(keys, key);
}

function readStanza(stanza: Stanza, inventory: InventoryBuilder): void {
  const values: Partial<Record<Key, string>> = {};
  let valid = true;
  for (const { line, text } of stanza.lines) {
    // Every line is one letter, a colon and the value: `P:musl`.
    if (text.length < 2 || text[1] !== ':') {
      inventory.issue({ line }, 'expected a "K:value" line');
      valid = false;
      continue;
    }
    const key = text[0] ?? '';
    // Later P:/V: pairs would be another package: the database has one of each per stanza.
    if (isKey(key)) {
      if (values[key] !== undefined) {
        inventory.issue({ line }, `${key}: appears twice in the package starting at line ${stanza.line}`);
        valid = false;
      }
      values[key] = text.slice(2).trim();
    }
  }
  if (!valid) return;
  const { P: name = '', V: version = '' } = values;
  if (name === '' || version === '') {
    inventory.issue({ line: stanza.line }, `the package starting here has no ${name === '' ? 'P:' : 'V:'} line`);
    return;
  }
  inventory.addPackage(
    {
      name,
      version,
      arch: values.A,
      // The origin is the aports package a subpackage was built from; a package without one is its own.
      source: values.o || name,
      // Subpackages share their origin's pkgver-pkgrel, so the source version is the package's.
      sourceVersion: version,
      packageManager: 'apk',
    },
    { line: stanza.line },
  );
}

/** `text/x-apk-installed`: Alpine's /lib/apk/db/installed, one stanza per installed package. */
export const apkInstalledParser = defineParser('text/x-apk-installed', 'apk-installed', (text, inventory) => {
  for (const stanza of splitStanzas(text)) readStanza(stanza, inventory);
});
