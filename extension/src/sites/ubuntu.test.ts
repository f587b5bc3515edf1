// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { describeSite, loadFixture } from './sites.suite';
import { ubuntu } from './ubuntu';

describeSite(ubuntu, {
  cases: [
    {
      fixture: 'ubuntu-usn.html',
      url: 'https://ubuntu.com/security/notices/USN-6663-1',
      id: 'USN-6663-1',
      anchorText: 'USN-6663-1: OpenSSL update',
    },
    {
      fixture: 'ubuntu-usn.html',
      url: 'https://ubuntu.com/security/notices/usn-6663-1/',
      id: 'USN-6663-1',
      anchorText: 'USN-6663-1: OpenSSL update',
    },
    {
      fixture: 'ubuntu-cve.html',
      url: 'https://ubuntu.com/security/CVE-2024-3094',
      id: 'CVE-2024-3094',
      anchorText: 'CVE-2024-3094',
    },
    {
      fixture: 'ubuntu-cve.html',
      url: 'https://ubuntu.com/security/cve-2024-3094?tab=notes',
      id: 'CVE-2024-3094',
      anchorText: 'CVE-2024-3094',
    },
  ],
  wrongPages: [
    'https://ubuntu.com/security/notices',
    'https://ubuntu.com/security/notices?order=newest&release=jammy',
    'https://ubuntu.com/security/cves',
    'https://ubuntu.com/security/livepatch',
    'https://ubuntu.com/security/notices/USN-6663-1/feed',
    'https://ubuntu.com/download/server',
  ],
});

describe('ubuntu', () => {
  it('reads the notice from the title when its URL is misspelled', () => {
    const url = new URL('https://ubuntu.com/security/notices/USN-6663');
    expect(ubuntu.primary(loadFixture('ubuntu-usn.html'), url)?.id).toBe('USN-6663-1');
  });

  it('never takes a CVE page title for a page that is not named by a CVE', () => {
    const url = new URL('https://ubuntu.com/security/esm');
    expect(ubuntu.primary(loadFixture('ubuntu-cve.html'), url)).toBeNull();
  });
});
