import { describe, expect, it } from 'vitest';
import { adapterFor, adapters } from './index';

describe('adapters', () => {
  it('have unique names', () => {
    const names = adapters.map((a) => a.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('never claim the same URL twice (each case URL of every family has one adapter)', () => {
    const urls = [
      'https://msrc.microsoft.com/update-guide/vulnerability/CVE-2024-21412',
      'https://www.catalog.update.microsoft.com/Search.aspx?q=KB5034441',
      'https://access.redhat.com/errata/RHSA-2024:0010',
      'https://ubuntu.com/security/notices/USN-6663-1',
      'https://security-tracker.debian.org/tracker/CVE-2024-3094',
      'https://nvd.nist.gov/vuln/detail/CVE-2024-3094',
      'https://github.com/advisories/GHSA-jfh8-c2jp-5v3q',
      'https://www.cisa.gov/known-exploited-vulnerabilities-catalog',
      'https://osv.dev/vulnerability/GHSA-jfh8-c2jp-5v3q',
      'https://www.cve.org/CVERecord?id=CVE-2024-3094',
    ];
    for (const url of urls) {
      const matching = adapters.filter((a) => a === adapterFor(new URL(url)));
      expect(matching.length, url).toBe(1);
    }
  });
});

describe('adapterFor (match patterns, WXT’s matcher)', () => {
  const nameFor = (url: string) => adapterFor(new URL(url))?.name ?? null;

  it('matches scheme, host and path; the query and fragment play no part', () => {
    expect(nameFor('https://nvd.nist.gov/vuln/detail/CVE-2024-3094?x=1#refs')).toBe('nvd');
    expect(nameFor('http://nvd.nist.gov/vuln/detail/CVE-2024-3094')).toBeNull();
    expect(nameFor('https://nvd.nist.gov/vuln/search')).toBeNull();
    expect(nameFor('https://nvd.nist.gov:8443/vuln/detail/CVE-2024-3094')).toBe('nvd');
  });

  it('compares hosts exactly: no suffix or prefix tricks', () => {
    expect(nameFor('https://nvd.nist.gov.evil.example/vuln/detail/CVE-2024-3094')).toBeNull();
    expect(nameFor('https://evilnvd.nist.gov/vuln/detail/CVE-2024-3094')).toBeNull();
    expect(nameFor('https://NVD.NIST.GOV/vuln/detail/CVE-2024-3094')).toBe('nvd'); // URL lower-cases hosts
    expect(nameFor('https://user@nvd.nist.gov/vuln/detail/CVE-2024-3094')).toBe('nvd');
  });

  it('matches a path wildcard across segments (repository advisories)', () => {
    expect(nameFor('https://github.com/owner/repo/security/advisories/GHSA-9v2f-6vcg-3hgv')).toBe('github');
    expect(nameFor('https://github.com/owner/repo/security/policy')).toBeNull();
    expect(nameFor('https://github.com/owner/repo')).toBeNull();
  });

  it('answers null for pages of no family', () => {
    expect(nameFor('https://example.com/CVE-2024-3094')).toBeNull();
    expect(nameFor('file:///tmp/CVE-2024-3094.html')).toBeNull();
  });
});
