import { canonicalId, firstTitle, idInText, primaryOf } from './page';
import type { SiteAdapter } from './types';

/**
 * The Microsoft Update Catalog (an ASP.NET site: paths are case-insensitive). A search for one KB
 * (`/Search.aspx?q=KB5034441`) has that KB as its primary, anchored at the results header; an
 * update's details (`/ScopedViewInline.aspx?updateid=<guid>`) have the KB of their title
 * (`... (KB5034441)`), or of the "KB article numbers" line. Searches for anything else are left to
 * the scanner.
 */
export const catalog: SiteAdapter = {
  name: 'catalog',
  label: 'Microsoft Update Catalog',
  matches: ['https://www.catalog.update.microsoft.com/*', 'https://catalog.update.microsoft.com/*'],
  primary(document, url) {
    const page = url.pathname.toLowerCase();
    if (page === '/search.aspx') {
      const id = canonicalId(url.searchParams.get('q'), ['kb']);
      return primaryOf(id, firstTitle(document, ['#ctl00_catalogBody_searchResultsHeader', '.resultsHeader', 'h1']));
    }
    if (page === '/scopedviewinline.aspx' || page === '/scopedview.aspx') {
      const title = firstTitle(document, ['#ScopedViewHandler_titleText', 'h1']);
      const kbLine = document.querySelector('#ScopedViewHandler_labelKBArticle, #kbDiv');
      const number = kbLine?.textContent?.match(/\d{6,8}/)?.[0];
      return primaryOf(idInText(title, ['kb']) ?? canonicalId(number && `KB${number}`, ['kb']), title);
    }
    return null;
  },
};
