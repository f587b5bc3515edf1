import { strFromU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { FeedError } from '../errors';
import { chunkedBody, resetBody } from '../testing';
import { type ArchiveEntry, type ArchiveOptions, readArchive } from './archive';
import ubuntuWayland from './testdata/UBUNTU-CVE-2021-3782.json?raw';
import ubuntuKernel from './testdata/UBUNTU-CVE-2025-38094.json?raw';
import usn from './testdata/USN-5614-1.json?raw';
import { bomb, streamedZipArchive, zipArchive } from './testing';

const MiB = 1024 * 1024;
const options: ArchiveOptions = {
  skip: 0,
  wants: (name) => name.endsWith('.json'),
  declaredLength: null,
  maxEntryBytes: 4 * MiB,
  maxTotalBytes: 64 * MiB,
};

const files = [
  ['UBUNTU-CVE-2021-3782.json', ubuntuWayland],
  ['UBUNTU-CVE-2025-38094.json', ubuntuKernel],
  ['USN-5614-1.json', usn],
] as const;

async function read(
  body: ReadableStream<Uint8Array>,
  overrides: Partial<ArchiveOptions> = {},
): Promise<ArchiveEntry[]> {
  const out: ArchiveEntry[] = [];
  for await (const entry of readArchive(body, 'https://osv.test/all.zip', { ...options, ...overrides }))
    out.push(entry);
  return out;
}

function summary(entries: readonly ArchiveEntry[]) {
  return entries.map((e) =>
    e.kind === 'file'
      ? [e.index, e.name, strFromU8(e.bytes)]
      : e.kind === 'refused'
        ? [e.index, e.name, e.reason]
        : [e.index, e.name, 'skipped'],
  );
}

/** Where each entry's local header starts. */
function entryOffsets(zip: Uint8Array): number[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const offsets: number[] = [];
  for (let at = 0; at + 4 <= zip.byteLength; at++) if (view.getUint32(at, true) === 0x04034b50) offsets.push(at);
  return offsets;
}

/** Where the central directory starts: an archive cut there has whole entries and no end. */
function centralDirectoryOffset(zip: Uint8Array): number {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  return view.getUint32(zip.byteLength - 22 + 16, true);
}

async function failure(body: ReadableStream<Uint8Array>, overrides: Partial<ArchiveOptions> = {}): Promise<FeedError> {
  const error = await read(body, overrides).then(
    () => null,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(FeedError);
  return error as FeedError;
}

describe('reading all.zip as it arrives', () => {
  it.each([
    ['sizes in the local headers (Python zipfile)', zipArchive],
    ['sizes in data descriptors (a streaming writer)', streamedZipArchive],
  ])('reads every entry in order, whatever the network chunks: %s', async (_, build) => {
    const zip = build([...files, ['README', 'not a record']]);
    for (const size of [7, 1000, 65_536]) {
      expect(summary(await read(chunkedBody(zip, size)))).toEqual([
        [0, 'UBUNTU-CVE-2021-3782.json', ubuntuWayland],
        [1, 'UBUNTU-CVE-2025-38094.json', ubuntuKernel],
        [2, 'USN-5614-1.json', usn],
        [3, 'README', 'skipped'],
      ]);
    }
  });

  it('passes over the entries a resumed read already delivered, without inflating them', async () => {
    const zip = streamedZipArchive(files);
    expect(summary(await read(chunkedBody(zip), { skip: 2 }))).toEqual([
      [0, 'UBUNTU-CVE-2021-3782.json', 'skipped'],
      [1, 'UBUNTU-CVE-2025-38094.json', 'skipped'],
      [2, 'USN-5614-1.json', usn],
    ]);
  });

  it('refuses a 50 MB entry that says its size, without inflating it, and reads on', async () => {
    const zip = zipArchive([['BOMB-1.json', bomb()], files[2]]);
    expect(zip.byteLength).toBeLessThan(200_000);
    expect(summary(await read(chunkedBody(zip, 65_536)))).toEqual([
      [0, 'BOMB-1.json', `declares ${50 * MiB} bytes inflated, more than the ${4 * MiB} allowed`],
      [1, 'USN-5614-1.json', usn],
    ]);
  });

  it('stops inflating a 50 MB entry that hides its size at the cap, keeping only its first bytes', async () => {
    const zip = streamedZipArchive([['BOMB-1.json', bomb()], files[2]]);
    const entries = await read(chunkedBody(zip, 65_536));
    expect(summary(entries)).toEqual([
      [0, 'BOMB-1.json', `inflates to more than the ${4 * MiB} bytes allowed`],
      [1, 'USN-5614-1.json', usn],
    ]);
    const refused = entries[0];
    expect(refused?.kind === 'refused' && refused.excerpt).toEqual(new Uint8Array(2048).fill(0x20));
  });

  it('fails a read that inflates more than the whole-archive cap (many entries each under the cap)', async () => {
    const zip = streamedZipArchive(
      Array.from({ length: 8 }, (_, i) => [`BIG-${i}.json`, new Uint8Array(MiB)] as const),
    );
    const error = await failure(chunkedBody(zip, 65_536), { maxTotalBytes: 5 * MiB });
    expect(error.message).toContain('inflates to more than');
  });

  it('refuses an entry whose compressed data is damaged, and an unknown compression method, and reads on', async () => {
    const damaged = zipArchive([files[0], files[2]]);
    damaged[30 + files[0][0].length] = 0x07; // the first deflate block claims the reserved type 3
    expect(summary(await read(chunkedBody(damaged)))).toEqual([
      [0, 'UBUNTU-CVE-2021-3782.json', expect.stringContaining('its compressed data is damaged')],
      [1, 'USN-5614-1.json', usn],
    ]);
    const bzip2 = zipArchive([files[0], files[2]]);
    bzip2[8] = 12; // compression method 12 (bzip2) in the first local header
    expect(summary(await read(chunkedBody(bzip2)))).toEqual([
      [0, 'UBUNTU-CVE-2021-3782.json', 'compression method 12 is not supported'],
      [1, 'USN-5614-1.json', usn],
    ]);
  });

  it('fails a download cut between entries, inside one, or short of its Content-Length', async () => {
    const zip = zipArchive(files);
    const betweenEntries = await failure(chunkedBody(zip.slice(0, centralDirectoryOffset(zip))));
    expect(betweenEntries.message).toContain('its end is missing');
    const [, second = 0, third = 0] = entryOffsets(zip);
    const insideEntry = await failure(chunkedBody(zip.slice(0, Math.floor((second + third) / 2))));
    expect(insideEntry.message).toContain('ends inside an entry');
    const short = await failure(chunkedBody(zip), { declaredLength: zip.byteLength + 10 });
    expect(short.message).toContain('truncated');
  });

  it('fails a reset connection, after the entries that arrived whole', async () => {
    const zip = zipArchive(files);
    const [, second = 0, third = 0] = entryOffsets(zip);
    const delivered: string[] = [];
    const error = await (async () => {
      for await (const entry of readArchive(
        resetBody(zip, Math.floor((second + third) / 2)),
        'https://osv.test/all.zip',
        options,
      ))
        delivered.push(entry.name);
    })().then(
      () => null,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(FeedError);
    expect(delivered).toEqual(['UBUNTU-CVE-2021-3782.json']);
  });

  it('lets the connection go when the reader stops early', async () => {
    let cancelled = false;
    const zip = zipArchive(files);
    const [, second = 0, third = 0] = entryOffsets(zip);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(zip.slice(0, Math.floor((second + third) / 2)));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const entry of readArchive(body, 'https://osv.test/all.zip', options)) {
      expect(entry.name).toBe('UBUNTU-CVE-2021-3782.json');
      break;
    }
    expect(cancelled).toBe(true);
  });
});
