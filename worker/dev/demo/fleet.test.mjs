// @ts-check
import { describe, expect, it } from 'vitest';
import { demoFleet, demoPlatforms, olderVersions } from './fleet.mjs';

const fleet = demoFleet();
const families = /** @type {const} */ (['debian', 'ubuntu', 'rhel', 'alpine', 'windows']);

/** @param {string} family */
const hostsOf = (family) => fleet.filter((h) => h.host.os.family === family);

/** @param {string} body */
const stanzas = (body) =>
  body
    .trim()
    .split(/\n\n+/)
    .map((block) => block.split('\n'));

/**
 * @param {string[]} lines
 * @param {string} prefix
 */
const field = (lines, prefix) =>
  lines
    .find((l) => l.startsWith(prefix))
    ?.slice(prefix.length)
    .trim();

/**
 * The installed version of a package in any of the four package formats.
 * @param {import('./fleet.mjs').DemoHost} host
 * @param {string} name
 */
function versionOf(host, name) {
  const { body } = host.software;
  switch (host.host.os.family) {
    case 'debian':
      return field(stanzas(body).find((s) => field(s, 'Package:') === name) ?? [], 'Version:');
    case 'alpine':
      return field(stanzas(body).find((s) => field(s, 'P:') === name) ?? [], 'V:');
    default:
      return body
        .split('\n')
        .map((line) => line.split('\t'))
        .find((f) => f[0] === name)?.[1];
  }
}

describe('demo fleet', () => {
  it('has at least 40 hosts', () => {
    expect(fleet.length).toBeGreaterThanOrEqual(40);
  });

  it('has every platform in every ring, and about 15/25/60 % in test/pilot/prod', () => {
    for (const ring of ['test', 'pilot', 'prod']) {
      const inRing = fleet.filter((h) => h.host.ring === ring);
      expect(new Set(inRing.map((h) => h.host.os.family))).toEqual(new Set(families));
    }
    const share = (/** @type {string} */ ring) => fleet.filter((h) => h.host.ring === ring).length / fleet.length;
    expect(share('test')).toBeGreaterThan(0.1);
    expect(share('test')).toBeLessThan(0.2);
    expect(share('pilot')).toBeGreaterThan(0.2);
    expect(share('pilot')).toBeLessThan(0.3);
    expect(share('prod')).toBeGreaterThan(0.55);
  });

  it('counts its platforms in demoPlatforms', () => {
    expect(demoPlatforms.map((p) => p.family)).toEqual([...families]);
    for (const p of demoPlatforms) expect(p.hosts).toBe(hostsOf(p.family).length);
  });

  it('has unique hostnames that are valid DNS labels', () => {
    const names = fleet.map((h) => h.hostname);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/);
  });

  it('gives every host a valid registration and a non-empty body in its platform format', () => {
    /** @type {Record<string, string>} */
    const contentTypes = {
      debian: 'text/x-dpkg-status',
      ubuntu: 'text/x-dpkg-query',
      rhel: 'text/x-rpm-qa',
      alpine: 'text/x-apk-installed',
      windows: 'application/x-windows-hotfix+json',
    };
    for (const h of fleet) {
      expect(h.software.body.trim().length).toBeGreaterThan(0);
      expect(h.software.contentType).toBe(contentTypes[h.host.os.family]);
      expect([1, 2, 3, 4]).toContain(h.host.criticality);
      expect(h.host.owner).toMatch(/^[a-z-]+@example\.com$/);
      for (const tag of h.host.tags) expect(tag).toMatch(/^[a-z0-9][a-z0-9:._/-]{0,63}$/);
    }
  });

  it('gives os releases of the family', () => {
    /** @type {Record<string, RegExp>} */
    const release = {
      debian: /^12\.\d{1,2}$/,
      ubuntu: /^22\.04$/,
      rhel: /^9\.4$/,
      alpine: /^3\.20\.\d$/,
      windows: /^10\.0\.20348\.\d{4}$/,
    };
    for (const h of fleet) expect(h.host.os.release).toMatch(release[h.host.os.family] ?? /^$/);
  });

  it('is deterministic', () => {
    expect(demoFleet()).toEqual(fleet);
  });

  it('varies versions across hosts of a platform', () => {
    const distinct = (/** @type {string} */ family, /** @type {string} */ name) =>
      new Set(hostsOf(family).map((h) => versionOf(h, name))).size;
    expect(distinct('debian', 'openssl')).toBeGreaterThanOrEqual(2);
    expect(distinct('ubuntu', 'libssl3')).toBeGreaterThanOrEqual(2);
    expect(distinct('rhel', 'openssl-libs')).toBeGreaterThanOrEqual(2);
    expect(distinct('alpine', 'libcrypto3')).toBeGreaterThanOrEqual(2);
    expect(new Set(hostsOf('windows').map((h) => h.host.os.release)).size).toBeGreaterThanOrEqual(2);
  });

  it('moves the binary packages of one source together', () => {
    for (const [family, groups] of Object.entries(olderVersions)) {
      for (const host of hostsOf(family)) {
        for (const group of groups) {
          const versions = group.packages.map((name) => versionOf(host, name)).filter((v) => v !== undefined);
          // bsdutils carries an epoch of its own; compare without it.
          expect(new Set(versions.map((v) => v.replace(/^\d+:/, ''))).size).toBeLessThanOrEqual(1);
        }
      }
    }
  });

  it('keeps role packages on their roles only', () => {
    for (const h of fleet.filter((x) => x.host.os.family !== 'windows')) {
      const hasNginx = versionOf(h, 'nginx') !== undefined;
      expect(hasNginx).toBe(/^(web|api|erp|edge)-/.test(h.hostname));
    }
  });
});

describe('dpkg bodies', () => {
  it('parse as dpkg status stanzas with non-empty Package, Status and Version', () => {
    for (const h of hostsOf('debian')) {
      const parsed = stanzas(h.software.body);
      expect(parsed.length).toBeGreaterThan(500);
      for (const s of parsed) {
        expect(field(s, 'Package:')).toMatch(/^[a-z0-9][a-z0-9+.-]+$/);
        expect(field(s, 'Status:')).toBe('install ok installed');
        expect(field(s, 'Version:')).toMatch(/^\S+$/);
        for (const line of s) expect(line).toMatch(/^(Package|Status|Source|Version|Architecture): \S/);
      }
    }
  });

  it('give dpkg-query lines of five fields whose source version follows the binary', () => {
    const moved = new Set(olderVersions.ubuntu.flatMap((g) => g.packages));
    for (const h of hostsOf('ubuntu')) {
      for (const line of h.software.body.trimEnd().split('\n')) {
        const [name = '', version, arch, source, sourceVersion] = line.split('\t');
        expect(line.split('\t')).toHaveLength(5);
        expect(arch).toMatch(/^(amd64|all)$/);
        if (source === name) expect(sourceVersion).toBe(version);
        // bsdutils 1:2.37.2-4ubuntu3 comes from util-linux 2.37.2-4ubuntu3
        else if (moved.has(name)) expect(version?.replace(/^\d+:/, '')).toBe(sourceVersion?.replace(/^\d+:/, ''));
      }
    }
  });
});

describe('rpm and apk bodies', () => {
  it('give rpm -qa lines whose source rpm carries the version-release', () => {
    for (const h of hostsOf('rhel')) {
      const lines = h.software.body.trimEnd().split('\n');
      expect(lines.filter((l) => l.startsWith('gpg-pubkey\t'))).toHaveLength(2);
      expect(lines.filter((l) => l.startsWith('kernel\t')).length).toBeGreaterThanOrEqual(1);
      for (const line of lines.filter((l) => !l.startsWith('gpg-pubkey\t'))) {
        const [, evr, arch, sourceRpm] = line.split('\t');
        expect(evr).toMatch(/^\d+:[^:-]+-[^:-]+$/);
        expect(arch).toMatch(/^(x86_64|noarch)$/);
        expect(sourceRpm).toMatch(
          new RegExp(`-${(evr ?? '').replace(/^\d+:/, '').replaceAll('.', '\\.')}\\.src\\.rpm$`),
        );
      }
    }
  });

  it('give apk stanzas with P, V, A and o', () => {
    for (const h of hostsOf('alpine')) {
      for (const s of stanzas(h.software.body)) {
        expect(field(s, 'P:')).toBeTruthy();
        expect(field(s, 'V:')).toMatch(/-r\d+$/);
        expect(field(s, 'A:')).toBe('x86_64');
        expect(field(s, 'o:')).toBeTruthy();
      }
    }
  });
});

describe('Windows bodies', () => {
  it('are Get-HotFix JSON with KB ids and an installed date', () => {
    for (const h of hostsOf('windows')) {
      /** @type {{ HotFixID: string, Description: string, CSName: string, InstalledOn: { value: string, DateTime: string } }[]} */
      const hotfixes = JSON.parse(h.software.body);
      expect(hotfixes.length).toBeGreaterThan(0);
      for (const fix of hotfixes) {
        expect(fix.HotFixID).toMatch(/^KB\d{6,8}$/);
        expect(fix.Description).toMatch(/^(Update|Security Update)$/);
        expect(fix.CSName).toBe(h.hostname.toUpperCase());
        expect(fix.InstalledOn.value).toMatch(/^\/Date\(\d+\)\/$/);
      }
    }
  });

  it('report the build of the newest cumulative update', () => {
    /** @type {Record<string, string>} */
    const build = { KB5048654: '2966', KB5046616: '2849', KB5044281: '2762', KB5042881: '2700', KB5041160: '2655' };
    for (const h of hostsOf('windows')) {
      const ids = JSON.parse(h.software.body).map((/** @type {{ HotFixID: string }} */ f) => f.HotFixID);
      expect(h.host.os.release).toBe(`10.0.20348.${build[ids[ids.length - 1]]}`);
    }
  });
});
