/**
 * Matching at fleet scale, on the real engine: a local D1 (Miniflare's, the SQLite that workerd
 * runs) with the real migrations and the worker's own statements. Generates 10,000 hosts x 1,000
 * installed packages and 100,000 affected ranges, then measures
 *   - the baseline: the same join as plain equality on (ecosystem, package), no version logic;
 *   - the version-aware join (the matcher's conditions), and the full rematch that stages the
 *     matches and writes them as findings, chunked by host ids as a cron job would run it;
 *   - incremental rematches: one new advisory, and one host's software report.
 * Sizes can be scaled down for a quick look: BENCH_HOSTS=1000 npm run bench.
 */
import { readD1Migrations } from '@cloudflare/vitest-pool-workers';
import type { AdvisoryDocument } from '@patchboard/shared/schemas/advisory';
import { versionKey } from '@patchboard/shared/versions/index';
import { Miniflare } from 'miniflare';
import { rangeRows, upsertAdvisoryStatements } from '../src/db/advisories';
import { type PackageRecord, replaceSoftwareStatements } from '../src/db/inventory';
import { rematchStatements } from '../src/match/rematch';
import { measure, median, ratio, seconds, type Timing } from './timing';

const HOSTS = Number(process.env.BENCH_HOSTS ?? 10_000);
const PACKAGES_PER_HOST = 1_000;
const UNIVERSE = 3_000; // package names per ecosystem
const VERSIONS = 6; // versions per package, oldest first
const RANGES = Number(process.env.BENCH_RANGES ?? 100_000);
const RANGES_PER_ADVISORY = 5;
const ADVISORY_CHUNK = 2_000;

const ecosystems = [
  {
    name: 'Debian:12',
    family: 'debian',
    version: (p: number, v: number) => `${1 + (p % 9)}.${p % 31}.${v}-${1 + (v % 3)}+deb12u${v}`,
  },
  {
    name: 'Ubuntu:22.04',
    family: 'ubuntu',
    version: (p: number, v: number) => `${1 + (p % 7)}.${p % 29}.${v}-0ubuntu0.22.04.${v + 1}`,
  },
  {
    name: 'Red Hat:9',
    family: 'rhel',
    version: (p: number, v: number) => `${p % 5}:${1 + (p % 11)}.${p % 17}-${20 + v}.el9_4.${v}`,
  },
  { name: 'Alpine:v3.20', family: 'alpine', version: (p: number, v: number) => `${1 + (p % 13)}.${p % 23}.${v}-r${v}` },
] as const;

/**
 * Deterministic spreads in SQL (no RANDOM(), so every run measures the same data): installed
 * versions lean to the newest (85 % newest, 0.3 % oldest), fixed versions to older ones, so that
 * about 1 % of the candidate (package, range) pairs are affected, as in a well-kept fleet.
 */
const INSTALLED_VIDX = `CASE
  WHEN x < 850 THEN 5 WHEN x < 930 THEN 4 WHEN x < 970 THEN 3 WHEN x < 990 THEN 2 WHEN x < 997 THEN 1 ELSE 0 END`;
const FIXED_VIDX = `CASE WHEN y < 60 THEN 1 WHEN y < 85 THEN 2 WHEN y < 95 THEN 3 ELSE 4 END`;

async function main(): Promise<void> {
  console.log(`Patchboard matching bench: ${HOSTS} hosts x ${PACKAGES_PER_HOST} packages, ${RANGES} affected ranges`);
  const mf = new Miniflare({
    modules: true,
    script: 'export default { fetch() { return new Response(null, { status: 404 }); } }',
    compatibilityDate: '2026-04-20',
    d1Databases: { DB: 'bench' },
    // BENCH_DB=/some/dir keeps the generated database between runs (generation takes minutes at full size).
    ...(process.env.BENCH_DB ? { d1Persist: process.env.BENCH_DB } : {}),
  });
  try {
    const db = await mf.getD1Database('DB');
    const timings: Timing[] = [];

    const existing = await db
      .prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'bench_versions'")
      .first<{ n: number }>();
    if (existing?.n) {
      await db.prepare('DELETE FROM findings').run();
      await db.prepare("DELETE FROM advisories WHERE id LIKE 'BENCH-NEW-%'").run();
      console.log('  reusing the generated database in BENCH_DB');
    } else {
      for (const migration of await readD1Migrations(new URL('../migrations', import.meta.url).pathname)) {
        for (const query of migration.queries) await db.prepare(query).run();
      }
      timings.push(await measure('generate fleet and advisories', () => generate(db)));
    }
    const counts = await db
      .prepare(
        `SELECT (SELECT count(*) FROM hosts) AS hosts, (SELECT count(*) FROM installed_packages) AS installed,
                (SELECT count(*) FROM affected_ranges) AS ranges`,
      )
      .first<{ hosts: number; installed: number; ranges: number }>();
    console.log(`  ${counts?.hosts} hosts, ${counts?.installed} installed packages, ${counts?.ranges} affected ranges`);

    const baseline = await measure('baseline: equality join on (ecosystem, package)', async () => {
      const row = await db
        .prepare(
          `SELECT count(*) AS n FROM installed_packages i
           JOIN affected_ranges r ON r.ecosystem = i.ecosystem AND r.package = i.match_name`,
        )
        .first<{ n: number }>();
      return `${row?.n} candidate pairs`;
    });
    const versioned = await measure('version-aware join (the matcher’s conditions)', async () => {
      const row = await db
        .prepare(
          `SELECT count(*) AS n FROM installed_packages i
           JOIN affected_ranges r ON r.ecosystem = i.ecosystem AND r.package = i.match_name
           WHERE i.match_key >= r.lower_key AND i.match_key <= coalesce(r.upper_key, char(127))
             AND (r.lower_inclusive = 1 OR i.match_key <> r.lower_key)
             AND (r.upper_inclusive = 1 OR r.upper_key IS NULL OR i.match_key <> r.upper_key)`,
        )
        .first<{ n: number }>();
      return `${row?.n} affected pairs`;
    });
    if (process.env.BENCH_DETAIL) {
      // Where the time of one chunk goes, statement by statement (distorts the full rematch below).
      const names = ['resolve findings that no longer match', 'upsert findings from the join'];
      const statements = rematchStatements(
        db,
        { kind: 'advisories', fromPk: 1, toPk: ADVISORY_CHUNK },
        new Date().toISOString(),
      );
      for (const [i, statement] of statements.entries()) {
        const started = performance.now();
        const result = await statement.run();
        console.log(`    ${names[i]}: ${seconds(performance.now() - started)} (${result.meta.changes} rows)`);
      }
    }
    const advisoryCount = Math.ceil(RANGES / RANGES_PER_ADVISORY);
    let written = 0;
    const fullRematch = async () => {
      const now = new Date().toISOString();
      written = 0;
      for (let from = 1; from <= advisoryCount; from += ADVISORY_CHUNK) {
        const scope = { kind: 'advisories', fromPk: from, toPk: from + ADVISORY_CHUNK - 1 } as const;
        const results = await db.batch(rematchStatements(db, scope, now));
        written += results.reduce((sum, r) => sum + r.meta.changes, 0);
      }
      return undefined;
    };
    const full = await measure(`full rematch from no findings (${ADVISORY_CHUNK}-advisory batches)`, fullRematch);
    const open = await db.prepare("SELECT count(*) AS n FROM findings WHERE status = 'open'").first<{ n: number }>();
    const fullNote = `${open?.n} open findings, ${written} rows written`;
    const again = await measure('full rematch again, nothing changed', fullRematch);
    const againNote = `${written} rows written`;
    timings.push(baseline, versioned, { ...full, note: fullNote }, { ...again, note: againNote });

    const advisoryRuns: number[] = [];
    for (let run = 0; run < 21; run++) advisoryRuns.push(await importOneAdvisory(db, run));
    if (process.env.BENCH_DETAIL) await reportOneHost(db, 99, true);
    const reportRuns: number[] = [];
    for (let run = 0; run < 21; run++) reportRuns.push(await reportOneHost(db, run));

    console.log('\nResults');
    for (const t of timings) console.log(`  ${t.label.padEnd(62)} ${seconds(t.ms).padStart(9)}   ${t.note ?? ''}`);
    console.log(
      `  ${'incremental: one new advisory, median of 21'.padEnd(62)} ${`${median(advisoryRuns).toFixed(1)} ms`.padStart(9)}`,
    );
    console.log(
      `  ${'incremental: one host report (1,000 packages), median of 21'.padEnd(62)} ${`${median(reportRuns).toFixed(1)} ms`.padStart(9)}`,
    );
    console.log('\nRatios against the baseline join in this run');
    console.log(`  version-aware join / baseline:            ${ratio(versioned.ms, baseline.ms)}`);
    console.log(`  full rematch from no findings / baseline: ${ratio(full.ms, baseline.ms)}`);
    console.log(`  full rematch again / baseline:            ${ratio(again.ms, baseline.ms)}`);
  } finally {
    await mf.dispose();
  }
}

async function generate(db: D1Database): Promise<string> {
  await db
    .prepare("INSERT INTO tenants (id, name, created_at) VALUES ('tn_bench', 'bench', '2026-01-01T00:00:00Z')")
    .run();
  await db
    .prepare(
      `WITH RECURSIVE n(id) AS (SELECT 1 UNION ALL SELECT id + 1 FROM n WHERE id < ?1)
       INSERT INTO hosts (id, tenant_id, hostname, os_family, os_release, ecosystem, created_at, updated_at)
       SELECT id, 'tn_bench', 'host-' || id, json_extract(?2, '$[' || (id % 4) || '].family'), '1',
              json_extract(?2, '$[' || (id % 4) || '].name'), '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM n`,
    )
    .bind(HOSTS, JSON.stringify(ecosystems.map(({ name, family }) => ({ name, family }))))
    .run();

  // Every package version with its order-preserving key, computed by the real schemes.
  await db
    .prepare(
      'CREATE TABLE bench_versions (e INTEGER, p INTEGER, v INTEGER, version TEXT, key TEXT, PRIMARY KEY (e, p, v))',
    )
    .run();
  const rows: [number, number, number, string, string][] = [];
  ecosystems.forEach((eco, e) => {
    for (let p = 0; p < UNIVERSE; p++) {
      for (let v = 0; v < VERSIONS; v++) {
        const version = eco.version(p, v);
        const key = versionKey(eco.name, version);
        if (typeof key !== 'string') throw new Error(`${eco.name} ${version}: ${key.reason}`);
        rows.push([e, p, v, version, key]);
      }
    }
  });
  for (let i = 0; i < rows.length; i += 2_000) {
    await db
      .prepare(
        'INSERT INTO bench_versions SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4 FROM json_each(?1)',
      )
      .bind(JSON.stringify(rows.slice(i, i + 2_000)))
      .run();
  }
  await db
    .prepare(
      `CREATE TABLE bench_slots AS WITH RECURSIVE s(slot) AS (SELECT 0 UNION ALL SELECT slot + 1 FROM s WHERE slot < ${PACKAGES_PER_HOST - 1})
       SELECT slot FROM s`,
    )
    .run();

  // Host h of ecosystem h % 4 has packages 3*slot + h % 3: 1,000 distinct names of the 3,000.
  for (let from = 1; from <= HOSTS; from += 500) {
    await db
      .prepare(
        `INSERT INTO installed_packages (tenant_id, host_id, ecosystem, name, version, arch, source_name, source_version,
                                         match_name, match_version, match_key)
         SELECT 'tn_bench', h.id, h.ecosystem, 'pkg' || bv.p, bv.version, 'x86_64', 'pkg' || bv.p, bv.version,
                'pkg' || bv.p, bv.version, bv.key
         FROM hosts h CROSS JOIN bench_slots s
         JOIN bench_versions bv ON bv.e = h.id % 4 AND bv.p = s.slot * 3 + h.id % 3
           AND bv.v = (SELECT ${INSTALLED_VIDX} FROM (SELECT (h.id * 7919 + s.slot * 104729) % 1000 AS x))
         WHERE h.id BETWEEN ?1 AND ?2`,
      )
      .bind(from, Math.min(from + 499, HOSTS))
      .run();
  }

  // 100,000 ranges: advisory a has 5 packages of ecosystem a % 4, each fixed at an older version.
  const advisories = Math.ceil(RANGES / RANGES_PER_ADVISORY);
  await db
    .prepare(
      `WITH RECURSIVE n(a) AS (SELECT 1 UNION ALL SELECT a + 1 FROM n WHERE a < ?1)
       INSERT INTO advisories (pk, scope, id, source, modified, document, content_hash, imported_at, updated_at)
       SELECT a, '', 'BENCH-' || a, 'bench', '2026-01-01T00:00:00Z', '{}', 'h' || a, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM n`,
    )
    .bind(advisories)
    .run();
  await db
    .prepare(
      `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?1 - 1),
       picks AS (SELECT i, 1 + i / ${RANGES_PER_ADVISORY} AS a, (1 + i / ${RANGES_PER_ADVISORY}) % 4 AS e,
                        (i * 2654435761) % ${UNIVERSE} AS p, (i * 40503) % 100 AS y FROM n)
       INSERT INTO affected_ranges (advisory_pk, ecosystem, package, lower_key, upper_key, upper_inclusive, fixed, explanation)
       SELECT picks.a, json_extract(?2, '$[' || picks.e || ']'), 'pkg' || picks.p, '', bv.key, 0, bv.version,
              '< ' || bv.version || ' (fixed in BENCH-' || picks.a || ')'
       FROM picks JOIN bench_versions bv ON bv.e = picks.e AND bv.p = picks.p AND bv.v = (SELECT ${FIXED_VIDX})`,
    )
    .bind(RANGES, JSON.stringify(ecosystems.map((e) => e.name)))
    .run();
  await db.prepare('ANALYZE').run();
  return `${rows.length} distinct versions keyed`;
}

/** A new advisory for five packages of one ecosystem, stored and matched in one batch, as the import route does. */
async function importOneAdvisory(db: D1Database, run: number): Promise<number> {
  const eco = ecosystems[run % 4];
  if (!eco) throw new Error('no ecosystem');
  const advisory: AdvisoryDocument = {
    id: `BENCH-NEW-${run}`,
    source: 'bench',
    summary: null,
    details: null,
    published: null,
    modified: '2026-01-02T00:00:00Z',
    withdrawn: null,
    aliases: [],
    cves: [],
    references: [],
    affected: [0, 1, 2, 3, 4].map((k) => ({
      ecosystem: eco.name,
      package: `pkg${(run * 37 + k * 613) % UNIVERSE}`,
      intervals: [{ fixed: eco.version((run * 37 + k * 613) % UNIVERSE, 3) }],
    })),
    skipped: [],
    severity: [],
    remediations: [],
    notAffected: [],
    threats: [],
  };
  const ranges = rangeRows(advisory);
  if ('error' in ranges) throw new Error(ranges.error);
  const actor = { tenantId: 'tn_bench', at: new Date().toISOString(), actor: 'bench', actorRole: 'admin' };
  const started = performance.now();
  await db.batch([
    ...upsertAdvisoryStatements(db, actor, '', advisory, ranges, `bench-${run}`),
    ...rematchStatements(db, { kind: 'advisory', id: advisory.id, tenantId: null }, actor.at),
  ]);
  return performance.now() - started;
}

/** One host reports its 1,000 packages with ten of them upgraded; inventory diff and rematch in one batch. */
async function reportOneHost(db: D1Database, run: number, detail = false): Promise<number> {
  const hostId = 1 + ((run * 397) % HOSTS);
  const eco = ecosystems[hostId % 4];
  if (!eco) throw new Error('no ecosystem');
  const packages: PackageRecord[] = [];
  for (let slot = 0; slot < PACKAGES_PER_HOST; slot++) {
    const p = slot * 3 + (hostId % 3);
    const version = eco.version(p, slot < 10 ? (run % 2) * 5 : 5);
    const key = versionKey(eco.name, version);
    packages.push({
      ecosystem: eco.name,
      name: `pkg${p}`,
      version,
      arch: 'x86_64',
      sourceName: `pkg${p}`,
      sourceVersion: version,
      purl: null,
      matchName: `pkg${p}`,
      matchVersion: version,
      matchKey: typeof key === 'string' ? key : null,
    });
  }
  const actor = {
    tenantId: 'tn_bench',
    at: new Date(Date.now() + run).toISOString(),
    actor: 'bench',
    actorRole: 'agent',
  };
  const report = {
    id: `rp_bench_${run}`,
    tenantId: 'tn_bench',
    hostId,
    hostname: `host-${hostId}`,
    format: 'bench',
    packages,
    hotfixes: [],
  };
  const statements = [
    ...replaceSoftwareStatements(db, actor, report),
    ...rematchStatements(db, { kind: 'host', hostId }, actor.at),
  ];
  if (detail) {
    for (const [i, statement] of statements.entries()) {
      const started = performance.now();
      const result = await statement.run();
      console.log(`    report statement ${i}: ${seconds(performance.now() - started)} (${result.meta.changes} rows)`);
    }
    return 0;
  }
  const started = performance.now();
  await db.batch(statements);
  return performance.now() - started;
}

await main();
