import * as v from 'valibot';
import { Timestamp } from './common';

/**
 * Reports of a tenant (GET /v1/reports/summary and /v1/reports/compliance): where its unresolved
 * findings stand, how fast it remediates, how much of its fleet reports, and the trend, as of the
 * request's time. Everything covers one period: the 90 UTC days ending with the request's day.
 */

/** The days a report covers, ending with the day of the request (UTC). */
export const REPORT_PERIOD_DAYS = 90;
/** A host that sent no software report for this long is not covered by the data. */
export const REPORTING_WINDOW_DAYS = 7;
/** Risk exceptions expiring within this many days are counted as expiring soon. */
export const EXCEPTIONS_EXPIRING_DAYS = 7;
/** The most overdue breaches listed in the summary. */
export const SUMMARY_BREACH_LIMIT = 20;

/** A priority as reports name it; `unprioritised` for findings triage has not reached yet. */
export const PriorityLabel = v.picklist(['P1', 'P2', 'P3', 'P4', 'unprioritised']);
export type PriorityLabel = v.InferOutput<typeof PriorityLabel>;

const Count = v.pipe(v.number(), v.integer(), v.minValue(0));
const Days = v.nullable(v.number());
const IsoDate = v.pipe(v.string(), v.isoDate());

export const SummaryFormat = v.picklist(['json', 'csv'], 'format must be json or csv');
export type SummaryFormat = v.InferOutput<typeof SummaryFormat>;
export const ComplianceFormat = v.picklist(['markdown', 'html'], 'format must be markdown or html');
export type ComplianceFormat = v.InferOutput<typeof ComplianceFormat>;

/** `?format=`; without it the Accept header decides, and JSON is the default. */
export const SummaryQuery = v.strictObject({ format: v.optional(SummaryFormat) });
export type SummaryQuery = v.InferOutput<typeof SummaryQuery>;

/** `?format=`; without it the Accept header decides, and Markdown is the default. */
export const ComplianceQuery = v.strictObject({ format: v.optional(ComplianceFormat) });
export type ComplianceQuery = v.InferOutput<typeof ComplianceQuery>;

export const ReportPeriod = v.object({
  /** Start of the first day (00:00 UTC). */
  from: Timestamp,
  /** The request's time. */
  to: Timestamp,
  days: Count,
});
export type ReportPeriod = v.InferOutput<typeof ReportPeriod>;

const FindingsAndHosts = v.object({ findings: Count, hosts: Count });

/** Unresolved findings of one priority: in total and per status, each with the distinct hosts they are on. */
export const BacklogRow = v.object({
  priority: PriorityLabel,
  findings: Count,
  hosts: Count,
  open: FindingsAndHosts,
  scheduled: FindingsAndHosts,
  excepted: FindingsAndHosts,
});
export type BacklogRow = v.InferOutput<typeof BacklogRow>;

/** An open or scheduled finding past its due date (excepted findings are accepted risk, not breaches). */
export const Breach = v.object({
  hostname: v.string(),
  advisory: v.string(),
  package: v.string(),
  priority: PriorityLabel,
  dueAt: Timestamp,
  /** Whole days since the due date. */
  daysOverdue: Count,
});
export type Breach = v.InferOutput<typeof Breach>;

/**
 * Findings remediated in the period (resolved because a later software report showed a fixed
 * version), by the priority they had. Time to remediate runs from first seen, or from the last
 * reopening, to resolution.
 */
export const RemediationRow = v.object({
  priority: PriorityLabel,
  remediated: Count,
  meanDays: Days,
  medianDays: Days,
  /** Remediated findings that had a due date; the SLA share is of these. */
  withDueDate: Count,
  withinSla: Count,
  /** withinSla / withDueDate, null when none had a due date. */
  withinSlaShare: v.nullable(v.number()),
});
export type RemediationRow = v.InferOutput<typeof RemediationRow>;

export const CoverageRow = v.object({
  ring: v.string(),
  hosts: Count,
  /** Hosts that sent a software report in the last REPORTING_WINDOW_DAYS days. */
  reportedLast7Days: Count,
  withoutP1OrP2: Count,
  withoutFindings: Count,
  unresolvedFindings: Count,
});
export type CoverageRow = v.InferOutput<typeof CoverageRow>;

/** One UTC day: findings unresolved at its end (reconstructed), first seen, resolved (any reason) and remediated. */
export const TrendDay = v.object({
  date: IsoDate,
  unresolved: Count,
  new: Count,
  resolved: Count,
  remediated: Count,
});
export type TrendDay = v.InferOutput<typeof TrendDay>;

export const ExceptionCounts = v.object({
  /** Approved and not yet expired. */
  active: Count,
  /** Of those, expiring within EXCEPTIONS_EXPIRING_DAYS days. */
  expiringWithin7Days: Count,
});
export type ExceptionCounts = v.InferOutput<typeof ExceptionCounts>;

export const Summary = v.object({
  tenant: v.object({ id: v.string(), name: v.string() }),
  generatedAt: Timestamp,
  period: ReportPeriod,
  /** Unresolved findings: every priority, P1 first, then `unprioritised`. */
  backlog: v.object({ total: FindingsAndHosts, byPriority: v.array(BacklogRow) }),
  slaBreaches: v.object({
    total: Count,
    byPriority: v.array(v.object({ priority: PriorityLabel, breaches: Count })),
    /** The most overdue first, at most SUMMARY_BREACH_LIMIT. */
    oldest: v.array(Breach),
  }),
  remediation: v.object({ byPriority: v.array(RemediationRow) }),
  /** Per ring: test, pilot, prod, then the others by name. */
  coverage: v.array(CoverageRow),
  /** One entry per day of the period, oldest first. */
  trend: v.array(TrendDay),
  exceptions: ExceptionCounts,
});
export type Summary = v.InferOutput<typeof Summary>;
