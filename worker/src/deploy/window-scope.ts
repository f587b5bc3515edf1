/**
 * Which maintenance windows apply to a host: those for every host, for its ring, for one of its
 * tags, or for its hostname. A host in several windows may be patched in any of them (their
 * openings add up); a host in none has no window to be patched in.
 *
 * The same match in SQL is `windowsForHost` in worker/src/db/windows.ts.
 */
import type { ScopeKind } from '../db/windows';

export interface WindowHost {
  readonly hostname: string;
  readonly ring: string;
  readonly tags: readonly string[];
}

/** What a window's scope is made of, as stored (`scope_value` is '' for kind all). */
export interface ScopedWindow {
  readonly scope_kind: ScopeKind;
  readonly scope_value: string;
}

/** Whether a window's scope takes in the host. Hostnames, rings and tags are stored lower-case. */
export function appliesTo(window: ScopedWindow, host: WindowHost): boolean {
  switch (window.scope_kind) {
    case 'all':
      return true;
    case 'ring':
      return window.scope_value === host.ring;
    case 'tag':
      return host.tags.includes(window.scope_value);
    case 'hostname':
      return window.scope_value === host.hostname;
  }
}

/** The windows, of those given, that apply to the host, in their given order. */
export function windowsFor<W extends ScopedWindow>(host: WindowHost, windows: readonly W[]): W[] {
  return windows.filter((window) => appliesTo(window, host));
}
