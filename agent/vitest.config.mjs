import { defineProject } from 'vitest/config';

// The reference agents' tests run in Node: they start the sh agent (under dash) against a scripted
// server, and the end-to-end test against the real worker in workerd.
export default defineProject({
  test: { name: 'agent', environment: 'node', include: ['test/**/*.test.mjs'], testTimeout: 30_000 },
});
