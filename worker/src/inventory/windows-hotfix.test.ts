import { describe, expect, it } from 'vitest';
import { inventoryOf, issuesOf } from './outcome.testing';
import server2022 from './testdata/get-hotfix.windows-server-2022.json?raw';
import { windowsHotfixParser } from './windows-hotfix';

const parse = (text: string) => windowsHotfixParser.parse(text);

describe('Get-HotFix | ConvertTo-Json', () => {
  it('reads Windows PowerShell 5.1 output of a Windows Server 2022 host', () => {
    const inventory = inventoryOf(parse(server2022));
    expect(inventory.packages).toEqual([]);
    // 14 entries, one of them the broken "File 1".
    expect(inventory.hotfixes).toHaveLength(13);
    expect(inventory.hotfixes.map((h) => h.kb)).toEqual([
      'KB5005698',
      'KB5012170',
      'KB5034439',
      'KB5034129',
      'KB5035857',
      'KB5036909',
      'KB5037422',
      'KB5039227',
      'KB5041160',
      'KB5043050',
      'KB5044281',
      'KB5046616',
      'KB5048654',
    ]);
    expect(inventory.hotfixes[2]).toEqual({ kb: 'KB5034439', installedOn: '2024-01-23' });
    expect(inventory.hotfixes[0]).toEqual({ kb: 'KB5005698', installedOn: '2021-09-14' });
  });

  it('reads PowerShell 7 output (ISO dates)', () => {
    const text = JSON.stringify([
      {
        Source: 'WS22',
        Description: 'Security Update',
        HotFixID: 'KB5044281',
        InstalledBy: 'NT AUTHORITY\\SYSTEM',
        InstalledOn: '2024-10-09T00:00:00',
      },
      {
        Source: 'WS22',
        Description: 'Update',
        HotFixID: 'kb5005698 ',
        InstalledBy: '',
        InstalledOn: '2021-09-14T00:00:00+02:00',
      },
    ]);
    expect(inventoryOf(parse(text)).hotfixes).toEqual([
      { kb: 'KB5044281', installedOn: '2024-10-09' },
      { kb: 'KB5005698', installedOn: '2021-09-14' },
    ]);
  });

  it('reads the single object PowerShell writes for one hotfix', () => {
    const text = `{
    "PSComputerName":  "WS22",
    "InstalledOn":  {
                        "value":  "\\/Date(1705968000000)\\/",
                        "DateTime":  "Tuesday, January 23, 2024 12:00:00 AM"
                    },
    "Description":  "Security Update",
    "HotFixID":  "KB5034439",
    "InstalledBy":  "NT AUTHORITY\\\\SYSTEM",
    "CSName":  "WS22"
}`;
    expect(inventoryOf(parse(text)).hotfixes).toEqual([{ kb: 'KB5034439', installedOn: '2024-01-23' }]);
  });

  it('reads a local midnight east or west of UTC as that day, and leaves unreadable dates out', () => {
    const at = (value: unknown) =>
      inventoryOf(parse(JSON.stringify({ HotFixID: 'KB5034439', InstalledOn: value }))).hotfixes[0];
    // Midnight of 2024-01-23 in UTC+2 is 22:00 UTC the day before; in UTC-5 it is 05:00 UTC.
    expect(at({ value: '/Date(1705960800000)/' })).toEqual({ kb: 'KB5034439', installedOn: '2024-01-23' });
    expect(at({ value: '/Date(1705986000000)/' })).toEqual({ kb: 'KB5034439', installedOn: '2024-01-23' });
    expect(at({ DateTime: 'Tuesday, January 23, 2024 12:00:00 AM' })).toEqual({
      kb: 'KB5034439',
      installedOn: '2024-01-23',
    });
    expect(at(null)).toEqual({ kb: 'KB5034439' });
    expect(at('someday')).toEqual({ kb: 'KB5034439' });
    expect(at('2024-02-30T00:00:00')).toEqual({ kb: 'KB5034439' });
  });

  it('skips entries without a KB id but reports ids that look like a broken KB', () => {
    const text = JSON.stringify([
      { HotFixID: 'File 1' },
      { HotFixID: '' },
      { HotFixID: null },
      { HotFixID: 'KB5034439' },
      { HotFixID: 'KB 5034439' },
      { HotFixID: 5034439 },
      { Description: 'no id' },
      'KB5034439',
    ]);
    expect(issuesOf(parse(text))).toEqual([
      { path: '[4].HotFixID', message: 'hotfix id "KB 5034439" is not KB and 6 to 8 digits, such as KB5034441' },
      { path: '[5].HotFixID', message: 'HotFixID must be a string, found a number' },
      { path: '[6].HotFixID', message: 'a Get-HotFix object has a HotFixID' },
      { path: '[7]', message: 'a hotfix must be an object, found a string' },
    ]);
  });

  it('keeps a hotfix listed twice once', () => {
    const text = JSON.stringify([
      { HotFixID: 'KB5034439' },
      { HotFixID: 'kb5034439', InstalledOn: '2024-01-23T00:00:00' },
    ]);
    expect(inventoryOf(parse(text)).hotfixes).toEqual([{ kb: 'KB5034439', installedOn: '2024-01-23' }]);
  });
});
