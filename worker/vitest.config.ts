import path from 'node:path';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineProject } from 'vitest/config';

// Tests run inside workerd with a real (local) D1, migrated by test/setup.ts before each file.
export default defineProject(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, 'migrations'));
  return {
    plugins: [
      cloudflareTest({
        main: './src/index.ts',
        wrangler: { configPath: '../wrangler.toml' },
        miniflare: {
          // A tight twin of wrangler.toml's TOKEN_RATE_LIMIT, so abuse.test.ts reaches the limit in a
          // few requests instead of 600 (every other test keeps the real budget).
          ratelimits: { TIGHT_RATE_LIMIT: { simple: { limit: 5, period: 60 } } },
          bindings: {
            TEST_MIGRATIONS: migrations,
            PATCHBOARD_ROOT_TOKEN: 'test-root-token-for-vitest-only',
            CORS_ORIGINS: 'chrome-extension://patchboardtestextensionidaaaaaaaa, https://cmdb.example.com',
          },
        },
      }),
    ],
    test: {
      name: 'worker',
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      setupFiles: ['./test/setup.ts'],
    },
  };
});
