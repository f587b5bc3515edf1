/**
 * The feeds every Patchboard deployment follows, with their real URLs. They are created on first
 * use (runner and GET /v1/feeds) and keep their state afterwards; a provider a tenant or the
 * service provider adds is stored beside them.
 */
import type { FeedKind } from './feed';

export interface CatalogFeed {
  readonly id: string;
  readonly kind: FeedKind;
  readonly name: string;
  readonly url: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly intervalSeconds: number;
  /** Off unless someone turns it on (only on creation: an admin's choice is kept). */
  readonly disabled?: boolean;
}

const OSV_BUCKET = 'https://osv-vulnerabilities.storage.googleapis.com';

/**
 * OSV distribution ecosystems followed in bulk (all.zip once, then modified_id.csv). Debian, Alpine
 * and Red Hat are not among them: their OSV records are converted from the Debian tracker, secdb
 * and Red Hat's CSAF, which Patchboard reads at the source, and following both would report each
 * vulnerability twice.
 */
const osvDistributions = ['Ubuntu', 'AlmaLinux', 'Rocky Linux', 'SUSE'] as const;

export const catalog: readonly CatalogFeed[] = [
  {
    id: 'csaf-redhat',
    kind: 'csaf',
    name: 'Red Hat CSAF advisories',
    url: 'https://security.access.redhat.com/data/csaf/v2/provider-metadata.json',
    // The advisories only: Red Hat also publishes a VEX document per CVE (hundreds of thousands).
    config: { distributions: ['https://security.access.redhat.com/data/csaf/v2/advisories/'] },
    intervalSeconds: 3_600,
  },
  {
    id: 'csaf-microsoft',
    kind: 'csaf',
    name: 'Microsoft CSAF advisories',
    url: 'https://msrc.microsoft.com/csaf/provider-metadata.json',
    config: {},
    intervalSeconds: 3_600,
    // Microsoft publishes the same advisories as CVRF (msrc-cvrf below), which also carries KB
    // supersedence; following both would report each Windows vulnerability twice.
    disabled: true,
  },
  {
    id: 'msrc-cvrf',
    kind: 'msrc',
    name: 'Microsoft Security Update Guide (CVRF v3)',
    url: 'https://api.msrc.microsoft.com/cvrf/v3.0/updates',
    config: {},
    intervalSeconds: 21_600,
  },
  ...osvDistributions.map(
    (ecosystem): CatalogFeed => ({
      id: `osv-${ecosystem.toLowerCase().replace(/\s+/g, '-')}`,
      kind: 'osv',
      name: `OSV: ${ecosystem}`,
      url: `${OSV_BUCKET}/${encodeURIComponent(ecosystem)}/`,
      config: { mode: 'bulk', ecosystem },
      intervalSeconds: 3_600,
    }),
  ),
  {
    id: 'osv-inventory',
    kind: 'osv',
    name: 'OSV: language packages in the inventory',
    url: 'https://api.osv.dev/v1/querybatch',
    config: { mode: 'inventory' },
    intervalSeconds: 21_600,
  },
  {
    id: 'debian-tracker',
    kind: 'debian-tracker',
    name: 'Debian security tracker',
    url: 'https://security-tracker.debian.org/tracker/data/json',
    config: {},
    intervalSeconds: 21_600,
  },
  {
    id: 'alpine-secdb',
    kind: 'alpine-secdb',
    name: 'Alpine secdb',
    url: 'https://secdb.alpinelinux.org/',
    config: { releases: ['v3.20', 'v3.21', 'v3.22'] },
    intervalSeconds: 21_600,
  },
  {
    id: 'kev',
    kind: 'kev',
    name: 'CISA Known Exploited Vulnerabilities',
    url: 'https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json',
    config: {},
    intervalSeconds: 21_600,
  },
  {
    id: 'epss',
    kind: 'epss',
    name: 'FIRST EPSS scores',
    url: 'https://epss.empiricalsecurity.com/epss_scores-current.csv.gz',
    config: {},
    intervalSeconds: 86_400,
  },
  {
    id: 'nvd',
    kind: 'nvd',
    name: 'NVD CVE API 2.0',
    url: 'https://services.nvd.nist.gov/rest/json/cves/2.0',
    config: {},
    intervalSeconds: 7_200,
  },
];
