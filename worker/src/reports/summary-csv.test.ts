import { Summary } from '@patchboard/shared/schemas/report';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { PRIORITY_LABELS } from './priorities';
import { summaryCsv, summaryRows } from './summary-csv';

const zero = { findings: 0, hosts: 0 };
const summary: Summary = v.parse(Summary, {
  tenant: { id: 'tn_AAAAAAAAAAAAAAAA', name: 'acme' },
  generatedAt: '2026-11-27T10:00:00.000Z',
  period: { from: '2026-11-26T00:00:00.000Z', to: '2026-11-27T10:00:00.000Z', days: 2 },
  backlog: {
    total: { findings: 3, hosts: 2 },
    byPriority: PRIORITY_LABELS.map((priority) => ({
      priority,
      ...(priority === 'P1' ? { findings: 3, hosts: 2 } : zero),
      open: priority === 'P1' ? { findings: 2, hosts: 2 } : zero,
      scheduled: priority === 'P1' ? { findings: 1, hosts: 1 } : zero,
      excepted: zero,
    })),
  },
  slaBreaches: {
    total: 1,
    byPriority: PRIORITY_LABELS.map((priority) => ({ priority, breaches: priority === 'P1' ? 1 : 0 })),
    oldest: [
      {
        hostname: 'web-01',
        advisory: '@attacker-advisory',
        package: '=HYPERLINK("http://evil.example","open me")',
        priority: 'P1',
        dueAt: '2026-11-20T10:00:00.000Z',
        daysOverdue: 7,
      },
    ],
  },
  remediation: {
    byPriority: PRIORITY_LABELS.map((priority) => ({
      priority,
      remediated: priority === 'P2' ? 3 : 0,
      meanDays: priority === 'P2' ? 10 : null,
      medianDays: priority === 'P2' ? 14 : null,
      withDueDate: priority === 'P2' ? 3 : 0,
      withinSla: priority === 'P2' ? 1 : 0,
      withinSlaShare: priority === 'P2' ? 0.333 : null,
    })),
  },
  coverage: [
    { ring: 'prod', hosts: 2, reportedLast7Days: 1, withoutP1OrP2: 0, withoutFindings: 0, unresolvedFindings: 3 },
  ],
  trend: [
    { date: '2026-11-26', unresolved: 2, new: 2, resolved: 0, remediated: 0 },
    { date: '2026-11-27', unresolved: 3, new: 1, resolved: 0, remediated: 0 },
  ],
  exceptions: { active: 2, expiringWithin7Days: 1 },
});

describe('summaryCsv', () => {
  it('starts with the header and writes one value per CRLF-terminated row', () => {
    const csv = summaryCsv(summary);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('section,key,metric,value');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(1, 7)).toEqual([
      'report,tenant,name,acme',
      'report,tenant,id,tn_AAAAAAAAAAAAAAAA',
      'report,generated,at,2026-11-27T10:00:00.000Z',
      'report,period,from,2026-11-26T00:00:00.000Z',
      'report,period,to,2026-11-27T10:00:00.000Z',
      'report,period,days,2',
    ]);
    expect(lines).toContain('backlog,P1,scheduledFindings,1');
    expect(lines).toContain('slaBreaches,all,breaches,1');
    expect(lines).toContain('remediation,P2,withinSlaShare,0.333');
    expect(lines).toContain('coverage,prod,reportedLast7Days,1');
    expect(lines).toContain('trend,2026-11-27,unresolved,3');
    expect(lines).toContain('exceptions,all,expiringWithin7Days,1');
  });

  it('writes unknown values as empty cells, not as 0 or "null"', () => {
    const lines = summaryCsv(summary).split('\r\n');
    expect(lines).toContain('remediation,P1,meanDays,');
    expect(lines).toContain('remediation,P1,withinSlaShare,');
  });

  it('defuses formulas in values that come from advisories and inventories', () => {
    const lines = summaryCsv(summary).split('\r\n');
    expect(lines).toContain("oldestBreaches,1,advisory,'@attacker-advisory");
    expect(lines).toContain('oldestBreaches,1,package,"\'=HYPERLINK(""http://evil.example"",""open me"")"');
    expect(lines).toContain('oldestBreaches,1,daysOverdue,7');
  });

  it('names each value once, so pivoting key against metric per section loses nothing', () => {
    const rows = summaryRows(summary);
    const keys = rows.map(([section, key, metric]) => `${section}/${key}/${metric}`);
    expect(new Set(keys).size).toBe(keys.length);
    // 6 report facts, 2 + 5 x 8 backlog, 1 + 5 breach counts, 6 per listed breach, 5 x 6 remediation,
    // 5 per ring, 4 per day, 2 exception counts.
    expect(rows).toHaveLength(6 + 42 + 6 + 6 + 30 + 5 + 8 + 2);
  });
});
