/** Test helpers for NVD: API pages around CVE objects, and a clock that sleeps instantly. Used by tests only. */
import type { Clock } from './pacing';

/** A page around bare CVE objects (fkie-cad stores one `cve` per file, as NVD delivers inside `vulnerabilities`). */
export function pageOf(cves: readonly unknown[], startIndex = 0, totalResults = cves.length): string {
  return JSON.stringify({
    resultsPerPage: cves.length,
    startIndex,
    totalResults,
    format: 'NVD_CVE',
    version: '2.0',
    timestamp: '2026-11-27T00:00:00.000',
    vulnerabilities: cves.map((cve) => ({ cve })),
  });
}

/** A clock whose sleep advances time at once, recording each wait. */
export function fakeClock(start = Date.now()): Clock & { readonly sleeps: number[] } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}
