import { defineParser } from './define';
import { textLines } from './text';

const fieldCount = 5;

/**
 * `text/x-dpkg-query`: the output of
 * `dpkg-query -W -f='${Package}\t${Version}\t${Architecture}\t${source:Package}\t${source:Version}\n'`.
 * dpkg-query fills the two source fields itself (the package is its own source when its stanza
 * has no Source), so they are taken as they are.
 */
export const dpkgQueryParser = defineParser('text/x-dpkg-query', 'dpkg-query', (text, inventory) => {
  textLines(text).forEach((content, index) => {
    const line = index + 1;
    if (content.trim() === '') return;
    const fields = content.split('\t');
    if (fields.length !== fieldCount) {
      inventory.issue(
        { line },
        `expected ${fieldCount} tab-separated fields (package, version, architecture, source, source version), found ${fields.length}`,
      );
      return;
    }
    const [name = '', version = '', arch = '', source = '', sourceVersion = ''] = fields;
    // dpkg-query also lists packages it only knows of (selected, or purged with a leftover entry): no version.
    if (version.trim() === '') return;
    inventory.addPackage(
      { name, version, arch, source: source || name, sourceVersion: sourceVersion || version, packageManager: 'dpkg' },
      { line },
    );
  });
});
