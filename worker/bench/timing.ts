/** Wall-clock measurement helpers for the benches: figures, not assertions. */

export interface Timing {
  readonly label: string;
  readonly ms: number;
  readonly note?: string | undefined;
}

export async function measure(label: string, work: () => Promise<string | undefined>): Promise<Timing> {
  const started = performance.now();
  const note = await work();
  const ms = performance.now() - started;
  console.log(`  ${label}: ${seconds(ms)}${note ? ` (${note})` : ''}`);
  return { label, ms, note };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export function seconds(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}

export function ratio(ms: number, baselineMs: number): string {
  return `${(ms / baselineMs).toFixed(2)}x`;
}
