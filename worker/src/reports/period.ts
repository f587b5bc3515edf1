import { REPORT_PERIOD_DAYS, type ReportPeriod } from '@patchboard/shared/schemas/report';

const DAY_MS = 86_400_000;

/** A report's period with the UTC dates of its first and last day, as SQL compares them. */
export interface Period extends ReportPeriod {
  /** `YYYY-MM-DD` of the first day. */
  readonly firstDay: string;
  /** `YYYY-MM-DD` of the request's day. */
  readonly lastDay: string;
}

/**
 * The `days` UTC days ending with the day of `now`: from the start of the first to `now` itself.
 * Whole days, so that the trend's first day is as complete as its others.
 */
export function reportPeriod(now: Date, days: number = REPORT_PERIOD_DAYS): Period {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const from = new Date(today - (days - 1) * DAY_MS).toISOString();
  const to = now.toISOString();
  return { from, to, days, firstDay: from.slice(0, 10), lastDay: to.slice(0, 10) };
}

/** The instant `days` days before `now` (for windows such as "reported in the last 7 days"). */
export function daysBefore(now: Date, days: number): string {
  return new Date(now.getTime() - days * DAY_MS).toISOString();
}

/** The instant `days` days after `now`. */
export function daysAfter(now: Date, days: number): string {
  return new Date(now.getTime() + days * DAY_MS).toISOString();
}
