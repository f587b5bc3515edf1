// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { nvd } from './nvd';
import { describeSite, loadFixture } from './sites.suite';

const HEADER = 'CVE-2024-3094 Detail';
const TITLE = '[data-testid="page-header"]';

describeSite(nvd, {
  cases: [
    {
      fixture: 'nvd-cve.html',
      url: 'https://nvd.nist.gov/vuln/detail/CVE-2024-3094',
      id: 'CVE-2024-3094',
      anchorText: HEADER,
      title: TITLE,
    },
    {
      fixture: 'nvd-cve.html',
      url: 'https://nvd.nist.gov/vuln/detail/cve-2024-3094',
      id: 'CVE-2024-3094',
      anchorText: HEADER,
      title: TITLE,
    },
    {
      fixture: 'nvd-cve.html',
      url: 'https://nvd.nist.gov/vuln/detail/CVE-2024-3094/',
      id: 'CVE-2024-3094',
      anchorText: HEADER,
      title: TITLE,
    },
  ],
  wrongPages: [
    'https://nvd.nist.gov/vuln/search',
    'https://nvd.nist.gov/vuln/search/results?query=CVE-2024-3094',
    'https://nvd.nist.gov/vuln/detail/',
    'https://nvd.nist.gov/vuln/detail/CVE-2024-3094/change-record',
    'https://nvd.nist.gov/general/news',
  ],
});

describe('nvd', () => {
  it("reads the header's id when the URL's is not one", () => {
    const url = new URL('https://nvd.nist.gov/vuln/detail/CVE-2024-3094x');
    expect(nvd.primary(loadFixture('nvd-cve.html'), url)?.id).toBe('CVE-2024-3094');
  });
});
