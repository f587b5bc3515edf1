import * as v from 'valibot';
import { storage } from 'wxt/utils/storage';

/** Where the Patchboard API lives: an http(s) origin, such as `npm start`'s http://127.0.0.1:8787. */
export const BackendUrl = v.pipe(
  v.string(),
  v.trim(),
  v.url('the backend URL must be an absolute URL'),
  v.check((url) => /^https?:\/\//i.test(url), 'the backend URL must start with http:// or https://'),
  v.transform((url) => new URL(url).origin),
);

export const DEFAULT_BACKEND_URL = 'http://127.0.0.1:8787';

/** Settings live in extension storage, which web pages and content scripts of other extensions cannot read. */
export const backendUrlItem = storage.defineItem<string>('local:backendUrl', { fallback: DEFAULT_BACKEND_URL });

/** Saves a backend URL after validating it; answers the reason when it is not one. */
export async function saveBackendUrl(
  input: string,
): Promise<{ ok: true; url: string } | { ok: false; reason: string }> {
  const result = v.safeParse(BackendUrl, input);
  if (!result.success) return { ok: false, reason: result.issues[0]?.message ?? 'invalid URL' };
  await backendUrlItem.setValue(result.output);
  return { ok: true, url: result.output };
}
