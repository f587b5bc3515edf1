// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { scan } from '../scan/scan';
import { cisa } from './cisa';
import { describeSite, loadFixture } from './sites.suite';

describeSite(cisa, {
  cases: [
    { fixture: 'cisa-kev.html', url: 'https://www.cisa.gov/known-exploited-vulnerabilities-catalog', id: null },
    { fixture: 'cisa-kev.html', url: 'https://www.cisa.gov/known-exploited-vulnerabilities-catalog?page=1', id: null },
  ],
  wrongPages: ['https://www.cisa.gov/known-exploited-vulnerabilities', 'https://www.cisa.gov/news-events'],
  listPages: [
    'https://www.cisa.gov/known-exploited-vulnerabilities-catalog',
    'https://www.cisa.gov/known-exploited-vulnerabilities-catalog?search_api_fulltext=microsoft&page=2',
  ],
});

describe('cisa', () => {
  it('leaves the catalog to the scanner, which finds each listed CVE once', () => {
    const { ids } = scan(loadFixture('cisa-kev.html').body);
    expect(ids).toEqual([
      'CVE-2024-3400',
      'CVE-2024-21412',
      'CVE-2024-21351',
      'CVE-2023-4966',
      'CVE-2021-44228',
      'CVE-2017-0144',
      'CVE-2023-34362',
      'CVE-2024-1709',
    ]);
  });
});
