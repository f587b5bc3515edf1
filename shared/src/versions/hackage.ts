/**
 * Haskell packages (Hackage, the Package Versioning Policy): a non-empty list of non-negative
 * integers separated by `.`, compared as lists, so a prefix sorts first (`1 < 1.0 < 1.0.0`).
 * Cabal refuses leading zeros (`1.02`), and so does this; unlike Cabal, which allows at most nine
 * digits per component, numbers of any length compare exactly.
 */
import { compareDigits, numberKey } from './key';
import { defineScheme, type InvalidVersion, invalid, type Order, sign } from './scheme';

const HACKAGE_VERSION = /^\d+(?:\.\d+)*$/;
const LEADING_ZERO = /(?:^|\.)0\d/;

function parseHackage(version: string): readonly string[] | InvalidVersion {
  if (!HACKAGE_VERSION.test(version)) return invalid(version, 'not integers separated by single "."');
  if (LEADING_ZERO.test(version)) return invalid(version, 'a component with a leading zero');
  return version.split('.');
}

function compareHackage(a: readonly string[], b: readonly string[]): Order {
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i++) {
    const order = compareDigits(a[i] as string, b[i] as string);
    if (order !== 0) return order;
  }
  return sign(a.length - b.length);
}

/** `.` and the numberKey of each component: a prefix's key is a prefix, so it sorts first. */
function hackageKey(components: readonly string[]): string {
  return components.map((digits) => `.${numberKey(digits)}`).join('');
}

export const hackage = defineScheme({ name: 'hackage', parse: parseHackage, compare: compareHackage, key: hackageKey });
