/**
 * gzip decompression paced by the reader. workerd's DecompressionStream takes input as fast as it
 * is offered (its writable side never pushes back; seen with workerd 1.20260426), so
 * `body.pipeThrough(new DecompressionStream('gzip'))` downloads and inflates the whole file while
 * the first rows are still being parsed, holding it all in memory. fflate's streaming Gunzip is
 * synchronous, so here a compressed chunk is read from the network only when the reader wants
 * output and none is left: the download advances with the parsing.
 */
import { Gunzip } from 'fflate';

export function pacedGunzip(source: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const input = source.getReader();
  const inflated: Uint8Array[] = [];
  const inflater = new Gunzip((chunk) => {
    if (chunk.byteLength > 0) inflated.push(chunk);
  });
  let inputDone = false;

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        while (inflated.length === 0 && !inputDone) {
          const { done, value } = await input.read();
          inputDone = done;
          try {
            // The final push fails on a stream that ends inside a deflate block (a cut download).
            inflater.push(done ? new Uint8Array(0) : value, done);
          } catch (err) {
            throw new Error(`gzip: ${(err as Error).message}`);
          }
        }
        const chunk = inflated.shift();
        if (chunk) controller.enqueue(chunk);
        else controller.close();
      },
      cancel: (reason) => input.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}
