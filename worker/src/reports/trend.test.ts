import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { type FindingFixture, fixtureTenant } from './fixtures.testing';
import { reportPeriod } from './period';
import { runReportQueries } from './query';
import { trendQuery } from './trend';

const now = new Date('2026-11-27T10:00:00.000Z');
const period = reportPeriod(now, 5); // 2026-11-23 .. 2026-11-27

async function trend(tenantId: string) {
  const [days] = await runReportQueries(env.DB, [trendQuery(env.DB, tenantId, period)]);
  return days;
}

describe('trendQuery', () => {
  it('reconstructs the unresolved findings at the end of each day from first seen and resolved', async () => {
    const { tenantId, addFindings } = await fixtureTenant(env.DB);
    const findings: FindingFixture[] = [
      // Before the period: one still open, one fixed inside it, one resolved before it (never shows).
      { firstSeenAt: '2026-11-01T00:00:00.000Z' },
      { firstSeenAt: '2026-11-01T00:00:00.000Z', resolvedAt: '2026-11-24T12:00:00.000Z' },
      { firstSeenAt: '2026-11-01T00:00:00.000Z', resolvedAt: '2026-11-10T00:00:00.000Z' },
      // New on 11-24: one removed on 11-26 (resolved, not remediated), one fixed the same day.
      { firstSeenAt: '2026-11-24T08:00:00.000Z', resolvedAt: '2026-11-26T09:00:00.000Z', resolution: 'removed' },
      { firstSeenAt: '2026-11-24T08:00:00.000Z', resolvedAt: '2026-11-24T23:59:59.999Z' },
      // New on 11-26, excepted and scheduled (unresolved all the same).
      { firstSeenAt: '2026-11-26T00:00:00.000Z', status: 'excepted' },
      { firstSeenAt: '2026-11-26T00:00:00.000Z', status: 'scheduled' },
      // Resolved before the period and reopened on 11-25: one row, so it shows from its first sighting.
      { firstSeenAt: '2026-10-01T00:00:00.000Z', reopenedAt: '2026-11-25T00:00:00.000Z' },
      // Today, before now.
      { firstSeenAt: '2026-11-27T09:00:00.000Z' },
    ];
    await addFindings(findings);
    const other = await fixtureTenant(env.DB);
    await other.addFindings([{ firstSeenAt: '2026-11-24T00:00:00.000Z' }]);

    expect(await trend(tenantId)).toEqual([
      { date: '2026-11-23', unresolved: 3, new: 0, resolved: 0, remediated: 0 },
      { date: '2026-11-24', unresolved: 3, new: 2, resolved: 2, remediated: 2 },
      { date: '2026-11-25', unresolved: 3, new: 0, resolved: 0, remediated: 0 },
      { date: '2026-11-26', unresolved: 4, new: 2, resolved: 1, remediated: 0 },
      { date: '2026-11-27', unresolved: 5, new: 1, resolved: 0, remediated: 0 },
    ]);

    // The same counts from the definition, finding by finding: first seen before the day's end and
    // not resolved by then.
    for (const day of await trend(tenantId)) {
      const end = `${day.date}T24`;
      const expected = findings.filter((f) => f.firstSeenAt < end && !(f.resolvedAt && f.resolvedAt < end)).length;
      expect(day.unresolved, day.date).toBe(expected);
    }
  });

  it('lists every day of the period with zeros for a tenant without findings', async () => {
    const { tenantId } = await fixtureTenant(env.DB);
    const days = await trend(tenantId);
    expect(days.map((d) => d.date)).toEqual(['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27']);
    expect(days.every((d) => d.unresolved === 0 && d.new === 0 && d.resolved === 0 && d.remediated === 0)).toBe(true);
  });
});
