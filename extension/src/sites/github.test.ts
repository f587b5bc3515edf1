// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { github } from './github';
import { describeSite, loadFixture } from './sites.suite';

describeSite(github, {
  cases: [
    {
      fixture: 'github-advisory.html',
      url: 'https://github.com/advisories/GHSA-jfh8-c2jp-5v3q',
      id: 'GHSA-jfh8-c2jp-5v3q',
      anchorText: 'Remote code injection in Log4j',
    },
    {
      fixture: 'github-advisory.html',
      url: 'https://github.com/advisories/ghsa-JFH8-C2JP-5V3Q',
      id: 'GHSA-jfh8-c2jp-5v3q',
      anchorText: 'Remote code injection in Log4j',
    },
    {
      fixture: 'github-repository.html',
      url: 'https://github.com/example-org/widget/security/advisories/GHSA-9v2f-6vcg-3hgv',
      id: 'GHSA-9v2f-6vcg-3hgv',
      anchorText: 'Path traversal in archive extraction',
    },
  ],
  wrongPages: [
    'https://github.com/advisories',
    'https://github.com/advisories?query=type%3Areviewed+ecosystem%3Amaven',
    'https://github.com/advisories/GHSA-jfh8-c2jp-5v3q/dependabot',
    'https://github.com/example-org/widget/security/advisories',
    'https://github.com/example-org/widget/security/advisories/new',
    'https://github.com/example-org/widget/security',
    'https://github.com/example-org/widget/issues/12',
  ],
});

describe('github', () => {
  it('anchors at the advisory title, not at the hidden navigation heading', () => {
    const document = loadFixture('github-advisory.html');
    const primary = github.primary(document, new URL('https://github.com/advisories/GHSA-jfh8-c2jp-5v3q'));
    expect(primary?.anchor.className).toContain('gh-header-title');
  });
});
