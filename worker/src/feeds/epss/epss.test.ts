import { describe, expect, it } from 'vitest';
import { FeedError } from '../errors';
import type { EpssScore, FeedBatch, FeedRecord } from '../feed';
import {
  collect,
  collectUntilFailure,
  feedRun,
  recordedUpstream,
  resetResponse,
  timeout,
  truncatedResponse,
} from '../testing';
import { EPSS_URL, epssFeed } from './index';
import { parseEpssText } from './parse';
import example from './testdata/vunnel-example-1.csv?raw';
import invalidHeader from './testdata/vunnel-invalid-header.csv?raw';
import missingDate from './testdata/vunnel-missing-date.csv?raw';

async function gzip(text: string): Promise<Uint8Array> {
  const compressed = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(compressed).arrayBuffer());
}

const gz = (bytes: Uint8Array, headers: Record<string, string> = {}) =>
  new Response(bytes, { headers: { 'content-type': 'application/x-gzip', ...headers } });

function scores(records: readonly FeedRecord[]): EpssScore[] {
  return records.flatMap((r) => (r.kind === 'epss' ? r.scores : []));
}

const allScores = (batches: readonly FeedBatch[]) => scores(batches.flatMap((b) => b.records));

/** The corpus file for the next day, with one score changed. */
const nextDay = example
  .replace('score_date:2025-02-20', 'score_date:2025-02-21')
  .replace('CVE-1999-0001,0.00383', 'CVE-1999-0001,0.00400');

describe('EPSS file parsing', () => {
  it('reads the corpus file: model version, score date, five scores', async () => {
    const records = await parseEpssText(example);
    const read = scores(records);
    expect(read).toHaveLength(5);
    expect(read[4]).toEqual({
      cve: 'CVE-1999-0005',
      score: 0.91963,
      percentile: 0.99214,
      scoreDate: '2025-02-20',
      modelVersion: 'v2023.03.01',
    });
    expect(records.filter((r) => r.kind === 'quarantine')).toEqual([]);
  });

  it('refuses the corpus negatives: a wrong header, a model line without score_date', async () => {
    expect(await parseEpssText(invalidHeader)).toEqual([
      expect.objectContaining({
        kind: 'quarantine',
        reason: expect.stringContaining('the header is "invalid,header,format"'),
      }),
    ]);
    expect(await parseEpssText(missingDate)).toEqual([
      expect.objectContaining({ kind: 'quarantine', reason: 'the first line names no score_date (YYYY-MM-DD...)' }),
    ]);
    expect(await parseEpssText('cve,epss,percentile\nCVE-1999-0001,0.1,0.2\n')).toEqual([
      expect.objectContaining({ reason: expect.stringContaining('#model_version') }),
    ]);
  });

  it('quarantines a bad row and keeps the rest', async () => {
    const text = example.replace('CVE-1999-0002,0.01328', 'CVE-1999-0002,1.7').replace('CVE-1999-0004', 'CVE-99-4');
    const records = await parseEpssText(text);
    expect(scores(records).map((s) => s.cve)).toEqual(['CVE-1999-0001', 'CVE-1999-0003', 'CVE-1999-0005']);
    expect(records.filter((r) => r.kind === 'quarantine').map((r) => r.kind === 'quarantine' && r.document)).toEqual([
      'epss:2025-02-20:line 4',
      'epss:2025-02-20:line 6',
    ]);
  });

  it('the importer detects the CSV by its comment line', () => {
    expect(epssFeed.importer?.detect(undefined, example)).toBe(true);
    expect(epssFeed.importer?.detect(undefined, `\uFEFF${example}`)).toBe(true);
    expect(epssFeed.importer?.detect(undefined, 'cve,epss,percentile\n')).toBe(false);
    expect(epssFeed.importer?.detect({ catalogVersion: '1' }, '{"catalogVersion":"1"}')).toBe(false);
  });
});

describe('EPSS sync', () => {
  it('a full sync from an empty cursor streams the gzip file and saves its score date', async () => {
    const body = await gzip(example);
    const upstream = recordedUpstream(() => gz(body, { etag: '"d1"', 'content-length': String(body.byteLength) }));
    const batches = await collect(epssFeed.sync(feedRun('epss', upstream.fetch)));
    expect(upstream.requests.map((r) => r.url)).toEqual([EPSS_URL]);
    expect(allScores(batches)).toHaveLength(5);
    expect(batches.at(-1)).toMatchObject({ cursor: { scoreDate: '2025-02-20' }, etag: '"d1"' });
  });

  it('an incremental sync sends the validators and stores the next day', async () => {
    const upstream = recordedUpstream(async () => gz(await gzip(nextDay), { etag: '"d2"' }));
    const run = feedRun('epss', upstream.fetch, {
      cursor: { scoreDate: '2025-02-20' },
      etag: '"d1"',
      lastModified: 'Thu, 20 Feb 2025 12:00:00 GMT',
    });
    const batches = await collect(epssFeed.sync(run));
    expect(upstream.requests[0]?.headers.get('if-none-match')).toBe('"d1"');
    expect(upstream.requests[0]?.headers.get('if-modified-since')).toBe('Thu, 20 Feb 2025 12:00:00 GMT');
    expect(allScores(batches)[0]).toMatchObject({ cve: 'CVE-1999-0001', score: 0.004, scoreDate: '2025-02-21' });
    expect(batches.at(-1)).toMatchObject({ cursor: { scoreDate: '2025-02-21' }, etag: '"d2"' });
  });

  it('a 304 yields nothing', async () => {
    const upstream = recordedUpstream(() => new Response(null, { status: 304 }));
    const batches = await collect(epssFeed.sync(feedRun('epss', upstream.fetch, { etag: '"d1"' })));
    expect(upstream.requests[0]?.headers.get('if-none-match')).toBe('"d1"');
    expect(batches).toEqual([]);
  });

  it('a replayed file (same score date) or an older one changes nothing; the same file twice gives the same records', async () => {
    const body = await gzip(example);
    const first = await collect(epssFeed.sync(feedRun('epss', recordedUpstream(() => gz(body)).fetch)));
    const again = await collect(epssFeed.sync(feedRun('epss', recordedUpstream(() => gz(body)).fetch)));
    expect(again).toEqual(first);
    const replay = feedRun('epss', recordedUpstream(() => gz(body)).fetch, { cursor: { scoreDate: '2025-02-20' } });
    expect(await collect(epssFeed.sync(replay))).toEqual([]);
    const stale = feedRun('epss', recordedUpstream(() => gz(body)).fetch, { cursor: { scoreDate: '2025-03-01' } });
    expect(await collect(epssFeed.sync(stale))).toEqual([]);
  });

  it('a plain (not gzip) CSV body is read as well', async () => {
    const upstream = recordedUpstream(() => new Response(example, { headers: { 'content-type': 'text/csv' } }));
    expect(allScores(await collect(epssFeed.sync(feedRun('epss', upstream.fetch))))).toHaveLength(5);
  });

  describe('a real-sized file: 300,000 rows, streamed', () => {
    const ROWS = 300_000;
    let body: Uint8Array | undefined;
    async function bigFile(): Promise<Uint8Array> {
      if (body) return body;
      const rows: string[] = ['#model_version:v2025.03.14,score_date:2025-03-16T00:00:00+0000', 'cve,epss,percentile'];
      // Pseudo-random digits, so the gzip is about as large as the real file's (little repetition to squeeze).
      let seed = 42;
      const digits = () => {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
        return String(seed % 100_000).padStart(5, '0');
      };
      for (let i = 0; i < ROWS; i++) rows.push(`CVE-2020-${String(i).padStart(6, '0')},0.${digits()},0.${digits()}`);
      body = await gzip(`${rows.join('\n')}\n`);
      return body;
    }

    /** Serves the gzip bytes 64 KiB per pull, counting how much has left the "network". */
    function servedInChunks(bytes: Uint8Array) {
      const served = { chunks: 0, total: Math.ceil(bytes.byteLength / 65_536), done: false };
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (served.chunks === served.total) {
            served.done = true;
            controller.close();
            return;
          }
          controller.enqueue(bytes.slice(served.chunks * 65_536, (served.chunks + 1) * 65_536));
          served.chunks += 1;
        },
      });
      return { stream, served };
    }

    it('yields batches of 5,000 while the body is still arriving', { timeout: 60_000 }, async () => {
      const bytes = await bigFile();
      const { stream, served } = servedInChunks(bytes);
      const headers = { 'content-type': 'application/gzip', 'content-length': String(bytes.byteLength) };
      const upstream = recordedUpstream(() => new Response(stream, { headers }));
      const sizes: number[] = [];
      let servedAtFirstBatch: number | undefined;
      let lastCursor: unknown;
      for await (const batch of epssFeed.sync(feedRun('epss', upstream.fetch))) {
        if (servedAtFirstBatch === undefined) {
          servedAtFirstBatch = served.chunks;
          expect(served.done).toBe(false);
        }
        sizes.push(scores(batch.records).length);
        lastCursor = batch.cursor;
      }
      expect(served.total).toBeGreaterThan(10);
      expect(servedAtFirstBatch).toBeLessThan(served.total / 2);
      expect(sizes).toHaveLength(60);
      expect(sizes.every((n) => n === 5_000)).toBe(true);
      expect(lastCursor).toEqual({ scoreDate: '2025-03-16' });
    });

    it('stops at the deadline with a cursor that resumes at the next row, in the same file', {
      timeout: 60_000,
    }, async () => {
      const bytes = await bigFile();
      const cut = feedRun('epss', recordedUpstream(() => gz(bytes)).fetch, { cursor: { scoreDate: '2025-03-15' } });
      const firstRun = await collect(epssFeed.sync({ ...cut, deadline: Date.now() - 1 }));
      expect(firstRun).toHaveLength(1);
      expect(firstRun[0]?.cursor).toEqual({
        scoreDate: '2025-03-15',
        partial: { scoreDate: '2025-03-16', modelVersion: 'v2025.03.14', rows: 5_000 },
      });
      expect(firstRun[0]?.etag).toBeUndefined();

      const resumed = feedRun('epss', recordedUpstream(() => gz(bytes)).fetch, { cursor: firstRun[0]?.cursor });
      const rest = await collect(epssFeed.sync(resumed));
      const restScores = allScores(rest);
      expect(restScores[0]?.cve).toBe('CVE-2020-005000');
      expect(restScores).toHaveLength(ROWS - 5_000);
      expect(rest.at(-1)?.cursor).toEqual({ scoreDate: '2025-03-16' });
    });
  });

  describe('faults throw FeedError and never yield a cursor past unstored data', () => {
    const cases: Record<string, () => Promise<Response> | Response> = {
      '5xx': () => new Response('', { status: 502 }),
      timeout,
      reset: async () => {
        const bytes = await gzip(example.repeat(1));
        return resetResponse(bytes, 'application/gzip', 40);
      },
      'truncated body (Content-Length larger than the bytes)': async () =>
        truncatedResponse(await gzip(example), 'application/gzip'),
      'truncated gzip without a Content-Length': async () => {
        const bytes = await gzip(example);
        return gz(bytes.slice(0, bytes.byteLength - 12));
      },
      'wrong content type': () => new Response('<html>login</html>', { headers: { 'content-type': 'text/html' } }),
      'missing score date (corpus)': async () => gz(await gzip(missingDate)),
      'invalid header (corpus)': async () => gz(await gzip(invalidHeader)),
      'not gzip at all but announced so': () => gz(new TextEncoder().encode('\x1f\x8bgarbage that is not deflate')),
    };
    for (const [name, answer] of Object.entries(cases)) {
      it(name, async () => {
        const run = feedRun('epss', recordedUpstream(answer).fetch, { cursor: { scoreDate: '2025-02-19' } });
        const { batches, error } = await collectUntilFailure(epssFeed.sync(run));
        expect(error).toBeInstanceOf(FeedError);
        for (const batch of batches) expect(batch.cursor).toMatchObject({ scoreDate: '2025-02-19' });
      });
    }

    it('a body that fails after some batches leaves a partial cursor covering only what was yielded', async () => {
      const rows = ['#model_version:v1,score_date:2025-02-20T00:00:00+0000', 'cve,epss,percentile'];
      for (let i = 0; i < 12_000; i++) rows.push(`CVE-2021-${String(i).padStart(5, '0')},0.${(i * 7919) % 99_991},0.5`);
      const bytes = await gzip(rows.join('\n'));
      const run = feedRun(
        'epss',
        recordedUpstream(() => resetResponse(bytes, 'application/gzip', Math.floor(bytes.byteLength * 0.8))).fetch,
        { cursor: { scoreDate: '2025-02-19' } },
      );
      const { batches, error } = await collectUntilFailure(epssFeed.sync(run));
      expect(error).toBeInstanceOf(FeedError);
      expect(batches.length).toBeGreaterThan(0);
      let delivered = 0;
      for (const batch of batches) {
        delivered += scores(batch.records).length;
        expect(batch.cursor).toEqual({
          scoreDate: '2025-02-19',
          partial: { scoreDate: '2025-02-20', modelVersion: 'v1', rows: delivered },
        });
      }
    });
  });
});
