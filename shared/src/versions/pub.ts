/**
 * Dart's pub (pub_semver's Version.compareTo): SemVer 2.0.0 precedence, except that build metadata
 * orders too: a version with build metadata sorts after the same version without, and build
 * identifiers compare like pre-release ones (`1.2.3 < 1.2.3+1 < 1.2.3+a`). pub_semver itself
 * wants exactly three components and no `v`; OSV data are read leniently like SemVer's (see
 * semver.ts), so `1.1.3.4.5` is `1.1.3+4.5` here.
 */
import { defineScheme } from './scheme';
import { semverFamily } from './semver';

export const pub = defineScheme(semverFamily({ name: 'pub', buildOrders: true }));
