import { isAdvisoryId, parseAdvisoryId } from '@patchboard/shared/ids';
import { describe, expect, it } from 'vitest';
import { wantedFor } from './wanted';

function wanted(text: string) {
  const id = parseAdvisoryId(text);
  if (!isAdvisoryId(id)) throw new Error(id.reason);
  return wantedFor(7, id);
}

describe('wantedFor', () => {
  it('looks an id up by name (id or alias) in its canonical spelling; a CVE also stands for itself', () => {
    expect(wanted('cve-2021-3782')).toEqual([7, 'CVE-2021-3782', [['CVE-2021-3782', 'name']]]);
    expect(wanted('rhsa-2024_4546')).toEqual([7, null, [['RHSA-2024:4546', 'name']]]);
    expect(wanted('DSA-3029-1')).toEqual([7, null, [['DSA-3029-1', 'name']]]);
  });

  it('reads an old-style DSA as itself and every revision of it', () => {
    expect(wanted('DSA-140')).toEqual([
      7,
      null,
      [
        ['DSA-140', 'name'],
        ['DSA-140', 'revisions'],
      ],
    ]);
  });

  it('finds a KB by the ranges it fixes, and as a name', () => {
    expect(wanted('KB 5034129')[2]).toEqual([
      ['KB5034129', 'fix'],
      ['KB5034129', 'name'],
    ]);
  });

  it('finds a Microsoft advisory also under the MSRC adapter’s id', () => {
    expect(wanted('adv240001')[2]).toEqual([
      ['ADV240001', 'name'],
      ['MSRC-ADV240001', 'name'],
    ]);
  });
});
