import { Health } from '@patchboard/shared/api';
import * as v from 'valibot';

export type BackendStatus = { connected: true; version: string } | { connected: false; reason: string };

/** Asks the backend's /health whether it is up; every failure becomes a reason a person can act on. */
export async function checkBackend(baseUrl: string, fetcher: typeof fetch = fetch): Promise<BackendStatus> {
  let res: Response;
  try {
    res = await fetcher(`${baseUrl}/health`);
  } catch (err) {
    return { connected: false, reason: `cannot reach ${baseUrl}: ${(err as Error).message}` };
  }
  if (!res.ok) return { connected: false, reason: `${baseUrl}/health answered ${res.status}` };
  const body = v.safeParse(Health, await res.json().catch(() => null));
  if (!body.success) return { connected: false, reason: `${baseUrl} does not look like a Patchboard backend` };
  return { connected: true, version: body.output.version };
}
