import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';

/** Vendor advisory sites the overlays run on (src/sites/): granted at install, nothing broader. */
const VENDOR_HOSTS = [
  'https://msrc.microsoft.com/*',
  'https://www.catalog.update.microsoft.com/*',
  'https://access.redhat.com/*',
  'https://ubuntu.com/*',
  'https://security-tracker.debian.org/*',
  'https://www.debian.org/*',
  'https://nvd.nist.gov/*',
  'https://github.com/*',
  'https://www.cisa.gov/*',
  'https://osv.dev/*',
  'https://www.cve.org/*',
];

/** Admin consoles and backends other than the local one: asked for at runtime from the options page. */
const OPTIONAL_ORIGINS = ['https://*/*', 'http://*/*'];

// WXT builds one source for Chrome MV3 and Firefox (MV2); see https://wxt.dev/guide/essentials/config/
export default defineConfig({
  srcDir: 'src',
  vite: () => ({ plugins: [preact()] }),
  hooks: {
    // WXT grants every runtime-registered content script's `matches` as a host permission; ours
    // carry a placeholder (`*.invalid`, a reserved TLD) since the background decides where they run.
    'build:manifestGenerated': (_, manifest) => {
      const real = (p: unknown) => typeof p !== 'string' || !/^[^:]+:\/\/[^/]*\.invalid\//.test(p);
      if (manifest.host_permissions) manifest.host_permissions = manifest.host_permissions.filter(real);
      if (manifest.permissions) manifest.permissions = manifest.permissions.filter(real);
    },
  },
  manifest: ({ manifestVersion }) => ({
    name: 'Patchboard',
    description: 'Your fleet’s exposure on vendor advisory pages, and urgent patch news in the toolbar.',
    permissions: ['storage', 'alarms', 'notifications', 'contextMenus', 'scripting', 'activeTab'],
    // The vendor sites, and the local backend of `npm start`.
    host_permissions: [...VENDOR_HOSTS, 'http://127.0.0.1:8787/*'],
    // MV2 has no optional_host_permissions (WXT drops the key): there, origins go in optional_permissions.
    ...(manifestVersion === 3
      ? { optional_host_permissions: OPTIONAL_ORIGINS }
      : { optional_permissions: OPTIONAL_ORIGINS }),
    // Firefox 115: storage.session, where the background keeps the token's working copy.
    ...(manifestVersion === 2 ? { browser_specific_settings: { gecko: { strict_min_version: '115.0' } } } : {}),
  }),
});
