/**
 * OSV's `{ECOSYSTEM}/all.zip`, read as it downloads with fflate's streaming Unzip: one entry at a
 * time, never the archive whole (Ubuntu's runs to hundreds of MB). Each entry's inflated size is
 * capped, and so is the whole read's, so a zip bomb costs a quarantine record, not the Worker; a
 * body that ends before the archive does is an upstream failure, never a shorter archive.
 *
 * Held at once: the download chunk being read, one slice of it being inflated (its output is at most
 * ~1032 times its size, the deflate limit), the entry being assembled (up to its cap), the entries
 * completed by that slice, and fflate's 32 KiB window.
 */
import { type AsyncFlateStreamHandler, type FlateError, Inflate, Unzip, type UnzipDecoderConstructor } from 'fflate';
import { FeedError } from '../errors';

export interface ArchiveLimits {
  /** Largest inflated entry kept; a larger one is reported with its first bytes, not held. */
  readonly maxEntryBytes: number;
  /** Most inflated bytes one read may produce, all entries together; more is a hostile archive. */
  readonly maxTotalBytes: number;
}

export interface ArchiveOptions extends ArchiveLimits {
  /** Entries before this index are passed over without inflating (a read resumed in the same archive). */
  readonly skip: number;
  /** The entries to read; the rest are passed over. */
  readonly wants: (name: string) => boolean;
  /** The body's Content-Length when it was sent uncompressed, to tell a cut download from a whole one. */
  readonly declaredLength: number | null;
}

export type ArchiveEntry =
  | { readonly kind: 'file'; readonly index: number; readonly name: string; readonly bytes: Uint8Array }
  /** An entry refused while reading it (too large, damaged, an unknown compression), with its first bytes. */
  | {
      readonly kind: 'refused';
      readonly index: number;
      readonly name: string;
      readonly reason: string;
      readonly excerpt: Uint8Array;
    }
  /** An entry passed over unread (before `skip`, or not wanted). */
  | { readonly kind: 'skipped'; readonly index: number; readonly name: string };

/** Compressed bytes inflated at a time, which bounds what one step can expand to (~8 MiB). */
const SLICE_BYTES = 8 * 1024;
const EXCERPT_BYTES = 2048;
/** Enough of the archive's end to find its end-of-central-directory record (with a short comment). */
const TAIL_BYTES = 1024;
const EMPTY = new Uint8Array(0);

interface DecoderControl {
  /** Whether the decoder start() creates next drops its entry's bytes instead of inflating them. */
  discardNext: boolean;
  /** The decoder start() created last, so its entry can stop it. */
  created: { stop(): void } | null;
}

/**
 * fflate decoders that can stop: a stopped one drops the rest of its entry's compressed bytes (no
 * inflating, no holding: fflate's own decoders can do neither) yet still reports the entry's end, so
 * entries complete in order. Methods other than stored (0) and deflate (8) are always dropped.
 */
function decoderFor(compression: number, control: DecoderControl): UnzipDecoderConstructor {
  return class StoppableDecoder {
    static readonly compression = compression;
    ondata: AsyncFlateStreamHandler = () => {};
    private stopped = control.discardNext || (compression !== 0 && compression !== 8);
    private readonly inflate = compression === 8 ? new Inflate((data, final) => this.ondata(null, data, final)) : null;

    constructor() {
      control.created = this;
    }

    push(chunk: Uint8Array, final: boolean): void {
      if (!this.stopped) {
        try {
          if (this.inflate) this.inflate.push(chunk, final);
          // Stored bytes are a view of the download chunk: copy what is kept.
          else this.ondata(null, chunk.slice(), final);
          return;
        } catch (err) {
          this.stopped = true;
          this.ondata(err as FlateError, EMPTY, false);
        }
      }
      if (final) this.ondata(null, EMPTY, true);
    }

    stop(): void {
      this.stopped = true;
    }
  };
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk.subarray(0, size - offset), offset);
    offset += Math.min(chunk.byteLength, size - offset);
    if (offset >= size) break;
  }
  return out;
}

/** The first bytes of an entry, for the quarantine. */
function head(chunks: readonly Uint8Array[]): Uint8Array {
  return concat(
    chunks,
    Math.min(
      EXCERPT_BYTES,
      chunks.reduce((n, c) => n + c.byteLength, 0),
    ),
  );
}

/** Whether the bytes end with an end-of-central-directory record: a whole archive does. */
function endsArchive(tail: Uint8Array): boolean {
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  for (let at = tail.byteLength - 22; at >= 0; at--) {
    if (view.getUint32(at, true) === 0x06054b50 && at + 22 + view.getUint16(at + 20, true) === tail.byteLength) {
      return true;
    }
  }
  return false;
}

/** The entries of a zip archive in order, as the body arrives. Throws FeedError on a failed or cut download. */
export async function* readArchive(
  body: ReadableStream<Uint8Array>,
  url: string,
  options: ArchiveOptions,
): AsyncGenerator<ArchiveEntry, void, void> {
  const ready: ArchiveEntry[] = [];
  const control: DecoderControl = { discardNext: false, created: null };
  let index = -1;
  let inflated = 0;
  const unzip = new Unzip((file) => {
    index += 1;
    const entry = { index, name: file.name };
    const reading = index >= options.skip && options.wants(file.name);
    let problem: string | null = null;
    if (reading && file.compression !== 0 && file.compression !== 8) {
      problem = `compression method ${file.compression} is not supported`;
    } else if (reading && file.originalSize !== undefined && file.originalSize > options.maxEntryBytes) {
      problem = `declares ${file.originalSize} bytes inflated, more than the ${options.maxEntryBytes} allowed`;
    }
    if (file.compression !== 0 && file.compression !== 8) unzip.register(decoderFor(file.compression, control));
    const chunks: Uint8Array[] = [];
    let size = 0;
    let excerpt: Uint8Array = EMPTY;
    let done = false;
    let decoder: { stop(): void } | null = null;
    file.ondata = (err, data, final) => {
      if (done) return;
      if (err) {
        problem ??= `its compressed data is damaged: ${err.message}`;
        decoder?.stop();
      } else if (data.byteLength > 0) {
        inflated += data.byteLength;
        size += data.byteLength;
        if (problem === null && size > options.maxEntryBytes) {
          problem = `inflates to more than the ${options.maxEntryBytes} bytes allowed`;
          chunks.push(data);
          excerpt = head(chunks);
          chunks.length = 0;
          decoder?.stop();
        } else if (problem === null) {
          chunks.push(data);
        }
      }
      if (!final) return;
      done = true;
      if (!reading) ready.push({ kind: 'skipped', ...entry });
      else if (problem !== null) {
        ready.push({
          kind: 'refused',
          ...entry,
          reason: problem,
          excerpt: excerpt.byteLength ? excerpt : head(chunks),
        });
      } else ready.push({ kind: 'file', ...entry, bytes: concat(chunks, size) });
    };
    control.discardNext = !reading || problem !== null;
    control.created = null;
    file.start();
    decoder = control.created;
    control.discardNext = false;
  });
  for (const compression of [0, 8]) unzip.register(decoderFor(compression, control));

  const push = (chunk: Uint8Array, final: boolean) => {
    try {
      unzip.push(chunk, final);
    } catch (err) {
      const why = final ? 'the archive ends inside an entry' : (err as Error).message;
      throw new FeedError(`${url}: not a whole zip archive: ${why}`, { cause: err });
    }
    if (inflated > options.maxTotalBytes) {
      throw new FeedError(`${url}: the archive inflates to more than ${options.maxTotalBytes} bytes`);
    }
  };

  const reader = body.getReader();
  let finished = false;
  let received = 0;
  let tail: Uint8Array = EMPTY;
  try {
    for (;;) {
      let read: ReadableStreamReadResult<Uint8Array>;
      try {
        read = await reader.read();
      } catch (err) {
        throw new FeedError(`${url}: reading the body failed: ${(err as Error).message}`, { cause: err });
      }
      if (read.done) break;
      const chunk = read.value;
      received += chunk.byteLength;
      tail =
        chunk.byteLength >= TAIL_BYTES
          ? chunk.slice(-TAIL_BYTES)
          : concat([tail, chunk], tail.byteLength + chunk.byteLength).slice(-TAIL_BYTES);
      for (let offset = 0; offset < chunk.byteLength; offset += SLICE_BYTES) {
        push(chunk.subarray(offset, offset + SLICE_BYTES), false);
        while (ready.length > 0) yield ready.shift() as ArchiveEntry;
      }
    }
    finished = true;
    push(EMPTY, true);
    while (ready.length > 0) yield ready.shift() as ArchiveEntry;
    if (options.declaredLength !== null && received !== options.declaredLength) {
      throw new FeedError(`${url}: body truncated (${received} of ${options.declaredLength} bytes)`);
    }
    if (!endsArchive(tail)) throw new FeedError(`${url}: not a whole zip archive: its end is missing`);
  } finally {
    // Stopped early (the deadline, a failure): let the connection go.
    if (!finished) await reader.cancel().catch(() => undefined);
  }
}
