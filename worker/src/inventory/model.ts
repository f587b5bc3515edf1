import type { PackageManager } from '@patchboard/shared/os';
import type { ErrorDetail } from '@patchboard/shared/schemas/error';
import type { InventoryFormat } from '@patchboard/shared/schemas/inventory';

/** One installed package as an inventory format states it, before it is tied to a host. */
export interface ParsedPackage {
  readonly name: string;
  /** The full version as the package manager compares it: dpkg `[epoch:]upstream[-revision]`, rpm `[epoch:]version-release` (epoch 0 left out), apk `version-rN`. */
  readonly version: string;
  readonly arch?: string;
  /** Source package name (Debian `Source:`, rpm SOURCERPM name, apk origin) when the format gives it. */
  readonly source?: string;
  readonly sourceVersion?: string;
  /**
   * The package database this package belongs to. OS packages of an SBOM or osquery rows say which
   * (deb -> dpkg, rpm, apk); single-manager formats set their own. Left out for packages that are
   * not OS packages (an SBOM's npm or Maven components): those carry `ecosystem` instead.
   */
  readonly packageManager?: PackageManager;
  /** OSV ecosystem of a language package found in an SBOM (`npm`, `PyPI`, `Maven`, ...). */
  readonly ecosystem?: string;
  readonly purl?: string;
}

/** One installed Windows update. */
export interface ParsedHotfix {
  /** Upper-case `KB` and 6-8 digits. */
  readonly kb: string;
  /** ISO 8601 date (YYYY-MM-DD) when the format gives it. */
  readonly installedOn?: string;
}

export interface ParsedInventory {
  readonly packages: readonly ParsedPackage[];
  readonly hotfixes: readonly ParsedHotfix[];
}

/** Parsers return problems as data: each names the line (text formats) or JSON path and what is wrong. */
export type ParseOutcome =
  | { readonly ok: true; readonly inventory: ParsedInventory }
  | { readonly ok: false; readonly issues: readonly ErrorDetail[] };

export interface InventoryParser {
  readonly contentType: InventoryFormat;
  /** Short name kept in the history, e.g. `dpkg-status`. */
  readonly format: string;
  parse(text: string): ParseOutcome;
}
