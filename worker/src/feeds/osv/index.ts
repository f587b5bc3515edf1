/**
 * OSV (https://osv.dev): distribution advisories in bulk from the OSV bucket (Debian, Ubuntu, Alpine,
 * AlmaLinux, Rocky Linux, Red Hat, SUSE, ...) and the inventory's language packages through the API;
 * OSV documents are also what POST /v1/advisories/import reads by default.
 */
import type { FeedAdapter } from '../feed';
import { syncOsv } from './fetch';
import { osvImporter } from './importer';

export const osvFeed: FeedAdapter = {
  kind: 'osv',
  defaultIntervalSeconds: 3_600,
  sync: (run) => syncOsv(run),
  importer: osvImporter,
};
