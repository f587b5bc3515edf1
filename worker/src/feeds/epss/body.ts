/**
 * The EPSS response body as a byte stream of CSV: checked against its Content-Length, and
 * decompressed when it is gzip, without reading ahead of the parser.
 */
import { FeedError } from '../errors';
import { pacedGunzip } from './inflate';

/**
 * A byte stream that fails with FeedError when it ends short of its Content-Length (a cut
 * connection must not read as a shorter file). Compressed transfers report the compressed length
 * and are left to the deflate stream's own end marker (see inflate.ts).
 */
function lengthChecked(response: Response, url: string): ReadableStream<Uint8Array> {
  const body = response.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() });
  const declared = response.headers.get('content-length');
  if (declared === null || response.headers.get('content-encoding')) return body;
  let total = 0;
  const check = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      total += chunk.byteLength;
      controller.enqueue(chunk);
    },
    flush(controller) {
      if (total !== Number(declared))
        controller.error(new FeedError(`${url}: body truncated (${total} of ${declared} bytes)`));
    },
  });
  return body.pipeThrough(check);
}

/**
 * Decompresses when the bytes are gzip (magic 1f 8b), passes them through otherwise: a mirror may
 * serve plain CSV, and a transfer with Content-Encoding: gzip arrives already decompressed.
 */
export async function openCsv(
  response: Response,
  url: string,
): Promise<{ body: ReadableStream<Uint8Array>; cancel(): Promise<void> }> {
  const reader = lengthChecked(response, url).getReader();
  const head: Uint8Array[] = [];
  let length = 0;
  try {
    while (length < 2) {
      const { done, value } = await reader.read();
      if (done) break;
      head.push(value);
      length += value.byteLength;
    }
  } catch (err) {
    throw new FeedError(`${url}: reading the body failed: ${(err as Error).message}`, { cause: err });
  }
  const first = head[0];
  const gzip = first !== undefined && first[0] === 0x1f && (first[1] ?? head[1]?.[0]) === 0x8b;
  const rejoined = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        for (const chunk of head) controller.enqueue(chunk);
      },
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
  // Cancelling the source reader stops the download when a run ends before the file does.
  return { body: gzip ? pacedGunzip(rejoined) : rejoined, cancel: () => reader.cancel().catch(() => undefined) };
}
