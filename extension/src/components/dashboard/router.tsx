/**
 * The dashboard's hash router: `#/hosts`, `#/hosts/<hostname>`, `#/findings?advisory=…&priority=…`,
 * `#/deployments`, `#/deployments/<id>`, `#/windows`, `#/exceptions`, `#/exceptions/<id>`, `#/feeds`; anything else is
 * `#/findings`. Content scripts open these routes through `patchboard:open`.
 */
import { useEffect, useState } from 'preact/hooks';

export interface Route {
  /** Path segments, decoded: `['hosts', 'web-01']`. */
  readonly path: readonly string[];
  readonly query: URLSearchParams;
}

export const SECTIONS = ['findings', 'hosts', 'deployments', 'windows', 'exceptions', 'feeds'] as const;
export type Section = (typeof SECTIONS)[number];

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const at = raw.indexOf('?');
  const pathPart = at < 0 ? raw : raw.slice(0, at);
  const query = new URLSearchParams(at < 0 ? '' : raw.slice(at + 1));
  const path = pathPart.split('/').filter(Boolean).map(decode);
  if (path.length === 0 || !(SECTIONS as readonly string[]).includes(path[0] ?? '')) {
    return { path: ['findings'], query: path.length === 0 ? query : new URLSearchParams() };
  }
  return { path, query };
}

/** A route as a hash: `href(['hosts', 'web-01'])` is `#/hosts/web-01`; empty query values are left out. */
export function href(path: readonly (string | number)[], query: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
  const search = params.toString();
  return `#/${path.map((s) => encodeURIComponent(String(s))).join('/')}${search ? `?${search}` : ''}`;
}

/** The current route, following hash changes. */
export function useRoute(): Route {
  const [hash, setHash] = useState(() => location.hash);
  useEffect(() => {
    const onChange = () => setHash(location.hash);
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return parseRoute(hash);
}

export function navigate(to: string): void {
  location.hash = to;
}
