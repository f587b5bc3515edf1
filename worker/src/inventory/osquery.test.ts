import { describe, expect, it } from 'vitest';
import { osqueryParser } from './osquery';
import { inventoryOf, issuesOf, packageNamed, packagesNamed } from './outcome.testing';
import windowsResults from './testdata/osquery-results.windows-server-2022.ndjson?raw';
import debianSnapshot from './testdata/osquery-snapshot.debian-12.json?raw';

const parse = (text: string) => osqueryParser.parse(text);

const debRow = {
  name: 'bash',
  version: '5.2.15-2+b2',
  source: 'bash (5.2.15-2)',
  arch: 'amd64',
  revision: '2+b2',
  maintainer: 'Matthias Klose <doko@debian.org>',
};
const rpmRow = {
  name: 'openssl-libs',
  version: '3.0.7',
  release: '27.el9',
  epoch: '1',
  arch: 'x86_64',
  source: 'openssl-3.0.7-27.el9.src.rpm',
  size: '6230032',
  sha1: '',
};
const apkRow = {
  name: 'libcrypto3',
  version: '3.1.0-r4',
  arch: 'x86_64',
  origin: 'openssl',
  maintainer: 'Ariadne Conill <ariadne@dereferenced.org>',
};
const programRow = {
  name: 'Microsoft Edge',
  version: '131.0.2903.112',
  publisher: 'Microsoft Corporation',
  install_date: '20241217',
};
const patchRow = {
  hotfix_id: 'KB5034439',
  installed_on: '1/23/2024',
  install_date: '',
  csname: 'WIN-SRV22-01',
  description: 'Security Update',
};

const bash = {
  name: 'bash',
  version: '5.2.15-2+b2',
  arch: 'amd64',
  source: 'bash',
  sourceVersion: '5.2.15-2',
  packageManager: 'dpkg',
};
const openssl = {
  name: 'openssl-libs',
  version: '1:3.0.7-27.el9',
  arch: 'x86_64',
  source: 'openssl',
  sourceVersion: '1:3.0.7-27.el9',
  packageManager: 'rpm',
};

describe('osquery results', () => {
  it('reads a deb_packages snapshot log record, keeping installed packages only', () => {
    const inventory = inventoryOf(parse(debianSnapshot));
    // 13 rows, one of them `deinstall ok config-files`.
    expect(inventory.packages).toHaveLength(12);
    expect(packagesNamed(inventory, 'exim4-config')).toEqual([]);
    expect(packageNamed(inventory, 'bsdutils')).toEqual({
      name: 'bsdutils',
      version: '1:2.38.1-5+deb12u3',
      arch: 'amd64',
      source: 'util-linux',
      sourceVersion: '2.38.1-5+deb12u3',
      packageManager: 'dpkg',
    });
    expect(packageNamed(inventory, 'libc6')).toMatchObject({
      version: '2.36-9+deb12u14',
      source: 'glibc',
      sourceVersion: '2.36-9+deb12u14',
    });
    expect(packageNamed(inventory, 'gcc')).toMatchObject({
      version: '4:12.2.0-3',
      source: 'gcc-defaults',
      sourceVersion: '1.203',
    });
    expect(packageNamed(inventory, 'tzdata')).toMatchObject({
      arch: 'all',
      source: 'tzdata',
      sourceVersion: '2025b-0+deb12u2',
    });
  });

  it('reads programs and patches from NDJSON log lines, the last snapshot of each query winning', () => {
    const inventory = inventoryOf(parse(windowsResults));
    // 10 programs, one without a version.
    expect(inventory.packages).toHaveLength(9);
    expect(inventory.packages.every((p) => p.packageManager === 'windows')).toBe(true);
    expect(packagesNamed(inventory, 'Windows Admin Center')).toEqual([]);
    expect(packageNamed(inventory, 'Microsoft Edge')).toEqual({
      name: 'Microsoft Edge',
      version: '131.0.2903.112',
      packageManager: 'windows',
    });
    expect(packageNamed(inventory, 'Microsoft Visual C++ 2015-2022 Redistributable (x64) - 14.40.33810').version).toBe(
      '14.40.33810.0',
    );
    // 7 rows in the latest patches snapshot, one "File 1"; KB5034129 was only in an older snapshot.
    expect(inventory.hotfixes).toEqual([
      { kb: 'KB5005698', installedOn: '2021-09-14' },
      { kb: 'KB5012170', installedOn: '2022-08-09' },
      { kb: 'KB5034439', installedOn: '2024-01-23' },
      { kb: 'KB5044281', installedOn: '2024-10-09' },
      { kb: 'KB5046616', installedOn: '2024-11-13' },
      { kb: 'KB5048654', installedOn: '2024-12-11' },
    ]);
  });

  it('reads a plain array of rows (osqueryi --json), telling tables apart by their columns', () => {
    const inventory = inventoryOf(parse(JSON.stringify([debRow, rpmRow, apkRow, programRow, patchRow])));
    expect(inventory.packages).toEqual([
      bash,
      openssl,
      {
        name: 'libcrypto3',
        version: '3.1.0-r4',
        arch: 'x86_64',
        source: 'openssl',
        sourceVersion: '3.1.0-r4',
        packageManager: 'apk',
      },
      { name: 'Microsoft Edge', version: '131.0.2903.112', packageManager: 'windows' },
    ]);
    expect(inventory.hotfixes).toEqual([{ kb: 'KB5034439', installedOn: '2024-01-23' }]);
  });

  it('reads an object of query name to rows, the name telling the table', () => {
    const inventory = inventoryOf(
      parse(
        JSON.stringify({
          deb_packages: [{ name: 'bash', version: '5.2.15-2+b2', arch: 'amd64', source: 'bash (5.2.15-2)' }],
        }),
      ),
    );
    expect(inventory.packages).toEqual([bash]);
    const apk = inventoryOf(
      parse(JSON.stringify({ 'pack/alpine/apk_packages': [{ name: 'musl', version: '1.2.4-r0' }] })),
    );
    expect(apk.packages).toEqual([
      { name: 'musl', version: '1.2.4-r0', source: 'musl', sourceVersion: '1.2.4-r0', packageManager: 'apk' },
    ]);
  });

  it('reads event log records, a removal cancelling an earlier addition', () => {
    const event = (action: string, columns: object, name = 'pack/rpm_packages') => ({
      name,
      action,
      columns,
      hostIdentifier: 'h',
    });
    const older = { ...rpmRow, release: '24.el9' };
    const lines = [
      event('added', older),
      event('added', rpmRow),
      event('removed', older),
      event('removed', { name: 'never-added', version: '1', release: '1' }),
    ];
    expect(inventoryOf(parse(JSON.stringify(lines))).packages).toEqual([openssl]);
    expect(inventoryOf(parse(lines.map((line) => JSON.stringify(line)).join('\n'))).packages).toEqual([openssl]);
    expect(inventoryOf(parse(JSON.stringify(event('added', rpmRow)))).packages).toEqual([openssl]);
  });

  it('reads batch log records (diffResults)', () => {
    const record = { name: 'software', diffResults: { added: [debRow], removed: [] }, hostname: 'h' };
    expect(inventoryOf(parse(JSON.stringify(record))).packages).toEqual([bash]);
  });

  it('reads a distributed write and the TLS logger request', () => {
    const distributed = { node_key: 'k', queries: { id1: [debRow], id2: [] }, statuses: { id1: 0, id2: 0 } };
    expect(inventoryOf(parse(JSON.stringify(distributed))).packages).toEqual([bash]);
    const logger = { node_key: 'k', log_type: 'result', data: [{ name: 'q', action: 'snapshot', snapshot: [debRow] }] };
    expect(inventoryOf(parse(JSON.stringify(logger))).packages).toEqual([bash]);
  });

  it('reports a failed distributed query, whose rows are missing', () => {
    const distributed = { queries: { id1: [debRow], id2: [] }, statuses: { id1: 0, id2: 1 } };
    expect(issuesOf(parse(JSON.stringify(distributed)))).toEqual([
      { path: 'statuses.id2', message: 'query "id2" failed on the host (status "1")' },
    ]);
    expect(issuesOf(parse(JSON.stringify({ log_type: 'status', data: [] })))[0]?.path).toBe('log_type');
  });

  it('builds rpm versions from epoch, version and release, and skips signing keys', () => {
    const rows = [
      { ...rpmRow, name: 'bash', version: '5.1.8', release: '9.el9', epoch: '0', source: 'bash-5.1.8-9.el9.src.rpm' },
      { ...rpmRow, name: 'tzdata', version: '2024a', release: '1.el9', epoch: '', arch: 'noarch', source: '' },
      { name: 'gpg-pubkey', version: 'fd431d51', release: '4ae0493b', epoch: '', arch: '', source: '', sha1: '' },
    ];
    expect(inventoryOf(parse(JSON.stringify(rows))).packages).toEqual([
      {
        name: 'bash',
        version: '5.1.8-9.el9',
        arch: 'x86_64',
        source: 'bash',
        sourceVersion: '5.1.8-9.el9',
        packageManager: 'rpm',
      },
      { name: 'tzdata', version: '2024a-1.el9', arch: 'noarch', packageManager: 'rpm' },
    ]);
  });

  it('accepts numbers for columns (--logger_numerics)', () => {
    const row = { ...rpmRow, epoch: 1, size: 6230032 };
    expect(inventoryOf(parse(JSON.stringify([row]))).packages).toEqual([openssl]);
  });

  it('reports rows of unknown tables instead of dropping them', () => {
    const issues = issuesOf(
      parse(JSON.stringify({ processes: [{ name: 'osqueryd', path: '/usr/bin/osqueryd', pid: '1' }] })),
    );
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe('processes[0]');
    expect(issues[0]?.message).toMatch(/cannot tell which osquery table/);
  });

  it('reports bad shapes with their path and NDJSON lines with their number', () => {
    expect(issuesOf(parse('"text"'))).toEqual([
      { message: 'expected osquery results (an array or an object), found a string' },
    ]);
    expect(issuesOf(parse('{"deb_packages": {"name": "bash"}}'))[0]?.path).toBe('deb_packages');
    expect(issuesOf(parse('[{"name": "bash", "version": ["5.2"], "revision": "1"}]'))).toEqual([
      { path: '[0].version', message: 'a column holds a string, found an array' },
    ]);
    expect(issuesOf(parse('{"action": "snapshot", "snapshot": 3}'))[0]?.path).toBe('snapshot');
    expect(issuesOf(parse('{"action": "changed", "columns": {}}'))[0]?.path).toBe('action');
    const ndjson = `${JSON.stringify({ name: 'q', action: 'snapshot', snapshot: [debRow] })}\n{"broken": \n`;
    const issues = issuesOf(parse(ndjson));
    expect(issues).toHaveLength(1);
    expect(issues[0]?.line).toBe(2);
    expect(issues[0]?.message).toMatch(/^not valid JSON/);
    expect(issuesOf(parse('{"deb_packages": [\n{"name": "x"}\n'))).toHaveLength(1);
  });

  it('reports malformed deb status and source columns and KB-like hotfix ids', () => {
    const rows = [
      { ...debRow, status: 'install ok' },
      { ...debRow, name: 'x', source: 'Bad Source' },
      { ...rpmRow, source: 'junk' },
      { ...patchRow, hotfix_id: 'KB12' },
    ];
    expect(issuesOf(parse(JSON.stringify(rows))).map((i) => i.path)).toEqual([
      '[0].status',
      '[1].source',
      '[2].source',
      '[3].hotfix_id',
    ]);
  });
});
