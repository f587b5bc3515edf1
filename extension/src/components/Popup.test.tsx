// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
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
  finding,
  HOSTILE,
  mount,
  ok,
  one,
  ring,
  type,
} from './dashboard/testkit';
import { Popup, URGENT_LIMIT } from './Popup';

const page = <T,>(items: T[]) => ok({ items, nextCursor: null });

function popupClient(over: Partial<FakeClient['handlers']> = {}): FakeClient {
  const byPriority: Record<string, ReturnType<typeof finding>[]> = {
    '1': [
      finding({ id: 10, priority: 1, hostname: 'web-prod-02', dueAt: daysFromNow(6), kev: true }),
      finding({ id: 11, priority: 1, hostname: 'db-prod-01', dueAt: daysFromNow(-2), slaBreached: true }),
    ],
    '2': [finding({ id: 20, priority: 2, hostname: 'app-pilot-01', dueAt: daysFromNow(3) })],
    '3': [finding({ id: 30, priority: 3, hostname: 'app-test-01', dueAt: null })],
  };
  return fakeClient({
    listFindings: ({ query }) => page(byPriority[query?.priority ?? ''] ?? []),
    listDeployments: ({ query }) => {
      if (query?.status === 'running') {
        return page([
          deployment({
            id: 7,
            title: 'USN-6587-1 curl',
            status: 'running',
            rings: [
              ring({ ring: 'test', status: 'passed' }),
              ring({
                position: 1,
                ring: 'pilot',
                status: 'running',
                nextOpening: { start: '2026-12-05T01:00:00.000Z', end: '2026-12-05T04:00:00.000Z' },
              }),
              ring({ position: 2, ring: 'prod' }),
            ],
          }),
        ]);
      }
      if (query?.status === 'awaiting_approval') return page([deployment({ id: 12 })]);
      return page([]);
    },
    listExceptions: () => page([exception({ id: 3 })]),
    approveDeployment: () => fail('another approver must approve it: you created this deployment', 403),
    rejectDeployment: () => ok(deployment({ id: 12, status: 'rejected' })),
    approveException: () => ok({ ...exception({ status: 'approved' }), findings: { count: 0, items: [] } }),
    rejectException: () => ok({ ...exception({ status: 'rejected' }), findings: { count: 0, items: [] } }),
    ...over,
  });
}

describe('Popup', () => {
  it('links to the options page when no token is set up, and asks nothing else', async () => {
    const client = fakeClient({}, { state: 'unconfigured', reason: 'no API token yet: set one in the options' });
    const root = await mount(client, <Popup />);
    expect(one(root, 'status')?.getAttribute('data-status')).toBe('false');
    expect(one(root, 'status')?.getAttribute('data-state')).toBe('unconfigured');
    expect(one(root, 'setup')).not.toBeNull();
    expect(one(root, 'urgent')).toBeNull();
    await click(one(root, 'options-link'));
    expect(client.optionsOpened).toBe(1);
    expect(client.calls).toEqual([]);
  });

  it('shows the connection and why the backend cannot be used', async () => {
    const root = await mount(popupClient(), <Popup />);
    expect(one(root, 'status')?.getAttribute('data-status')).toBe('true');
    expect(one(root, 'status')?.textContent).toBe('Connected (v0.1.0)');

    const down = await mount(
      fakeClient(
        { listFindings: () => fail('cannot reach http://127.0.0.1:8787: fetch failed') },
        {
          state: 'error',
          reason: 'cannot reach http://127.0.0.1:8787: fetch failed',
        },
      ),
      <Popup />,
    );
    expect(one(down, 'status')?.getAttribute('data-status')).toBe('false');
    expect(one(down, 'status')?.textContent).toContain('cannot reach');
    expect(one(down, 'urgent')?.querySelector('[role="alert"]')?.textContent).toContain('fetch failed');
  });

  it('lists unresolved findings by priority, then due date, with overdue and the explanation', async () => {
    const client = popupClient();
    const root = await mount(client, <Popup />);
    const queries = callsOf(client, 'listFindings').map((c) => c.query);
    expect(queries).toEqual([
      { status: 'unresolved', priority: '1', limit: '100' },
      { status: 'unresolved', priority: '2', limit: '100' },
      { status: 'unresolved', priority: '3', limit: '100' },
    ]);
    const rows = all(root, 'urgent-finding');
    expect(rows.map((r) => r.getAttribute('data-finding'))).toEqual(['11', '10', '20', '30']);
    expect(rows[0]?.textContent).toContain('P1');
    expect(rows[0]?.textContent).toContain('db-prod-01');
    expect(rows[0]?.textContent).toContain('DSA-5678-1');
    expect(rows[0]?.querySelector('[data-testid="overdue"]')?.textContent).toMatch(/^overdue/);
    expect(rows[1]?.querySelector('[data-testid="overdue"]')).toBeNull();
    expect(rows[1]?.textContent).toContain('KEV');
    // Explanation on hover (title) and on expanding.
    expect(rows[2]?.querySelector('summary')?.getAttribute('title')).toContain('fixed in DSA-5678-1 for Debian:12');
    expect(rows[2]?.querySelector('details [data-testid="explanation"]')?.textContent).toContain('3.0.13-1~deb12u1');
  });

  it(`shows at most ${URGENT_LIMIT} findings`, async () => {
    const many = Array.from({ length: 15 }, (_, i) => finding({ id: 100 + i, priority: 1, dueAt: daysFromNow(i) }));
    const root = await mount(
      popupClient({ listFindings: ({ query }) => page(query?.priority === '1' ? many : []) }),
      <Popup />,
    );
    expect(all(root, 'urgent-finding')).toHaveLength(URGENT_LIMIT);
    expect(all(root, 'urgent-finding')[0]?.getAttribute('data-finding')).toBe('100');
  });

  it('lists running, approved and waiting deployments with their current ring and next opening', async () => {
    const client = popupClient();
    const root = await mount(client, <Popup />);
    expect(callsOf(client, 'listDeployments').map((c) => c.query?.status)).toEqual([
      'running',
      'approved',
      'awaiting_approval',
    ]);
    const rows = all(root, 'upcoming-deployment');
    expect(rows.map((r) => r.getAttribute('data-deployment'))).toEqual(['7', '12']);
    expect(rows[0]?.textContent).toContain('ring pilot (running)');
    expect(rows[0]?.querySelector('time')?.getAttribute('datetime')).toBe('2026-12-05T01:00:00.000Z');
    expect(rows[1]?.textContent).toContain('awaiting approval');
    expect(rows[1]?.textContent).toContain('ring test (pending)');
    await click(rows[0]?.querySelector('button'));
    expect(client.opened).toEqual(['#/deployments/7']);
  });

  it('approves and rejects, and shows the backend’s refusal in place', async () => {
    const client = popupClient();
    const root = await mount(client, <Popup />);
    const dep = one(root, 'approval-deployment');
    const exc = one(root, 'approval-exception');
    expect(dep?.textContent).toContain('Deployment #12');
    expect(exc?.textContent).toContain('cve CVE-2024-3094 on ring prod');

    await click(dep?.querySelector('[data-action="approve"]'));
    expect(callsOf(client, 'approveDeployment')).toEqual([
      { operationId: 'approveDeployment', params: { id: '12' }, body: {} },
    ]);
    expect(one(root, 'approval-deployment')?.querySelector('[data-testid="decision-error"]')?.textContent).toBe(
      'another approver must approve it: you created this deployment',
    );

    await type(one(root, 'approval-exception')?.querySelector('input'), '  ok until the firmware ships ');
    await click(one(root, 'approval-exception')?.querySelector('[data-action="approve"]'));
    expect(callsOf(client, 'approveException')).toEqual([
      { operationId: 'approveException', params: { id: '3' }, body: { note: 'ok until the firmware ships' } },
    ]);
    // A decision reloads the lists.
    expect(callsOf(client, 'listExceptions').length).toBeGreaterThan(1);

    await click(one(root, 'approval-deployment')?.querySelector('[data-action="reject"]'));
    expect(callsOf(client, 'rejectDeployment')[0]).toMatchObject({ params: { id: '12' }, body: {} });
  });

  it('says when nothing waits for approval', async () => {
    const root = await mount(
      popupClient({ listExceptions: () => page([]), listDeployments: () => page([]) }),
      <Popup />,
    );
    expect(one(root, 'approvals')?.textContent).toContain('Nothing waits for approval.');
  });

  it('keeps hostile backend text as text', async () => {
    const root = await mount(
      popupClient({
        listFindings: ({ query }) =>
          page(query?.priority === '1' ? [finding({ priority: 1, explanation: HOSTILE, advisory: HOSTILE })] : []),
        listExceptions: () => page([exception({ reason: HOSTILE })]),
        listDeployments: ({ query }) =>
          page(query?.status === 'awaiting_approval' ? [deployment({ title: HOSTILE })] : []),
      }),
      <Popup />,
    );
    expect(root.querySelector('img')).toBeNull();
    expect(one(root, 'explanation')?.textContent).toBe(HOSTILE);
    expect(one(root, 'approval-deployment')?.textContent).toContain(HOSTILE);
    expect(one(root, 'approval-exception')?.textContent).toContain(HOSTILE);
  });

  it('opens the dashboard', async () => {
    const client = popupClient();
    const root = await mount(client, <Popup />);
    await click(one(root, 'open-dashboard'));
    expect(client.opened).toEqual(['']);
  });
});
