/**
 * Pacing of NVD requests. NVD counts requests per client in a rolling 30-second window: 5
 * without an API key, 50 with one; above that it answers 403 and blocks for a while. The pacer
 * remembers when each recent request left and, when the window is full, waits until the oldest
 * leaves it. Time comes from a Clock so tests can run minutes of pacing in no time.
 */

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export const NVD_WINDOW_MS = 30_000;
/** Slack for the time a request takes to reach NVD, whose clock starts counting on arrival. */
const SLACK_MS = 1_000;

export class RequestPacer {
  private readonly sent: number[] = [];

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly clock: Clock,
  ) {}

  /** Milliseconds to wait before the next request may leave. */
  delay(): number {
    const now = this.clock.now();
    while (this.sent.length > 0 && (this.sent[0] ?? 0) <= now - this.windowMs) this.sent.shift();
    if (this.sent.length < this.limit) return 0;
    return (this.sent[0] ?? now) + this.windowMs - now;
  }

  /**
   * Waits for a free slot and takes it. Answers false, without waiting, when the slot would come
   * after `deadline` (epoch ms): the run should stop there rather than overrun its budget.
   */
  async take(deadline: number): Promise<boolean> {
    const wait = this.delay();
    if (this.clock.now() + wait >= deadline) return false;
    if (wait > 0) await this.clock.sleep(wait);
    this.sent.push(this.clock.now());
    return true;
  }
}

/** NVD's published limits: 50 requests per 30 s with an API key, 5 without. */
export function nvdPacer(hasApiKey: boolean, clock: Clock): RequestPacer {
  return new RequestPacer(hasApiKey ? 50 : 5, NVD_WINDOW_MS + SLACK_MS, clock);
}
