import { Policy } from '@patchboard/shared/schemas/policy';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, describePolicy } from './policy';

describe('the default policy', () => {
  it('is a valid policy', () => {
    expect(v.safeParse(Policy, DEFAULT_POLICY).success).toBe(true);
  });

  it('reads as the README documents it', () => {
    expect(describePolicy(DEFAULT_POLICY)).toEqual([
      'Due dates: P1 within 7 days, P2 within 14 days, P3 within 30 days, P4 within 90 days of a finding being first seen (or reopened).',
      "On the CISA Known Exploited Vulnerabilities catalogue: P1, and due no later than the catalogue's due date.",
      'Exploited according to the vendor (CSAF or MSRC exploit status, CVSS v4 E:A): P1.',
      "SSVC (CISA's decision tree; mission impact from host criticality and internet exposure): Act P1, Attend P2, Track* P3, Track P4.",
      'EPSS at or above the 95 % percentile: P2.',
      'CVSS base score 9 or higher on an internet-facing host: P2.',
      'CVSS base score 7 or higher: P3.',
      'A finding gets the most urgent priority of the rules that apply to it.',
      'Ring pilot: due at 75 % of the SLA.',
      'Ring test: due at 50 % of the SLA.',
      'Risk exceptions are announced 7 days before they expire.',
    ]);
  });

  it('refuses what makes no sense', () => {
    const bad = (patch: object) => v.safeParse(Policy, { ...DEFAULT_POLICY, ...patch }).success;
    expect(bad({ slaDays: { p1: 0, p2: 14, p3: 30, p4: 90 } })).toBe(false);
    expect(bad({ kev: { priority: 5, useKevDueDate: true } })).toBe(false);
    expect(bad({ rings: { Prod: { slaShare: 1, priorityShift: 0 } } })).toBe(false);
    expect(bad({ epss: [{ percentileAtLeast: 1.5, priority: 2 }] })).toBe(false);
    expect(bad({ extra: true })).toBe(false);
  });
});
