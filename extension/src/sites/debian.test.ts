// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { debian } from './debian';
import { describeSite, loadFixture } from './sites.suite';

describeSite(debian, {
  cases: [
    {
      fixture: 'debian-tracker-cve.html',
      url: 'https://security-tracker.debian.org/tracker/CVE-2024-3094',
      id: 'CVE-2024-3094',
      anchorText: 'CVE-2024-3094',
    },
    {
      fixture: 'debian-tracker-dsa.html',
      url: 'https://security-tracker.debian.org/tracker/DSA-5678-1',
      id: 'DSA-5678-1',
      anchorText: 'DSA-5678-1',
    },
    {
      fixture: 'debian-tracker-dsa.html',
      url: 'https://security-tracker.debian.org/tracker/dsa-5678-1',
      id: 'DSA-5678-1',
      anchorText: 'DSA-5678-1',
    },
    {
      fixture: 'debian-dsa.html',
      url: 'https://www.debian.org/security/2024/dsa-5678',
      id: 'DSA-5678-1',
      anchorText: 'DSA-5678-1 glibc -- security update',
    },
    {
      fixture: 'debian-dsa.html',
      url: 'https://www.debian.org/security/2024/dsa-5678.en.html',
      id: 'DSA-5678-1',
      anchorText: 'DSA-5678-1 glibc -- security update',
    },
  ],
  wrongPages: [
    'https://security-tracker.debian.org/tracker/',
    'https://security-tracker.debian.org/tracker/glibc',
    'https://security-tracker.debian.org/tracker/source-package/glibc',
    'https://security-tracker.debian.org/tracker/TEMP-0000000-A1B2C3',
    'https://security-tracker.debian.org/tracker/status/release/stable',
    'https://www.debian.org/security/',
    'https://www.debian.org/security/2024/',
    'https://www.debian.org/security/faq',
    'https://www.debian.org/security/2024/index.en.html',
  ],
});

describe('debian', () => {
  it('finds LTS advisories on the tracker', () => {
    const url = new URL('https://security-tracker.debian.org/tracker/DLA-3807-1');
    expect(debian.primary(loadFixture('debian-tracker-dsa.html'), url)?.id).toBe('DLA-3807-1');
  });

  it('keeps the URL’s advisory, without revision, when the title names another one', () => {
    const document = loadFixture('debian-dsa.html');
    const h1 = document.querySelector('h1');
    if (h1) h1.textContent = 'DSA-5673-1 glibc -- security update';
    const url = new URL('https://www.debian.org/security/2024/dsa-5678');
    // The lookup resolves DSA-5678 to each of its revisions.
    expect(debian.primary(document, url)?.id).toBe('DSA-5678');
  });

  it('finds an LTS advisory of www.debian.org by its title (its URL has no revision, which DLA ids need)', () => {
    const document = loadFixture('debian-dsa.html');
    const h1 = document.querySelector('h1');
    if (h1) h1.textContent = 'DLA-3807-1 glibc security update';
    const url = new URL('https://www.debian.org/lts/security/2024/dla-3807');
    expect(debian.primary(document, url)?.id).toBe('DLA-3807-1');
  });
});
