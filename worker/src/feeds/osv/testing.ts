/**
 * Test helpers for OSV: zip archives built from real records at test time, as the two kinds of
 * writer lay them out, and a decompression bomb. Used by tests only; the recorded upstream and the
 * faults are in ../testing.ts.
 */
import { strToU8, Zip, ZipDeflate, zipSync } from 'fflate';

/** A zip archive as Python's zipfile writes all.zip: sizes in the local headers. */
export function zipArchive(files: readonly (readonly [string, string | Uint8Array])[]): Uint8Array {
  return zipSync(
    Object.fromEntries(files.map(([name, data]) => [name, typeof data === 'string' ? strToU8(data) : data])),
    {
      level: 9,
    },
  );
}

/** A zip archive as a streaming writer (Go's archive/zip) writes it: sizes in data descriptors after each entry. */
export function streamedZipArchive(files: readonly (readonly [string, string | Uint8Array])[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  const zip = new Zip((err, data) => {
    if (err) throw err;
    chunks.push(data);
  });
  for (const [name, data] of files) {
    const entry = new ZipDeflate(name, { level: 9 });
    zip.add(entry);
    entry.push(typeof data === 'string' ? strToU8(data) : data, true);
  }
  zip.end();
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** 50 MB of one repeated byte: a few dozen KB deflated. */
export function bomb(): Uint8Array {
  return new Uint8Array(50 * 1024 * 1024).fill(0x20);
}
