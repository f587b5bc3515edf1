import { describe, expect, it } from 'vitest';
import { decide, type JobCounts, judgeGate, type RingState } from './machine';

const none: JobCounts = { total: 0, pending: 0, succeeded: 0, failed: 0, rolledBack: 0, cancelled: 0 };
const now = new Date('2026-11-28T02:00:00.000Z');

function ring(position: number, fields: Partial<RingState> = {}): RingState {
  return {
    position,
    ring: ['test', 'pilot', 'prod'][position] ?? `r${position}`,
    status: 'pending',
    soakMinutes: 60,
    successThreshold: 1,
    healthChecks: [],
    soakUntil: null,
    hosts: 2,
    patch: none,
    check: none,
    ...fields,
  };
}

describe('decide', () => {
  it('starts an approved deployment and waits on drafts and ended ones', () => {
    expect(decide({ status: 'approved', rings: [ring(0)] }, now)).toEqual({ kind: 'start' });
    for (const status of ['draft', 'awaiting_approval', 'completed', 'halted', 'cancelled', 'rejected'] as const) {
      expect(decide({ status, rings: [ring(0)] }, now)).toBeNull();
    }
  });

  it('walks the rings in order, skipping a ring without hosts', () => {
    expect(decide({ status: 'running', rings: [ring(0, { hosts: 0 }), ring(1)] }, now)).toEqual({
      kind: 'skip-ring',
      position: 0,
    });
    expect(decide({ status: 'running', rings: [ring(0, { status: 'skipped' }), ring(1)] }, now)).toEqual({
      kind: 'start-ring',
      position: 1,
    });
    expect(
      decide({ status: 'running', rings: [ring(0, { status: 'passed' }), ring(1, { status: 'passed' })] }, now),
    ).toEqual({ kind: 'complete' });
  });

  it('waits for pending jobs, then soaks for the ring soak time', () => {
    const running = ring(0, { status: 'running', patch: { ...none, total: 2, pending: 1, succeeded: 1 } });
    expect(decide({ status: 'running', rings: [running] }, now)).toBeNull();
    const installed = ring(0, { status: 'running', patch: { ...none, total: 2, succeeded: 2 } });
    expect(decide({ status: 'running', rings: [installed] }, now)).toEqual({
      kind: 'installed',
      position: 0,
      soakUntil: '2026-11-28T03:00:00.000Z',
    });
  });

  it('fails a ring as soon as the threshold cannot be reached, before the other jobs end', () => {
    const failing = ring(0, {
      status: 'running',
      successThreshold: 0.9,
      patch: { ...none, total: 10, pending: 8, succeeded: 0, rolledBack: 2 },
    });
    const decision = decide({ status: 'running', rings: [failing] }, now);
    expect(decision?.kind).toBe('fail-ring');
    // One failure in ten is within 90 %.
    const tolerable = ring(0, {
      status: 'running',
      successThreshold: 0.9,
      patch: { ...none, total: 10, pending: 9, failed: 1 },
    });
    expect(decide({ status: 'running', rings: [tolerable] }, now)).toBeNull();
  });

  it('after the soak, checks health again when the ring has checks, else goes to the gate', () => {
    const soaking = {
      status: 'soaking' as const,
      soakUntil: '2026-11-28T02:30:00.000Z',
      patch: { ...none, total: 2, succeeded: 2 },
    };
    expect(decide({ status: 'running', rings: [ring(0, soaking)] }, now)).toBeNull();
    const later = new Date('2026-11-28T02:30:00.000Z');
    expect(decide({ status: 'running', rings: [ring(0, soaking)] }, later)).toEqual({ kind: 'gate', position: 0 });
    expect(decide({ status: 'running', rings: [ring(0, { ...soaking, healthChecks: ['nginx'] })] }, later)).toEqual({
      kind: 'start-checks',
      position: 0,
    });
    const checking = ring(0, { status: 'checking', check: { ...none, total: 2, pending: 1, succeeded: 1 } });
    expect(decide({ status: 'running', rings: [checking] }, later)).toBeNull();
  });
});

describe('judgeGate', () => {
  const evidence = {
    successThreshold: 0.95,
    patch: { ...none, total: 20, succeeded: 20 },
    check: { ...none, total: 20, succeeded: 20 },
    notShowingFix: [],
    unhealthy: [],
  };

  it('passes with enough installs, green checks and reports that show the fix', () => {
    expect(judgeGate(evidence)).toEqual({ passed: true, succeeded: 20, total: 20, reasons: [] });
    expect(judgeGate({ ...evidence, patch: { ...none, total: 20, succeeded: 19, failed: 1 } }).passed).toBe(true);
  });

  it('fails with every reason: too few installs, unhealthy hosts, no report showing the fix', () => {
    const gate = judgeGate({
      ...evidence,
      patch: { ...none, total: 20, succeeded: 18, failed: 2 },
      unhealthy: ['web-03'],
      notShowingFix: ['web-07'],
    });
    expect(gate.passed).toBe(false);
    expect(gate.reasons).toEqual([
      '18 of 20 installs succeeded, below the threshold of 95 %',
      'health checks failed after the soak on web-03',
      'no software report showing the fixed versions since the install from web-07',
    ]);
  });
});
