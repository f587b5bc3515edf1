import { createApp } from './app';
import type { Env } from './env';
import { runDueFeeds } from './feeds/runner';

const app = createApp();

/** Wall-clock budget of one cron invocation; long syncs continue from their cursors in the next. */
const CRON_BUDGET_MS = 25_000;

export default {
  fetch: app.fetch,
  async scheduled(_controller, env, ctx) {
    ctx.waitUntil(
      runDueFeeds(env.DB, {
        fetch: (input, init) => fetch(input, init),
        clock: () => new Date(),
        budgetMs: CRON_BUDGET_MS,
        nvdApiKey: env.NVD_API_KEY,
      }),
    );
  },
} satisfies ExportedHandler<Env>;
