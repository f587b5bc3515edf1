import { describe, expect, it } from 'vitest';
import { idsInText } from './ids';

const written = (text: string) => idsInText(text).map(({ id, start, end }) => [id, text.slice(start, end)]);

describe('idsInText', () => {
  it('finds every family, canonical, with the offsets of the text as written', () => {
    const text =
      'Fixes CVE-2024-3094 (ghsa-jfh8-c2jp-5v3q), see rhsa-2024_0010, RHBA-2023:7512, RHEA-2024:5245, USN-6663-1, ' +
      'DSA-5678-1, DSA-140, DLA-3807-1, ALSA-2024:2433, KB 5034441, KB5034763, MS17-010 and ADV990001.';
    expect(written(text)).toEqual([
      ['CVE-2024-3094', 'CVE-2024-3094'],
      ['GHSA-jfh8-c2jp-5v3q', 'ghsa-jfh8-c2jp-5v3q'],
      ['RHSA-2024:0010', 'rhsa-2024_0010'],
      ['RHBA-2023:7512', 'RHBA-2023:7512'],
      ['RHEA-2024:5245', 'RHEA-2024:5245'],
      ['USN-6663-1', 'USN-6663-1'],
      ['DSA-5678-1', 'DSA-5678-1'],
      ['DSA-140', 'DSA-140'],
      ['DLA-3807-1', 'DLA-3807-1'],
      ['ALSA-2024:2433', 'ALSA-2024:2433'],
      ['KB5034441', 'KB 5034441'],
      ['KB5034763', 'KB5034763'],
      ['MS17-010', 'MS17-010'],
      ['ADV990001', 'ADV990001'],
    ]);
  });

  it('finds each occurrence, in order', () => {
    expect(written('CVE-2024-3094, then cve-2024-3094 again')).toEqual([
      ['CVE-2024-3094', 'CVE-2024-3094'],
      ['CVE-2024-3094', 'cve-2024-3094'],
    ]);
  });

  it('never finds an id inside a longer token', () => {
    expect(idsInText('MSRC-CVE-2024-21412 CVE-2024-30941234x xKB5034441 KB12345 UBUNTU-CVE-2024-3094')).toEqual([]);
  });

  it('counts offsets in UTF-16 code units, as Text.splitText does', () => {
    const text = '🔥 Émoji before CVE-2024-3094';
    const [found] = idsInText(text);
    expect(found && text.slice(found.start, found.end)).toBe('CVE-2024-3094');
    expect(found?.start).toBe(text.indexOf('CVE'));
  });

  it('answers an empty list for text without ids', () => {
    expect(idsInText('')).toEqual([]);
    expect(idsInText('openssl 3.0.11-1~deb12u2 fixed on 2024-01-02')).toEqual([]);
  });
});
