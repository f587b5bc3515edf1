/**
 * The MSRC advisories as the store and the matcher read them: Windows hosts are affected below the
 * fixed build unless they have a fixing KB installed, or a KB that supersedes one.
 */

import { env } from 'cloudflare:workers';
import { versionKey } from '@patchboard/shared/versions/index';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditActor } from '../../db/audit';
import { listFindings } from '../../db/findings';
import { findHost, upsertHostStatements } from '../../db/hosts';
import { replaceSoftwareStatements } from '../../db/inventory';
import { insertTenantStatement } from '../../db/tenants';
import { rematchStatements } from '../../match/rematch';
import { storeRecords } from '../store';
import { parseMonthlyDocument } from './parse';
import feb from './testdata/2024-Feb.json?raw';
import jan from './testdata/2024-Jan.json?raw';

const tenantId = `msrc-${crypto.randomUUID().slice(0, 8)}`;
const at = '2026-11-27T00:00:00.000Z';
const agent: AuditActor = { tenantId, at, actor: 'test', actorRole: 'admin' };
const ECOSYSTEM = 'Windows:10.0.20348';

/** A Windows host reporting its build and hotfixes, matched as the software route does (host-scope rematch). */
async function windowsHost(hostname: string, build: string, kbs: string[]): Promise<number> {
  await env.DB.batch(
    upsertHostStatements(env.DB, agent, {
      hostname,
      osFamily: 'windows',
      osRelease: build,
      ecosystem: ECOSYSTEM,
      ring: undefined,
      criticality: undefined,
      internetFacing: undefined,
      tags: undefined,
      owner: undefined,
    }),
  );
  const host = await findHost(env.DB, tenantId, hostname);
  if (!host) throw new Error('host not stored');
  const key = versionKey(ECOSYSTEM, build);
  await env.DB.batch([
    ...replaceSoftwareStatements(env.DB, agent, {
      id: crypto.randomUUID(),
      tenantId,
      hostId: host.id,
      hostname,
      format: 'windows-hotfix',
      packages: [
        {
          ecosystem: ECOSYSTEM,
          name: 'windows',
          version: build,
          arch: '',
          sourceName: null,
          sourceVersion: null,
          purl: null,
          matchName: 'windows',
          matchVersion: build,
          matchKey: typeof key === 'string' ? key : null,
        },
      ],
      hotfixes: kbs.map((kb) => ({ kb, installedOn: null })),
    }),
    ...rematchStatements(env.DB, { kind: 'host', hostId: host.id }, at),
  ]);
  return host.id;
}

async function openAdvisories(hostId: number): Promise<string[]> {
  const rows = await listFindings(env.DB, tenantId, { hostId, status: 'open', limit: 100, now: new Date(at) });
  return rows.map((r) => r.advisory).sort();
}

async function storeMonths(...texts: string[]): Promise<void> {
  const feedActor = { tenantId: '', at, actor: 'feed:msrc', actorRole: 'feed' };
  for (const text of texts) {
    const { records } = await parseMonthlyDocument(JSON.parse(text), 'test', text);
    const { quarantined } = await storeRecords(env.DB, records, { scope: '', actor: feedActor });
    expect(quarantined).toEqual([]);
  }
}

describe('Windows Server 2022 hosts against January and February 2024', () => {
  const hosts: Record<string, number> = {};

  beforeAll(async () => {
    await insertTenantStatement(env.DB, { id: tenantId, name: tenantId, created_at: at }).run();
    hosts.stale = await windowsHost('srv-stale', '10.0.20348.2113', ['KB5032198']);
    await storeMonths(jan, feb);
    hosts.november = await windowsHost('srv-november', '10.0.20348.2113', ['KB5032198']);
    hosts.january = await windowsHost('srv-january', '10.0.20348.2227', ['KB5034129']);
    // Reports an old build but has February's update: the KB, through supersedence, settles January too.
    hosts.februaryKb = await windowsHost('srv-february-kb', '10.0.20348.2113', ['KB5034770']);
  });

  it("a host on November's build has every Windows CVE of both months", async () => {
    const all = [
      'MSRC-CVE-2024-20666',
      'MSRC-CVE-2024-20674',
      'MSRC-CVE-2024-21307',
      'MSRC-CVE-2024-21351',
      'MSRC-CVE-2024-21412',
    ];
    expect(await openAdvisories(hosts.november ?? 0)).toEqual(all);
    // Matched when the advisories arrived (advisory-scope rematch) as when the host reported.
    expect(await openAdvisories(hosts.stale ?? 0)).toEqual(all);
  });

  it("a host on January's build has only February's", async () => {
    expect(await openAdvisories(hosts.january ?? 0)).toEqual(['MSRC-CVE-2024-21351', 'MSRC-CVE-2024-21412']);
  });

  it("a host with February's KB has none, January's CVEs settled by KB5034770 superseding KB5034129", async () => {
    expect(await openAdvisories(hosts.februaryKb ?? 0)).toEqual([]);
  });

  // Known gap in feeds/store.ts, not in this adapter: a new supersedence edge rematches only the
  // advisories stored with it, so January's findings of a host that already had February's KB
  // when January was stored stay open until that host reports again. Flip to it() once fixed.
  it('a host that had the superseding KB before the months were stored is spared too', async () => {
    await env.DB.prepare('DELETE FROM kb_supersedence').run();
    await env.DB.prepare('DELETE FROM kb_implies').run();
    await env.DB.prepare("DELETE FROM advisories WHERE id LIKE 'MSRC-%'").run();
    const early = await windowsHost('srv-early', '10.0.20348.2113', ['KB5034770']);
    await storeMonths(jan, feb);
    expect(await openAdvisories(early)).toEqual([]);
  });
});
