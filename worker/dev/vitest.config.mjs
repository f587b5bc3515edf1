import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'dev', environment: 'node', include: ['**/*.test.mjs'] } });
