// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { cveorg } from './cveorg';
import { describeSite, loadFixture } from './sites.suite';

describeSite(cveorg, {
  cases: [
    {
      fixture: 'cveorg-record.html',
      url: 'https://www.cve.org/CVERecord?id=CVE-2024-3094',
      id: 'CVE-2024-3094',
      anchorText: 'CVE-2024-3094',
    },
    {
      fixture: 'cveorg-record.html',
      url: 'https://cve.org/CVERecord?id=cve-2024-3094',
      id: 'CVE-2024-3094',
      anchorText: 'CVE-2024-3094',
    },
  ],
  wrongPages: [
    'https://www.cve.org/CVERecord/SearchResults?query=xz',
    'https://www.cve.org/About/Overview',
    'https://www.cve.org/',
  ],
});

describe('cveorg', () => {
  it('reads the rendered record title when the query holds no id', () => {
    const url = new URL('https://www.cve.org/CVERecord');
    expect(cveorg.primary(loadFixture('cveorg-record.html'), url)?.id).toBe('CVE-2024-3094');
  });

  it('prefers the query to the title (the app may still show the previous record)', () => {
    const url = new URL('https://www.cve.org/CVERecord?id=CVE-2024-2961');
    expect(cveorg.primary(loadFixture('cveorg-record.html'), url)?.id).toBe('CVE-2024-2961');
  });
});
