/**
 * Building blocks of order-preserving keys. A key is printable ASCII compared bytewise; each part
 * encoding below is prefix-free (no encoding is a prefix of another), so parts can be concatenated
 * and the first differing part decides, exactly like a lexicographic comparison of the parts.
 */
import type { Order } from './scheme';

/**
 * A non-negative integer of any length, compared by value: `0` for zero, else the count of digits
 * of the length, the length, and the digits without leading zeros (`7` -> `117`, `123` -> `13123`,
 * a 12-digit number -> `212...`). Longer numbers are greater; equal lengths compare digit by digit.
 * Handles lengths up to 10^9 digits without a fixed width.
 */
export function numberKey(digits: string): string {
  const trimmed = digits.replace(/^0+/, '');
  if (trimmed === '') return '0';
  const length = String(trimmed.length);
  return `${length.length}${length}${trimmed}`;
}

/** Compares two non-negative decimal digit strings by value, at any length. */
export function compareDigits(a: string, b: string): Order {
  const x = a.replace(/^0+/, '');
  const y = b.replace(/^0+/, '');
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Plain string comparison (by UTF-16 code unit, which is bytewise for ASCII). */
export function compareStrings(a: string, b: string): Order {
  return a < b ? -1 : a > b ? 1 : 0;
}
