import { env } from 'cloudflare:workers';
import { LookupResult } from '@patchboard/shared/schemas/lookup';
import * as v from 'valibot';
import { beforeAll, describe, expect, it } from 'vitest';
import rhsa0010 from '../src/feeds/csaf/testdata/redhat/advisories/2024/rhsa-2024_0010.json?raw';
import rhsa6163 from '../src/feeds/csaf/testdata/redhat/advisories/2024/rhsa-2024_6163.json?raw';
import rhsa9371 from '../src/feeds/csaf/testdata/redhat/advisories/2024/rhsa-2024_9371.json?raw';
import epssCsv from '../src/feeds/epss/testdata/vunnel-example-1.csv?raw';
import kevCatalog from '../src/feeds/kev/testdata/vunnel-valid-catalog-1.json?raw';
import msrcJanuary from '../src/feeds/msrc/testdata/2024-Jan.json?raw';
import nvdXz from '../src/feeds/nvd/testdata/osvdev-CVE-2024-3094.json?raw';
import alsa from '../src/feeds/osv/testdata/ALSA-2024_2433.json?raw';
import dsa from '../src/feeds/osv/testdata/DSA-3029-1.json?raw';
import goProtobuf from '../src/feeds/osv/testdata/GO-2024-2611.json?raw';
import pysecRequests from '../src/feeds/osv/testdata/PYSEC-2023-74.json?raw';
import ubuntuCve from '../src/feeds/osv/testdata/UBUNTU-CVE-2021-3782.json?raw';
import usn from '../src/feeds/osv/testdata/USN-5614-1.json?raw';
import { call, expectStatus, newTenant, newToken, putHost, putSoftware, ROOT_TOKEN } from './helpers';

type Item = v.InferOutput<typeof LookupResult>['items'][number];

/** GET /v1/lookup, checked against the contract's response schema. */
async function lookup(token: string, ids: readonly string[]): Promise<Item[]> {
  const body = await expectStatus(
    call('GET', `/v1/lookup?ids=${ids.map(encodeURIComponent).join(',')}`, { token }),
    200,
  );
  return v.parse(LookupResult, body).items;
}

async function lookupOne(token: string, id: string): Promise<Item> {
  const [item] = await lookup(token, [id]);
  if (!item) throw new Error(`no answer for ${id}`);
  return item;
}

async function importAs(token: string, body: string, contentType = 'application/json') {
  return expectStatus<{ imported: number; enrichment: number; rejected: unknown[] }>(
    call('POST', '/v1/advisories/import', { token, body, contentType }),
    200,
  );
}

/** A dpkg-query line of Ubuntu's wayland client library, built from source `wayland`. */
const wayland = (version: string) => `libwayland-client0\t${version}\tamd64\twayland\t${version}\n`;
const tigervnc = (version: string) => `tigervnc\t0:${version}\tx86_64\ttigervnc-${version}.src.rpm\n`;

/** A CycloneDX SBOM with one PyPI package, as a container scan reports it. */
const pythonSbom = (version: string) =>
  JSON.stringify({
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    components: [{ type: 'library', name: 'requests', version, purl: `pkg:pypi/requests@${version}` }],
  });

const ubuntu = (ring: string) => ({ os: { family: 'ubuntu', release: '22.04' }, ring });

/** Sets triage fields of one tenant's finding directly: the triage pass is not what these tests check. */
async function setFinding(
  tenantId: string,
  hostname: string,
  advisory: string,
  fields: { status?: string; priority?: number | null; due_at?: string | null; priority_reason?: string | null },
): Promise<void> {
  const assignments = Object.keys(fields).map((column, i) => `${column} = ?${i + 4}`);
  const result = await env.DB.prepare(
    `UPDATE findings SET ${assignments.join(', ')}
     WHERE tenant_id = ?1 AND host_id = (SELECT id FROM hosts WHERE tenant_id = ?1 AND hostname = ?2)
       AND advisory_pk IN (SELECT pk FROM advisories WHERE id = ?3)`,
  )
    .bind(tenantId, hostname, advisory, ...Object.values(fields))
    .run();
  expect(result.meta.changes, `${hostname} ${advisory}`).toBe(1);
}

describe('GET /v1/lookup', () => {
  let a: { id: string; adminToken: string };
  let b: { id: string; adminToken: string };

  beforeAll(async () => {
    a = await newTenant('lookup-a');
    b = await newTenant('lookup-b');

    // Tenant A: six Ubuntu 22.04 hosts on the vulnerable wayland across three rings, one fixed.
    const vulnerable = wayland('1.20.0-1');
    for (const [hostname, ring] of [
      ['u-test-1', 'test'],
      ['u-pilot-1', 'pilot'],
      ['u-pilot-2', 'pilot'],
      ['u-prod-1', 'prod'],
      ['u-prod-2', 'prod'],
      ['u-prod-3', 'prod'],
      ['u-prod-fixed', 'prod'],
    ] as const) {
      await putHost(a.adminToken, hostname, ubuntu(ring));
      await putSoftware(a.adminToken, hostname, hostname.endsWith('fixed') ? wayland('1.20.0-1ubuntu0.1') : vulnerable);
    }
    // Two RHEL 9 hosts behind on tigervnc, one in a ring of the tenant's own naming.
    for (const [hostname, ring] of [
      ['r-prod-1', 'prod'],
      ['r-canary-1', 'canary'],
    ] as const) {
      await putHost(a.adminToken, hostname, { os: { family: 'rhel', release: '9.3' }, ring });
      await putSoftware(a.adminToken, hostname, tigervnc('1.13.1-2.el9'), 'text/x-rpm-qa');
    }
    // A Windows Server 2022 host on November 2023's build and update.
    await putHost(a.adminToken, 'w-prod-1', { os: { family: 'windows', release: '10.0.20348.2113' }, ring: 'prod' });
    await putSoftware(
      a.adminToken,
      'w-prod-1',
      JSON.stringify({ packages: [], hotfixes: ['KB5032198'] }),
      'application/json',
    );
    // A Debian host whose container SBOM has an old requests.
    await putHost(a.adminToken, 'd-pilot-1', { os: { family: 'debian', release: '12.5' }, ring: 'pilot' });
    await putSoftware(a.adminToken, 'd-pilot-1', pythonSbom('2.28.1'), 'application/vnd.cyclonedx+json');

    // Tenant B: the same host names, four vulnerable, and a private advisory on the same CVE.
    for (const hostname of ['u-prod-1', 'u-prod-2', 'u-prod-3', 'u-prod-4']) {
      await putHost(b.adminToken, hostname, ubuntu('prod'));
      await putSoftware(b.adminToken, hostname, vulnerable);
    }
    await importAs(
      b.adminToken,
      JSON.stringify({
        id: 'ACME-2024-0001',
        modified: '2024-05-01T00:00:00Z',
        summary: 'private to tenant B',
        aliases: ['CVE-2021-3782'],
        affected: [
          {
            package: { ecosystem: 'Ubuntu:22.04:LTS', name: 'wayland' },
            ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.20.0-1ubuntu0.2' }] }],
          },
        ],
      }),
    );

    // The global advisories and per-CVE facts, from real documents, imported by the service provider.
    const osv = await importAs(ROOT_TOKEN, `[${[usn, ubuntuCve, dsa, goProtobuf, alsa, pysecRequests].join(',')}]`);
    expect(osv.rejected).toEqual([]);
    for (const csaf of [rhsa0010, rhsa6163, rhsa9371]) expect((await importAs(ROOT_TOKEN, csaf)).imported).toBe(1);
    expect((await importAs(ROOT_TOKEN, msrcJanuary)).rejected).toEqual([]);
    expect((await importAs(ROOT_TOKEN, kevCatalog)).enrichment).toBe(3);
    expect((await importAs(ROOT_TOKEN, epssCsv, 'text/csv')).enrichment).toBeGreaterThan(0);
    expect((await importAs(ROOT_TOKEN, nvdXz)).enrichment).toBe(1);
  });

  it('answers a CVE named by two advisories: each host once, per ring, findings per status, fixes of its ecosystems', async () => {
    await setFinding(a.id, 'u-pilot-1', 'USN-5614-1', { status: 'scheduled' });
    await setFinding(a.id, 'u-prod-3', 'UBUNTU-CVE-2021-3782', { status: 'excepted' });
    // u-pilot-2 stays affected through UBUNTU-CVE-2021-3782 when its USN finding is resolved.
    await setFinding(a.id, 'u-pilot-2', 'USN-5614-1', { status: 'resolved' });

    const item = await lookupOne(a.adminToken, 'cve-2021-3782');
    expect(item).toMatchObject({
      id: 'cve-2021-3782',
      canonical: 'CVE-2021-3782',
      kind: 'cve',
      known: true,
      reason: null,
      advisories: [
        { id: 'USN-5614-1', source: 'osv', summary: 'wayland vulnerability', withdrawn: null },
        { id: 'UBUNTU-CVE-2021-3782', source: 'osv', summary: null, withdrawn: null },
      ],
      advisoryCount: 2,
      cves: ['CVE-2021-3782'],
      hosts: { affected: 6, byRing: { test: 1, pilot: 2, prod: 3 } },
      // 6 hosts x 2 advisories, u-prod-fixed has none.
      findings: { open: 9, scheduled: 1, excepted: 1, resolved: 1 },
      // Every linked advisory fixes 18.04, 20.04 and 22.04; the tenant only runs 22.04, and both say the same.
      fixedVersions: [{ ecosystem: 'Ubuntu:22.04', package: 'wayland', version: '1.20.0-1ubuntu0.1' }],
      nextDeployment: null,
    });

    const usnItem = await lookupOne(a.adminToken, 'USN-5614-1');
    expect(usnItem).toMatchObject({
      advisories: [{ id: 'USN-5614-1' }],
      hosts: { affected: 5, byRing: { test: 1, pilot: 1, prod: 3 } },
      findings: { open: 4, scheduled: 1, excepted: 0, resolved: 1 },
    });
  });

  it('resolves every kind of id: RHSA in file-name form, ALSA, GHSA by alias, old-style DSA, KB by the ranges it fixes', async () => {
    const [rhsa, alma, ghsa, oldDsa, kb, kbSpaced, cveOfTwoRhsas] = await lookup(a.adminToken, [
      'rhsa-2024_0010',
      'ALSA-2024:2433',
      'ghsa-j8r2-6x86-q33q',
      'DSA-3029',
      'KB5034129',
      'KB 5034129',
      'CVE-2024-8088',
    ]);
    expect(rhsa).toMatchObject({
      canonical: 'RHSA-2024:0010',
      kind: 'redhat',
      known: true,
      advisories: [{ id: 'RHSA-2024:0010', source: 'csaf', published: '2024-01-02T08:58:34.000Z' }],
      cves: ['CVE-2023-5367', 'CVE-2023-6377', 'CVE-2023-6478'],
      hosts: { affected: 2, byRing: { canary: 1, prod: 1 } },
      findings: { open: 2, scheduled: 0, excepted: 0, resolved: 0 },
    });
    // tigervnc and its subpackages all carry the one fixed version.
    expect(rhsa?.fixedVersions).toContainEqual({
      ecosystem: 'Red Hat:9',
      package: 'tigervnc',
      version: '0:1.13.1-3.el9_3.3',
    });
    expect(new Set(rhsa?.fixedVersions.map((f) => f.version))).toEqual(new Set(['0:1.13.1-3.el9_3.3']));

    // Known, but the tenant has no AlmaLinux host: nothing affected and no fixed version to show.
    expect(alma).toMatchObject({ kind: 'alsa', known: true, hosts: { affected: 0, byRing: {} }, fixedVersions: [] });
    // The GHSA id is an alias of the PyPI advisory; the package comes from a container SBOM, not the host's OS.
    expect(ghsa).toMatchObject({
      canonical: 'GHSA-j8r2-6x86-q33q',
      kind: 'ghsa',
      advisories: [{ id: 'PYSEC-2023-74' }],
      cves: ['CVE-2023-32681'],
      hosts: { affected: 1, byRing: { pilot: 1 } },
      fixedVersions: [{ ecosystem: 'PyPI', package: 'requests', version: '2.31.0' }],
    });
    expect(oldDsa).toMatchObject({
      canonical: 'DSA-3029',
      kind: 'dsa',
      known: true,
      advisories: [{ id: 'DSA-3029-1' }],
    });

    // January 2024's cumulative update for Windows Server 2022 fixes three of the month's CVEs; the
    // host on November's update has all three, and the fix is January's build (once, for the ecosystem it runs).
    expect(kb).toMatchObject({
      canonical: 'KB5034129',
      kind: 'kb',
      known: true,
      cves: ['CVE-2024-20666', 'CVE-2024-20674', 'CVE-2024-21307'],
      hosts: { affected: 1, byRing: { prod: 1 } },
      findings: { open: 3, scheduled: 0, excepted: 0, resolved: 0 },
      fixedVersions: [{ ecosystem: 'Windows:10.0.20348', package: 'windows', version: '10.0.20348.2227' }],
    });
    expect(kb?.advisories.map((x) => x.id).sort()).toEqual([
      'MSRC-CVE-2024-20666',
      'MSRC-CVE-2024-20674',
      'MSRC-CVE-2024-21307',
    ]);
    expect({ ...kbSpaced, id: 'KB5034129' }).toEqual(kb);

    // Two Red Hat advisories name it; neither affects a package of this tenant.
    expect(cveOfTwoRhsas).toMatchObject({
      known: true,
      advisories: [{ id: 'RHSA-2024:9371' }, { id: 'RHSA-2024:6163' }],
      hosts: { affected: 0, byRing: {} },
      findings: { open: 0, scheduled: 0, excepted: 0, resolved: 0 },
    });
  });

  it('gives the most urgent unresolved priority and, at that priority, the explanation of the finding due first', async () => {
    await setFinding(a.id, 'u-test-1', 'USN-5614-1', {
      priority: 3,
      due_at: '2024-05-01T00:00:00.000Z',
      priority_reason: 'P3: EPSS 0.5 %, test ring',
    });
    await setFinding(a.id, 'u-prod-1', 'UBUNTU-CVE-2021-3782', {
      priority: 2,
      due_at: '2024-06-10T00:00:00.000Z',
      priority_reason: 'P2: CVSS 7.0, criticality 2',
    });
    await setFinding(a.id, 'u-prod-2', 'USN-5614-1', {
      priority: 2,
      due_at: '2024-06-03T00:00:00.000Z',
      priority_reason: 'P2: CVSS 7.0, internet-facing',
    });
    // As urgent but without a due date: a dated finding at the same priority comes first.
    await setFinding(a.id, 'u-prod-3', 'USN-5614-1', { priority: 2, due_at: null, priority_reason: 'P2: undated' });
    // More urgent, but resolved (u-pilot-2's USN finding) or another tenant's: neither counts.
    await setFinding(a.id, 'u-pilot-2', 'USN-5614-1', { priority: 1, due_at: '2024-04-01T00:00:00.000Z' });
    await setFinding(b.id, 'u-prod-4', 'USN-5614-1', { priority: 1, priority_reason: 'P1: tenant B' });

    const [cve, usnItem, ubuntuItem] = await lookup(a.adminToken, [
      'CVE-2021-3782',
      'USN-5614-1',
      'UBUNTU-CVE-2021-3782',
    ]);
    expect(cve?.priority).toEqual({
      highest: 2,
      explanation: 'P2: CVSS 7.0, internet-facing',
      dueAt: '2024-06-03T00:00:00.000Z',
    });
    expect(usnItem?.priority).toEqual(cve?.priority);
    expect(ubuntuItem?.kind).toBeNull(); // UBUNTU-CVE-... is no id family of the lookup
    // Nothing unresolved: no priority.
    expect((await lookupOne(a.adminToken, 'DSA-3029-1')).priority).toBeNull();
    // Tenant B sees its own P1.
    expect((await lookupOne(b.adminToken, 'USN-5614-1')).priority).toMatchObject({
      highest: 1,
      explanation: 'P1: tenant B',
    });
  });

  it('reads KEV and EPSS over the CVEs an id stands for; a CVE known only from KEV, EPSS or NVD is known with no hosts', async () => {
    // Per-CVE facts for the CVEs of RHSA-2024:0010, as the KEV and EPSS feeds would store them.
    await env.DB.batch([
      env.DB.prepare(
        `INSERT INTO kev_entries (cve, vendor, product, name, description, date_added, due_date, required_action, ransomware, updated_at)
         VALUES ('CVE-2023-6377', 'X.Org', 'X server', 'X.Org X server OOB', '-', '2024-01-20', '2024-02-10', 'Apply updates', 'Known', '2024-01-20'),
                ('CVE-2023-5367', 'X.Org', 'X server', 'X.Org X server OOB', '-', '2024-01-10', '2024-01-31', 'Apply updates', 'Unknown', '2024-01-10')`,
      ),
      env.DB.prepare(
        `INSERT INTO epss_scores (cve, score, percentile, score_date, model_version)
         VALUES ('CVE-2023-5367', 0.0012, 0.47, '2024-02-01', 'v2023.03.01'),
                ('CVE-2023-6377', 0.0231, 0.89, '2024-02-01', 'v2023.03.01'),
                ('CVE-2023-6478', 0.0009, 0.38, '2024-02-01', 'v2023.03.01')`,
      ),
    ]);
    const [advisory, oneCve, kevOnly, epssOnly, nvdOnly] = await lookup(a.adminToken, [
      'RHSA-2024:0010',
      'CVE-2023-6377',
      'CVE-2025-0108',
      'CVE-1999-0002',
      'CVE-2024-3094',
    ]);
    // The advisory: the KEV entry due first, the highest EPSS score, each naming its CVE.
    expect(advisory?.kev).toEqual({
      cve: 'CVE-2023-5367',
      dateAdded: '2024-01-10',
      dueDate: '2024-01-31',
      ransomware: false,
    });
    expect(advisory?.epss).toEqual({ cve: 'CVE-2023-6377', score: 0.0231, percentile: 0.89, date: '2024-02-01' });
    // A CVE stands for itself, not for the other CVEs of its advisory.
    expect(oneCve).toMatchObject({
      cves: ['CVE-2023-6377'],
      advisories: [{ id: 'RHSA-2024:0010' }],
      kev: { cve: 'CVE-2023-6377', dueDate: '2024-02-10', ransomware: true },
      epss: { cve: 'CVE-2023-6377', score: 0.0231 },
    });
    // The real KEV catalog, EPSS file and NVD record: known, with no advisory and no host.
    expect(kevOnly).toMatchObject({
      known: true,
      advisories: [],
      kev: { cve: 'CVE-2025-0108', dateAdded: '2025-02-18', dueDate: '2025-03-11', ransomware: false },
      epss: null,
      hosts: { affected: 0, byRing: {} },
      findings: { open: 0, scheduled: 0, excepted: 0, resolved: 0 },
    });
    expect(epssOnly).toMatchObject({
      known: true,
      kev: null,
      epss: { cve: 'CVE-1999-0002', score: 0.01328, percentile: 0.85996 },
    });
    expect(nvdOnly).toMatchObject({ known: true, cves: ['CVE-2024-3094'], kev: null, epss: null, advisories: [] });
  });

  it('answers unrecognised and unknown ids per id, in request order, duplicates included', async () => {
    const ids = ['not-an-id', 'CVE-2099-99999', 'USN-5614-1', 'RHSA-2024-0010', 'KB9999999', 'usn-5614-1', 'ADV990001'];
    const items = await lookup(a.adminToken, ids);
    expect(items.map((i) => i.id)).toEqual(ids);
    expect(items.map((i) => [i.canonical, i.known])).toEqual([
      [null, false],
      ['CVE-2099-99999', false],
      ['USN-5614-1', true],
      [null, false],
      ['KB9999999', false],
      ['USN-5614-1', true],
      ['ADV990001', false],
    ]);
    expect(items[0]).toEqual({
      id: 'not-an-id',
      canonical: null,
      kind: null,
      known: false,
      reason: expect.stringContaining('not an advisory id Patchboard recognises'),
      advisories: [],
      advisoryCount: 0,
      cves: [],
      cveCount: 0,
      hosts: { affected: 0, byRing: {} },
      findings: { open: 0, scheduled: 0, excepted: 0, resolved: 0 },
      priority: null,
      kev: null,
      epss: null,
      fixedVersions: [],
      nextDeployment: null,
    });
    expect(items[1]?.reason).toBe('no advisory, KEV, EPSS or NVD record names this CVE');
    expect(items[3]?.reason).toBe('not a well-formed RHSA/RHBA/RHEA id: expected the form RHSA-2024:4546');
    expect(items[4]?.reason).toBe('no advisory this tenant can see names this id');
    expect(items[5]).toEqual({ ...items[2], id: 'usn-5614-1' });
  });

  it('answers POST like GET, and refuses no ids, 501 ids, over-long ids and unknown fields with 400 and the reason', async () => {
    const ids = ['CVE-2021-3782', 'KB5034129', 'nothing'];
    const viaPost = await expectStatus(call('POST', '/v1/lookup', { token: a.adminToken, json: { ids } }), 200);
    expect(v.parse(LookupResult, viaPost).items).toEqual(await lookup(a.adminToken, ids));

    const many = Array.from({ length: 501 }, (_, i) => `CVE-2024-${String(10000 + i)}`);
    const tooMany = await expectStatus<{ error: { code: string; message: string } }>(
      call('POST', '/v1/lookup', { token: a.adminToken, json: { ids: many } }),
      400,
    );
    expect(tooMany.error).toMatchObject({ code: 'validation_failed' });
    expect(tooMany.error.message).toContain('at most 500 ids per lookup (got 501)');
    const tooManyGet = await expectStatus<{ error: { message: string } }>(
      call('GET', `/v1/lookup?ids=${many.join(',')}`, { token: a.adminToken }),
      400,
    );
    expect(tooManyGet.error.message).toContain('at most 500 ids per lookup (got 501)');
    // 500 is the limit, not past it.
    const fiveHundred = await expectStatus<{ items: unknown[] }>(
      call('POST', '/v1/lookup', { token: a.adminToken, json: { ids: many.slice(0, 500) } }),
      200,
    );
    expect(fiveHundred.items).toHaveLength(500);

    for (const [path, json] of [
      ['/v1/lookup?ids=', undefined],
      ['/v1/lookup?ids=,,', undefined],
      ['/v1/lookup', undefined],
      ['/v1/lookup?ids=CVE-2021-3782&x=1', undefined],
      ['/v1/lookup', { ids: [] }],
      ['/v1/lookup', { ids: 'CVE-2021-3782' }],
      ['/v1/lookup', { ids: [42] }],
      ['/v1/lookup', { ids: ['x'.repeat(129)] }],
      ['/v1/lookup', { ids: ['CVE-2021-3782'], more: true }],
    ] as const) {
      const res = await call(json === undefined ? 'GET' : 'POST', path, { token: a.adminToken, json });
      expect(res.status, `${path} ${JSON.stringify(json)}`).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'validation_failed', message: expect.any(String) } });
    }
    const empty = await expectStatus<{ error: { message: string } }>(
      call('GET', '/v1/lookup?ids=', { token: a.adminToken }),
      400,
    );
    expect(empty.error.message).toContain('give 1 to 500 ids');
    await expectStatus(
      call('POST', '/v1/lookup', { token: a.adminToken, body: 'ids=CVE-2021-3782', contentType: 'text/plain' }),
      415,
    );
  });

  it('lets every reader role look up, refuses agents and the root token with 403, and needs a token', async () => {
    for (const role of ['approver', 'operator', 'viewer']) {
      const token = await newToken(a.adminToken, role);
      expect((await lookupOne(token, 'USN-5614-1')).hosts.affected).toBe(5);
      await expectStatus(call('POST', '/v1/lookup', { token, json: { ids: ['USN-5614-1'] } }), 200);
    }
    const agent = await newToken(a.adminToken, 'agent', 'u-prod-1');
    await expectStatus(call('GET', '/v1/lookup?ids=USN-5614-1', { token: agent }), 403);
    await expectStatus(call('POST', '/v1/lookup', { token: agent, json: { ids: ['USN-5614-1'] } }), 403);
    await expectStatus(call('GET', '/v1/lookup?ids=USN-5614-1', { token: ROOT_TOKEN }), 403);
    await expectStatus(call('GET', '/v1/lookup?ids=USN-5614-1'), 401);
  });

  it("never counts another tenant's findings nor shows its private advisories; a tenant's own copy shadows the global one", async () => {
    const [cveForA] = await lookup(a.adminToken, ['CVE-2021-3782']);
    expect(cveForA?.advisories.map((x) => x.id)).toEqual(['USN-5614-1', 'UBUNTU-CVE-2021-3782']);
    expect(cveForA?.hosts.affected).toBe(6);
    expect((await lookupOne(a.adminToken, 'ACME-2024-0001')).known).toBe(false);

    // Tenant B: its four hosts, each with the two global advisories and its own.
    const cveForB = await lookupOne(b.adminToken, 'CVE-2021-3782');
    expect(cveForB).toMatchObject({
      hosts: { affected: 4, byRing: { prod: 4 } },
      findings: { open: 12, scheduled: 0, excepted: 0, resolved: 0 },
    });
    expect(cveForB.advisories.map((x) => x.id).sort()).toEqual([
      'ACME-2024-0001',
      'UBUNTU-CVE-2021-3782',
      'USN-5614-1',
    ]);
    // Both tenants' wayland fix: B's private advisory adds its own fixed version for B only.
    expect(cveForB.fixedVersions.map((f) => f.version)).toEqual(['1.20.0-1ubuntu0.1', '1.20.0-1ubuntu0.2']);
    expect(cveForA?.fixedVersions.map((f) => f.version)).toEqual(['1.20.0-1ubuntu0.1']);

    // Tenant A imports its own copy of DSA-3029-1: A sees only its copy, under the id and the CVE; B the global one.
    const copy = { ...JSON.parse(dsa), summary: 'nginx - reviewed by tenant A' };
    await importAs(a.adminToken, JSON.stringify(copy));
    const [byIdForA, byCveForA] = await lookup(a.adminToken, ['DSA-3029-1', 'CVE-2014-3616']);
    expect(byIdForA?.advisories).toEqual([
      expect.objectContaining({ id: 'DSA-3029-1', summary: 'nginx - reviewed by tenant A' }),
    ]);
    expect(byCveForA?.advisories).toEqual(byIdForA?.advisories);
    expect((await lookupOne(b.adminToken, 'DSA-3029-1')).advisories).toEqual([
      expect.objectContaining({ id: 'DSA-3029-1', summary: 'nginx - security update' }),
    ]);
  });
});
