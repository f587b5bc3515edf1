/** Debian package database rules shared by the dpkg status file and osquery's deb_packages rows. */

import { quote } from './text';

const wants = new Set(['unknown', 'install', 'hold', 'deinstall', 'purge']);
// `hold` and `hold-reinstreq` are flags of dpkg before 1.15 that old status files still carry.
const flags = new Set(['ok', 'reinstreq', 'hold', 'hold-reinstreq']);
const states = new Set([
  'not-installed',
  'config-files',
  'half-installed',
  'unpacked',
  'half-configured',
  'triggers-awaited',
  'triggers-pending',
  'installed',
]);
/**
 * States whose files are all on disk and configured. The two trigger states come after
 * configuration (only trigger processing is pending), so dpkg counts such packages as installed.
 */
const installedStates = new Set(['installed', 'triggers-awaited', 'triggers-pending']);

export type DpkgStatus = { readonly installed: boolean } | { readonly error: string };

/**
 * Reads `Status: <want> <flag> <state>` (dpkg-query(1)). Only the state says whether the files are
 * there: `deinstall ok installed` is still installed (removal was asked, not done), while
 * `install ok unpacked` or `deinstall ok config-files` are not.
 */
export function readDpkgStatus(value: string): DpkgStatus {
  const words = value.trim().split(/[ \t]+/);
  const [want, flag, state] = words;
  if (words.length !== 3 || want === undefined || flag === undefined || state === undefined) {
    return { error: 'Status must be three words: want, flag and state, such as "install ok installed"' };
  }
  if (!wants.has(want)) return { error: `Status want ${quote(want)} is not one of ${[...wants].join(', ')}` };
  if (!flags.has(flag)) return { error: `Status flag ${quote(flag)} is not ok or reinstreq` };
  if (!states.has(state)) return { error: `Status state ${quote(state)} is not a dpkg package state` };
  return { installed: installedStates.has(state) };
}

export interface DebSource {
  readonly source: string;
  readonly sourceVersion: string;
}

// `Source: util-linux (2.38.1-5)` or `Source: acl`; names are lowercase alphanumerics and + - .
const sourceField = /^([a-z0-9][a-z0-9+.-]*)(?:[ \t]+\(([^()\s]+)\))?$/;

/**
 * The source package of a binary package by dpkg's rule: `Source: name (version)` gives both,
 * `Source: name` gives the name with the binary's version, no Source field means the package is
 * its own source. Undefined when the field is malformed.
 */
export function debSource(field: string | undefined, name: string, version: string): DebSource | undefined {
  const value = field?.trim() ?? '';
  if (value === '') return { source: name, sourceVersion: version };
  const match = sourceField.exec(value);
  if (match === null || match[1] === undefined) return undefined;
  return { source: match[1], sourceVersion: match[2] ?? version };
}
