import * as v from 'valibot';
import { PageQuery, Timestamp } from './common';

const PackageText = (what: string, max: number) =>
  v.pipe(v.string(), v.minLength(1, `${what} is empty`), v.maxLength(max, `${what} is longer than ${max} characters`));

/** A Windows update id as `Get-HotFix` and the Update Catalog print it. */
export const KbId = v.pipe(
  v.string(),
  v.trim(),
  v.toUpperCase(),
  v.regex(/^KB\d{6,8}$/, 'a hotfix id looks like KB5034441'),
);

/** One installed package of the `application/json` inventory format. */
export const JsonInventoryPackage = v.strictObject({
  name: PackageText('name', 256),
  version: PackageText('version', 256),
  arch: v.optional(PackageText('arch', 32)),
  source: v.optional(PackageText('source', 256)),
  sourceVersion: v.optional(PackageText('sourceVersion', 256)),
});

/** Body of `PUT /v1/hosts/{hostname}/software` as `application/json`. */
export const JsonInventory = v.strictObject({
  packages: v.pipe(v.array(JsonInventoryPackage), v.maxLength(100_000, 'at most 100000 packages')),
  hotfixes: v.optional(v.pipe(v.array(KbId), v.maxLength(10_000, 'at most 10000 hotfixes'))),
});
export type JsonInventory = v.InferOutput<typeof JsonInventory>;

/** Content types accepted by `PUT /v1/hosts/{hostname}/software`, each with its own parser. */
export const inventoryFormats = [
  'application/json',
  'text/x-dpkg-query',
  'text/x-dpkg-status',
  'text/x-rpm-qa',
  'text/x-apk-installed',
  'application/vnd.cyclonedx+json',
  'application/spdx+json',
  'application/x-osquery+json',
  'application/x-windows-hotfix+json',
] as const;
export type InventoryFormat = (typeof inventoryFormats)[number];

/** What a software report changed, as answered by the PUT and kept in the history. */
export const InventoryReportSummary = v.object({
  id: v.string(),
  reportedAt: Timestamp,
  format: v.string(),
  actor: v.string(),
  packages: v.number(),
  hotfixes: v.number(),
  added: v.number(),
  removed: v.number(),
  changed: v.number(),
});
export type InventoryReportSummary = v.InferOutput<typeof InventoryReportSummary>;

export const InventoryChange = v.object({
  change: v.picklist(['added', 'removed', 'changed']),
  kind: v.picklist(['package', 'hotfix']),
  ecosystem: v.nullable(v.string()),
  name: v.string(),
  arch: v.nullable(v.string()),
  oldVersion: v.nullable(v.string()),
  newVersion: v.nullable(v.string()),
});

export const InventoryReport = v.object({ ...InventoryReportSummary.entries, changes: v.array(InventoryChange) });
export type InventoryReport = v.InferOutput<typeof InventoryReport>;

export const InstalledPackage = v.object({
  ecosystem: v.string(),
  name: v.string(),
  version: v.string(),
  arch: v.nullable(v.string()),
  source: v.nullable(v.string()),
  sourceVersion: v.nullable(v.string()),
  purl: v.nullable(v.string()),
});
export type InstalledPackage = v.InferOutput<typeof InstalledPackage>;

export const InstalledHotfix = v.object({ kb: v.string(), installedOn: v.nullable(v.string()) });

export const SoftwareQuery = v.strictObject({
  name: v.optional(v.pipe(v.string(), v.maxLength(256))),
  ...PageQuery,
});

export const SoftwarePage = v.object({
  items: v.array(InstalledPackage),
  hotfixes: v.array(InstalledHotfix),
  nextCursor: v.nullable(v.string()),
});
