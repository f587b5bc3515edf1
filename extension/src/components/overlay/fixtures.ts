/** Realistic answers of the backend for the components' and content scripts' tests. */
import type { Deployment } from '@patchboard/shared/schemas/deployment';
import type { LookupItem } from '@patchboard/shared/schemas/lookup';
import type { ReplyData, Send } from '@/content/client';
import type { Reply } from '@/utils/messages';

/** CVE-2024-3094 (the xz backdoor) on a fleet: 12 hosts, 3 in production, P1. */
export const xzItem: LookupItem = {
  id: 'CVE-2024-3094',
  canonical: 'CVE-2024-3094',
  kind: 'cve',
  known: true,
  reason: null,
  advisories: [
    {
      id: 'DSA-5649-1',
      source: 'osv',
      summary: 'xz-utils - security update',
      published: '2024-03-29T17:00:00Z',
      withdrawn: null,
    },
    {
      id: 'RHSA-2024:1521',
      source: 'csaf',
      summary: 'Critical: xz security update',
      published: '2024-03-29T19:30:00Z',
      withdrawn: null,
    },
  ],
  advisoryCount: 2,
  cves: ['CVE-2024-3094'],
  cveCount: 1,
  hosts: { affected: 12, byRing: { prod: 3, pilot: 4, test: 5 } },
  findings: { open: 10, scheduled: 1, excepted: 1, resolved: 4 },
  priority: {
    highest: 1,
    explanation: 'P1: listed in CISA KEV, EPSS 0.97, on an internet-facing prod host (web-prod-01)',
    dueAt: '2024-04-05T00:00:00.000Z',
  },
  kev: { cve: 'CVE-2024-3094', dateAdded: '2024-03-29', dueDate: '2024-04-19', ransomware: false },
  epss: { cve: 'CVE-2024-3094', score: 0.97, percentile: 0.9993, date: '2024-04-02' },
  fixedVersions: [
    { ecosystem: 'Debian:12', package: 'xz-utils', version: '5.4.1-1' },
    { ecosystem: 'Red Hat:9', package: 'xz', version: '5.2.5-8.el9_0' },
  ],
  nextDeployment: { id: 12, title: 'xz-utils for CVE-2024-3094', status: 'awaiting_approval', ring: 'test' },
};

/** The deployment the one-click schedule creates for it. */
export const scheduled: Deployment = {
  id: 13,
  title: 'Fix CVE-2024-3094',
  status: 'awaiting_approval',
  target: { kind: 'advisories', ids: ['CVE-2024-3094'] },
  hosts: { kind: 'all' },
  rings: ['test', 'pilot', 'prod'].map((ring, position) => ({
    position,
    ring,
    status: 'pending' as const,
    windows: [],
    soakMinutes: 60,
    successThreshold: 0.95,
    healthChecks: [],
    hosts: [5, 4, 3][position] ?? 0,
    nextOpening:
      ring === 'prod'
        ? null
        : { start: `2024-04-0${position + 3}T22:00:00.000Z`, end: `2024-04-0${position + 4}T02:00:00.000Z` },
    startedAt: null,
    installedAt: null,
    soakUntil: null,
    finishedAt: null,
    gate: null,
  })),
  advisories: ['DSA-5649-1', 'RHSA-2024:1521'],
  createdBy: 'extension',
  createdAt: '2024-04-02T09:00:00.000Z',
  submittedAt: '2024-04-02T09:00:00.000Z',
  approvedBy: null,
  approvedAt: null,
  decisionNote: null,
  startedAt: null,
  endedAt: null,
  haltReason: null,
};

/** An id Patchboard does not know. */
export function unknownItem(id: string): LookupItem {
  return {
    ...xzItem,
    id,
    canonical: id,
    known: false,
    reason: 'recognised, but in no feed Patchboard reads',
    advisories: [],
    advisoryCount: 0,
    cves: [],
    cveCount: 0,
    hosts: { affected: 0, byRing: {} },
    findings: { open: 0, scheduled: 0, excepted: 0, resolved: 0 },
    priority: null,
    kev: null,
    epss: null,
    fixedVersions: [],
    nextDeployment: null,
  };
}

type Handler = { [K in keyof ReplyData]?: (message: never) => Reply<ReplyData[K]> | Promise<Reply<ReplyData[K]>> };

/** A fake `send` that records every message and answers with `handlers` (an error for the others). */
export function fakeSend(handlers: Handler) {
  const messages: { type: string; [key: string]: unknown }[] = [];
  const send = (async (message: { type: keyof ReplyData }) => {
    messages.push(structuredClone(message) as (typeof messages)[number]);
    const handler = handlers[message.type] as ((message: unknown) => unknown) | undefined;
    return handler ? handler(message) : { ok: false, error: `no fake for ${message.type}` };
  }) as Send;
  return { send, messages };
}
