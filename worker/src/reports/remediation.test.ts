import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { fixtureTenant } from './fixtures.testing';
import { reportPeriod } from './period';
import { runReportQueries } from './query';
import { remediationQuery } from './remediation';

const now = new Date('2026-11-27T10:00:00.000Z');

async function remediation(tenantId: string) {
  const [rows] = await runReportQueries(env.DB, [remediationQuery(env.DB, tenantId, reportPeriod(now))]);
  return rows;
}

describe('remediationQuery', () => {
  it('gives the mean and the median per priority: the middle value, or the mean of the middle two', async () => {
    const { tenantId, addFindings } = await fixtureTenant(env.DB);
    await addFindings([
      // P1: 1, 2, 10 days -> mean 4.3, median 2
      { priority: 1, firstSeenAt: '2026-10-01T00:00:00.000Z', resolvedAt: '2026-10-02T00:00:00.000Z' },
      { priority: 1, firstSeenAt: '2026-10-01T00:00:00.000Z', resolvedAt: '2026-10-03T00:00:00.000Z' },
      { priority: 1, firstSeenAt: '2026-10-01T00:00:00.000Z', resolvedAt: '2026-10-11T00:00:00.000Z' },
      // P3: 4 and 7 days -> median 5.5; 6 hours -> 0.3 after rounding to a tenth
      { priority: 3, firstSeenAt: '2026-10-01T00:00:00.000Z', resolvedAt: '2026-10-05T00:00:00.000Z' },
      { priority: 3, firstSeenAt: '2026-10-01T00:00:00.000Z', resolvedAt: '2026-10-08T00:00:00.000Z' },
      { priority: null, firstSeenAt: '2026-10-01T00:00:00.000Z', resolvedAt: '2026-10-01T06:00:00.000Z' },
    ]);
    const rows = await remediation(tenantId);
    expect(rows.map((r) => [r.priority, r.remediated, r.meanDays, r.medianDays])).toEqual([
      ['P1', 3, 4.3, 2],
      ['P2', 0, null, null],
      ['P3', 2, 5.5, 5.5],
      ['P4', 0, null, null],
      ['unprioritised', 1, 0.3, 0.3],
    ]);
  });

  it('counts only fixes in the period, from the last reopening, and the SLA of those with a due date', async () => {
    const { tenantId, addFindings } = await fixtureTenant(env.DB);
    await addFindings([
      // Fixed on its due date: within SLA (the due date is the last moment that still counts).
      {
        priority: 2,
        firstSeenAt: '2026-11-01T00:00:00.000Z',
        dueAt: '2026-11-15T00:00:00.000Z',
        resolvedAt: '2026-11-15T00:00:00.000Z',
      },
      // Fixed a millisecond late.
      {
        priority: 2,
        firstSeenAt: '2026-11-01T00:00:00.000Z',
        dueAt: '2026-11-15T00:00:00.000Z',
        resolvedAt: '2026-11-15T00:00:00.001Z',
      },
      // Reopened on 11-20 and fixed again on 11-22: two days, not fifty.
      {
        priority: 2,
        firstSeenAt: '2026-10-03T00:00:00.000Z',
        reopenedAt: '2026-11-20T00:00:00.000Z',
        resolvedAt: '2026-11-22T00:00:00.000Z',
      },
      // Not remediation: the package was removed; and a fix before the period.
      {
        priority: 2,
        firstSeenAt: '2026-11-01T00:00:00.000Z',
        resolvedAt: '2026-11-02T00:00:00.000Z',
        resolution: 'removed',
      },
      { priority: 2, firstSeenAt: '2026-08-01T00:00:00.000Z', resolvedAt: '2026-08-29T23:59:59.999Z' },
      // Still open.
      { priority: 2, firstSeenAt: '2026-11-01T00:00:00.000Z', dueAt: '2026-11-15T00:00:00.000Z' },
    ]);
    const other = await fixtureTenant(env.DB);
    await other.addFindings([
      { priority: 2, firstSeenAt: '2026-11-01T00:00:00.000Z', resolvedAt: '2026-11-02T00:00:00.000Z' },
    ]);

    const p2 = (await remediation(tenantId)).find((r) => r.priority === 'P2');
    expect(p2).toEqual({
      priority: 'P2',
      remediated: 3,
      meanDays: 10,
      medianDays: 14,
      withDueDate: 2,
      withinSla: 1,
      withinSlaShare: 0.5,
    });
  });
});
