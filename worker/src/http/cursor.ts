import { ApiError } from './errors';

/**
 * Keyset pagination cursors: the sort key of the last item of a page, as base64url JSON. Opaque to
 * clients; decoded strictly, so a forged or foreign cursor is a 400, never a query on garbage.
 */
export function encodeCursor(key: readonly (string | number)[]): string {
  const bytes = new TextEncoder().encode(JSON.stringify(key));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function decodeCursor<const T extends readonly ('string' | 'number')[]>(
  cursor: string | undefined,
  shape: T,
): { [K in keyof T]: T[K] extends 'string' ? string : number } | undefined {
  if (cursor === undefined) return undefined;
  const invalid = new ApiError(400, 'bad_request', 'cursor is not one this API returned for this list');
  let key: unknown;
  try {
    const binary = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
    key = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (ch) => ch.charCodeAt(0))));
  } catch {
    throw invalid;
  }
  if (!Array.isArray(key) || key.length !== shape.length || key.some((part, i) => typeof part !== shape[i])) {
    throw invalid;
  }
  return key as { [K in keyof T]: T[K] extends 'string' ? string : number };
}

/** The page of `rows` (fetched with limit + 1) and the cursor of the next one. */
export function pageOf<R, I>(
  rows: readonly R[],
  limit: number,
  toItem: (row: R) => I,
  keyOf: (row: R) => readonly (string | number)[],
): { items: I[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(toItem),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null,
  };
}

export const DEFAULT_PAGE_SIZE = 100;
