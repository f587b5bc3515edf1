import { defineProject } from 'vitest/config';

// The extension end to end: the built extension in Debian's Chromium (playwright-core), against the
// real worker bundle in Miniflare with the demo data, on vendor pages served by a local HTTPS server
// under their real URLs. One Chromium at a time: the files run one after another.
export default defineProject({
  test: {
    name: 'extension-e2e',
    environment: 'node',
    include: ['**/*.e2e.test.mjs'],
    globalSetup: ['./setup.mjs'],
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
