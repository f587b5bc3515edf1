import * as v from 'valibot';
import { Ring, Timestamp } from './common';

/** A finding's priority: 1 (patch now) to 4 (routine). */
export const Priority = v.pipe(
  v.number(),
  v.integer('a priority is a whole number'),
  v.minValue(1, 'priorities run from 1 (most urgent) to 4'),
  v.maxValue(4, 'priorities run from 1 (most urgent) to 4'),
);
export type Priority = 1 | 2 | 3 | 4;

const Days = v.pipe(
  v.number(),
  v.minValue(0.25, 'an SLA is at least 0.25 days (6 hours)'),
  v.maxValue(730, 'an SLA is at most 730 days'),
);
const Fraction = v.pipe(v.number(), v.minValue(0, 'a share is from 0 to 1'), v.maxValue(1, 'a share is from 0 to 1'));

/** The decisions of CISA's SSVC tree, least to most urgent. */
export const ssvcDecisions = ['track', 'track*', 'attend', 'act'] as const;
export type SsvcDecision = (typeof ssvcDecisions)[number];

/**
 * How a tenant turns signals into priorities and due dates (GET/PUT /v1/policy). A finding's
 * priority is the most urgent of every rule that fires (the SSVC decision always gives one), then
 * shifted by its host's ring; its due date is the priority's SLA from when it was first seen (or
 * reopened), scaled by the ring's share, and never later than the KEV due date when it is on KEV.
 * The defaults are DEFAULT_POLICY in worker/src/triage/policy.ts, documented in the README.
 */
export const Policy = v.strictObject({
  /** Days from first seen to due, per priority. */
  slaDays: v.strictObject({ p1: Days, p2: Days, p3: Days, p4: Days }),
  /** On CISA KEV: this priority, and due no later than the catalogue's due date when `useKevDueDate`. */
  kev: v.strictObject({ priority: Priority, useKevDueDate: v.boolean() }),
  /** The vendor says it is exploited (CSAF/MSRC threats, CVSS v4 E:A): this priority. */
  exploited: v.strictObject({ priority: Priority }),
  /** The priority of each SSVC decision (CISA's coordinator tree, see worker/src/triage/ssvc.ts). */
  ssvc: v.strictObject({ act: Priority, attend: Priority, 'track*': Priority, track: Priority }),
  /** EPSS: at or above this percentile (0-1) of all scored CVEs, this priority. */
  epss: v.pipe(
    v.array(v.strictObject({ percentileAtLeast: Fraction, priority: Priority })),
    v.maxLength(8, 'at most 8 EPSS rules'),
  ),
  /** CVSS base score (the highest of v3.x and v4 that the sources give) at or above, optionally only for internet-facing hosts. */
  cvss: v.pipe(
    v.array(
      v.strictObject({
        scoreAtLeast: v.pipe(v.number(), v.minValue(0), v.maxValue(10, 'a CVSS score is at most 10')),
        internetFacingOnly: v.boolean(),
        priority: Priority,
      }),
    ),
    v.maxLength(8, 'at most 8 CVSS rules'),
  ),
  /**
   * Per ring: the share of the SLA it gets (test and pilot must be patched before production can
   * be, so they are due earlier) and a shift of the priority (+1: one step less urgent).
   */
  rings: v.pipe(
    v.record(
      Ring,
      v.strictObject({
        slaShare: v.pipe(Fraction, v.minValue(0.05, 'a ring gets at least 5 % of the SLA')),
        priorityShift: v.pipe(v.number(), v.integer(), v.minValue(-3), v.maxValue(3)),
      }),
    ),
    v.check((rings) => Object.keys(rings).length <= 32, 'at most 32 rings'),
  ),
  /** Days before a risk exception expires at which the toolbar is told. */
  exceptionNoticeDays: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(90)),
});
export type Policy = v.InferOutput<typeof Policy>;

export const PolicyDocument = v.object({
  policy: Policy,
  /** false while the tenant uses the defaults. */
  custom: v.boolean(),
  updatedAt: v.nullable(Timestamp),
  updatedBy: v.nullable(v.string()),
  /** The policy in words, as the compliance report shows it. */
  description: v.array(v.string()),
});
