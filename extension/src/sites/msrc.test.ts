// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { watch } from '../scan/watch';
import { msrc } from './msrc';
import { describeSite, loadFixture, textOf } from './sites.suite';

const TITLE = 'Internet Shortcut Files Security Feature Bypass Vulnerability';

describeSite(msrc, {
  cases: [
    {
      fixture: 'msrc-vulnerability.html',
      url: 'https://msrc.microsoft.com/update-guide/vulnerability/CVE-2024-21412',
      id: 'CVE-2024-21412',
      anchorText: TITLE,
    },
    {
      fixture: 'msrc-vulnerability.html',
      url: 'https://msrc.microsoft.com/update-guide/en-US/vulnerability/CVE-2024-21412',
      id: 'CVE-2024-21412',
      anchorText: TITLE,
    },
    {
      fixture: 'msrc-vulnerability.html',
      url: 'https://msrc.microsoft.com/update-guide/de-DE/vulnerability/cve-2024-21412?tab=faq',
      id: 'CVE-2024-21412',
      anchorText: TITLE,
    },
    {
      fixture: 'msrc-advisory.html',
      url: 'https://msrc.microsoft.com/update-guide/advisory/ADV990001',
      id: 'ADV990001',
      anchorText: 'Latest Servicing Stack Updates',
    },
    {
      fixture: 'msrc-advisory.html',
      url: 'https://msrc.microsoft.com/update-guide/en-US/advisory/adv990001',
      id: 'ADV990001',
      anchorText: 'Latest Servicing Stack Updates',
    },
    {
      fixture: 'msrc-releasenote.html',
      url: 'https://msrc.microsoft.com/update-guide/releaseNote/2024-Feb',
      id: null,
    },
  ],
  wrongPages: [
    'https://msrc.microsoft.com/update-guide/',
    'https://msrc.microsoft.com/update-guide/en-US',
    'https://msrc.microsoft.com/update-guide/vulnerability',
    'https://msrc.microsoft.com/update-guide/en-US/product-family/Windows',
    'https://msrc.microsoft.com/blog/2024/02/',
    'https://msrc.microsoft.com/report/vulnerability/new',
  ],
  listPages: [
    'https://msrc.microsoft.com/update-guide/releaseNote/2024-Feb',
    'https://msrc.microsoft.com/update-guide/en-US/releaseNote/2024-Feb',
  ],
});

describe('msrc', () => {
  const url = new URL('https://msrc.microsoft.com/update-guide/vulnerability/CVE-2024-21412');

  it('prefers the URL to the page: the id of the route, not of a CVE named in the text', () => {
    const primary = msrc.primary(loadFixture('msrc-advisory.html'), url);
    expect(primary?.id).toBe('CVE-2024-21412');
  });

  it('reads the rendered title when the URL holds no id it knows', () => {
    const document = loadFixture('msrc-vulnerability.html');
    const h1 = document.querySelector('h1');
    if (h1) h1.textContent = 'CVE-2024-21412 Internet Shortcut Files Security Feature Bypass Vulnerability';
    const odd = new URL('https://msrc.microsoft.com/update-guide/vulnerability/CVE-2024-21412-faq');
    expect(msrc.primary(document, odd)?.id).toBe('CVE-2024-21412');
  });

  it('has no primary on the shell served before React renders, and finds it once the title renders', async () => {
    const document = loadFixture('msrc-spa.html');
    expect(msrc.primary(document, url)).toBeNull();
    const found: string[] = [];
    const stop = watch(
      document.body,
      () => {
        const primary = msrc.primary(document, url);
        if (primary) found.push(`${primary.id} ${textOf(primary.anchor)}`);
      },
      { delay: 5 },
    );
    try {
      // What React does: replace the spinner with the page, the title first, details later.
      const main = document.querySelector('main');
      main?.replaceChildren();
      const header = document.createElement('div');
      const h1 = document.createElement('h1');
      h1.textContent = TITLE;
      header.append(h1);
      main?.append(header);
      await until(() => found.length > 0);
      expect(found).toEqual([`CVE-2024-21412 ${TITLE}`]);
    } finally {
      stop();
    }
  });
});

async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
