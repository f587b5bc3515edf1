/** rpm naming rules shared by `rpm -qa` output, osquery's rpm_packages rows and rpm purls. */

/** The name rpm gives the imported signing keys it lists as packages; they are not software. */
export const rpmPubkeyName = 'gpg-pubkey';

/** How rpm prints an absent tag, e.g. `%{SOURCERPM}` of a gpg-pubkey or `%{EPOCH}` of most packages. */
export function isRpmNone(value: string | undefined): boolean {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' || trimmed === '(none)';
}

/**
 * `[epoch:]version[-release]` with a zero epoch left out: rpm treats a missing epoch as 0, so
 * `0:1.2-3` and `1.2-3` are the same version and every format should state it the same way.
 */
export function rpmEvr(epoch: string | undefined, version: string, release?: string): string {
  const evr = release === undefined || release === '' ? version : `${version}-${release}`;
  return isRpmNone(epoch) ? evr : withoutZeroEpoch(`${epoch?.trim()}:${evr}`);
}

export function withoutZeroEpoch(evr: string): string {
  return evr.replace(/^0+:/, '');
}

const maxFileName = 600;

export interface SourceRpm {
  readonly name: string;
  /** `version-release`, without an epoch (file names never carry one). */
  readonly versionRelease: string;
}

/**
 * Name and version-release of a source rpm file name: `openssl-3.0.7-27.el9.src.rpm` is openssl
 * 3.0.7-27.el9. Version and release never contain a dash, so the last two dashes split it.
 * Undefined when the text is not such a file name.
 */
export function readSourceRpm(fileName: string): SourceRpm | undefined {
  // Bounded before the regex: it backtracks, and the input is untrusted.
  if (fileName.length > maxFileName) return undefined;
  const match = /^(.+)-([^-\s]+)-([^-\s]+)\.(?:no)?src\.rpm$/.exec(fileName.trim());
  if (match === null || match[1] === undefined || match[2] === undefined || match[3] === undefined) return undefined;
  return { name: match[1], versionRelease: `${match[2]}-${match[3]}` };
}
