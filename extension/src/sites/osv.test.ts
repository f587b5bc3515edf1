// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { osv } from './osv';
import { describeSite, loadFixture } from './sites.suite';

describeSite(osv, {
  cases: [
    {
      fixture: 'osv-vulnerability.html',
      url: 'https://osv.dev/vulnerability/GHSA-jfh8-c2jp-5v3q',
      id: 'GHSA-jfh8-c2jp-5v3q',
      anchorText: 'GHSA-jfh8-c2jp-5v3q',
    },
  ],
  wrongPages: [
    'https://osv.dev/list',
    'https://osv.dev/list?q=log4j&ecosystem=Maven',
    'https://osv.dev/vulnerability/',
    'https://osv.dev/vulnerability/PYSEC-2021-1',
    'https://osv.dev/vulnerability/GO-2024-2600',
    'https://osv.dev/vulnerability/UBUNTU-CVE-2024-3094',
    'https://osv.dev/blog/',
  ],
});

describe('osv', () => {
  it.each([
    ['CVE-2021-44228', 'CVE-2021-44228'],
    ['DSA-5020-1', 'DSA-5020-1'],
    ['DLA-3807-1', 'DLA-3807-1'],
    ['USN-5192-1', 'USN-5192-1'],
    ['RHSA-2021:5094', 'RHSA-2021:5094'],
    ['RHSA-2021%3A5094', 'RHSA-2021:5094'],
    ['ALSA-2024:2433', 'ALSA-2024:2433'],
  ])('takes any id the lookup knows: %s', (written, id) => {
    const url = new URL(`https://osv.dev/vulnerability/${written}`);
    expect(osv.primary(loadFixture('osv-vulnerability.html'), url)?.id).toBe(id);
  });
});
