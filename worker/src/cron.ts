/**
 * What the cron trigger does, in order: move deployments on (soak times that ended, rings whose
 * jobs are done), sync the feeds that are due, expire risk exceptions (their
 * findings reopen) and announce those about to expire, then continue the triage sweep with the time
 * left. Each step stands alone: one failing does not keep the others from running.
 */
import { advanceAll } from './deploy/advance';
import type { Env } from './env';
import { runDueFeeds } from './feeds/runner';
import { expireExceptions } from './triage/exceptions';
import { runSweep } from './triage/sweep';

export interface CronOptions {
  readonly fetch: typeof fetch;
  readonly clock: () => Date;
  /** Wall-clock budget of the whole invocation; long work continues in the next one. */
  readonly budgetMs: number;
}

/** The least time the triage sweep gets, even after feeds used their budget. */
const SWEEP_MIN_MS = 5_000;

export async function runCron(env: Env, options: CronOptions): Promise<void> {
  const started = Date.now();
  const failures: unknown[] = [];
  const step = async (work: () => Promise<unknown>) => {
    try {
      await work();
    } catch (err) {
      failures.push(err);
    }
  };
  await step(() => advanceAll(env.DB, options.clock()));
  await step(() =>
    runDueFeeds(env.DB, {
      fetch: options.fetch,
      clock: options.clock,
      budgetMs: options.budgetMs,
      nvdApiKey: env.NVD_API_KEY,
    }),
  );
  await step(() => expireExceptions(env.DB, options.clock()));
  await step(() => runSweep(env.DB, options.clock, Math.max(SWEEP_MIN_MS, options.budgetMs - (Date.now() - started))));
  // Reported to the runtime (Workers logs and cron status) once every step had its turn.
  if (failures.length > 0) throw new AggregateError(failures, `${failures.length} cron step(s) failed`);
}
