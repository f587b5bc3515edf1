import {
  EXCEPTIONS_EXPIRING_DAYS,
  REPORTING_WINDOW_DAYS,
  SUMMARY_BREACH_LIMIT,
  type Summary,
} from '@patchboard/shared/schemas/report';
import { backlogQuery } from './backlog';
import { breachCountsQuery, oldestBreachesQuery } from './breaches';
import { coverageQuery } from './coverage';
import { exceptionCountsQuery } from './exceptions';
import { daysAfter, daysBefore, reportPeriod } from './period';
import { runReportQueries } from './query';
import { remediationQuery } from './remediation';
import { trendQuery } from './trend';

export interface ReportTenant {
  readonly id: string;
  readonly name: string;
}

/** The tenant's summary as of `now`: every part an aggregate in SQL, all read in one batch. */
export async function buildSummary(db: D1Database, tenant: ReportTenant, now: Date): Promise<Summary> {
  const period = reportPeriod(now);
  const at = now.toISOString();
  const [backlog, breachCounts, oldest, remediation, coverage, trend, exceptions] = await runReportQueries(db, [
    backlogQuery(db, tenant.id),
    breachCountsQuery(db, tenant.id, at),
    oldestBreachesQuery(db, tenant.id, at, SUMMARY_BREACH_LIMIT),
    remediationQuery(db, tenant.id, period),
    coverageQuery(db, tenant.id, daysBefore(now, REPORTING_WINDOW_DAYS)),
    trendQuery(db, tenant.id, period),
    exceptionCountsQuery(db, tenant.id, at, daysAfter(now, EXCEPTIONS_EXPIRING_DAYS)),
  ]);
  return {
    tenant: { id: tenant.id, name: tenant.name },
    generatedAt: at,
    period: { from: period.from, to: period.to, days: period.days },
    backlog,
    slaBreaches: { ...breachCounts, oldest },
    remediation: { byPriority: remediation },
    coverage,
    trend,
    exceptions,
  };
}
