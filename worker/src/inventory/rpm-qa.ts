import { defineParser } from './define';
import { isRpmNone, readSourceRpm, rpmEvr, rpmPubkeyName } from './rpm';
import { quote, textLines } from './text';

const fieldCount = 4;

// `%{EPOCHNUM}:%{VERSION}-%{RELEASE}`; `(none):` comes from `%{EPOCH}`, a bare `V-R` from leaving the epoch out.
const evrField = /^(?:(\d{1,10}|\(none\)):)?([^:\s]+)$/;

/**
 * `text/x-rpm-qa`: the output of
 * `rpm -qa --qf '%{NAME}\t%{EPOCHNUM}:%{VERSION}-%{RELEASE}\t%{ARCH}\t%{SOURCERPM}\n'`.
 * A zero epoch is dropped so that versions read the same as in other formats; the source package
 * and its version come from the source rpm's file name, with the package's epoch.
 */
export const rpmQaParser = defineParser('text/x-rpm-qa', 'rpm-qa', (text, inventory) => {
  textLines(text).forEach((content, index) => {
    const line = index + 1;
    if (content.trim() === '') return;
    const fields = content.split('\t');
    if (fields.length !== fieldCount) {
      inventory.issue(
        { line },
        `expected ${fieldCount} tab-separated fields (name, epoch:version-release, arch, source rpm), found ${fields.length}`,
      );
      return;
    }
    const [name = '', evr = '', arch = '', sourceRpm = ''] = fields;
    // rpm lists each imported signing key as a package `gpg-pubkey`; it is no software.
    if (name.trim() === rpmPubkeyName) return;
    const match = evrField.exec(evr.trim());
    if (match?.[2] === undefined) {
      inventory.issue({ line }, `version ${quote(evr)} is not epoch:version-release`);
      return;
    }
    const epoch = match[1];
    const version = rpmEvr(epoch, match[2]);
    let source: { source?: string; sourceVersion?: string } = {};
    if (!isRpmNone(sourceRpm)) {
      const file = readSourceRpm(sourceRpm);
      if (file === undefined) {
        inventory.issue({ line }, `source rpm ${quote(sourceRpm)} is not name-version-release.src.rpm`);
        return;
      }
      source = { source: file.name, sourceVersion: rpmEvr(epoch, file.versionRelease) };
    }
    inventory.addPackage(
      { name, version, arch: isRpmNone(arch) ? undefined : arch, ...source, packageManager: 'rpm' },
      { line },
    );
  });
});
