// @vitest-environment happy-dom
import { act } from 'preact/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import { Dashboard } from './Dashboard';
import { expiryNote } from './Exceptions';
import { filtersOf } from './Findings';
import { href, parseRoute } from './router';
import {
  all,
  callsOf,
  click,
  daysFromNow,
  deployment,
  exception,
  type FakeClient,
  fail,
  fakeClient,
  feed,
  finding,
  HOSTILE,
  host,
  maintenanceWindow,
  mount,
  ok,
  one,
  ring,
  settle,
  type,
} from './testkit';

const page = <T,>(items: T[], nextCursor: string | null = null) => ok({ items, nextCursor });

function dashboardClient(over: Partial<FakeClient['handlers']> = {}): FakeClient {
  const detail = {
    ...deployment({
      id: 12,
      status: 'halted',
      haltReason: 'ring pilot failed its gate',
      rings: [
        ring({
          ring: 'test',
          status: 'passed',
          windows: [1],
          gate: { passed: true, succeeded: 4, total: 4, reasons: [] },
        }),
        ring({
          position: 1,
          ring: 'pilot',
          status: 'failed',
          windows: [2],
          nextOpening: { start: '2026-12-05T01:00:00.000Z', end: '2026-12-05T04:00:00.000Z' },
          gate: {
            passed: false,
            succeeded: 9,
            total: 10,
            reasons: ['app-pilot-03: install failed (exit 100)', 'below the threshold of 100 %'],
          },
        }),
        ring({ position: 2, ring: 'prod', status: 'cancelled' }),
      ],
    }),
    items: [
      {
        hostname: 'app-pilot-03',
        ring: 'pilot',
        package: 'openssl',
        targetVersion: '3.0.13-1~deb12u1',
        kb: null,
        advisories: ['DSA-5678-1'],
      },
    ],
    jobs: [
      {
        id: 301,
        hostname: 'app-pilot-03',
        kind: 'patch' as const,
        status: 'rolled_back' as const,
        step: 'done' as const,
        packageManager: 'apt',
        rebootRequired: false,
        result: 'install failed: E: Unable to locate package',
        claims: 1,
        startedAt: daysFromNow(-0.5),
        finishedAt: daysFromNow(-0.4),
      },
    ],
  };
  return fakeClient({
    listFindings: () =>
      page(
        [
          finding({ id: 1, priority: 1, kev: true, slaBreached: true, dueAt: daysFromNow(-1) }),
          finding({ id: 2, hostname: 'db-prod-01' }),
        ],
        'c2',
      ),
    listHosts: () =>
      page([host(), host({ hostname: 'app-test-01', ring: 'test', openFindings: 0, internetFacing: false })]),
    getHost: ({ params }) => ok({ ...host({ hostname: params?.hostname }), findings: [finding()] }),
    getHostWindows: () =>
      ok({
        hostname: 'web-prod-01',
        ring: 'prod',
        tags: [],
        windows: [
          maintenanceWindow({ id: 3, name: 'prod after patch tuesday', rule: 'second Tuesday + 3 days 22:00-04:00' }),
        ],
        nextOpenings: [
          { start: daysFromNow(10), end: daysFromNow(10.25), windowId: 3, windowName: 'prod after patch tuesday' },
        ],
      }),
    listDeployments: () =>
      page([deployment({ id: 12 }), deployment({ id: 9, status: 'completed', title: 'RHSA-2024:3501' })]),
    getDeployment: () => ok(detail),
    listWindows: () =>
      ok({
        items: [
          maintenanceWindow({ id: 1, name: 'test nightly' }),
          maintenanceWindow({
            id: 2,
            name: 'pilot saturday',
            rule: 'Sat 02:00-05:00',
            appliesTo: { kind: 'ring', value: 'pilot' },
          }),
        ],
      }),
    cancelDeployment: () => fail('the deployment has ended (halted)', 409),
    listExceptions: () =>
      page([
        exception({ id: 3 }),
        exception({
          id: 4,
          status: 'approved',
          active: true,
          decidedBy: 'pb_Appr0ver (approver)',
          decidedAt: daysFromNow(-1),
        }),
        exception({ id: 5, status: 'expired', expiresAt: daysFromNow(-3) }),
      ]),
    approveException: () => fail('you requested this exception: another approver must approve it', 403),
    revokeException: () => ok({ ...exception({ id: 4, status: 'revoked' }), findings: { count: 0, items: [] } }),
    listFeeds: () =>
      ok({
        items: [
          feed(),
          feed({
            id: 'nvd',
            kind: 'nvd',
            name: 'NVD CVE API 2.0',
            consecutiveFailures: 3,
            lastError: 'services.nvd.nist.gov answered 503',
            lastSuccessAt: daysFromNow(-2),
          }),
          feed({ id: 'osv', kind: 'osv', name: 'OSV', enabled: false, lastRun: null }),
        ],
      }),
    ...over,
  });
}

async function at(hash: string, client = dashboardClient()) {
  location.hash = hash;
  const root = await mount(client, <Dashboard />);
  return { root, client };
}

beforeEach(() => {
  location.hash = '';
});

describe('routes', () => {
  it('parses hash routes and defaults to findings', () => {
    expect(parseRoute('')).toMatchObject({ path: ['findings'] });
    expect(parseRoute('#/nowhere/else')).toMatchObject({ path: ['findings'] });
    expect(parseRoute('#/hosts/web-01').path).toEqual(['hosts', 'web-01']);
    const route = parseRoute('#/findings?advisory=DSA-5678-1&priority=1');
    expect(route.path).toEqual(['findings']);
    expect(filtersOf(route.query)).toEqual({
      priority: '1',
      status: 'unresolved',
      advisory: 'DSA-5678-1',
      host: undefined,
      cve: undefined,
      breached: undefined,
    });
    expect(filtersOf(new URLSearchParams('priority=9&status=nope&cve=cve-2024-3094'))).toMatchObject({
      priority: undefined,
      status: 'unresolved',
      cve: 'CVE-2024-3094',
    });
    expect(href(['hosts', 'web 01'], { ring: 'prod', tag: undefined })).toBe('#/hosts/web%2001?ring=prod');
  });
});

describe('Dashboard', () => {
  it('shows findings by default, filtered by the route, with explanation and SLA flag', async () => {
    const { root, client } = await at('#/findings?advisory=DSA-5678-1&priority=1');
    expect(callsOf(client, 'listFindings')[0]?.query).toEqual({
      priority: '1',
      status: 'unresolved',
      advisory: 'DSA-5678-1',
      host: undefined,
      cve: undefined,
      breached: undefined,
      cursor: undefined,
      limit: '100',
    });
    const rows = all(root, 'finding-row');
    expect(rows).toHaveLength(2);
    expect(rows[0]?.getAttribute('data-breached')).toBe('true');
    expect(rows[0]?.querySelector('[data-testid="sla-breached"]')?.textContent).toBe('breached');
    expect(rows[0]?.textContent).toContain('KEV');
    expect(rows[1]?.querySelector('[data-testid="sla-breached"]')).toBeNull();
    expect(rows[1]?.querySelector('[data-testid="explanation"]')?.textContent).toContain('fixed in DSA-5678-1');
    expect(root.querySelector('nav [aria-current="page"]')?.textContent).toBe('Findings');

    // The next page appends.
    await click(one(root, 'more'));
    expect(callsOf(client, 'listFindings')[1]?.query?.cursor).toBe('c2');
    expect(all(root, 'finding-row')).toHaveLength(4);
  });

  it('changes the route when filters change, and loads again', async () => {
    const { root, client } = await at('#/findings');
    const select = root.querySelector('select[name="priority"]') as HTMLSelectElement;
    await act(() => {
      select.value = '2';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await act(() => {
      dispatchEvent(new HashChangeEvent('hashchange'));
    });
    await settle();
    expect(location.hash).toBe('#/findings?priority=2&status=unresolved');
    expect(callsOf(client, 'listFindings').at(-1)?.query).toMatchObject({ priority: '2', status: 'unresolved' });
  });

  it('lists hosts with ring, OS and open findings', async () => {
    const { root } = await at('#/hosts');
    const rows = all(root, 'host-row');
    expect(rows.map((r) => r.getAttribute('data-host'))).toEqual(['web-prod-01', 'app-test-01']);
    expect(rows[0]?.textContent).toContain('debian 12');
    expect(rows[0]?.querySelector('[data-testid="open-findings"] a')?.getAttribute('href')).toBe(
      '#/findings?host=web-prod-01',
    );
    expect(rows[0]?.querySelector('a')?.getAttribute('href')).toBe('#/hosts/web-prod-01');
  });

  it('shows one host with its findings, explanations and windows', async () => {
    const { root, client } = await at('#/hosts/web-prod-01');
    expect(callsOf(client, 'getHost')[0]?.params).toEqual({ hostname: 'web-prod-01' });
    expect(one(root, 'host-detail')?.querySelector('h2')?.textContent).toBe('web-prod-01');
    expect(one(root, 'host-ring')?.textContent).toBe('prod');
    expect(all(root, 'finding-row')).toHaveLength(1);
    expect(one(root, 'explanation')?.textContent).toContain('openssl 3.0.11-1~deb12u2 < 3.0.13-1~deb12u1');
    expect(one(root, 'host-openings')?.textContent).toContain('prod after patch tuesday');
  });

  it('shows a missing host as the backend says', async () => {
    const { root } = await at(
      '#/hosts/gone-01',
      dashboardClient({ getHost: () => fail('host gone-01 not found', 404) }),
    );
    expect(one(root, 'load-error')?.textContent).toContain('host gone-01 not found');
  });

  it('lists deployments with their rings', async () => {
    const { root } = await at('#/deployments');
    const rows = all(root, 'deployment-row');
    expect(rows.map((r) => r.getAttribute('data-status'))).toEqual(['awaiting_approval', 'completed']);
    expect(rows[0]?.textContent).toContain('test (pending) → pilot (pending) → prod (pending)');
    expect(rows[0]?.querySelector('a')?.getAttribute('href')).toBe('#/deployments/12');
  });

  it('shows a deployment: rings as a stepper with windows, gate and reasons, jobs, and decisions', async () => {
    const { root, client } = await at('#/deployments/12');
    expect(callsOf(client, 'getDeployment')[0]?.params).toEqual({ id: '12' });
    expect(one(root, 'deployment-status')?.textContent).toBe('halted');
    expect(one(root, 'halt-reason')?.textContent).toBe('ring pilot failed its gate');
    const steps = all(root, 'ring-step');
    expect(steps.map((s) => `${s.getAttribute('data-ring')}:${s.getAttribute('data-status')}`)).toEqual([
      'test:passed',
      'pilot:failed',
      'prod:cancelled',
    ]);
    expect(steps[0]?.textContent).toContain('test nightly');
    expect(steps[1]?.textContent).toContain('pilot saturday');
    expect(steps[1]?.querySelector('[data-testid="ring-next-opening"] time')?.getAttribute('datetime')).toBe(
      '2026-12-05T01:00:00.000Z',
    );
    const gate = steps[1]?.querySelector('[data-testid="ring-gate"]');
    expect(gate?.getAttribute('data-passed')).toBe('false');
    expect(gate?.textContent).toContain('9 of 10 succeeded');
    expect([...(gate?.querySelectorAll('li') ?? [])].map((li) => li.textContent)).toEqual([
      'app-pilot-03: install failed (exit 100)',
      'below the threshold of 100 %',
    ]);
    const job = one(root, 'job-row');
    expect(job?.getAttribute('data-status')).toBe('rolled_back');
    expect(job?.textContent).toContain('pilot');
    expect(job?.textContent).toContain('install failed: E: Unable to locate package');
    // Halted has ended: no decisions offered.
    expect(one(root, 'deployment-decision')).toBeNull();
  });

  it('approves, rejects or cancels a deployment and shows a refusal in place', async () => {
    const waiting = { ...deployment({ id: 12 }), items: [], jobs: [] };
    const client = dashboardClient({
      getDeployment: () => ok(waiting),
      approveDeployment: () => fail('another approver must approve it', 403),
    });
    const { root } = await at('#/deployments/12', client);
    const decision = one(root, 'deployment-decision');
    expect([...(decision?.querySelectorAll('button') ?? [])].map((b) => b.textContent)).toEqual([
      'Approve',
      'Reject',
      'Cancel',
    ]);
    await click(decision?.querySelector('[data-action="approve"]'));
    expect(callsOf(client, 'approveDeployment')[0]).toMatchObject({ params: { id: '12' }, body: {} });
    expect(one(root, 'decision-error')?.textContent).toBe('another approver must approve it');
    await type(one(root, 'deployment-decision')?.querySelector('input'), 'wrong target');
    await click(one(root, 'deployment-decision')?.querySelector('[data-action="cancel"]'));
    expect(callsOf(client, 'cancelDeployment')[0]).toMatchObject({
      params: { id: '12' },
      body: { note: 'wrong target' },
    });
    expect(one(root, 'decision-error')?.textContent).toBe('the deployment has ended (halted)');
  });

  it('lists windows with rule, zone and next openings', async () => {
    const { root } = await at('#/windows');
    const rows = all(root, 'window-row');
    expect(rows).toHaveLength(2);
    expect(rows[0]?.textContent).toContain('daily 01:00-05:00');
    expect(rows[0]?.textContent).toContain('Europe/Berlin');
    expect(rows[0]?.textContent).toContain('ring test');
    expect(rows[0]?.querySelectorAll('time')).toHaveLength(4);
  });

  it('lists exceptions with expiry and the decisions each allows', async () => {
    const { root, client } = await at('#/exceptions');
    const rows = all(root, 'exception-row');
    expect(rows.map((r) => r.getAttribute('data-status'))).toEqual(['requested', 'approved', 'expired']);
    expect(rows[0]?.querySelector('[data-testid="expiry"]')?.textContent).toMatch(/^expires in (29|30) days$/);
    expect([...(rows[0]?.querySelectorAll('button') ?? [])].map((b) => b.textContent)).toEqual(['Approve', 'Reject']);
    expect([...(rows[1]?.querySelectorAll('button') ?? [])].map((b) => b.textContent)).toEqual(['Revoke']);
    expect(rows[2]?.querySelectorAll('button')).toHaveLength(0);

    await click(rows[0]?.querySelector('[data-action="approve"]'));
    expect(one(root, 'decision-error')?.textContent).toBe(
      'you requested this exception: another approver must approve it',
    );
    await click(all(root, 'exception-row')[1]?.querySelector('[data-action="revoke"]'));
    expect(callsOf(client, 'revokeException')[0]).toMatchObject({ params: { id: '4' }, body: {} });
    expect(callsOf(client, 'listExceptions').length).toBe(2);
  });

  it('shows one exception with the findings it excepts, where notifications lead', async () => {
    const client = dashboardClient({
      getException: ({ params }) =>
        ok({
          ...exception({ id: Number(params?.id), status: 'approved', active: true }),
          findings: {
            count: 1,
            items: [{ id: 8, hostname: 'web-prod-01', advisory: 'DSA-5678-1', package: 'openssl' }],
          },
        }),
    });
    const { root } = await at('#/exceptions/4', client);
    expect(callsOf(client, 'getException')[0]?.params).toEqual({ id: '4' });
    expect(one(root, 'exception-status')?.textContent).toBe('approved (active)');
    expect(one(root, 'excepted-findings')?.textContent).toContain('web-prod-01');
    await click(one(root, 'exception-decision')?.querySelector('[data-action="revoke"]'));
    expect(callsOf(client, 'revokeException')[0]).toMatchObject({ params: { id: '4' }, body: {} });
    expect(one(root, 'decision-done')?.textContent).toBe('revoked');
  });

  it('lists feeds with state, last success and errors', async () => {
    const { root } = await at('#/feeds');
    const rows = all(root, 'feed-row');
    expect(rows.map((r) => r.getAttribute('data-state'))).toEqual(['ok', 'failing', 'disabled']);
    expect(rows[1]?.querySelector('[data-testid="feed-error"]')?.textContent).toBe(
      'services.nvd.nist.gov answered 503',
    );
    expect(rows[1]?.textContent).toContain('3 failures in a row');
  });

  it('follows hash changes', async () => {
    const { root } = await at('#/feeds');
    expect(one(root, 'feeds-view')).not.toBeNull();
    await act(() => {
      location.hash = '#/windows';
      dispatchEvent(new HashChangeEvent('hashchange'));
    });
    await settle();
    expect(one(root, 'feeds-view')).toBeNull();
    expect(one(root, 'windows-view')).not.toBeNull();
  });

  it('keeps hostile backend text as text everywhere', async () => {
    const client = dashboardClient({
      listFindings: () => page([finding({ explanation: HOSTILE, priorityReason: HOSTILE, advisory: HOSTILE })]),
      listExceptions: () => page([exception({ reason: HOSTILE, compensatingControl: HOSTILE })]),
      getException: () =>
        ok({ ...exception({ reason: HOSTILE, decisionNote: HOSTILE }), findings: { count: 0, items: [] } }),
      listFeeds: () => ok({ items: [feed({ name: HOSTILE, lastError: HOSTILE })] }),
      listWindows: () => ok({ items: [maintenanceWindow({ name: HOSTILE })] }),
      getDeployment: () =>
        ok({
          ...deployment({ title: HOSTILE, haltReason: HOSTILE, decisionNote: HOSTILE }),
          items: [],
          jobs: [],
        }),
    });
    for (const route of ['#/findings', '#/exceptions', '#/exceptions/3', '#/feeds', '#/windows', '#/deployments/12']) {
      const { root } = await at(route, client);
      expect(root.querySelector('img'), route).toBeNull();
      expect(root.textContent, route).toContain(HOSTILE);
    }
  });

  it('describes how long an exception has left', () => {
    const now = Date.parse('2026-03-01T00:00:00Z');
    expect(expiryNote(exception({ status: 'approved', expiresAt: '2026-03-02T00:00:00Z' }), now)).toBe(
      'expires in 1 day',
    );
    expect(expiryNote(exception({ status: 'approved', expiresAt: '2026-02-28T00:00:00Z' }), now)).toBe(
      'past its expiry',
    );
    expect(expiryNote(exception({ status: 'revoked' }), now)).toBe('revoked');
  });
});
