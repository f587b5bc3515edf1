/**
 * Rows per bulk statement. Bulk rows travel as one JSON parameter read with json_each (D1 allows
 * 100 bound parameters per statement, but strings up to 2 MB), so 20,000 rows are 10 statements.
 */
export const BULK_CHUNK = 2_000;

export function chunks<T>(items: readonly T[], size = BULK_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
