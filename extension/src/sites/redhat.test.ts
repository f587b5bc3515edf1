// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { redhat } from './redhat';
import { describeSite, loadFixture } from './sites.suite';

const ERRATA_TITLE = 'RHSA-2024:0010 - Security Advisory';

describeSite(redhat, {
  cases: [
    {
      fixture: 'redhat-errata.html',
      url: 'https://access.redhat.com/errata/RHSA-2024:0010',
      id: 'RHSA-2024:0010',
      anchorText: ERRATA_TITLE,
    },
    {
      fixture: 'redhat-errata.html',
      url: 'https://access.redhat.com/errata/RHSA-2024%3A0010',
      id: 'RHSA-2024:0010',
      anchorText: ERRATA_TITLE,
    },
    {
      fixture: 'redhat-errata.html',
      url: 'https://access.redhat.com/errata/rhsa-2024_0010#packages',
      id: 'RHSA-2024:0010',
      anchorText: ERRATA_TITLE,
    },
    // Not a spelling the grammar takes (a hyphen for the colon): the title names the erratum.
    {
      fixture: 'redhat-errata.html',
      url: 'https://access.redhat.com/errata/RHSA-2024-0010/',
      id: 'RHSA-2024:0010',
      anchorText: ERRATA_TITLE,
    },
    {
      fixture: 'redhat-cve.html',
      url: 'https://access.redhat.com/security/cve/CVE-2024-3094',
      id: 'CVE-2024-3094',
      anchorText: 'CVE-2024-3094',
    },
    {
      fixture: 'redhat-cve.html',
      url: 'https://access.redhat.com/security/cve/cve-2024-3094',
      id: 'CVE-2024-3094',
      anchorText: 'CVE-2024-3094',
    },
  ],
  wrongPages: [
    'https://access.redhat.com/errata/',
    'https://access.redhat.com/errata/#/?q=openssl',
    'https://access.redhat.com/errata-search/?q=RHSA-2024:0010',
    'https://access.redhat.com/security/cve/',
    'https://access.redhat.com/security/security-updates/cve',
    'https://access.redhat.com/errata/RHSA-2024:0010/packages',
  ],
});

describe('redhat', () => {
  it('answers bug-fix and enhancement errata too', () => {
    const url = new URL('https://access.redhat.com/errata/RHBA-2023:7512');
    expect(redhat.primary(loadFixture('redhat-errata.html'), url)?.id).toBe('RHBA-2023:7512');
  });

  it('does not take a CVE for an erratum, nor an erratum for a CVE', () => {
    const errata = loadFixture('redhat-errata.html');
    expect(redhat.primary(errata, new URL('https://access.redhat.com/errata/CVE-2023-6377'))).toBeNull();
    const cve = loadFixture('redhat-cve.html');
    expect(redhat.primary(cve, new URL('https://access.redhat.com/security/cve/RHSA-2024:1234'))).toBeNull();
  });
});
