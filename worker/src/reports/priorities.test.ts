import { describe, expect, it } from 'vitest';
import { PRIORITY_LABELS, perPriority, priorityKey, priorityLabel } from './priorities';

describe('priorities', () => {
  it('maps SQL keys to labels and back, NULL (0) and anything unknown to unprioritised', () => {
    expect(PRIORITY_LABELS.map(priorityKey)).toEqual([1, 2, 3, 4, 0]);
    expect([1, 2, 3, 4, 0].map(priorityLabel)).toEqual(PRIORITY_LABELS);
    expect(priorityLabel(7)).toBe('unprioritised');
  });

  it('gives every priority an entry, in order, whichever rows the statement returned', () => {
    const rows = [
      { priority: 3, n: 5 },
      { priority: 0, n: 1 },
    ];
    expect(perPriority(rows, (label, row) => `${label}:${row?.n ?? 0}`)).toEqual([
      'P1:0',
      'P2:0',
      'P3:5',
      'P4:0',
      'unprioritised:1',
    ]);
  });
});
