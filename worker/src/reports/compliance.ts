import type { Policy } from '@patchboard/shared/schemas/policy';
import {
  type Breach,
  type CoverageRow,
  EXCEPTIONS_EXPIRING_DAYS,
  type ExceptionCounts,
  REPORTING_WINDOW_DAYS,
  type RemediationRow,
} from '@patchboard/shared/schemas/report';
import { describePolicy, loadPolicy, type StoredPolicy } from '../triage/policy';
import { type ActionCount, auditActivityQuery } from './activity';
import { type BreachCounts, breachCountsQuery, oldestBreachesQuery } from './breaches';
import { coverageQuery } from './coverage';
import type { Block, ReportDocument } from './document';
import { type ActiveException, activeExceptionsQuery, exceptionCountsQuery } from './exceptions';
import { daysAfter, daysBefore, type Period, reportPeriod } from './period';
import { runReportQueries } from './query';
import { remediationQuery } from './remediation';
import type { ReportTenant } from './summary';

/** Rows listed in the document; the counts say how many there are in all. */
export const COMPLIANCE_BREACH_LIMIT = 50;
export const COMPLIANCE_EXCEPTION_LIMIT = 100;

/** What the compliance report states, read as of one instant. */
export interface ComplianceData {
  readonly tenant: ReportTenant;
  readonly generatedAt: string;
  readonly period: Period;
  readonly policy: StoredPolicy;
  readonly remediation: readonly RemediationRow[];
  readonly breachCounts: BreachCounts;
  readonly breaches: readonly Breach[];
  readonly exceptionCounts: ExceptionCounts;
  readonly exceptions: readonly ActiveException[];
  readonly coverage: readonly CoverageRow[];
  readonly activity: readonly ActionCount[];
}

export async function gatherCompliance(db: D1Database, tenant: ReportTenant, now: Date): Promise<ComplianceData> {
  const period = reportPeriod(now);
  const at = now.toISOString();
  const [remediation, breachCounts, breaches, exceptionCounts, exceptions, coverage, activity] = await runReportQueries(
    db,
    [
      remediationQuery(db, tenant.id, period),
      breachCountsQuery(db, tenant.id, at),
      oldestBreachesQuery(db, tenant.id, at, COMPLIANCE_BREACH_LIMIT),
      exceptionCountsQuery(db, tenant.id, at, daysAfter(now, EXCEPTIONS_EXPIRING_DAYS)),
      activeExceptionsQuery(db, tenant.id, at, COMPLIANCE_EXCEPTION_LIMIT),
      coverageQuery(db, tenant.id, daysBefore(now, REPORTING_WINDOW_DAYS)),
      auditActivityQuery(db, tenant.id, period),
    ],
  );
  const policy = await loadPolicy(db, tenant.id);
  return {
    tenant,
    generatedAt: at,
    period,
    policy,
    remediation,
    breachCounts,
    breaches,
    exceptionCounts,
    exceptions,
    coverage,
    activity,
  };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const percent = (share: number | null) => (share === null ? '–' : `${Math.round(share * 1000) / 10} %`);
const days = (value: number | null) => value ?? '–';

function policySource(policy: StoredPolicy): string {
  return policy.custom
    ? `the tenant's own, last changed ${policy.updatedAt ?? 'at an unknown time'} by ${policy.updatedBy ?? 'an unknown actor'}`
    : "Patchboard's default (the tenant has not changed it)";
}

/** "3 more breaches not listed here." after a capped list, or nothing. */
function more(total: number, shown: number, one: string, many: string): Block[] {
  return total > shown
    ? [{ kind: 'paragraph', text: `${plural(total - shown, `more ${one}`, `more ${many}`)} not listed here.` }]
    : [];
}

/** The compliance report as a document: plain text only, escaped by whichever renderer prints it. */
export function complianceDocument(data: ComplianceData): ReportDocument {
  const { period, breachCounts, exceptionCounts } = data;
  const policy: Policy = data.policy.policy;
  const breachesOf = new Map(breachCounts.byPriority.map((p) => [p.priority, p.breaches]));
  const blocks: Block[] = [
    {
      kind: 'facts',
      rows: [
        ['Tenant', `${data.tenant.name} (${data.tenant.id})`],
        ['Generated', data.generatedAt],
        ['Period', `${period.from} to ${period.to} (the last ${period.days} days, UTC)`],
        ['Policy', policySource(data.policy)],
      ],
    },
    { kind: 'heading', text: 'Prioritisation policy' },
    {
      kind: 'paragraph',
      text: 'Every unresolved finding (a host affected by an advisory through a package) gets a priority from P1 (most urgent) to P4 and a due date, by these rules:',
    },
    { kind: 'list', items: describePolicy(policy) },
    { kind: 'heading', text: 'SLA compliance' },
    {
      kind: 'paragraph',
      text: `Findings remediated in the period, by priority: resolved because a later software report from the host showed a fixed version. Time to remediate runs from when a finding was first seen, or last reopened, to that report. Within SLA: remediated by the due date, of those that had one. Open breaches: open or scheduled findings past their due date now.`,
    },
    {
      kind: 'table',
      columns: [
        'Priority',
        'Remediated',
        'With due date',
        'Within SLA',
        'Share within SLA',
        'Mean days',
        'Median days',
        'Open breaches',
      ],
      numeric: [false, true, true, true, true, true, true, true],
      rows: data.remediation.map((r) => [
        r.priority,
        r.remediated,
        r.withDueDate,
        r.withinSla,
        percent(r.withinSlaShare),
        days(r.meanDays),
        days(r.medianDays),
        breachesOf.get(r.priority) ?? 0,
      ]),
      empty: 'Nothing was remediated in the period.',
    },
    { kind: 'heading', text: 'Open SLA breaches' },
    {
      kind: 'paragraph',
      text: `${plural(breachCounts.total, 'open or scheduled finding is', 'open or scheduled findings are')} past the due date. Excepted findings are accepted risk and not counted. The most overdue first:`,
    },
    {
      kind: 'table',
      columns: ['Host', 'Advisory', 'Package', 'Priority', 'Due', 'Days overdue'],
      numeric: [false, false, false, false, false, true],
      rows: data.breaches.map((b) => [b.hostname, b.advisory, b.package, b.priority, b.dueAt, b.daysOverdue]),
      empty: 'No finding is past its due date.',
    },
    ...more(breachCounts.total, data.breaches.length, 'breach', 'breaches'),
    { kind: 'heading', text: 'Active risk exceptions' },
    {
      kind: 'paragraph',
      text: `${plural(exceptionCounts.active, 'approved risk exception is', 'approved risk exceptions are')} in force; ${exceptionCounts.expiringWithin7Days} ${exceptionCounts.expiringWithin7Days === 1 ? 'expires' : 'expire'} within ${EXCEPTIONS_EXPIRING_DAYS} days. Findings they cover are excepted until they expire, then reopen. Requester and approver are the tokens that acted (an approver never approves their own request).`,
    },
    {
      kind: 'table',
      columns: ['Hosts', 'Vulnerabilities', 'Reason', 'Compensating control', 'Requested by', 'Approved by', 'Expires'],
      rows: data.exceptions.map((e) => [
        e.hosts,
        e.target,
        e.reason,
        e.compensatingControl,
        e.requestedBy,
        e.approvedBy,
        e.expiresAt,
      ]),
      empty: 'No risk exception is in force.',
    },
    ...more(exceptionCounts.active, data.exceptions.length, 'exception', 'exceptions'),
    { kind: 'heading', text: 'Coverage per ring' },
    {
      kind: 'paragraph',
      text: `Hosts per deployment ring; a host that sent no software report in the last ${REPORTING_WINDOW_DAYS} days may have findings the data does not show yet.`,
    },
    {
      kind: 'table',
      columns: [
        'Ring',
        'Hosts',
        `Reported in the last ${REPORTING_WINDOW_DAYS} days`,
        'Without P1 or P2',
        'Without findings',
        'Unresolved findings',
      ],
      numeric: [false, true, true, true, true, true],
      rows: data.coverage.map((c) => [
        c.ring,
        c.hosts,
        c.reportedLast7Days,
        c.withoutP1OrP2,
        c.withoutFindings,
        c.unresolvedFindings,
      ]),
      empty: 'The tenant has no hosts.',
    },
    { kind: 'heading', text: 'Audit log' },
    {
      kind: 'paragraph',
      text: [
        'Actions recorded in the append-only audit log in the period. Every entry, with its actor and time, is at ',
        { code: 'GET /v1/audit' },
        '.',
      ],
    },
    {
      kind: 'table',
      columns: ['Action', 'Entries'],
      numeric: [false, true],
      rows: data.activity.map((a) => [a.action, a.count]),
      empty: 'Nothing was recorded in the period.',
    },
  ];
  return { title: `Patchboard compliance report: ${data.tenant.name}`, blocks };
}
