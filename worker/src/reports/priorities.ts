import type { PriorityLabel } from '@patchboard/shared/schemas/report';

/** Every priority a report lists, most urgent first; `unprioritised` is a finding triage has not reached. */
export const PRIORITY_LABELS = ['P1', 'P2', 'P3', 'P4', 'unprioritised'] as const satisfies readonly PriorityLabel[];

/**
 * The priority of findings `f` as a group key: 1 to 4, and 0 for NULL (GROUP BY would keep NULL
 * as its own group too, but 0 keeps the rows of a statement plain numbers).
 */
export const PRIORITY_KEY = 'coalesce(f.priority, 0)';

/** The PRIORITY_KEY of a label: 1 to 4, 0 for `unprioritised`. */
export function priorityKey(label: PriorityLabel): number {
  return label === 'unprioritised' ? 0 : Number(label.slice(1));
}

export function priorityLabel(key: number): PriorityLabel {
  return key >= 1 && key <= 4 ? (`P${key}` as PriorityLabel) : 'unprioritised';
}

/**
 * One entry per priority, in the order of PRIORITY_LABELS, from rows keyed by PRIORITY_KEY;
 * a priority without rows gets `empty`, so a report always has the same shape.
 */
export function perPriority<R extends { priority: number }, T>(
  rows: readonly R[],
  make: (label: PriorityLabel, row: R | undefined) => T,
): T[] {
  const byLabel = new Map(rows.map((row) => [priorityLabel(row.priority), row]));
  return PRIORITY_LABELS.map((label) => make(label, byLabel.get(label)));
}
