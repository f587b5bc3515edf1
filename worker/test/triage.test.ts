import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import msrcKernel from '../src/feeds/csaf/testdata/microsoft/advisories/2024/msrc_cve-2024-21338.json?raw';
import dsaNginx from '../src/feeds/osv/testdata/DSA-3029-1.json?raw';
import usnWayland from '../src/feeds/osv/testdata/USN-5614-1.json?raw';
import getHotfix from '../src/inventory/testdata/get-hotfix.windows-server-2022.json?raw';
import { CVES_FOR_IMMEDIATE_TRIAGE } from '../src/triage/follow-up';
import { runSweep } from '../src/triage/sweep';
import { call, expectStatus, newTenant, newToken, putHost, putSoftware, ROOT_TOKEN } from './helpers';

interface FindingItem {
  id: number;
  hostname: string;
  advisory: string;
  status: string;
  priority: number | null;
  priorityReason: string | null;
  ssvc: string | null;
  kev: boolean;
  dueAt: string | null;
  slaBreached: boolean;
  firstSeenAt: string;
}

interface EventItem {
  kind: string;
  subject: string;
  summary: string;
  payload: Record<string, unknown>;
}

/**
 * CISA's KEV entry for CVE-2024-21338 (Windows kernel, added 2024-03-04, due 2024-03-25), written
 * out in the catalogue's format; and an EPSS file in FIRST's format whose score for CVE-2014-3616
 * (the nginx flaw of DSA-3029-1) is ours, chosen in the top 5 %.
 */
const kevCatalog = JSON.stringify({
  title: 'CISA Catalog of Known Exploited Vulnerabilities',
  catalogVersion: '2024.03.04',
  dateReleased: '2024-03-04T17:00:00.000Z',
  count: 1,
  vulnerabilities: [
    {
      cveID: 'CVE-2024-21338',
      vendorProject: 'Microsoft',
      product: 'Windows',
      vulnerabilityName: 'Microsoft Windows Kernel Exposed IOCTL with Insufficient Access Control Vulnerability',
      dateAdded: '2024-03-04',
      shortDescription:
        'Microsoft Windows Kernel contains an exposed IOCTL with insufficient access control vulnerability within the IOCTL (input and output control) dispatcher in appid.sys that allows a local attacker to achieve privilege escalation.',
      requiredAction:
        'Apply mitigations per vendor instructions or discontinue use of the product if mitigations are unavailable.',
      dueDate: '2024-03-25',
      knownRansomwareCampaignUse: 'Unknown',
      notes: 'https://msrc.microsoft.com/update-guide/vulnerability/CVE-2024-21338',
      cwes: ['CWE-782'],
    },
  ],
});
const epssCsv =
  '#model_version:v2023.03.01,score_date:2025-02-20T00:00:00+0000\ncve,epss,percentile\nCVE-2014-3616,0.52341,0.97712\nCVE-2021-3782,0.00041,0.10525\n';

async function importAs(token: string, body: string, contentType = 'application/json', format?: string) {
  return expectStatus(
    call('POST', `/v1/advisories/import${format ? `?format=${format}` : ''}`, { token, body, contentType }),
    200,
  );
}

async function findings(token: string, query = ''): Promise<FindingItem[]> {
  const page = await expectStatus<{ items: FindingItem[] }>(
    call('GET', `/v1/findings?limit=500${query}`, { token }),
    200,
  );
  return page.items;
}

const byHost = (items: FindingItem[], hostname: string, advisory: string) => {
  const found = items.find((f) => f.hostname === hostname && f.advisory === advisory);
  if (!found) throw new Error(`no finding of ${advisory} on ${hostname}`);
  return found;
};

const days = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000;

/** A fleet with hosts of every kind: Windows (KEV), an old Debian web server (high EPSS), Ubuntu (low CVSS). */
async function fleet(adminToken: string) {
  const windows = { os: { family: 'windows', release: '10.0.20348.2113' } };
  await putHost(adminToken, 'dc-01', { ...windows, criticality: 1, internetFacing: true, ring: 'prod' });
  await putHost(adminToken, 'app-07', { ...windows, criticality: 4, internetFacing: false, ring: 'pilot' });
  await putHost(adminToken, 'web-old', {
    os: { family: 'debian', release: '7.11' },
    criticality: 2,
    internetFacing: true,
  });
  await putHost(adminToken, 'kiosk', {
    os: { family: 'ubuntu', release: '22.04' },
    criticality: 1,
    internetFacing: true,
  });
  await putHost(adminToken, 'lab', { os: { family: 'ubuntu', release: '22.04' }, criticality: 4, ring: 'test' });
  for (const host of ['dc-01', 'app-07']) {
    await putSoftware(adminToken, host, getHotfix, 'application/x-windows-hotfix+json');
  }
  await putSoftware(adminToken, 'web-old', 'nginx\t1.2.1-2.2+wheezy2\tamd64\tnginx\t1.2.1-2.2+wheezy2\n');
  for (const host of ['kiosk', 'lab']) {
    await putSoftware(adminToken, host, 'libwayland-client0\t1.20.0-1\tamd64\twayland\t1.20.0-1\n');
  }
}

describe('triage', () => {
  beforeAll(async () => {
    await importAs(ROOT_TOKEN, kevCatalog);
    await importAs(ROOT_TOKEN, epssCsv, 'text/csv', 'epss');
  });

  it('gives real advisories the documented priorities, due dates and explanations per host', async () => {
    const { adminToken } = await newTenant();
    await fleet(adminToken);
    for (const advisory of [msrcKernel, dsaNginx, usnWayland]) await importAs(adminToken, advisory);
    const items = await findings(adminToken);
    expect(items).toHaveLength(5);

    // KEV-listed and exploited: P1 everywhere, due by CISA's date (long past, so breached at once).
    const dc = byHost(items, 'dc-01', 'msrc_CVE-2024-21338');
    expect(dc).toMatchObject({
      priority: 1,
      ssvc: 'act',
      kev: true,
      dueAt: '2024-03-25T23:59:59.999Z',
      slaBreached: true,
    });
    expect(dc.priorityReason).toMatch(
      /^P1: on CISA KEV since 2024-03-04 \(ransomware: unknown\) and exploited according to the vendor \("Publicly Disclosed:No;Exploited:Yes;Latest Software Release:Exploitation Detected"\) and SSVC act \(exploitation active: on KEV; automatable no; technical impact total; mission impact high\), internet-facing, criticality 1; CVSS 3\.1 7\.8; no EPSS score; due within 7 days and by the KEV due date 2024-03-25 at the latest$/,
    );
    const app = byHost(items, 'app-07', 'msrc_CVE-2024-21338');
    expect(app).toMatchObject({ priority: 1, ssvc: 'track', kev: true, dueAt: '2024-03-25T23:59:59.999Z' });
    expect(app.priorityReason).toContain(', criticality 4; SSVC track (exploitation active: on KEV;');
    expect(app.priorityReason).toContain('due within 5.25 days (75 % of the P1 SLA in ring pilot)');

    // High EPSS on an exposed host: P2, 14 days from first seen.
    const web = byHost(items, 'web-old', 'DSA-3029-1');
    expect(web).toMatchObject({ priority: 2, ssvc: 'track', kev: false, slaBreached: false });
    expect(web.priorityReason).toBe(
      'P2: EPSS 0.5234 (percentile 0.977, CVE-2014-3616) percentile >= 0.95, internet-facing, criticality 2; SSVC track (exploitation none: no known exploitation; automatable no; technical impact partial; mission impact high); no CVSS score; due within 14 days',
    );
    expect(days(web.firstSeenAt, web.dueAt ?? '')).toBe(14);

    // Low CVSS, local, not exploited: P4 on the most critical host too; the test ring gets half the SLA.
    const kiosk = byHost(items, 'kiosk', 'USN-5614-1');
    const lab = byHost(items, 'lab', 'USN-5614-1');
    expect(kiosk).toMatchObject({ priority: 4, ssvc: 'track' });
    expect(kiosk.priorityReason).toMatch(
      /^P4: SSVC track .*, internet-facing, criticality 1; CVSS 3\.1 6\.6; EPSS 0\.0004 .*; due within 90 days$/,
    );
    expect(days(kiosk.firstSeenAt, kiosk.dueAt ?? '')).toBe(90);
    expect(lab.priority).toBe(4);
    expect(days(lab.firstSeenAt, lab.dueAt ?? '')).toBe(45);

    // Filters: by priority, and the breached ones.
    expect((await findings(adminToken, '&priority=1')).map((f) => f.hostname).sort()).toEqual(['app-07', 'dc-01']);
    expect((await findings(adminToken, '&breached=true')).map((f) => f.hostname).sort()).toEqual(['app-07', 'dc-01']);
    expect(await findings(adminToken, '&breached=false')).toHaveLength(3);
  });

  it('re-prioritises when the host changes and when the tenant changes its policy (audited)', async () => {
    const { adminToken } = await newTenant();
    await fleet(adminToken);
    await importAs(adminToken, dsaNginx);
    const before = byHost(await findings(adminToken), 'web-old', 'DSA-3029-1');
    expect(before.priority).toBe(2);

    // Moving the host to the test ring halves its SLA.
    await putHost(adminToken, 'web-old', { os: { family: 'debian', release: '7.11' }, ring: 'test' });
    const moved = byHost(await findings(adminToken), 'web-old', 'DSA-3029-1');
    expect(days(moved.firstSeenAt, moved.dueAt ?? '')).toBe(7);

    const policy = await expectStatus<{ policy: Record<string, unknown>; custom: boolean; description: string[] }>(
      call('GET', '/v1/policy', { token: adminToken }),
      200,
    );
    expect(policy.custom).toBe(false);
    const stricter = { ...policy.policy, epss: [{ percentileAtLeast: 0.9, priority: 1 }] };
    const viewer = await newToken(adminToken, 'viewer');
    await expectStatus(call('PUT', '/v1/policy', { token: viewer, json: stricter }), 403);
    const bad = await expectStatus<{ error: { code: string; message: string } }>(
      call('PUT', '/v1/policy', { token: adminToken, json: { ...stricter, slaDays: { p1: -1 } } }),
      400,
    );
    expect(bad.error.code).toBe('validation_failed');
    const saved = await expectStatus<{ custom: boolean; description: string[] }>(
      call('PUT', '/v1/policy', { token: adminToken, json: stricter }),
      200,
    );
    expect(saved.custom).toBe(true);
    expect(saved.description).toContain('EPSS at or above the 90 % percentile: P1.');
    const raised = byHost(await findings(adminToken), 'web-old', 'DSA-3029-1');
    expect(raised.priority).toBe(1);
    expect(raised.priorityReason).toMatch(/^P1: EPSS 0\.5234 \(percentile 0\.977, CVE-2014-3616\) percentile >= 0\.9,/);
    expect(days(raised.firstSeenAt, raised.dueAt ?? '')).toBe(3.5);

    const audit = await expectStatus<{ items: { action: string; summary: { before: unknown } }[] }>(
      call('GET', '/v1/audit?action=policy.update', { token: adminToken }),
      200,
    );
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]?.summary.before).toBe('default');

    await expectStatus(call('DELETE', '/v1/policy', { token: adminToken }), 200);
    expect(byHost(await findings(adminToken), 'web-old', 'DSA-3029-1').priority).toBe(2);
  });

  it('tells the toolbar of each new P1 and KEV finding once, in order, with an ETag', async () => {
    const { adminToken } = await newTenant();
    const viewer = await newToken(adminToken, 'viewer');
    await fleet(adminToken);
    const start = await expectStatus<{ items: EventItem[]; cursor: string }>(
      call('GET', '/v1/events?since=now', { token: viewer }),
      200,
    );
    expect(start.items).toEqual([]);

    await importAs(adminToken, dsaNginx);
    const policy = await expectStatus<{ policy: Record<string, unknown> }>(
      call('GET', '/v1/policy', { token: viewer }),
      200,
    );
    await expectStatus(
      call('PUT', '/v1/policy', {
        token: adminToken,
        json: { ...policy.policy, epss: [{ percentileAtLeast: 0.9, priority: 1 }] },
      }),
      200,
    );
    await importAs(adminToken, msrcKernel);

    const res = await call('GET', `/v1/events?since=${start.cursor}`, { token: viewer });
    const etag = res.headers.get('etag');
    const page = await expectStatus<{ items: EventItem[]; cursor: string; more: boolean }>(res, 200);
    expect(page.items.map((e) => [e.kind, e.subject, e.summary])).toEqual([
      ['finding.p1', 'advisory:DSA-3029-1', 'P1: DSA-3029-1 (CVE-2014-3616) on 1 host (1 in prod)'],
      [
        'finding.kev',
        'advisory:msrc_CVE-2024-21338',
        'On CISA KEV: msrc_CVE-2024-21338 (CVE-2024-21338) affects 2 hosts (1 in prod)',
      ],
    ]);
    expect(page.items[1]?.payload).toMatchObject({
      priority: 1,
      hosts: 2,
      prodHosts: 1,
      hostnames: ['app-07', 'dc-01'],
    });
    expect(page.more).toBe(false);

    // Nothing new: the same answer, and 304 to a client that has it.
    const again = await call('GET', `/v1/events?since=${start.cursor}`, {
      token: viewer,
      headers: { 'if-none-match': etag ?? '' },
    });
    expect(again.status).toBe(304);
    // Triage running again (a new report of the same software, the same import) announces nothing twice.
    await putSoftware(adminToken, 'dc-01', getHotfix, 'application/x-windows-hotfix+json');
    await importAs(adminToken, msrcKernel);
    const after = await expectStatus<{ items: EventItem[] }>(
      call('GET', `/v1/events?since=${page.cursor}`, { token: viewer }),
      200,
    );
    expect(after.items).toEqual([]);

    // Another tenant sees none of it; an agent may not read events; a forged cursor is a 400.
    const other = await newTenant();
    const theirs = await expectStatus<{ items: EventItem[] }>(
      call('GET', '/v1/events', { token: other.adminToken }),
      200,
    );
    expect(theirs.items).toEqual([]);
    const agent = await newToken(adminToken, 'agent', 'dc-01');
    await expectStatus(call('GET', '/v1/events', { token: agent }), 403);
    await expectStatus(call('GET', '/v1/events?since=garbage!', { token: viewer }), 400);
  });

  // Last in the file: it rescores the CVE the others rely on.
  it('leaves a bulk EPSS rescoring to the cron sweep, which re-prioritises every tenant', async () => {
    const { adminToken } = await newTenant();
    await fleet(adminToken);
    await importAs(adminToken, dsaNginx);
    expect(byHost(await findings(adminToken), 'web-old', 'DSA-3029-1').priority).toBe(2);

    // A daily file rescores every CVE: too many to name, so the sweep is requested instead.
    const rows = ['CVE-2014-3616,0.01000,0.50000'];
    for (let i = 0; i < CVES_FOR_IMMEDIATE_TRIAGE; i += 1) rows.push(`CVE-2099-${10000 + i},0.00100,0.10000`);
    await importAs(
      ROOT_TOKEN,
      `#model_version:v2023.03.01,score_date:2025-02-21T00:00:00+0000\ncve,epss,percentile\n${rows.join('\n')}\n`,
      'text/csv',
      'epss',
    );
    expect(byHost(await findings(adminToken), 'web-old', 'DSA-3029-1').priority).toBe(2);
    expect(await env.DB.prepare('SELECT count(*) AS n FROM triage_sweep').first('n')).toBe(1);

    const outcome = await runSweep(env.DB, () => new Date(), 60_000);
    expect(outcome.pending).toBe(false);
    const swept = byHost(await findings(adminToken), 'web-old', 'DSA-3029-1');
    expect(swept.priority).toBe(4);
    expect(swept.priorityReason).toContain('EPSS 0.01 (percentile 0.5, CVE-2014-3616)');
    expect(await env.DB.prepare('SELECT count(*) AS n FROM triage_sweep').first('n')).toBe(0);
  });
});
