/**
 * CSAF document versions (`/$defs/version_t`): integer versioning ("1", "2", ...) or semantic versioning
 * 2.0.0 ("1.0.0-rc.1+build"). Numbers are bigints: the schema puts no bound on them.
 */
import { isVersion } from './formats';

export type DocumentVersion =
  | { readonly kind: 'integer'; readonly text: string; readonly major: bigint }
  | {
      readonly kind: 'semantic';
      readonly text: string;
      readonly major: bigint;
      readonly minor: bigint;
      readonly patch: bigint;
      /** Dot-separated pre-release identifiers; empty for a release. */
      readonly prerelease: readonly string[];
    };

export function parseVersion(text: string): DocumentVersion | undefined {
  if (!isVersion(text)) return undefined;
  if (/^\d+$/.test(text)) return { kind: 'integer', text, major: BigInt(text) };
  const plus = text.indexOf('+');
  const core = plus === -1 ? text : text.slice(0, plus);
  const dash = core.indexOf('-');
  const [major = '0', minor = '0', patch = '0'] = (dash === -1 ? core : core.slice(0, dash)).split('.');
  return {
    kind: 'semantic',
    text,
    major: BigInt(major),
    minor: BigInt(minor),
    patch: BigInt(patch),
    prerelease: dash === -1 ? [] : core.slice(dash + 1).split('.'),
  };
}

export function isPrerelease(version: DocumentVersion): boolean {
  return version.kind === 'semantic' && version.prerelease.length > 0;
}

/** The version without build metadata (`2.0.0+21AF26D3` -> `2.0.0`), and without pre-release if asked. */
export function withoutMetadata(text: string, dropPrerelease: boolean): string {
  const core = text.split('+')[0] ?? text;
  return dropPrerelease ? (core.split('-')[0] ?? core) : core;
}

/**
 * Precedence: integers numerically, semantic versions by semver 2.0.0 rules (build metadata ignored).
 * When the two kinds meet (which test 6.1.30 reports anyway), an integer N counts as N.0.0.
 */
export function compareVersions(a: DocumentVersion, b: DocumentVersion): number {
  const sa = asSemantic(a);
  const sb = asSemantic(b);
  return (
    compareBig(sa.major, sb.major) ||
    compareBig(sa.minor, sb.minor) ||
    compareBig(sa.patch, sb.patch) ||
    comparePrerelease(sa.prerelease, sb.prerelease)
  );
}

function asSemantic(version: DocumentVersion) {
  return version.kind === 'semantic'
    ? version
    : { major: version.major, minor: 0n, patch: 0n, prerelease: [] as readonly string[] };
}

function compareBig(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A release outranks its pre-releases; identifiers compare numerically when numeric, else in ASCII order. */
function comparePrerelease(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return b.length - a.length;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] ?? '';
    const y = b[i] ?? '';
    const xNumeric = /^\d+$/.test(x);
    const yNumeric = /^\d+$/.test(y);
    const order =
      xNumeric && yNumeric
        ? compareBig(BigInt(x), BigInt(y))
        : xNumeric !== yNumeric
          ? xNumeric
            ? -1
            : 1
          : x < y
            ? -1
            : x > y
              ? 1
              : 0;
    if (order !== 0) return order;
  }
  return a.length - b.length;
}
