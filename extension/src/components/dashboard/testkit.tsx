/**
 * Test helpers for the popup and dashboard: a fake PageClient that answers from handlers and
 * records every call, realistic API objects, and mounting with Preact's act(). Not used by the
 * extension itself.
 */
import type { Finding } from '@patchboard/shared/schemas/advisory';
import type { Deployment } from '@patchboard/shared/schemas/deployment';
import type { RiskException } from '@patchboard/shared/schemas/exception';
import type { Feed } from '@patchboard/shared/schemas/feed';
import type { Host } from '@patchboard/shared/schemas/host';
import type { MaintenanceWindow } from '@patchboard/shared/schemas/window';
import { type ComponentChildren, render } from 'preact';
import { act } from 'preact/test-utils';
import { ClientContext, type ConnectionStatus, type PageClient, type PageOperation } from '@/pages/client';
import type { Reply } from '@/utils/messages';

export const HOSTILE = '<img src=x onerror=alert(1)>';

export interface Call {
  readonly operationId: PageOperation;
  readonly params?: Record<string, string>;
  readonly query?: Record<string, string | undefined>;
  readonly body?: unknown;
}

type Handler = (call: Call) => Reply<unknown> | Promise<Reply<unknown>>;

export interface FakeClient extends PageClient {
  readonly calls: Call[];
  readonly opened: string[];
  optionsOpened: number;
  handlers: Partial<Record<PageOperation, Handler>>;
}

export const ok = <T,>(data: T): Reply<T> => ({ ok: true, data });
export const fail = (error: string, status?: number): Reply<never> =>
  status === undefined ? { ok: false, error } : { ok: false, error, status };

export function fakeClient(
  handlers: Partial<Record<PageOperation, Handler>>,
  status: ConnectionStatus = { state: 'connected', version: '0.1.0', warning: null },
): FakeClient {
  const client: FakeClient = {
    calls: [],
    opened: [],
    optionsOpened: 0,
    handlers,
    api: (async (operationId: PageOperation, args?: Omit<Call, 'operationId'>) => {
      const call: Call = { operationId, ...args };
      client.calls.push(call);
      const handler = client.handlers[operationId];
      return handler ? handler(call) : fail(`no fake for ${operationId}`);
    }) as PageClient['api'],
    status: async () => status,
    openDashboard: async (route = '') => {
      client.opened.push(route);
    },
    openOptions: async () => {
      client.optionsOpened += 1;
    },
  };
  return client;
}

export const callsOf = (client: FakeClient, operationId: PageOperation) =>
  client.calls.filter((c) => c.operationId === operationId);

/** Lets pending promises and effects run. */
export async function settle(rounds = 6): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
  }
}

export async function mount(client: PageClient, children: ComponentChildren): Promise<HTMLElement> {
  document.body.innerHTML = '';
  const root = document.createElement('div');
  document.body.append(root);
  await act(() => {
    render(<ClientContext.Provider value={client}>{children}</ClientContext.Provider>, root);
  });
  await settle();
  return root;
}

export async function click(element: Element | null | undefined): Promise<void> {
  if (!element) throw new Error('nothing to click');
  await act(() => {
    (element as HTMLElement).click();
  });
  await settle();
}

export async function type(input: Element | null | undefined, value: string): Promise<void> {
  if (!input) throw new Error('no input');
  await act(() => {
    (input as HTMLInputElement).value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

export const all = (root: ParentNode, testid: string) => [...root.querySelectorAll(`[data-testid="${testid}"]`)];
export const one = (root: ParentNode, testid: string) => root.querySelector(`[data-testid="${testid}"]`);

const DAY = 86_400_000;
export const daysFromNow = (days: number) => new Date(Date.now() + days * DAY).toISOString();

export function finding(over: Partial<Finding> = {}): Finding {
  return {
    id: 1,
    hostname: 'web-prod-01',
    advisory: 'DSA-5678-1',
    cves: ['CVE-2024-0727'],
    ecosystem: 'Debian:12',
    package: 'openssl',
    binaries: ['libssl3', 'openssl'],
    installedVersion: '3.0.11-1~deb12u2',
    fixedVersion: '3.0.13-1~deb12u1',
    status: 'open',
    resolution: null,
    explanation: 'openssl 3.0.11-1~deb12u2 < 3.0.13-1~deb12u1 (fixed in DSA-5678-1 for Debian:12)',
    priority: 2,
    priorityReason: 'P2: SSVC attend (exploitation poc; automatable no; technical impact partial); due within 14 days',
    ssvc: 'attend',
    kev: false,
    dueAt: daysFromNow(5),
    slaBreached: false,
    exceptionId: null,
    firstSeenAt: daysFromNow(-9),
    resolvedAt: null,
    reopenedAt: null,
    ...over,
  };
}

type Ring = Deployment['rings'][number];
export function ring(over: Partial<Ring> = {}): Ring {
  return {
    position: 0,
    ring: 'test',
    status: 'pending',
    windows: [],
    soakMinutes: 60,
    successThreshold: 1,
    healthChecks: [],
    hosts: 4,
    nextOpening: null,
    startedAt: null,
    installedAt: null,
    soakUntil: null,
    finishedAt: null,
    gate: null,
    ...over,
  };
}

export function deployment(over: Partial<Deployment> = {}): Deployment {
  return {
    id: 12,
    title: 'DSA-5678-1 openssl',
    status: 'awaiting_approval',
    target: { kind: 'advisories', ids: ['DSA-5678-1'] },
    hosts: { kind: 'all' },
    rings: [
      ring({ position: 0, ring: 'test', nextOpening: { start: daysFromNow(1), end: daysFromNow(1.2) } }),
      ring({ position: 1, ring: 'pilot', hosts: 10 }),
      ring({ position: 2, ring: 'prod', hosts: 34 }),
    ],
    advisories: ['DSA-5678-1'],
    createdBy: 'pb_Opr4tor1 (operator)',
    createdAt: daysFromNow(-1),
    submittedAt: daysFromNow(-1),
    approvedBy: null,
    approvedAt: null,
    decisionNote: null,
    startedAt: null,
    endedAt: null,
    haltReason: null,
    ...over,
  };
}

export function exception(over: Partial<RiskException> = {}): RiskException {
  return {
    id: 3,
    hosts: { kind: 'ring', value: 'prod' },
    target: { kind: 'cve', value: 'CVE-2024-3094' },
    reason: 'Vendor appliance; the fix needs its next firmware',
    compensatingControl: 'sshd reachable only from the bastion',
    status: 'requested',
    active: false,
    requestedBy: 'pb_Opr4tor1 (operator)',
    requestedAt: daysFromNow(-2),
    decidedBy: null,
    decidedAt: null,
    decisionNote: null,
    expiresAt: daysFromNow(30),
    endedAt: null,
    ...over,
  };
}

export function host(over: Partial<Host> = {}): Host {
  return {
    hostname: 'web-prod-01',
    os: { family: 'debian', release: '12' },
    ecosystem: 'Debian:12',
    ring: 'prod',
    criticality: 1,
    internetFacing: true,
    tags: ['web', 'pci'],
    owner: 'web team',
    addresses: ['10.0.0.5'],
    createdAt: daysFromNow(-30),
    updatedAt: daysFromNow(-1),
    lastSeenAt: daysFromNow(-1),
    packageCount: 412,
    hotfixCount: 0,
    openFindings: 7,
    ...over,
  };
}

export function maintenanceWindow(over: Partial<MaintenanceWindow> = {}): MaintenanceWindow {
  return {
    id: 1,
    name: 'test nightly',
    rule: 'daily 01:00-05:00',
    timeZone: 'Europe/Berlin',
    blackouts: ['2026-12-24', '2026-12-25'],
    appliesTo: { kind: 'ring', value: 'test' },
    nextOpenings: [
      { start: daysFromNow(0.5), end: daysFromNow(0.66) },
      { start: daysFromNow(1.5), end: daysFromNow(1.66) },
    ],
    createdAt: daysFromNow(-30),
    updatedAt: daysFromNow(-30),
    ...over,
  };
}

const stats = {
  imported: 0,
  unchanged: 0,
  deleted: 0,
  quarantined: 0,
  enrichment: 0,
  findingsOpened: 0,
  findingsResolved: 0,
};
export function feed(over: Partial<Feed> = {}): Feed {
  return {
    id: 'kev',
    scope: 'global',
    kind: 'kev',
    name: 'CISA KEV',
    url: 'https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json',
    enabled: true,
    intervalSeconds: 3600,
    cursor: null,
    etag: null,
    nextRunAt: daysFromNow(0.04),
    running: false,
    lastAttemptAt: daysFromNow(-0.01),
    lastSuccessAt: daysFromNow(-0.01),
    lastError: null,
    consecutiveFailures: 0,
    lastRun: { ...stats, imported: 3, unchanged: 1200, enrichment: 3, findingsOpened: 2 },
    total: stats,
    ...over,
  };
}
