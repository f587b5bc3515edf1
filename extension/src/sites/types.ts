/**
 * A vendor page family (NVD's CVE pages, Microsoft's Security Update Guide, ...): which URLs it
 * covers, and how to find the page's primary identifier and where the overlay goes. One module per
 * family in this folder, all run by one shared test suite (sites.suite.ts) on saved fixture pages.
 */
export interface Primary {
  /** The advisory or CVE id as Patchboard's lookup takes it: `CVE-2024-3094`, `RHSA-2024:0010`, `KB5034441`. */
  readonly id: string;
  /** The element after which the overlay is inserted (usually the page's title). */
  readonly anchor: Element;
}

export interface SiteAdapter {
  /** Short name, shown in the options page: `nvd`, `msrc`, `redhat`, ... */
  readonly name: string;
  /** A person's name for it: `NVD`, `Microsoft Security Update Guide`. */
  readonly label: string;
  /** Match patterns (https://developer.chrome.com/docs/extensions/develop/concepts/match-patterns). */
  readonly matches: readonly string[];
  /**
   * The page's primary identifier and its place, or null when the page has none yet (a single-page
   * app still rendering: the content script tries again when the DOM changes).
   */
  primary(document: Document, url: URL): Primary | null;
  /**
   * True when the page at `url` is a list of many ids with no primary one (the CISA KEV catalog,
   * MSRC's release notes): the content script runs the scanner on it rather than waiting for a
   * primary. Absent means never.
   */
  isListPage?(url: URL): boolean;
}
