/**
 * Token secrets: generation, hashing and constant-time comparison. A token is `pb_` + 8 characters
 * (its prefix, which finds the row and names the token) + 40 secret characters (about 238 bits);
 * only the SHA-256 of the whole token is stored. SHA-256 without a salt is right here: the secret
 * is random and long, so there is nothing to brute-force, and lookups stay one indexed read.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const PREFIX_CHARS = 8;
const SECRET_CHARS = 40;

export const TOKEN_PATTERN = /^pb_[A-Za-z0-9]{48}$/;

/** Random characters from ALPHABET without modulo bias (bytes >= 248 are redrawn). */
export function randomChars(count: number): string {
  let out = '';
  while (out.length < count) {
    for (const byte of crypto.getRandomValues(new Uint8Array(count * 2))) {
      if (byte < 248 && out.length < count) out += ALPHABET[byte % 62];
    }
  }
  return out;
}

export function generateToken(): { token: string; prefix: string } {
  const prefix = `pb_${randomChars(PREFIX_CHARS)}`;
  return { token: `${prefix}${randomChars(SECRET_CHARS)}`, prefix };
}

export function tokenPrefix(token: string): string {
  return token.slice(0, 3 + PREFIX_CHARS);
}

export async function sha256(text: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
}

export function toHex(buffer: ArrayBuffer): string {
  return [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export async function sha256Hex(text: string): Promise<string> {
  return toHex(await sha256(text));
}

function fromHex(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/** Compares two SHA-256 digests in constant time (workerd's timingSafeEqual). */
export function sameDigest(a: ArrayBuffer | string, b: ArrayBuffer | string): boolean {
  const x = typeof a === 'string' ? fromHex(a) : new Uint8Array(a);
  const y = typeof b === 'string' ? fromHex(b) : new Uint8Array(b);
  if (x.byteLength !== y.byteLength) return false;
  return crypto.subtle.timingSafeEqual(x, y);
}
