/**
 * NuGet (NuGet.Versioning's NuGetVersion and VersionComparer): up to four numeric components with
 * missing ones 0 (`1.0` = `1.0.0` = `1.0.0.0`), SemVer 2.0.0 pre-release precedence with
 * identifiers compared case-insensitively (OrdinalIgnoreCase upper-cases; folding to lower case
 * orders [0-9A-Za-z-] the same way), build metadata ignored. NuGet
 * itself refuses a `v` prefix and a fifth component, so they are refused here too.
 */
import { defineScheme } from './scheme';
import { semverFamily } from './semver';

export const nuget = defineScheme(
  semverFamily({ name: 'nuget', components: 4, vPrefix: false, extraComponents: 'refuse', foldCase: true }),
);
