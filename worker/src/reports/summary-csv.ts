import type { Summary } from '@patchboard/shared/schemas/report';
import { type CsvCell, toCsv } from './csv';

/** The columns of the summary as CSV: long form, one value per row, so a spreadsheet can pivot it. */
export const SUMMARY_CSV_HEADER = ['section', 'key', 'metric', 'value'] as const;

type Row = readonly [section: string, key: string, metric: string, value: CsvCell];

/**
 * The summary in long form: `section` is the part of the report, `key` what a row is about (a
 * priority, a ring, a day, a breach's rank), `metric` the JSON field it comes from, `value` the
 * number or text. Filter on a section and pivot key against metric to get its table back.
 */
export function summaryRows(summary: Summary): Row[] {
  const rows: Row[] = [
    ['report', 'tenant', 'name', summary.tenant.name],
    ['report', 'tenant', 'id', summary.tenant.id],
    ['report', 'generated', 'at', summary.generatedAt],
    ['report', 'period', 'from', summary.period.from],
    ['report', 'period', 'to', summary.period.to],
    ['report', 'period', 'days', summary.period.days],
  ];
  const { backlog, slaBreaches, remediation } = summary;
  rows.push(['backlog', 'all', 'findings', backlog.total.findings], ['backlog', 'all', 'hosts', backlog.total.hosts]);
  for (const p of backlog.byPriority) {
    rows.push(['backlog', p.priority, 'findings', p.findings], ['backlog', p.priority, 'hosts', p.hosts]);
    for (const status of ['open', 'scheduled', 'excepted'] as const) {
      rows.push(
        ['backlog', p.priority, `${status}Findings`, p[status].findings],
        ['backlog', p.priority, `${status}Hosts`, p[status].hosts],
      );
    }
  }
  rows.push(['slaBreaches', 'all', 'breaches', slaBreaches.total]);
  for (const p of slaBreaches.byPriority) rows.push(['slaBreaches', p.priority, 'breaches', p.breaches]);
  for (const [index, breach] of slaBreaches.oldest.entries()) {
    const rank = String(index + 1);
    rows.push(
      ['oldestBreaches', rank, 'hostname', breach.hostname],
      ['oldestBreaches', rank, 'advisory', breach.advisory],
      ['oldestBreaches', rank, 'package', breach.package],
      ['oldestBreaches', rank, 'priority', breach.priority],
      ['oldestBreaches', rank, 'dueAt', breach.dueAt],
      ['oldestBreaches', rank, 'daysOverdue', breach.daysOverdue],
    );
  }
  for (const p of remediation.byPriority) {
    rows.push(
      ['remediation', p.priority, 'remediated', p.remediated],
      ['remediation', p.priority, 'meanDays', p.meanDays],
      ['remediation', p.priority, 'medianDays', p.medianDays],
      ['remediation', p.priority, 'withDueDate', p.withDueDate],
      ['remediation', p.priority, 'withinSla', p.withinSla],
      ['remediation', p.priority, 'withinSlaShare', p.withinSlaShare],
    );
  }
  for (const ring of summary.coverage) {
    rows.push(
      ['coverage', ring.ring, 'hosts', ring.hosts],
      ['coverage', ring.ring, 'reportedLast7Days', ring.reportedLast7Days],
      ['coverage', ring.ring, 'withoutP1OrP2', ring.withoutP1OrP2],
      ['coverage', ring.ring, 'withoutFindings', ring.withoutFindings],
      ['coverage', ring.ring, 'unresolvedFindings', ring.unresolvedFindings],
    );
  }
  for (const day of summary.trend) {
    rows.push(
      ['trend', day.date, 'unresolved', day.unresolved],
      ['trend', day.date, 'new', day.new],
      ['trend', day.date, 'resolved', day.resolved],
      ['trend', day.date, 'remediated', day.remediated],
    );
  }
  rows.push(
    ['exceptions', 'all', 'active', summary.exceptions.active],
    ['exceptions', 'all', 'expiringWithin7Days', summary.exceptions.expiringWithin7Days],
  );
  return rows;
}

export function summaryCsv(summary: Summary): string {
  return toCsv([SUMMARY_CSV_HEADER, ...summaryRows(summary)]);
}
