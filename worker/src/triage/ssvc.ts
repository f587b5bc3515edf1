/**
 * CISA's SSVC decision tree (Stakeholder-Specific Vulnerability Categorization, CISA levels v1.1.0):
 * Exploitation x Automatable x Technical Impact x Mission & Well-being -> Track, Track*, Attend, Act.
 * The table is CERT/CC's published one (github.com/CERTCC/SSVC, data/csv/cisa/cisa_coordinator_2_0_3.csv),
 * transcribed, not derived: the tree is a policy choice of CISA, not a formula.
 */
import type { SsvcDecision } from '@patchboard/shared/schemas/policy';

export type Exploitation = 'none' | 'poc' | 'active';
export type MissionImpact = 'low' | 'medium' | 'high';

export interface SsvcInputs {
  readonly exploitation: Exploitation;
  readonly automatable: boolean;
  readonly technicalImpact: 'partial' | 'total';
  readonly missionImpact: MissionImpact;
}

/**
 * Decisions in the table's row order: exploitation (none, poc, active) x automatable (no, yes) x
 * technical impact (partial, total) x mission impact (low, medium, high), the last varying fastest.
 */
// biome-ignore format: one row of the table per line
const TABLE: readonly SsvcDecision[] = [
  // none, no
  'track', 'track', 'track', 'track', 'track', 'track*',
  // none, yes
  'track', 'track', 'attend', 'track', 'track', 'attend',
  // public poc, no
  'track', 'track', 'track*', 'track', 'track*', 'attend',
  // public poc, yes
  'track', 'track', 'attend', 'track', 'track*', 'attend',
  // active, no
  'track', 'track', 'attend', 'track', 'attend', 'act',
  // active, yes
  'attend', 'attend', 'act', 'attend', 'act', 'act',
];

const EXPLOITATION: readonly Exploitation[] = ['none', 'poc', 'active'];
const MISSION: readonly MissionImpact[] = ['low', 'medium', 'high'];

export function ssvcDecision(inputs: SsvcInputs): SsvcDecision {
  const row =
    EXPLOITATION.indexOf(inputs.exploitation) * 12 +
    (inputs.automatable ? 6 : 0) +
    (inputs.technicalImpact === 'total' ? 3 : 0) +
    MISSION.indexOf(inputs.missionImpact);
  const decision = TABLE[row];
  if (decision === undefined) throw new Error(`no SSVC row ${row}`);
  return decision;
}

/**
 * Mission & Well-being impact of a host: its criticality (1 most critical) says how much the
 * organisation's mission depends on it; being reachable from the internet raises it one level,
 * since a compromise there is both likelier and more visible.
 */
export function missionImpact(criticality: number, internetFacing: boolean): MissionImpact {
  const base = criticality <= 1 ? 2 : criticality === 2 ? 1 : 0;
  return MISSION[Math.min(2, base + (internetFacing ? 1 : 0))] ?? 'low';
}
