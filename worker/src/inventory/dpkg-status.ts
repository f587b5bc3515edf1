import type { InventoryBuilder } from './builder';
import { defineParser } from './define';
import { debSource, readDpkgStatus } from './dpkg';
import { type Stanza, splitStanzas } from './stanzas';

// deb822 field names: printable ASCII but space and colon, not starting with # or -.
const fieldLine = /^([!"$-,.-9;-~][!-9;-~]*):(.*)$/;

/** The fields this parser reads; the others (Depends, Description, Conffiles, ...) are only checked for shape. */
const wanted = new Set(['package', 'version', 'architecture', 'status', 'source']);

interface Field {
  readonly line: number;
  readonly value: string;
}

function readFields(stanza: Stanza, inventory: InventoryBuilder): Map<string, Field> | undefined {
  const fields = new Map<string, Field>();
  let valid = true;
  stanza.lines.forEach(({ line, text }, index) => {
    // Continuation lines of multi-line fields (Description, Conffiles) start with a space or a tab.
    if (text.startsWith(' ') || text.startsWith('\t')) {
      if (index === 0) {
        inventory.issue({ line }, 'a continuation line (starting with a space) cannot begin a stanza');
        valid = false;
      }
      return;
    }
    const match = fieldLine.exec(text);
    if (match?.[1] === undefined || match[2] === undefined) {
      inventory.issue({ line }, 'expected a field ("Name: value") or a continuation line starting with a space');
      valid = false;
      return;
    }
    // Field names are case-insensitive (deb822(5)).
    const name = match[1].toLowerCase();
    if (!wanted.has(name)) return;
    if (fields.has(name)) {
      inventory.issue({ line }, `field ${match[1]} appears twice in the stanza starting at line ${stanza.line}`);
      valid = false;
      return;
    }
    fields.set(name, { line, value: match[2].trim() });
  });
  return valid ? fields : undefined;
}

function readStanza(stanza: Stanza, inventory: InventoryBuilder): void {
  const fields = readFields(stanza, inventory);
  if (fields === undefined) return;
  const status = fields.get('status');
  // No Status: a stanza dpkg knows nothing installed about (available-file leftovers): not installed.
  if (status === undefined) return;
  const state = readDpkgStatus(status.value);
  if ('error' in state) {
    inventory.issue({ line: status.line }, state.error);
    return;
  }
  if (!state.installed) return;
  const name = fields.get('package')?.value ?? '';
  const version = fields.get('version')?.value ?? '';
  if (name === '' || version === '') {
    const missing = name === '' ? 'Package' : 'Version';
    inventory.issue({ line: stanza.line }, `the installed package stanza starting here has no ${missing} field`);
    return;
  }
  const sourceField = fields.get('source');
  const source = debSource(sourceField?.value, name, version);
  if (source === undefined) {
    inventory.issue({ line: sourceField?.line ?? stanza.line }, 'Source must be "name" or "name (version)"');
    return;
  }
  const arch = fields.get('architecture')?.value;
  inventory.addPackage({ name, version, arch, ...source, packageManager: 'dpkg' }, { line: stanza.line });
}

/**
 * `text/x-dpkg-status`: the raw /var/lib/dpkg/status file. Only packages whose Status state is
 * installed count; a package installed for two architectures (Multi-Arch: same) has a stanza for
 * each and stays two packages.
 */
export const dpkgStatusParser = defineParser('text/x-dpkg-status', 'dpkg-status', (text, inventory) => {
  for (const stanza of splitStanzas(text)) readStanza(stanza, inventory);
});
