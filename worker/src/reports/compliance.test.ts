import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../triage/policy';
import { COMPLIANCE_BREACH_LIMIT, type ComplianceData, complianceDocument } from './compliance';
import type { Block } from './document';
import { renderMarkdown } from './markdown';
import { reportPeriod } from './period';
import { PRIORITY_LABELS } from './priorities';

const now = new Date('2026-11-27T10:00:00.000Z');

function data(overrides: Partial<ComplianceData> = {}): ComplianceData {
  return {
    tenant: { id: 'tn_AAAAAAAAAAAAAAAA', name: 'acme' },
    generatedAt: now.toISOString(),
    period: reportPeriod(now),
    policy: { policy: DEFAULT_POLICY, custom: false, updatedAt: null, updatedBy: null },
    remediation: PRIORITY_LABELS.map((priority) => ({
      priority,
      remediated: 0,
      meanDays: null,
      medianDays: null,
      withDueDate: 0,
      withinSla: 0,
      withinSlaShare: null,
    })),
    breachCounts: { total: 0, byPriority: PRIORITY_LABELS.map((priority) => ({ priority, breaches: 0 })) },
    breaches: [],
    exceptionCounts: { active: 0, expiringWithin7Days: 0 },
    exceptions: [],
    coverage: [],
    activity: [],
    ...overrides,
  };
}

const paragraphs = (blocks: readonly Block[]) =>
  blocks.flatMap((b) => (b.kind === 'paragraph' && typeof b.text === 'string' ? [b.text] : []));

describe('complianceDocument', () => {
  it('says so when there is nothing to list, instead of printing empty tables', () => {
    const markdown = renderMarkdown(complianceDocument(data()));
    for (const sentence of [
      'No finding is past its due date.',
      'No risk exception is in force.',
      'The tenant has no hosts.',
      'Nothing was recorded in the period.',
      '0 open or scheduled findings are past the due date.',
    ]) {
      expect(markdown).toContain(sentence);
    }
  });

  it('says how many breaches and exceptions were left out of a capped list', () => {
    const breach = {
      hostname: 'web-01',
      advisory: 'DSA-1',
      package: 'openssl',
      priority: 'P1',
      dueAt: '2026-11-01T00:00:00.000Z',
      daysOverdue: 26,
    } as const;
    const exception = {
      id: 1,
      hosts: 'ring prod',
      target: 'cve CVE-2024-3094',
      reason: 'r',
      compensatingControl: 'c',
      requestedBy: 'pb_AAAAAAAA',
      approvedBy: 'pb_BBBBBBBB',
      approvedAt: null,
      expiresAt: '2027-01-01T00:00:00.000Z',
    };
    const doc = complianceDocument(
      data({
        breachCounts: { total: 53, byPriority: [] },
        breaches: Array.from({ length: COMPLIANCE_BREACH_LIMIT }, () => breach),
        exceptionCounts: { active: 101, expiringWithin7Days: 0 },
        exceptions: Array.from({ length: 100 }, () => exception),
      }),
    );
    expect(paragraphs(doc.blocks)).toContain('3 more breaches not listed here.');
    expect(paragraphs(doc.blocks)).toContain('1 more exception not listed here.');
    const exactly = complianceDocument(data({ breachCounts: { total: 1, byPriority: [] }, breaches: [breach] }));
    expect(paragraphs(exactly.blocks).some((p) => p.includes('not listed'))).toBe(false);
  });

  it('names a custom policy with when and by whom it was changed', () => {
    const doc = complianceDocument(
      data({
        policy: {
          policy: DEFAULT_POLICY,
          custom: true,
          updatedAt: '2026-11-01T00:00:00.000Z',
          updatedBy: 'pb_AAAAAAAA',
        },
      }),
    );
    expect(doc.blocks[0]).toMatchObject({
      kind: 'facts',
      rows: expect.arrayContaining([
        ['Policy', "the tenant's own, last changed 2026-11-01T00:00:00.000Z by pb_AAAAAAAA"],
      ]),
    });
  });
});
