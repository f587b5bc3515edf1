import { defineProject } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

// WxtVitest provides WXT's auto-imports and an in-memory `browser` (fakeBrowser) to unit tests.
export default defineProject({
  plugins: [WxtVitest({ root: import.meta.dirname })],
  test: { name: 'extension', environment: 'node', include: ['src/**/*.test.ts', 'src/**/*.test.tsx'] },
});
