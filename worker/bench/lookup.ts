/**
 * `GET /v1/lookup` at fleet scale, on the real engine: a local D1 (Miniflare's, the SQLite that
 * workerd runs) with the real migrations, and the worker's own lookup (worker/src/lookup/). Generates
 * 10,000 hosts of one tenant in the rings test / pilot / prod (and 2,000 of another tenant with
 * findings on the same advisories), 22,000 advisories with their aliases, affected ranges and the
 * KBs that fix the Windows ones, about 1.4 million findings with statuses and priorities, and the
 * KEV, EPSS and NVD facts of their CVEs; then answers 500 mixed ids 50 times and prints p50 / p95 /
 * max beside two baselines measured in the same process on the same data:
 *   - the same 500 ids resolved to their advisories only (the lookup's first statement);
 *   - a plain primary-key read of 500 advisories.
 * Sizes can be scaled down for a quick look: BENCH_HOSTS=1000 tsx worker/bench/lookup.ts.
 * BENCH_DETAIL=1 also times each statement of one lookup on its own.
 */
import { readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { isAdvisoryId, parseAdvisoryId } from '@patchboard/shared/ids';
import { Miniflare } from 'miniflare';
import { lookupIds } from '../src/lookup/lookup';
import { lookupStatement, resolveStatement } from '../src/lookup/queries';
import { wantedFor } from '../src/lookup/wanted';
import { measure, ratio, seconds } from './timing';

const HOSTS = Number(process.env.BENCH_HOSTS ?? 10_000);
const OTHER_HOSTS = Math.round(HOSTS / 5);
/** Advisories of the four host ecosystems (Windows, Debian, Ubuntu, Red Hat: pk % 4), in groups of four sharing a CVE. */
const ADVISORIES = 20_000;
/** Advisories of an ecosystem the tenant does not run (AlmaLinux): known, with no host. */
const ALMA_ADVISORIES = 2_000;
const RANGES_PER_ADVISORY = 3;
/** Every 47th advisory affects 20-80 % of the hosts of its ecosystem (see generate). */
const HEAVY_EVERY = 47;
/** Each Windows cumulative update (KB) fixes the Windows advisories of this many groups. */
const GROUPS_PER_KB = 20;
const IDS = 500;
const RUNS = 50;
const WARMUP = 5;
const TENANT = 'tn_bench';
const OTHER = 'tn_other';

const perEcosystem = Math.floor(HOSTS / 4);

async function main(): Promise<void> {
  console.log(`Patchboard lookup bench: ${IDS} mixed ids against ${HOSTS} hosts, ${RUNS} runs`);
  const mf = new Miniflare({
    modules: true,
    script: 'export default { fetch() { return new Response(null, { status: 404 }); } }',
    compatibilityDate: '2026-04-20',
    d1Databases: { DB: 'bench-lookup' },
    // BENCH_DB=/some/dir keeps the generated database for the next run (a directory of its own).
    ...(process.env.BENCH_DB ? { d1Persist: process.env.BENCH_DB } : {}),
  });
  try {
    const db = await mf.getD1Database('DB');
    const existing = await db
      .prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'findings_for_lookup'")
      .first<{ n: number }>();
    let generated: number | undefined;
    if (existing?.n) {
      console.log('  reusing the generated database in BENCH_DB');
    } else {
      for (const migration of await readD1Migrations(new URL('../migrations', import.meta.url).pathname)) {
        for (const query of migration.queries) await db.prepare(query).run();
      }
      generated = (await measure('generate hosts, advisories, findings and CVE facts', () => generate(db))).ms;
    }
    const counts = await db
      .prepare(
        `SELECT (SELECT count(*) FROM hosts) AS hosts, (SELECT count(*) FROM advisories) AS advisories,
                (SELECT count(*) FROM advisory_aliases) AS aliases, (SELECT count(*) FROM affected_ranges) AS ranges,
                (SELECT count(*) FROM findings) AS findings,
                (SELECT count(*) FROM findings WHERE tenant_id = ?1) AS own`,
      )
      .bind(TENANT)
      .first<Record<string, number>>();
    console.log(
      `  ${counts?.hosts} hosts, ${counts?.advisories} advisories, ${counts?.aliases} aliases, ${counts?.ranges} ranges, ` +
        `${counts?.findings} findings (${counts?.own} of the measured tenant)`,
    );

    const ids = mixedIds();
    const answer = await lookupIds(
      db,
      TENANT,
      ids.map((i) => i.id),
    );
    const known = answer.filter((item) => item.known).length;
    const affected = answer.reduce((sum, item) => sum + item.hosts.affected, 0);
    const findings = answer.reduce(
      (sum, item) =>
        sum + item.findings.open + item.findings.scheduled + item.findings.excepted + item.findings.resolved,
      0,
    );
    const pairs = answer.reduce((sum, item) => sum + item.advisoryCount, 0);
    console.log('\nThe 500 ids');
    for (const [kind, n] of countBy(ids.map((i) => i.group))) console.log(`  ${String(n).padStart(4)}  ${kind}`);
    console.log(
      `  answer: ${known} known, ${pairs} (id, advisory) pairs, ${affected} affected hosts summed over ids, ${findings} findings counted`,
    );
    for (const group of ['many affected hosts', 'CVE of several advisories', 'KB']) {
      const items = answer.filter((_, i) => ids[i]?.group === group);
      const hosts = items.map((item) => item.hosts.affected);
      console.log(
        `  ${group}: affected hosts per id ${Math.min(...hosts)}-${Math.max(...hosts)}, advisories per id up to ${Math.max(...items.map((i) => i.advisoryCount))}`,
      );
    }

    if (process.env.BENCH_DETAIL)
      await detail(
        db,
        ids.map((i) => i.id),
      );

    const lookupRuns = await runs(() =>
      lookupIds(
        db,
        TENANT,
        ids.map((i) => i.id),
      ),
    );
    const wanted = ids.flatMap(({ id }, idx) => {
      const parsed = parseAdvisoryId(id);
      return isAdvisoryId(parsed) ? [wantedFor(idx, parsed)] : [];
    });
    const resolveRuns = await runs(() => resolveStatement(db, TENANT, wanted).all());
    const pks = JSON.stringify(Array.from({ length: IDS }, (_, i) => 1 + ((i * 7919) % ADVISORIES)));
    const pkRuns = await runs(() =>
      db.prepare('SELECT a.* FROM json_each(?1) j JOIN advisories a ON a.pk = j.value').bind(pks).all(),
    );

    console.log('\nResults (ms over 50 runs after 5 warm-up runs)');
    console.log(`  ${'measurement'.padEnd(58)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'max'.padStart(8)}`);
    for (const [label, values] of [
      ['lookup of the 500 ids (one statement)', lookupRuns],
      ['baseline: the same ids resolved to advisories only', resolveRuns],
      ['baseline: primary-key read of 500 advisories', pkRuns],
    ] as const) {
      console.log(
        `  ${label.padEnd(58)} ${ms(percentile(values, 50))} ${ms(percentile(values, 95))} ${ms(Math.max(...values))}`,
      );
    }
    console.log('\nRatios of the lookup (p50, p95) against the baselines in this run');
    console.log(
      `  against resolving only:    ${ratio(percentile(lookupRuns, 50), percentile(resolveRuns, 50))}, ${ratio(percentile(lookupRuns, 95), percentile(resolveRuns, 95))}`,
    );
    console.log(
      `  against 500 primary keys:  ${ratio(percentile(lookupRuns, 50), percentile(pkRuns, 50))}, ${ratio(percentile(lookupRuns, 95), percentile(pkRuns, 95))}`,
    );
    if (generated !== undefined) console.log(`  (generation took ${seconds(generated)})`);
  } finally {
    await mf.dispose();
  }
}

/** Wall-clock milliseconds of RUNS calls after WARMUP unmeasured ones. */
async function runs(work: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < WARMUP; i++) await work();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  return times;
}

/** Nearest-rank percentile. */
function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

function ms(value: number): string {
  return `${value.toFixed(1)}`.padStart(8);
}

function countBy(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

/** The native id of generated advisory `pk` (Windows ones are named by their CVE, as MSRC does). */
function nativeId(pk: number): string {
  const group = Math.floor((pk - 1) / 4);
  switch (pk % 4) {
    case 1:
      return `DSA-${1000 + group}-1`;
    case 2:
      return `USN-${1000 + group}-1`;
    case 3:
      return `RHSA-2024:${10000 + group}`;
    default:
      return `CVE-2024-${10000 + group}`;
  }
}

const isHeavy = (pk: number) => pk % HEAVY_EVERY === 0;

/**
 * 500 ids of the kinds a vendor page or a ticket lists, interleaved so no kind runs in a block:
 * 25 advisories affecting 20-80 % of their ecosystem's hosts, 125 affecting a few, 75 known with no
 * host (AlmaLinux, which the tenant does not run; some in the file-name spelling), 50 CVEs known only
 * from KEV/EPSS, 100 CVEs each named by four advisories (one per ecosystem), 50 KBs each fixing 20
 * advisories (a Windows version's 50 newest updates), 50 recognised ids that nothing names and 25 strings that are no id at all.
 */
function mixedIds(): { id: string; group: string }[] {
  const groups: { id: string; group: string }[][] = [];
  const heavy: number[] = [];
  for (let pk = HEAVY_EVERY; heavy.length < 25; pk += HEAVY_EVERY) if (pk % 4 !== 0) heavy.push(pk);
  groups.push(heavy.map((pk) => ({ id: nativeId(pk), group: 'many affected hosts' })));
  const light: number[] = [];
  for (let pk = 101; light.length < 125; pk += 37) if (pk % 4 !== 0 && !isHeavy(pk)) light.push(pk);
  groups.push(light.map((pk) => ({ id: nativeId(pk), group: 'a few affected hosts' })));
  groups.push(
    Array.from({ length: 75 }, (_, i) => ({
      id: i % 3 === 0 ? `alsa-2024_${1000 + i * 7}` : `ALSA-2024:${1000 + i * 7}`,
      group: 'known, no host',
    })),
  );
  groups.push(
    Array.from({ length: 50 }, (_, i) => ({ id: `CVE-2025-${20000 + i * 3}`, group: 'CVE with KEV/EPSS only' })),
  );
  groups.push(
    Array.from({ length: 100 }, (_, i) => ({
      id: `CVE-2024-${10000 + i * 47 + 3}`,
      group: 'CVE of several advisories',
    })),
  );
  // A version's update history: its 50 newest cumulative updates, newest first.
  const kbs = Math.ceil(ADVISORIES / 4 / GROUPS_PER_KB);
  groups.push(Array.from({ length: 50 }, (_, i) => ({ id: `KB${5030000 + kbs - 1 - i}`, group: 'KB' })));
  groups.push(
    Array.from({ length: 50 }, (_, i) => ({
      id:
        [
          `CVE-2099-${10000 + i}`,
          `USN-99${100 + i}-1`,
          `RHSA-2099:${1000 + i}`,
          `DSA-99${100 + i}-1`,
          `GHSA-2222-33${'cfghjmpq'[i % 8]}${'rvwx'[i % 4]}-4444`,
        ][i % 5] ?? '',
      group: 'recognised, unknown',
    })),
  );
  groups.push(
    Array.from({ length: 25 }, (_, i) => ({ id: i % 2 ? `GO-2024-${2600 + i}` : `openssl-${i}`, group: 'not an id' })),
  );
  // Round-robin over the groups: a mixed page, not blocks of one kind.
  const mixed: { id: string; group: string }[] = [];
  for (let i = 0; mixed.length < IDS; i++) {
    for (const group of groups) {
      const next = group[i];
      if (next && mixed.length < IDS) mixed.push(next);
    }
  }
  return mixed;
}

/** The lookup statement's own time in SQLite and its rows read, beside the resolution alone. */
async function detail(db: D1Database, ids: readonly string[]): Promise<void> {
  const wanted = ids.flatMap((id, idx) => {
    const parsed = parseAdvisoryId(id);
    return isAdvisoryId(parsed) ? [wantedFor(idx, parsed)] : [];
  });
  const statement = lookupStatement(db, TENANT, wanted);
  const started = performance.now();
  const result = await statement.all();
  console.log(
    `\nOne lookup: ${seconds(performance.now() - started)}, of which SQLite ${seconds(result.meta.duration)}, ${result.meta.rows_read} rows read`,
  );
  const resolved = await resolveStatement(db, TENANT, wanted).all();
  console.log(`  resolving only: SQLite ${seconds(resolved.meta.duration)}, ${resolved.meta.rows_read} rows read`);
}

async function generate(db: D1Database): Promise<undefined> {
  const at = '2026-01-01T00:00:00Z';
  await db
    .prepare(`INSERT INTO tenants (id, name, created_at) VALUES (?1, 'bench', ?3), (?2, 'other', ?3)`)
    .bind(TENANT, OTHER, at)
    .run();
  // Host h: ecosystem h % 4 (0 Windows, 1 Debian, 2 Ubuntu, 3 Red Hat); 5 % test, 15 % pilot, 80 % prod
  // in every ecosystem (the ring is taken from h / 4).
  // The other tenant's hosts follow on with the same pattern.
  await db
    .prepare(
      `WITH RECURSIVE n(id) AS (SELECT 1 UNION ALL SELECT id + 1 FROM n WHERE id < ?1 + ?2),
       eco(e, family, ecosystem) AS (VALUES (0, 'windows', 'Windows:10.0.20348'), (1, 'debian', 'Debian:12'),
                                            (2, 'ubuntu', 'Ubuntu:22.04'), (3, 'rhel', 'Red Hat:9'))
       INSERT INTO hosts (id, tenant_id, hostname, os_family, os_release, ecosystem, ring, criticality, internet_facing,
                          created_at, updated_at)
       SELECT id, CASE WHEN id <= ?1 THEN ?3 ELSE ?4 END, 'host-' || id, eco.family, '1', eco.ecosystem,
              CASE WHEN id / 4 % 20 = 0 THEN 'test' WHEN id / 4 % 20 <= 3 THEN 'pilot' ELSE 'prod' END,
              1 + id % 4, CASE WHEN id % 10 = 0 THEN 1 ELSE 0 END, ?5, ?5
       FROM n JOIN eco ON eco.e = n.id % 4`,
    )
    .bind(HOSTS, OTHER_HOSTS, TENANT, OTHER, at)
    .run();

  // Advisory pk of group g = (pk - 1) / 4: DSA, USN and RHSA name their group's CVE and one of their
  // own; the Windows one is MSRC's advisory of the group CVE. AlmaLinux advisories follow.
  await db
    .prepare(
      `WITH RECURSIVE n(pk) AS (SELECT 1 UNION ALL SELECT pk + 1 FROM n WHERE pk < ?1 + ?2),
       a AS (SELECT pk, (pk - 1) / 4 AS g, pk % 4 AS f, pk > ?1 AS alma FROM n)
       INSERT INTO advisories (pk, scope, id, source, summary, published, modified, cves, document, content_hash,
                               imported_at, updated_at)
       SELECT pk, '',
              CASE WHEN alma THEN 'ALSA-2024:' || (1000 + pk - ?1 - 1)
                   WHEN f = 1 THEN 'DSA-' || (1000 + g) || '-1' WHEN f = 2 THEN 'USN-' || (1000 + g) || '-1'
                   WHEN f = 3 THEN 'RHSA-2024:' || (10000 + g) ELSE 'MSRC-CVE-2024-' || (10000 + g) END,
              CASE WHEN alma THEN 'osv' WHEN f = 0 THEN 'msrc' WHEN f = 3 THEN 'csaf' ELSE 'osv' END,
              'bench advisory ' || pk, date('2020-01-01', '+' || (pk % 2000) || ' days') || 'T00:00:00.000Z', ?3,
              CASE WHEN alma THEN json_array('CVE-2022-' || (10000 + pk))
                   WHEN f = 0 THEN json_array('CVE-2024-' || (10000 + g))
                   ELSE json_array('CVE-2024-' || (10000 + g), 'CVE-2023-' || (10000 + pk)) END,
              '{}', 'h' || pk, ?3, ?3
       FROM a`,
    )
    .bind(ADVISORIES, ALMA_ADVISORIES, at)
    .run();
  await db
    .prepare(
      'INSERT INTO advisory_aliases (advisory_pk, alias) SELECT a.pk, j.value FROM advisories a, json_each(a.cves) j',
    )
    .run();

  // Three ranges per advisory; a Windows advisory's range is the OS build, fixed by its group's KB.
  await db
    .prepare(
      `WITH RECURSIVE r(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM r WHERE i < ?2 - 1)
       INSERT INTO affected_ranges (advisory_pk, ecosystem, package, lower_key, upper_key, fixed, explanation, kb_gated)
       SELECT a.pk,
              CASE WHEN a.pk > ?1 THEN 'AlmaLinux:9' ELSE (SELECT ecosystem FROM hosts WHERE id = 4 + a.pk % 4) END,
              CASE WHEN a.pk <= ?1 AND a.pk % 4 = 0 THEN 'windows' ELSE 'pkg' || ((a.pk * 7 + r.i * 1013) % 3000) END,
              '', printf('%08d', a.pk * 10 + r.i),
              CASE WHEN a.pk <= ?1 AND a.pk % 4 = 0 THEN '10.0.20348.' || (2000 + (a.pk - 1) / 4 / ${GROUPS_PER_KB})
                   ELSE '1.' || r.i || '.' || (a.pk % 100) || '-1' END,
              '< fixed (bench)', CASE WHEN a.pk <= ?1 AND a.pk % 4 = 0 THEN 1 ELSE 0 END
       FROM advisories a JOIN r ON r.i < CASE WHEN a.pk <= ?1 AND a.pk % 4 = 0 THEN 1 ELSE ?2 END`,
    )
    .bind(ADVISORIES, RANGES_PER_ADVISORY)
    .run();
  await db
    .prepare(
      `INSERT INTO range_kbs (range_id, kb)
       SELECT r.id, 'KB' || (5030000 + (r.advisory_pk - 1) / 4 / ${GROUPS_PER_KB}) FROM affected_ranges r WHERE r.kb_gated = 1`,
    )
    .run();

  // Findings: advisory pk affects `cnt` distinct hosts of its ecosystem, chosen by a stride coprime
  // with the ecosystem's host count from a seed. The Windows advisories fixed by one KB affect the
  // hosts still missing that update, and cumulative updates supersede each other, so those are the
  // hosts missing every update since: 20 % of the Windows hosts for the newest KB, 40 % fewer for
  // each month before, and never under 0.5 % (stragglers), each set inside the next newer one. Of
  // the other advisories, every 47th affects 20-80 % of its ecosystem's hosts, the rest 0-59 hosts.
  // Statuses 80 % open, 5 % scheduled, 3 % excepted, 12 % resolved; priorities 1-4 with due dates.
  await db.prepare('CREATE TABLE bench_seq (j INTEGER PRIMARY KEY)').run();
  await db
    .prepare(
      'WITH RECURSIVE s(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM s WHERE j < ?1 - 1) INSERT INTO bench_seq SELECT j FROM s',
    )
    .bind(perEcosystem)
    .run();
  const stride = coprimeStride(perEcosystem);
  for (const [tenant, firstHost, hostsPerEcosystem] of [
    [TENANT, 0, perEcosystem],
    [OTHER, HOSTS, Math.floor(OTHER_HOSTS / 4)],
  ] as const) {
    const kbs = Math.ceil(ADVISORIES / 4 / GROUPS_PER_KB);
    const unpatched = Array.from({ length: kbs }, (_, kb) =>
      Math.ceil(hostsPerEcosystem * Math.max(0.005, 0.2 * 0.6 ** (kbs - 1 - kb))),
    );
    for (let from = 1; from <= ADVISORIES; from += 2_000) {
      await db
        .prepare(
          `WITH a AS (SELECT pk, CASE WHEN pk % 4 = 0 THEN (pk - 1) / 4 / ${GROUPS_PER_KB} END AS kb
                     FROM advisories WHERE pk BETWEEN ?4 AND ?4 + 1999 AND pk <= ?6),
           counted AS (
             SELECT pk, CASE WHEN kb IS NULL THEN pk ELSE 0 END AS seed,
                    CASE WHEN kb IS NOT NULL THEN ?8 ->> kb
                         WHEN pk % ${HEAVY_EVERY} = 0 THEN ?3 * (20 + pk * 7919 % 61) / 100
                         ELSE pk * 7919 % 60 END AS cnt
             FROM a
           ),
           picks AS (SELECT c.pk, c.seed, s.j, (c.pk * 13 + s.j * 7) % 100 AS x, 1 + (c.pk + s.j) % 4 AS priority
                     FROM counted c JOIN bench_seq s ON s.j < min(CAST(c.cnt AS INTEGER), ?3))
           INSERT INTO findings (tenant_id, host_id, advisory_pk, ecosystem, package, installed_version, fixed_version,
                                 explanation, status, first_seen_at, updated_at, priority, due_at, priority_reason)
           SELECT ?1, ?2 + 4 * ((seed * 31 + j * ?7) % ?3) + CASE pk % 4 WHEN 0 THEN 4 ELSE pk % 4 END,
                  pk, '-', 'pkg' || (pk * 7 % 3000), '1.0-1', '1.0-2', 'bench finding',
                  CASE WHEN x < 80 THEN 'open' WHEN x < 85 THEN 'scheduled' WHEN x < 88 THEN 'excepted' ELSE 'resolved' END,
                  ?5, ?5, priority, date('2026-01-01', '+' || ((pk * 13 + j) % 90) || ' days') || 'T00:00:00.000Z',
                  'P' || priority || ': bench rule ' || (j % 7)
           FROM picks`,
        )
        .bind(tenant, firstHost, hostsPerEcosystem, from, at, ADVISORIES, stride, JSON.stringify(unpatched))
        .run();
    }
  }
  await db.prepare('DROP TABLE bench_seq').run();
  // What the triage pass keeps on each unresolved finding: its host's ring.
  await db
    .prepare(
      "UPDATE findings SET ring = (SELECT ring FROM hosts h WHERE h.id = findings.host_id) WHERE status <> 'resolved'",
    )
    .run();

  // CVE facts: KEV for every tenth group CVE, EPSS for every CVE, NVD records for the group CVEs;
  // and 300 CVEs known only from KEV/EPSS (no advisory).
  await db
    .prepare(
      `WITH RECURSIVE s(value) AS (SELECT 0 UNION ALL SELECT value + 1 FROM s WHERE value < 299),
       cves AS (SELECT DISTINCT value AS cve FROM advisories, json_each(advisories.cves)
                UNION SELECT 'CVE-2025-' || (20000 + value) FROM s)
       INSERT INTO epss_scores (cve, score, percentile, score_date, model_version)
       SELECT cve, (abs(unicode(substr(cve, -1)) * 7919 + length(cve) * 31) % 1000) / 1000.0,
              (abs(unicode(substr(cve, -2)) * 104729) % 1000) / 1000.0, '2026-01-01', 'v2023.03.01' FROM cves`,
    )
    .run();
  await db
    .prepare(
      `WITH RECURSIVE g(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM g WHERE i < ?1 / 4 - 1)
       INSERT INTO kev_entries (cve, vendor, product, name, description, date_added, due_date, required_action, ransomware, updated_at)
       SELECT 'CVE-2024-' || (10000 + i), 'v', 'p', 'n', 'd', '2025-12-01', date('2026-01-01', '+' || (i % 60) || ' days'),
              'Apply updates', CASE WHEN i % 3 = 0 THEN 'Known' ELSE 'Unknown' END, ?2 FROM g WHERE i % 10 = 0
       UNION ALL
       SELECT 'CVE-2025-' || (20000 + i), 'v', 'p', 'n', 'd', '2025-12-01', '2026-02-01', 'Apply updates', 'Unknown', ?2
       FROM g WHERE i < 300 AND i % 3 = 0`,
    )
    .bind(ADVISORIES, at)
    .run();
  await db
    .prepare(
      `INSERT INTO cve_records (cve, status, published, modified, updated_at)
       SELECT value, 'Analyzed', ?1, ?1, ?1 FROM (SELECT DISTINCT value FROM advisories, json_each(advisories.cves)
                                                 WHERE value LIKE 'CVE-2024-%')`,
    )
    .bind(at)
    .run();
  // No ANALYZE: D1 keeps no table statistics unless someone runs PRAGMA optimize, so the lookup is
  // measured with the plans SQLite picks without them (worker/src/lookup/queries.ts fixes join orders).
  return undefined;
}

/** A stride that visits every host of an ecosystem once before repeating (coprime with the count). */
function coprimeStride(n: number): number {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  let stride = 97;
  while (gcd(stride, n) !== 1) stride += 2;
  return stride;
}

await main();
