/**
 * Alpine's secdb (https://secdb.alpinelinux.org/<release>/<repo>.json) and the same format as
 * Wolfi and Chainguard publish it (https://packages.wolfi.dev/os/security.json): per package
 * (the apk origin), the versions that fixed each vulnerability; version `0` lists the ones that
 * never affected it. Loose: fields we do not use (apkurl, archs, urlprefix) pass unchecked.
 */
import * as v from 'valibot';

/** An apk package (origin) name; the advisory id embeds it. */
export const PackageName = /^[A-Za-z0-9][A-Za-z0-9+._-]{0,99}$/;
export const CveId = /^CVE-\d{4}-\d{4,}$/;
/** What secfixes lists: CVE ids mostly, also GHSA-..., XSA-... and the like. */
export const VulnerabilityId = /^[A-Z][A-Z0-9]{1,15}-[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The file: only `packages` is needed; each package is checked on its own so one bad entry is only that. */
export const SecdbFile = v.looseObject({
  distroversion: v.optional(v.string()),
  reponame: v.optional(v.string()),
  packages: v.pipe(v.array(v.unknown()), v.maxLength(100_000)),
});
export type SecdbFile = v.InferOutput<typeof SecdbFile>;

export const SecdbPackage = v.looseObject({
  pkg: v.looseObject({
    name: v.pipe(v.string(), v.regex(PackageName, 'not an apk package name')),
    // YAML-born files may carry an empty version (null list) or none at all.
    secfixes: v.optional(
      v.nullable(
        v.record(
          v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
          v.nullable(v.pipe(v.array(v.nullable(v.pipe(v.string(), v.maxLength(1000)))), v.maxLength(10_000))),
        ),
      ),
    ),
  }),
});
export type SecdbPackage = v.InferOutput<typeof SecdbPackage>;

/**
 * The feed's options. Alpine: `{ "releases": ["v3.20", "v3.19"] }` (and `repos`, main and
 * community by default) under the feed URL https://secdb.alpinelinux.org/. Wolfi or Chainguard:
 * `{ "ecosystem": "Wolfi" }` with the feed URL (or `url`) naming the one security.json.
 */
export const SecdbConfig = v.object({
  ecosystem: v.optional(v.picklist(['Alpine', 'Wolfi', 'Chainguard']), 'Alpine'),
  releases: v.optional(
    v.pipe(
      v.array(v.pipe(v.string(), v.regex(/^v\d{1,2}\.\d{1,2}$/, 'an Alpine release looks like v3.20'))),
      v.maxLength(50),
    ),
    [],
  ),
  repos: v.optional(v.array(v.picklist(['main', 'community'])), ['main', 'community']),
  url: v.optional(v.pipe(v.string(), v.url())),
});
export type SecdbConfig = v.InferOutput<typeof SecdbConfig>;
