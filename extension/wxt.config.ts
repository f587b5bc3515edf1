import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';

// WXT builds one source for Chrome MV3 and Firefox; see https://wxt.dev/guide/essentials/config/
export default defineConfig({
  srcDir: 'src',
  vite: () => ({ plugins: [preact()] }),
  manifest: {
    name: 'Patchboard',
    description: 'Your fleet’s exposure on vendor advisory pages, and urgent patch news in the toolbar.',
    permissions: ['storage'],
    // The local backend of `npm start`; other backends are granted at runtime from the options page (issue #7).
    host_permissions: ['http://127.0.0.1:8787/*'],
  },
});
