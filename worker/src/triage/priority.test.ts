import type { Policy } from '@patchboard/shared/schemas/policy';
import { describe, expect, it } from 'vitest';
import { type CvssReading, readCvss } from './cvss';
import { DEFAULT_POLICY } from './policy';
import { type AdvisorySignals, decidePriority, type HostProfile, vendorExploitation } from './priority';

const vector = (v: string): CvssReading => {
  const reading = readCvss(v);
  if (!reading) throw new Error(`bad vector ${v}`);
  return reading;
};

const none: AdvisorySignals = { kev: null, epss: null, cvss: [], vendorExploitation: null };
const prod = (criticality: number, internetFacing: boolean): HostProfile => ({
  criticality,
  internetFacing,
  ring: 'prod',
});

// CVE-2024-21338 as the sources state it: Microsoft's CSAF (CVSS 7.8, "Exploited:Yes") and CISA KEV.
const kernelKev = { cve: 'CVE-2024-21338', dateAdded: '2024-03-04', dueDate: '2024-03-25', ransomware: 'Unknown' };
const windowsKernel: AdvisorySignals = {
  kev: kernelKev,
  epss: null,
  cvss: [vector('CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H/E:F/RL:O/RC:C')],
  vendorExploitation: {
    level: 'active',
    evidence: 'Publicly Disclosed:No;Exploited:Yes;Latest Software Release:Exploitation Detected',
  },
};

describe('decidePriority under the default policy', () => {
  it('KEV: P1 on any host, due by the KEV due date at the latest, explained from the KEV listing', () => {
    const decision = decidePriority(windowsKernel, prod(1, true), DEFAULT_POLICY);
    expect(decision).toMatchObject({ priority: 1, ssvc: 'act', slaDays: 7, kevDueDate: '2024-03-25', kev: true });
    expect(decision.reason).toBe(
      'P1: on CISA KEV since 2024-03-04 (ransomware: unknown) and exploited according to the vendor ' +
        '("Publicly Disclosed:No;Exploited:Yes;Latest Software Release:Exploitation Detected") and SSVC act ' +
        '(exploitation active: on KEV; automatable no; technical impact total; mission impact high), ' +
        'internet-facing, criticality 1; CVSS 3.1 7.8; no EPSS score; ' +
        'due within 7 days and by the KEV due date 2024-03-25 at the latest',
    );
    // A low-criticality internal host is still P1 (KEV), though SSVC says only Attend there.
    const internal = decidePriority(windowsKernel, prod(4, false), DEFAULT_POLICY);
    expect(internal).toMatchObject({ priority: 1, ssvc: 'track' });
    expect(internal.reason).toMatch(/^P1: on CISA KEV since 2024-03-04 \(ransomware: unknown\) and exploited/);
    expect(internal.reason).toContain(', criticality 4; SSVC track (exploitation active: on KEV;');
  });

  it('names ransomware use when CISA knows of it', () => {
    const ransomware = { ...windowsKernel, kev: { ...kernelKev, ransomware: 'Known' } };
    expect(decidePriority(ransomware, prod(2, false), DEFAULT_POLICY).reason).toMatch(
      /^P1: on CISA KEV since 2024-03-04 \(ransomware: known\)/,
    );
  });

  it('EPSS in the top 5 %: P2 within 14 days', () => {
    const likely: AdvisorySignals = { ...none, epss: { cve: 'CVE-2014-3616', score: 0.52341, percentile: 0.97712 } };
    const decision = decidePriority(likely, prod(2, true), DEFAULT_POLICY);
    expect(decision).toMatchObject({ priority: 2, ssvc: 'track', slaDays: 14, kevDueDate: null, kev: false });
    expect(decision.reason).toBe(
      'P2: EPSS 0.5234 (percentile 0.977, CVE-2014-3616) percentile >= 0.95, internet-facing, criticality 2; ' +
        'SSVC track (exploitation none: no known exploitation; automatable no; technical impact partial; mission impact high); ' +
        'no CVSS score; due within 14 days',
    );
  });

  it('critical CVSS: P2 when internet-facing, P3 inside', () => {
    const critical: AdvisorySignals = { ...none, cvss: [vector('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')] };
    const exposed = decidePriority(critical, prod(3, true), DEFAULT_POLICY);
    expect(exposed.priority).toBe(2);
    expect(exposed.reason).toMatch(
      /^P2: CVSS 3\.1 9\.8 >= 9 on an internet-facing host, internet-facing, criticality 3;/,
    );
    const inside = decidePriority(critical, prod(3, false), DEFAULT_POLICY);
    expect(inside.priority).toBe(3);
    expect(inside.reason).toMatch(/^P3: CVSS 3\.1 9\.8 >= 7, criticality 3;/);
    // On a criticality-1 host, SSVC (automatable, total impact, high mission impact) says Attend: P2.
    expect(decidePriority(critical, prod(1, false), DEFAULT_POLICY)).toMatchObject({ priority: 2, ssvc: 'attend' });
  });

  it('low CVSS, no exploitation: P4 within 90 days, whatever the host', () => {
    const low: AdvisorySignals = { ...none, cvss: [vector('CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:H')] };
    for (const host of [prod(1, true), prod(4, false)]) {
      const decision = decidePriority(low, host, DEFAULT_POLICY);
      expect(decision).toMatchObject({ priority: 4, ssvc: 'track', slaDays: 90 });
      expect(decision.reason).toMatch(/^P4: SSVC track \(exploitation none: no known exploitation; automatable no;/);
      expect(decision.reason).toContain('; CVSS 3.1 6.6; no EPSS score; due within 90 days');
    }
  });

  it('the highest of several vectors counts, and a v4 E:A vector is exploitation', () => {
    const attacked: AdvisorySignals = {
      ...none,
      cvss: [
        vector('CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:H'),
        vector('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A'),
      ],
    };
    const decision = decidePriority(attacked, prod(3, false), DEFAULT_POLICY);
    expect(decision).toMatchObject({ priority: 1, ssvc: 'attend' });
    expect(decision.reason).toMatch(/^P1: exploited according to its CVSS v4 threat metric \(E:A\), criticality 3;/);
    expect(decision.reason).toContain('; CVSS 4.0 9.3;');
  });
});

describe('rings and a tenant’s own policy', () => {
  it('test and pilot are due earlier so production can follow', () => {
    const test = decidePriority(windowsKernel, { criticality: 3, internetFacing: false, ring: 'test' }, DEFAULT_POLICY);
    expect(test.slaDays).toBe(3.5);
    expect(test.reason).toContain('due within 3.5 days (50 % of the P1 SLA in ring test) and by the KEV due date');
    const pilot = decidePriority(
      windowsKernel,
      { criticality: 3, internetFacing: false, ring: 'pilot' },
      DEFAULT_POLICY,
    );
    expect(pilot.slaDays).toBe(5.25);
  });

  it('applies a changed policy: thresholds, SLAs, priority shifts per ring', () => {
    const policy: Policy = {
      ...DEFAULT_POLICY,
      slaDays: { p1: 2, p2: 10, p3: 20, p4: 60 },
      kev: { priority: 2, useKevDueDate: false },
      exploited: { priority: 2 },
      ssvc: { act: 2, attend: 3, 'track*': 4, track: 4 },
      rings: { lab: { slaShare: 1, priorityShift: 1 } },
    };
    const lab = decidePriority(windowsKernel, { criticality: 1, internetFacing: true, ring: 'lab' }, policy);
    expect(lab).toMatchObject({ priority: 3, slaDays: 20, kevDueDate: null });
    expect(lab.reason).toMatch(
      /^P3: on CISA KEV since 2024-03-04 .* internet-facing, criticality 1, ring lab \(P2 shifted by \+1\);/,
    );
    const epssOff = { ...DEFAULT_POLICY, epss: [] };
    const likely: AdvisorySignals = { ...none, epss: { cve: 'CVE-2014-3616', score: 0.5, percentile: 0.99 } };
    expect(decidePriority(likely, prod(3, false), epssOff).priority).toBe(4);
  });
});

describe('vendorExploitation', () => {
  const status = (details: string) => vendorExploitation([{ category: 'exploit_status', details }]);
  it('reads MSRC’s flags and CSAF prose', () => {
    expect(status('Publicly Disclosed:No;Exploited:Yes;Latest Software Release:Exploitation Detected')?.level).toBe(
      'active',
    );
    expect(status('Publicly Disclosed:Yes;Exploited:No;Latest Software Release:Exploitation Less Likely')?.level).toBe(
      'poc',
    );
    expect(status('Red Hat is aware that this flaw is being actively exploited in the wild.')?.level).toBe('active');
    expect(status('A proof-of-concept exploit has been published.')?.level).toBe('poc');
  });

  it('does not mistake negations or forecasts for exploitation', () => {
    expect(status('Publicly Disclosed:No;Exploited:No;Latest Software Release:Exploitation More Likely')).toBeNull();
    expect(status('This flaw is not known to be exploited in the wild.')).toBeNull();
    expect(vendorExploitation([{ category: 'impact', details: 'Exploited:Yes' }])).toBeNull();
  });
});
