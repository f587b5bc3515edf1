/**
 * Go modules. Go's own comparison (golang.org/x/mod/semver) is SemVer 2.0.0 precedence with the
 * `v` prefix and build metadata ignored, which is exactly semver.ts; OSV's Go records drop the `v`,
 * so it stays optional. Two Go forms need nothing extra because they are ordinary SemVer:
 * - `+incompatible` (a v2+ module without a go.mod) is build metadata: `v2.0.0+incompatible` = `v2.0.0`.
 * - pseudo-versions are pre-releases whose identifiers order them where Go means them to be:
 *   `v0.0.0-20191109021931-daa7c04131f5` (no tag yet) sorts below v0.0.0 by its one alphanumeric
 *   identifier, whose fixed-width UTC timestamp orders pseudo-versions by time;
 *   `v1.2.4-0.20191109021931-daa7c04131f5` (after v1.2.3) starts with the numeric identifier 0, below
 *   every alphanumeric pre-release of v1.2.4; `v1.2.4-pre.0.2019...` follows v1.2.4-pre by having
 *   more identifiers.
 */
import { defineScheme } from './scheme';
import { semverFamily } from './semver';

export const go = defineScheme(semverFamily({ name: 'go' }));
