/**
 * R package versions (CRAN), as R's compareVersion and package_version order them: non-negative
 * integers separated by `.` or `-`, which weigh the same (`0.1-0` = `0.1.0`), compared one by one
 * by value (`0.01` = `0.1`); when one version is a prefix of the other the shorter sorts first, so
 * `1.8 < 1.8.0` (cran-versions-generated.txt, produced by R, says so).
 *
 * R's package_version wants at least two components; one is accepted here because OSV ranges use
 * `0` as "since the beginning" and numeric_version orders it the same way.
 */
import { compareDigits, numberKey } from './key';
import { defineScheme, type InvalidVersion, invalid, type Order, sign } from './scheme';

const CRAN_VERSION = /^\d+(?:[.-]\d+)*$/;

function parseCran(version: string): readonly string[] | InvalidVersion {
  if (!CRAN_VERSION.test(version)) return invalid(version, 'not integers separated by single "." or "-"');
  return version.split(/[.-]/);
}

function compareCran(a: readonly string[], b: readonly string[]): Order {
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i++) {
    const order = compareDigits(a[i] as string, b[i] as string);
    if (order !== 0) return order;
  }
  return sign(a.length - b.length);
}

/** `.` and the numberKey of each component: a prefix's key is a prefix, so it sorts first. */
function cranKey(components: readonly string[]): string {
  return components.map((digits) => `.${numberKey(digits)}`).join('');
}

export const cran = defineScheme({ name: 'cran', parse: parseCran, compare: compareCran, key: cranKey });
