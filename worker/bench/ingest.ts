/**
 * Feed ingest: how fast the adapters turn documents into records, beside JSON.parse of the same
 * bytes (the least any reader must do), and how much memory the streamed sources hold on a 100 MB
 * body. Runs the adapters' own code in Node (the same JavaScript workerd runs); storing in D1 is
 * measured by the matching bench.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { readCsafDocument } from '../src/feeds/csaf/document';
import { syncDebianTracker } from '../src/feeds/debian-tracker/fetch';
import { syncEpss } from '../src/feeds/epss/fetch';
import type { FeedBatch, FeedKind, FeedRun } from '../src/feeds/feed';
import { readOsvText } from '../src/feeds/osv/record';
import { ratio, seconds } from './timing';

const here = new URL('.', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, here), 'utf8');
const MB = 1024 * 1024;

interface Throughput {
  readonly label: string;
  readonly documents: number;
  readonly bytes: number;
  readonly ms: number;
  readonly baselineMs: number;
}

async function throughput(
  label: string,
  texts: readonly string[],
  readOne: (text: string) => Promise<unknown>,
): Promise<Throughput> {
  const bytes = texts.reduce((sum, t) => sum + t.length, 0);
  // Warm both paths first, then measure each over the same texts.
  for (const text of texts.slice(0, 50)) {
    JSON.parse(text);
    await readOne(text);
  }
  let started = performance.now();
  for (const text of texts) JSON.parse(text);
  const baselineMs = performance.now() - started;
  started = performance.now();
  for (const text of texts) await readOne(text);
  const ms = performance.now() - started;
  return { label, documents: texts.length, bytes, ms, baselineMs };
}

/** Real OSV records, repeated under new ids to a realistic day's volume of a busy ecosystem. */
function osvTexts(count: number): string[] {
  const dir = new URL('../src/feeds/osv/testdata/', here);
  const records = readdirSync(dir)
    .filter((f) => f.endsWith('.json') && !f.startsWith('nopackage'))
    .map((f) => JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as { id: string });
  return Array.from({ length: count }, (_, i) => {
    const record = records[i % records.length] as { id: string };
    return JSON.stringify({ ...record, id: `${record.id}-B${i}` });
  });
}

/** Real CSAF documents (Red Hat, OASIS examples, VEX), each read as often as needed. */
function csafTexts(count: number): string[] {
  const dir = new URL('../src/feeds/csaf/validate/testdata/documents/', here);
  const texts = readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== 'rhsa-2003_315.json')
    .map((f) => readFileSync(new URL(f, dir), 'utf8'));
  return Array.from({ length: count }, (_, i) => texts[i % texts.length] as string);
}

/** A run for a streamed source: no database is touched by these adapters' sync. */
function streamRun(kind: FeedKind, body: ReadableStream<Uint8Array>, contentType: string): FeedRun {
  return {
    feed: { id: `bench-${kind}`, kind, url: '', config: {}, cursor: null, etag: null, lastModified: null },
    fetch: (async () => new Response(body, { headers: { 'content-type': contentType } })) as typeof fetch,
    now: new Date('2026-11-27T00:00:00Z'),
    deadline: Date.now() + 3_600_000,
    db: undefined as unknown as D1Database,
    secrets: {},
  };
}

/** A byte stream produced chunk by chunk, so the bench never holds the 100 MB body itself. */
function lazyBody(chunks: Iterator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    pull(controller) {
      const next = chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
  });
}

/** The Debian tracker's shape (package -> CVE -> releases), repeated to `size` bytes. */
function* trackerChunks(size: number): Generator<string> {
  const sample = JSON.parse(read('../dev/demo/feeds/debian-tracker.bookworm.json')) as Record<
    string,
    Record<string, unknown>
  >;
  const entries = Object.values(sample).flatMap((cves) => Object.values(cves));
  let written = 1;
  yield '{';
  for (let p = 0; written < size; p++) {
    const cves = Array.from(
      { length: 40 },
      (_, c) =>
        `"CVE-2024-${String(p * 40 + c).padStart(6, '0')}":${JSON.stringify(entries[(p + c) % entries.length])}`,
    );
    const chunk = `${p ? ',' : ''}"pkg${String(p).padStart(6, '0')}":{${cves.join(',')}}`;
    written += chunk.length;
    yield chunk;
  }
  yield '}';
}

/** An EPSS file of `size` uncompressed bytes, gzipped as it is read. */
function epssBody(size: number): ReadableStream<Uint8Array> {
  function* rows(): Generator<string> {
    yield '#model_version:v2025.03.14,score_date:2026-11-26T00:00:00+0000\ncve,epss,percentile\n';
    let written = 0;
    for (let i = 0; written < size; i++) {
      const block = Array.from(
        { length: 1000 },
        (_, j) =>
          `CVE-2024-${String(i * 1000 + j).padStart(7, '0')},0.00${((i + j) % 900) + 100},0.${((i * 7 + j) % 90000) + 10000}\n`,
      ).join('');
      written += block.length;
      yield block;
    }
  }
  return Readable.toWeb(Readable.from(rows()).pipe(createGzip())) as ReadableStream<Uint8Array>;
}

/** Records in a batch, counting each EPSS score and KEV entry (they travel as one record per batch). */
function countRecords(batch: FeedBatch): number {
  return batch.records.reduce(
    (sum, r) => sum + (r.kind === 'epss' ? r.scores.length : r.kind === 'kev' ? r.entries.length : 1),
    0,
  );
}

const collect = (globalThis as { gc?: () => void }).gc;

/**
 * Drains a sync and measures the memory it keeps alive: after each batch (where the runner would
 * store it and let it go) a full collection, then the heap and buffers above the start. Without
 * the collection the figure would count garbage V8 has not collected yet. Needs `node --expose-gc`.
 */
async function drain(
  batches: AsyncGenerator<FeedBatch, void, void>,
): Promise<{ records: number; peakMb: number; ms: number }> {
  if (!collect) throw new Error('run with node --expose-gc (npm run bench does)');
  collect();
  const base = process.memoryUsage();
  const baseline = base.heapUsed + base.arrayBuffers;
  let peak = 0;
  let records = 0;
  let collecting = 0;
  const started = performance.now();
  for await (const batch of batches) {
    records += countRecords(batch);
    const before = performance.now();
    collect();
    const m = process.memoryUsage();
    peak = Math.max(peak, m.heapUsed + m.arrayBuffers - baseline);
    collecting += performance.now() - before;
  }
  return { records, peakMb: peak / MB, ms: performance.now() - started - collecting };
}

async function main(): Promise<void> {
  console.log('Patchboard ingest bench');
  const osv = await throughput('OSV records (schema, parse, intervals, content hash)', osvTexts(20_000), (t) =>
    readOsvText(t, 'bench'),
  );
  const csaf = await throughput('CSAF documents (schema, mandatory tests 6.1.x, flattening)', csafTexts(1_000), (t) =>
    readCsafDocument(t, 'bench'),
  );
  console.log('\nThroughput, against JSON.parse of the same bytes');
  for (const t of [osv, csaf]) {
    const perSecond = (t.documents / t.ms) * 1000;
    const mbPerSecond = (t.bytes / MB / t.ms) * 1000;
    console.log(
      `  ${t.label.padEnd(62)} ${perSecond.toFixed(0).padStart(7)} docs/s  ${mbPerSecond.toFixed(1).padStart(6)} MB/s   JSON.parse ${seconds(t.baselineMs)} vs ${seconds(t.ms)}: ${ratio(t.ms, t.baselineMs)}`,
    );
  }

  console.log(
    '\nStreamed 100 MB bodies (peak memory kept alive between batches, above the start; a Worker has 128 MB)',
  );
  const tracker = await drain(
    syncDebianTracker(streamRun('debian-tracker', lazyBody(trackerChunks(100 * MB)), 'application/json')),
  );
  console.log(
    `  Debian tracker JSON, 100 MB: ${tracker.records} advisories in ${seconds(tracker.ms)}, peak ${tracker.peakMb.toFixed(1)} MB`,
  );
  const epss = await drain(syncEpss(streamRun('epss', epssBody(100 * MB), 'application/gzip')));
  console.log(
    `  EPSS CSV, 100 MB (gzipped):  ${epss.records} scores in ${seconds(epss.ms)}, peak ${epss.peakMb.toFixed(1)} MB`,
  );
}

await main();
