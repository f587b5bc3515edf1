// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { catalog } from './catalog';
import { describeSite, loadFixture } from './sites.suite';

const SEARCH_HEADER = 'Search results for "KB5034441"';
const TITLE = '2024-01 Security Update for Windows 10 Version 22H2 for x64-based Systems (KB5034441)';

describeSite(catalog, {
  cases: [
    {
      fixture: 'catalog-search.html',
      url: 'https://www.catalog.update.microsoft.com/Search.aspx?q=KB5034441',
      id: 'KB5034441',
      anchorText: SEARCH_HEADER,
      title: '#ctl00_catalogBody_searchResultsHeader',
    },
    {
      fixture: 'catalog-search.html',
      url: 'https://catalog.update.microsoft.com/search.aspx?q=kb5034441',
      id: 'KB5034441',
      anchorText: SEARCH_HEADER,
      title: '#ctl00_catalogBody_searchResultsHeader',
    },
    {
      fixture: 'catalog-search.html',
      url: 'https://www.catalog.update.microsoft.com/Search.aspx?q=KB%205034441',
      id: 'KB5034441',
      anchorText: SEARCH_HEADER,
      title: '#ctl00_catalogBody_searchResultsHeader',
    },
    {
      fixture: 'catalog-scopedview.html',
      url: 'https://www.catalog.update.microsoft.com/ScopedViewInline.aspx?updateid=5f1a2b3c-0000-4d1e-9a8b-1c2d3e4f5a6b',
      id: 'KB5034441',
      anchorText: TITLE,
      title: '#ScopedViewHandler_titleText',
    },
  ],
  wrongPages: [
    'https://www.catalog.update.microsoft.com/Home.aspx',
    'https://www.catalog.update.microsoft.com/Search.aspx?q=2024-01%20cumulative%20update',
    'https://www.catalog.update.microsoft.com/Search.aspx?q=CVE-2024-20666',
    'https://www.catalog.update.microsoft.com/Search.aspx',
    'https://www.catalog.update.microsoft.com/Faq.aspx',
  ],
});

describe('catalog', () => {
  it('takes the KB of the "KB article numbers" line when the title names none', () => {
    const document = loadFixture('catalog-scopedview.html');
    const title = document.querySelector('#ScopedViewHandler_titleText');
    if (title) title.textContent = '2024-01 Security Update for Windows 10 Version 22H2 for x64-based Systems';
    const url = new URL('https://www.catalog.update.microsoft.com/ScopedViewInline.aspx?updateid=x');
    expect(catalog.primary(document, url)?.id).toBe('KB5034441');
  });

  it('takes the title KB, not the superseded ones listed under Package Details', () => {
    const url = new URL('https://www.catalog.update.microsoft.com/ScopedViewInline.aspx?updateid=x');
    expect(catalog.primary(loadFixture('catalog-scopedview.html'), url)?.id).toBe('KB5034441');
  });
});
