/**
 * A finding's priority, due date and the sentence that explains them, from what is known about its
 * advisory (KEV, EPSS, CVSS, the vendor's exploit status) and its host (criticality, exposure, ring),
 * under the tenant's policy. Pure: the triage pass (pass.ts) gathers the inputs and writes the result.
 */
import type { Policy, Priority, SsvcDecision } from '@patchboard/shared/schemas/policy';
import { automatable, type CvssReading, exploitMaturity, technicalImpact } from './cvss';
import { type Exploitation, missionImpact, type SsvcInputs, ssvcDecision } from './ssvc';

export interface KevFact {
  readonly cve: string;
  readonly dateAdded: string;
  readonly dueDate: string;
  /** CISA's knownRansomwareCampaignUse: Known or Unknown. */
  readonly ransomware: string;
}

export interface EpssFact {
  readonly cve: string;
  readonly score: number;
  readonly percentile: number;
}

/** What the sources say about one advisory (over all its CVEs). */
export interface AdvisorySignals {
  /** The earliest KEV listing among its CVEs (ransomware Known if any listing says so). */
  readonly kev: KevFact | null;
  /** The CVE with the highest EPSS percentile. */
  readonly epss: EpssFact | null;
  /** Every valid vector the advisory and NVD give for it. */
  readonly cvss: readonly CvssReading[];
  /** The vendor's own word on exploitation (CSAF/MSRC threats), with the words it used. */
  readonly vendorExploitation: { readonly level: Exploitation; readonly evidence: string } | null;
}

export interface HostProfile {
  readonly criticality: number;
  readonly internetFacing: boolean;
  readonly ring: string;
}

export interface PriorityDecision {
  readonly priority: Priority;
  readonly ssvc: SsvcDecision;
  /** `P1: on CISA KEV since 2024-04-02 (ransomware: known), internet-facing, criticality 1; ...` */
  readonly reason: string;
  /** Days from first seen (or reopened) to due, after the ring's share. */
  readonly slaDays: number;
  /** The KEV due date when it caps the due date (YYYY-MM-DD). */
  readonly kevDueDate: string | null;
  readonly kev: boolean;
}

const clampPriority = (n: number): Priority => Math.min(4, Math.max(1, Math.round(n))) as Priority;

/** The vector with the highest base score (v4 before v3 on a tie: it is the newer assessment). */
function strongest(readings: readonly CvssReading[]): CvssReading | undefined {
  let best: CvssReading | undefined;
  for (const reading of readings) {
    if (
      !best ||
      reading.baseScore > best.baseScore ||
      (reading.baseScore === best.baseScore && reading.version > best.version)
    ) {
      best = reading;
    }
  }
  return best;
}

/** The SSVC inputs: the worst case over the vectors (any one of them may be the accurate one). */
export function ssvcInputs(signals: AdvisorySignals, host: HostProfile): SsvcInputs & { exploitationWhy: string } {
  let exploitation: Exploitation = 'none';
  let exploitationWhy = 'no known exploitation';
  const raise = (level: Exploitation, why: string) => {
    const rank = { none: 0, poc: 1, active: 2 } as const;
    if (rank[level] > rank[exploitation]) {
      exploitation = level;
      exploitationWhy = why;
    }
  };
  if (signals.kev) raise('active', 'on KEV');
  if (signals.vendorExploitation) raise(signals.vendorExploitation.level, 'the vendor says so');
  for (const reading of signals.cvss) {
    const maturity = exploitMaturity(reading);
    if (maturity) raise(maturity, `CVSS E:${reading.metrics.E}`);
  }
  return {
    exploitation,
    exploitationWhy,
    automatable: signals.cvss.some(automatable),
    technicalImpact: signals.cvss.some((r) => technicalImpact(r) === 'total') ? 'total' : 'partial',
    missionImpact: missionImpact(host.criticality, host.internetFacing),
  };
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
const days = (n: number) => `${round(n, 2)} ${n === 1 ? 'day' : 'days'}`;

/** One thing known about the advisory, as the explanation words it. */
interface Fact {
  readonly key: 'kev' | 'exploited' | 'ssvc' | 'cvss' | 'epss';
  readonly text: string;
}

/** Decides one advisory on one kind of host under a policy. */
export function decidePriority(signals: AdvisorySignals, host: HostProfile, policy: Policy): PriorityDecision {
  const inputs = ssvcInputs(signals, host);
  const ssvc = ssvcDecision(inputs);
  const best = strongest(signals.cvss);

  const facts: Fact[] = [];
  if (signals.kev) {
    const ransomware = signals.kev.ransomware.toLowerCase() === 'known' ? 'known' : 'unknown';
    facts.push({ key: 'kev', text: `on CISA KEV since ${signals.kev.dateAdded} (ransomware: ${ransomware})` });
  }
  if (signals.vendorExploitation?.level === 'active') {
    facts.push({
      key: 'exploited',
      text: `exploited according to the vendor ("${signals.vendorExploitation.evidence}")`,
    });
  } else if (best && exploitMaturity(best) === 'active') {
    facts.push({ key: 'exploited', text: 'exploited according to its CVSS v4 threat metric (E:A)' });
  }
  facts.push({
    key: 'ssvc',
    text: `SSVC ${ssvc} (exploitation ${inputs.exploitation}: ${inputs.exploitationWhy}; automatable ${inputs.automatable ? 'yes' : 'no'}; technical impact ${inputs.technicalImpact}; mission impact ${inputs.missionImpact})`,
  });
  facts.push({ key: 'cvss', text: best ? `CVSS ${best.version} ${best.baseScore}` : 'no CVSS score' });
  facts.push({
    key: 'epss',
    text: signals.epss
      ? `EPSS ${round(signals.epss.score, 4)} (percentile ${round(signals.epss.percentile, 3)}, ${signals.epss.cve})`
      : 'no EPSS score',
  });

  // Every rule that fires proposes a priority; the most urgent wins, and the facts behind it lead the explanation.
  const proposals: { priority: Priority; fact: Fact['key']; rule?: string }[] = [];
  const propose = (priority: number, fact: Fact['key'], rule?: string) =>
    proposals.push({ priority: clampPriority(priority), fact, ...(rule ? { rule } : {}) });
  if (signals.kev) propose(policy.kev.priority, 'kev');
  if (facts.some((f) => f.key === 'exploited')) propose(policy.exploited.priority, 'exploited');
  propose(policy.ssvc[ssvc], 'ssvc');
  if (signals.epss) {
    for (const rule of policy.epss) {
      if (signals.epss.percentile >= rule.percentileAtLeast) {
        propose(rule.priority, 'epss', `percentile >= ${rule.percentileAtLeast}`);
      }
    }
  }
  if (best) {
    for (const rule of policy.cvss) {
      if (best.baseScore >= rule.scoreAtLeast && (!rule.internetFacingOnly || host.internetFacing)) {
        propose(
          rule.priority,
          'cvss',
          `>= ${rule.scoreAtLeast}${rule.internetFacingOnly ? ' on an internet-facing host' : ''}`,
        );
      }
    }
  }
  const ruled = Math.min(...proposals.map((p) => p.priority)) as Priority;
  const decisive = new Map<Fact['key'], string | undefined>();
  for (const p of proposals) if (p.priority === ruled && !decisive.has(p.fact)) decisive.set(p.fact, p.rule);

  const ring = policy.rings[host.ring];
  const priority = clampPriority(ruled + (ring?.priorityShift ?? 0));
  const share = ring?.slaShare ?? 1;
  const slaDays = policy.slaDays[`p${priority}`] * share;
  const kevDueDate = signals.kev && policy.kev.useKevDueDate ? signals.kev.dueDate : null;

  const hostContext = [
    ...(host.internetFacing ? ['internet-facing'] : []),
    `criticality ${host.criticality}`,
    ...(ring && ring.priorityShift !== 0
      ? [`ring ${host.ring} (P${ruled} shifted by ${ring.priorityShift > 0 ? '+' : ''}${ring.priorityShift})`]
      : []),
  ];
  const leading = facts
    .filter((f) => decisive.has(f.key))
    .map((f) => (decisive.get(f.key) ? `${f.text} ${decisive.get(f.key)}` : f.text));
  const rest = facts.filter((f) => !decisive.has(f.key)).map((f) => f.text);
  const due = `due within ${days(slaDays)}${share !== 1 ? ` (${round(share * 100, 1)} % of the P${priority} SLA in ring ${host.ring})` : ''}${kevDueDate ? ` and by the KEV due date ${kevDueDate} at the latest` : ''}`;
  const reason = `P${priority}: ${leading.join(' and ')}, ${hostContext.join(', ')}; ${[...rest, due].join('; ')}`;
  return { priority, ssvc, reason, slaDays, kevDueDate, kev: signals.kev !== null };
}

/**
 * The vendor's word on exploitation, from CSAF `exploit_status` threats and MSRC's
 * `Exploited:Yes;Publicly Disclosed:No` notes. Negations ("not exploited", "Exploited:No") and
 * Microsoft's forecasts ("Exploitation More Likely") say nothing about exploitation having happened.
 */
export function vendorExploitation(
  threats: readonly { category: string; details: string }[],
): AdvisorySignals['vendorExploitation'] {
  let found: AdvisorySignals['vendorExploitation'] = null;
  for (const threat of threats) {
    if (threat.category !== 'exploit_status') continue;
    const text = threat.details;
    const evidence = text.length > 120 ? `${text.slice(0, 117)}...` : text;
    if (
      /\bExploited:\s*Yes\b/i.test(text) ||
      /\bExploitation Detected\b/i.test(text) ||
      (/\b(exploited in the wild|actively exploited|active exploitation|under attack)\b/i.test(text) &&
        !/\b(no|not|never)\b[^.;]{0,40}\bexploit/i.test(text))
    ) {
      return { level: 'active', evidence };
    }
    if (
      !found &&
      (/\bPublicly Disclosed:\s*Yes\b/i.test(text) ||
        /\b(proof[- ]of[- ]concept|PoC|public exploit|exploit code is (publicly )?available)\b/i.test(text))
    ) {
      found = { level: 'poc', evidence };
    }
  }
  return found;
}
