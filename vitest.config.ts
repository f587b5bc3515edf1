import { defineConfig } from 'vitest/config';

// One `vitest run` for the whole workspace; each package keeps its own environment.
export default defineConfig({
  test: {
    projects: [
      'shared',
      'worker',
      'extension',
      'worker/dev/vitest.config.mjs',
      'agent/vitest.config.mjs',
      'extension/test/vitest.config.mjs',
    ],
  },
});
