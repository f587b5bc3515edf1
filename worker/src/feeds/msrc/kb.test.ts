import { describe, expect, it } from 'vitest';
import { normalizeKb, supersededKbs } from './kb';

describe('KB numbers as MSRC writes them', () => {
  it.each([
    ['5034129', 'KB5034129'],
    [' kb5034129 ', 'KB5034129'],
    ['KB 5034129', 'KB5034129'],
    ['Release Notes', undefined],
    ['Click to Run', undefined],
    ['12345', undefined],
    ['', undefined],
    [null, undefined],
  ])('%j -> %j', (raw, kb) => {
    expect(normalizeKb(raw)).toBe(kb);
  });

  it.each([
    ['5033118', ['KB5033118']],
    ['5033118;5032190', ['KB5033118', 'KB5032190']],
    ['KB5034123, KB5034204', ['KB5034123', 'KB5034204']],
    ['KB 5033118; 5033118', ['KB5033118']],
    ['5033118 5032190', ['KB5033118', 'KB5032190']],
    ['', []],
    [null, []],
    ['N/A', []],
  ])('Supercedence %j names %j', (raw, kbs) => {
    expect(supersededKbs(raw)).toEqual(kbs);
  });
});
