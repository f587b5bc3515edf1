import type { InventoryBuilder } from './builder';
import { defineParser } from './define';
import { debSource, readDpkgStatus } from './dpkg';
import { readHotfixId } from './hotfix';
import { windowsInstallDate } from './install-date';
import type { Location } from './issues';
import { jsonPath, member } from './json-value';
import { collectOsqueryRows, type OsqueryRow } from './osquery-rows';
import { isRpmNone, readSourceRpm, rpmEvr, rpmPubkeyName } from './rpm';

type Table = 'deb_packages' | 'rpm_packages' | 'apk_packages' | 'programs' | 'patches';

/**
 * How a row shows its table when the query name does not: columns only that table has, in an
 * order where the more specific come first (patches has install_date like programs; rpm and deb
 * both have source).
 */
const tableMarkers: readonly { readonly table: Table; readonly columns: readonly string[] }[] = [
  { table: 'patches', columns: ['hotfix_id'] },
  { table: 'rpm_packages', columns: ['release', 'sha1', 'package_group'] },
  { table: 'apk_packages', columns: ['origin'] },
  { table: 'deb_packages', columns: ['revision', 'maintainer', 'section', 'priority', 'admindir'] },
  {
    table: 'programs',
    columns: [
      'publisher',
      'install_date',
      'install_source',
      'install_location',
      'uninstall_string',
      'identifying_number',
    ],
  },
];

function tableOf(row: OsqueryRow): Table | undefined {
  const query = row.query?.toLowerCase();
  if (query !== undefined) {
    const named = tableMarkers.find(({ table }) => query.includes(table));
    if (named !== undefined) return named.table;
  }
  return tableMarkers.find(({ columns }) => columns.some((column) => Object.hasOwn(row.columns, column)))?.table;
}

/** A column as text; osquery writes strings, `--logger_numerics` numbers. */
function column(row: OsqueryRow, name: string): string {
  const value = member(row.columns, name);
  return typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
}

function at(row: OsqueryRow, name: string): Location {
  return { ...row.at, path: jsonPath(row.at.path ?? '', name) };
}

function readDebRow(row: OsqueryRow, inventory: InventoryBuilder): void {
  // Newer osquery lists every package dpkg knows, with its Status: keep the installed ones.
  const status = column(row, 'status');
  if (status !== '') {
    const state = readDpkgStatus(status);
    if ('error' in state) {
      inventory.issue(at(row, 'status'), state.error);
      return;
    }
    if (!state.installed) return;
  }
  const name = column(row, 'name');
  const version = column(row, 'version');
  // The source column is dpkg's Source field as it is: `util-linux (2.38.1-5)`.
  const source = debSource(column(row, 'source'), name, version);
  if (source === undefined) {
    inventory.issue(at(row, 'source'), 'source must be "name" or "name (version)"');
    return;
  }
  inventory.addPackage({ name, version, arch: column(row, 'arch'), ...source, packageManager: 'dpkg' }, row.at);
}

function readRpmRow(row: OsqueryRow, inventory: InventoryBuilder): void {
  const name = column(row, 'name');
  if (name === rpmPubkeyName) return;
  const epoch = column(row, 'epoch');
  const version = column(row, 'version');
  // A row without its version (a query selecting only the name) must not become a version "-release".
  const evr = version === '' ? '' : rpmEvr(epoch, version, column(row, 'release'));
  let source: { source?: string; sourceVersion?: string } = {};
  const sourceRpm = column(row, 'source');
  if (!isRpmNone(sourceRpm)) {
    const file = readSourceRpm(sourceRpm);
    if (file === undefined) {
      inventory.issue(at(row, 'source'), 'source must be a source rpm file name, name-version-release.src.rpm');
      return;
    }
    source = { source: file.name, sourceVersion: rpmEvr(epoch, file.versionRelease) };
  }
  const arch = column(row, 'arch');
  inventory.addPackage(
    { name, version: evr, arch: isRpmNone(arch) ? undefined : arch, ...source, packageManager: 'rpm' },
    row.at,
  );
}

function readApkRow(row: OsqueryRow, inventory: InventoryBuilder): void {
  const name = column(row, 'name');
  const version = column(row, 'version');
  inventory.addPackage(
    {
      name,
      version,
      arch: column(row, 'arch'),
      source: column(row, 'origin') || name,
      sourceVersion: version,
      packageManager: 'apk',
    },
    row.at,
  );
}

function readProgramRow(row: OsqueryRow, inventory: InventoryBuilder): void {
  const name = column(row, 'name');
  const version = column(row, 'version');
  // Windows keeps uninstall entries without a DisplayVersion (drivers, updates, leftovers):
  // nothing to compare, and common enough that refusing them would refuse most Windows hosts.
  if (name === '' || version === '') return;
  inventory.addPackage({ name, version, packageManager: 'windows' }, row.at);
}

function readPatchRow(row: OsqueryRow, inventory: InventoryBuilder): void {
  const id = readHotfixId(column(row, 'hotfix_id'));
  if ('skip' in id) return;
  if ('error' in id) {
    inventory.issue(at(row, 'hotfix_id'), id.error);
    return;
  }
  const installedOn =
    windowsInstallDate(column(row, 'installed_on')) ?? windowsInstallDate(column(row, 'install_date'));
  inventory.addHotfix({ kb: id.kb, ...(installedOn !== undefined && { installedOn }) }, row.at);
}

const readers: Readonly<Record<Table, (row: OsqueryRow, inventory: InventoryBuilder) => void>> = {
  deb_packages: readDebRow,
  rpm_packages: readRpmRow,
  apk_packages: readApkRow,
  programs: readProgramRow,
  patches: readPatchRow,
};

/**
 * `application/x-osquery+json`: result rows of the osquery tables deb_packages, rpm_packages,
 * apk_packages, programs and patches, in any of the shapes osquery writes them. Each row's table
 * is told by its query's name or else by its columns; a row of another table is an issue, so that
 * a wrong query cannot silently empty a host's inventory.
 */
export const osqueryParser = defineParser('application/x-osquery+json', 'osquery', (body, inventory) => {
  for (const row of collectOsqueryRows(body, inventory)) {
    const table = tableOf(row);
    if (table === undefined) {
      inventory.issue(
        row.at,
        `cannot tell which osquery table this row is from: name the query after its table (${Object.keys(readers).join(', ')}) or select the table's columns`,
      );
      continue;
    }
    readers[table](row, inventory);
  }
});
