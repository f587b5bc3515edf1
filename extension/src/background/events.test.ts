import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { notificationPrefsItem } from '@/utils/settings';
import { createApiClient } from './api';
import {
  createEventsPoller,
  dashboardRoute,
  EVENTS_ALARM,
  ensureEventsAlarm,
  eventsStateItem,
  listenToNotifications,
  notificationId,
  subjectOfNotification,
} from './events';
import { BACKEND, fakeFetch, json, type SeenRequest, TOKEN } from './testing';

const event = (n: number, kind = 'finding.p1', subject = `advisory:DSA-${n}-1`) => ({
  kind,
  at: `2026-07-0${n}T10:00:00.000Z`,
  subject,
  summary: `event ${n}`,
  payload: {},
});

/** A backend whose events are `log`; cursors and ETags behave like the worker's (routes/triage.ts). */
function eventsBackend(log: ReturnType<typeof event>[]) {
  const fake = fakeFetch((request: SeenRequest) => {
    const since = request.url.searchParams.get('since');
    if (since === 'now') return json({ items: [], cursor: `c${log.length}`, more: false });
    const from = Number((since ?? 'c0').slice(1));
    const page = log.slice(from, from + 2);
    const until = from + page.length;
    const etag = `"ev-${from}-${until}"`;
    if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers: { etag } });
    return json({ items: page, cursor: `c${until}`, more: until < log.length }, 200, { etag });
  });
  const api = createApiClient(async () => ({ url: BACKEND, token: TOKEN }), fake.fetcher);
  return { ...fake, poller: createEventsPoller(api) };
}

const shown = () => Object.values(fakeBrowser.notifications.getAllCreateOptions());

describe('events poller', () => {
  beforeEach(() => fakeBrowser.reset());

  it('starts at since=now on a new install, without notifying the past', async () => {
    const log = [event(1), event(2)];
    const { poller, requests } = eventsBackend(log);
    expect(await poller.poll()).toEqual({ notified: 0, error: null });
    expect(requests[0]?.url.searchParams.get('since')).toBe('now');
    expect(await eventsStateItem.getValue()).toMatchObject({ cursor: 'c2', etag: null });
    expect(shown()).toHaveLength(0);
  });

  it('notifies each new event once, follows `more`, saves cursor and ETag, and sends If-None-Match', async () => {
    const log = [event(1)];
    const { poller, requests } = eventsBackend(log);
    await poller.poll();
    log.push(event(2), event(3, 'finding.kev'), event(4, 'approval.waiting', 'deployment:3'));
    expect((await poller.poll()).notified).toBe(3);
    expect(requests.slice(1).map((r) => r.url.searchParams.get('since'))).toEqual(['c1', 'c3']);
    expect(await eventsStateItem.getValue()).toMatchObject({ cursor: 'c4', etag: '"ev-3-4"' });
    expect(shown().map((n) => n.message)).toEqual(['event 2', 'event 3', 'event 4']);
    expect(shown()[0]).toMatchObject({ type: 'basic', buttons: [{ title: 'Acknowledge' }, { title: 'Open' }] });

    // Nothing new: the first answer has the empty range's ETag, the next is a 304; nothing shown again.
    await fakeBrowser.notifications.clear(notificationId(log[1] as never));
    expect((await poller.poll()).notified).toBe(0);
    expect((await poller.poll()).notified).toBe(0);
    expect(requests.at(-1)?.headers.get('if-none-match')).toBe('"ev-4-4"');
    expect(shown()).toHaveLength(2);
  });

  it('shows an event answered twice (a lost cursor save) only once, and obeys the preferences', async () => {
    const log = [event(1)];
    const { poller } = eventsBackend(log);
    await poller.poll();
    log.push(event(2), event(3, 'ring.failed', 'deployment:9'), event(4, 'exception.expiring', 'exception:1'));
    await notificationPrefsItem.setValue({ ...notificationPrefsItem.fallback, 'ring.failed': false });
    const before = await eventsStateItem.getValue();
    expect((await poller.poll()).notified).toBe(1);
    await fakeBrowser.notifications.clear(notificationId(log[1] as never));
    await eventsStateItem.setValue({
      ...(before as NonNullable<typeof before>),
      seen: (await eventsStateItem.getValue())?.seen ?? [],
    });
    expect((await poller.poll()).notified).toBe(0);
    expect(shown()).toHaveLength(0);
  });

  it('keeps the cursor and reports the reason when the backend refuses the token', async () => {
    const { poller } = eventsBackend([]);
    await poller.poll();
    const refused = createEventsPoller(
      createApiClient(
        async () => ({ url: BACKEND, token: TOKEN }),
        fakeFetch(() => json({ error: { code: 'unauthorized', message: 'x' } }, 401)).fetcher,
      ),
    );
    expect(await refused.poll()).toEqual({ notified: 0, error: 'the token was refused: check it in the options' });
    expect(await eventsStateItem.getValue()).toMatchObject({
      cursor: 'c0',
      lastError: expect.stringContaining('refused'),
    });
  });
});

describe('notifications and alarm', () => {
  beforeEach(() => fakeBrowser.reset());

  it('routes subjects to dashboard pages', () => {
    expect(dashboardRoute('deployment:3')).toBe('#/deployments/3');
    expect(dashboardRoute('exception:7')).toBe('#/exceptions/7');
    expect(dashboardRoute('advisory:RHSA-2024:0010')).toBe('#/findings?advisory=RHSA-2024%3A0010');
    expect(dashboardRoute('strange')).toBe('#/');
    const id = notificationId(event(1, 'ring.failed', 'deployment:3') as never);
    expect(subjectOfNotification(id)).toBe('deployment:3');
    expect(subjectOfNotification('someone-else')).toBeNull();
  });

  it('opens the dashboard on "Open", closes on "Acknowledge"', async () => {
    listenToNotifications();
    const created = vi.spyOn(fakeBrowser.tabs, 'create');
    const id = notificationId(event(1, 'approval.waiting', 'deployment:3') as never);
    await fakeBrowser.notifications.create(id, { type: 'basic', title: 't', message: 'm', iconUrl: '' });
    await fakeBrowser.notifications.onButtonClicked.trigger(id, 0);
    expect(created).not.toHaveBeenCalled();
    await fakeBrowser.notifications.onButtonClicked.trigger(id, 1);
    await vi.waitFor(() =>
      expect(created).toHaveBeenCalledWith({
        url: 'chrome-extension://test-extension-id/dashboard.html#/deployments/3',
      }),
    );
  });

  it('creates the minute alarm once', async () => {
    await ensureEventsAlarm();
    const first = await fakeBrowser.alarms.get(EVENTS_ALARM);
    expect(first?.periodInMinutes).toBe(1);
    await ensureEventsAlarm();
    expect(await fakeBrowser.alarms.getAll()).toHaveLength(1);
    expect((await fakeBrowser.alarms.get(EVENTS_ALARM))?.scheduledTime).toBe(first?.scheduledTime);
  });
});
