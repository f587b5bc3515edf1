import { createApp } from './app';
import { runCron } from './cron';
import type { Env } from './env';

const app = createApp();

/** Wall-clock budget of one cron invocation; long syncs and sweeps continue in the next. */
const CRON_BUDGET_MS = 25_000;

export default {
  fetch: app.fetch,
  async scheduled(_controller, env, ctx) {
    ctx.waitUntil(
      runCron(env, { fetch: (input, init) => fetch(input, init), clock: () => new Date(), budgetMs: CRON_BUDGET_MS }),
    );
  },
} satisfies ExportedHandler<Env>;
