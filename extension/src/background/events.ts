/**
 * The toolbar's news: every minute (chrome.alarms, which wakes the service worker) ask
 * GET /v1/events?since=<cursor> with If-None-Match, keep the cursor and ETag, and raise a system
 * notification for each new event of the kinds the user wants, with "Acknowledge" and "Open".
 * A new install starts at `since=now`, so it is not flooded with the tenant's history.
 */
import type { EventKind } from '@patchboard/shared/schemas/event';
import type * as v from 'valibot';
import { storage } from 'wxt/utils/storage';
import { NOTIFIED_KINDS, type NotifiedKind, notificationPrefsItem } from '@/utils/settings';
import type { ApiClient, CallResult, ResponseOf } from './api';

export const EVENTS_ALARM = 'patchboard:events';
export const POLL_MINUTES = 1;
/** Pages read in one poll when the backend says more wait; the rest come at the next alarm. */
const MAX_PAGES = 10;
/** Event keys remembered, so an event answered twice (a retry after a lost save) shows once. */
const SEEN_LIMIT = 500;

export interface EventsState {
  readonly cursor: string;
  readonly etag: string | null;
  readonly seen: readonly string[];
  /** Why the last poll failed, for the popup and the badge's title; null when it worked. */
  readonly lastError: string | null;
}

/** Not secret; kept across browser restarts so no event is told twice or lost. */
export const eventsStateItem = storage.defineItem<EventsState | null>('local:eventsState', { fallback: null });

const NOTIFICATION_PREFIX = 'patchboard-event';

/** A small icon for notifications (Chrome requires one); the extension ships no image file for it. */
export const NOTIFICATION_ICON =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAADAAAAAwCAIAAADYYG7QAAAAZklEQVR42u3WsQ2AMAxFQW9CRUGXjv3HYBsmSKQQRdjSSX+Aq+wXx3WnWgABAQEBAQEB9fe0s7cfQAPNiil2UFZY9UFTmg+m2K2ZNQEBAQHVAqW71J5r0R5KWowiHwgICAgIqAboBQkiR8uTg2+JAAAAAElFTkSuQmCC';

const TITLES: Readonly<Record<NotifiedKind, string>> = {
  'finding.p1': 'Patchboard: new P1',
  'finding.kev': 'Patchboard: on CISA KEV',
  'approval.waiting': 'Patchboard: approval waiting',
  'ring.failed': 'Patchboard: a ring failed',
};

/** The dashboard route of an event's subject: `deployment:3` -> `#/deployments/3`. */
export function dashboardRoute(subject: string): string {
  const colon = subject.indexOf(':');
  const kind = subject.slice(0, colon);
  const id = encodeURIComponent(subject.slice(colon + 1));
  if (colon < 0 || id === '') return '#/';
  switch (kind) {
    case 'deployment':
      return `#/deployments/${id}`;
    case 'exception':
      return `#/exceptions/${id}`;
    case 'host':
      return `#/hosts/${id}`;
    case 'advisory':
      return `#/findings?advisory=${id}`;
    default:
      return '#/';
  }
}

/** The dashboard page at a route, as an extension URL. */
export function dashboardUrl(route: string): string {
  return `${browser.runtime.getURL('/')}dashboard.html${route}`;
}

type PatchboardEvent = { kind: v.InferOutput<typeof EventKind>; at: string; subject: string; summary: string };

const eventKey = (event: PatchboardEvent) => `${event.kind}|${event.subject}|${event.at}`;

/** The notification's id carries what a click needs, since the service worker may have slept since. */
export function notificationId(event: PatchboardEvent): string {
  return `${NOTIFICATION_PREFIX}:${encodeURIComponent(event.subject)}:${event.kind}:${event.at}`;
}

/** The subject a notification id was made for; null for a notification that is not ours. */
export function subjectOfNotification(id: string): string | null {
  const [prefix, subject] = id.split(':');
  return prefix === NOTIFICATION_PREFIX && subject ? decodeURIComponent(subject) : null;
}

async function showNotification(event: PatchboardEvent & { kind: NotifiedKind }): Promise<void> {
  const options = {
    type: 'basic' as const,
    iconUrl: NOTIFICATION_ICON,
    title: TITLES[event.kind],
    message: event.summary,
    priority: event.kind === 'finding.p1' || event.kind === 'finding.kev' ? 2 : 1,
  };
  const id = notificationId(event);
  try {
    await browser.notifications.create(id, { ...options, buttons: [{ title: 'Acknowledge' }, { title: 'Open' }] });
  } catch {
    // Firefox has no notification buttons: a click on the notification opens it instead.
    await browser.notifications.create(id, options);
  }
}

export interface PollResult {
  readonly notified: number;
  readonly error: string | null;
}

export function createEventsPoller(api: Pick<ApiClient, 'call'>) {
  async function saveError(state: EventsState, error: string | null) {
    if (state.lastError !== error) await eventsStateItem.setValue({ ...state, lastError: error });
  }

  async function poll(): Promise<PollResult> {
    const stored = await eventsStateItem.getValue();
    if (!stored) {
      const first = await api.call('listEvents', { query: { since: 'now' } });
      if (!first.ok) return { notified: 0, error: first.error };
      await eventsStateItem.setValue({ cursor: first.data.cursor, etag: null, seen: [], lastError: null });
      return { notified: 0, error: null };
    }
    let state: EventsState = stored;
    const prefs = await notificationPrefsItem.getValue();
    let notified = 0;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const result: CallResult<ResponseOf<'listEvents'>> = await api.call('listEvents', {
        query: { since: state.cursor },
        headers: state.etag ? { 'if-none-match': state.etag } : {},
      });
      if (!result.ok) {
        await saveError(state, result.error);
        return { notified, error: result.error };
      }
      if (result.status === 304 || result.data === null) break;
      const seen = new Set<string>(state.seen);
      for (const event of result.data.items) {
        const key = eventKey(event);
        if (seen.has(key)) continue;
        seen.add(key);
        const kind = event.kind;
        if ((NOTIFIED_KINDS as readonly string[]).includes(kind) && prefs[kind as NotifiedKind] !== false) {
          await showNotification({ ...event, kind: kind as NotifiedKind }).then(
            () => (notified += 1),
            () => undefined,
          );
        }
      }
      state = {
        cursor: result.data.cursor,
        etag: result.etag,
        seen: [...seen].slice(-SEEN_LIMIT),
        lastError: null,
      };
      await eventsStateItem.setValue(state);
      if (!result.data.more) break;
    }
    await saveError(state, null);
    return { notified, error: null };
  }

  return {
    poll,
    /** Forgets the cursor (another backend or token): the next poll starts at `now` again. */
    reset: () => eventsStateItem.setValue(null),
  };
}

/** Buttons and clicks of our notifications: Acknowledge closes it, Open (or a click) shows the dashboard. */
export function listenToNotifications(): void {
  const open = async (id: string) => {
    const subject = subjectOfNotification(id);
    if (subject === null) return;
    await browser.tabs.create({ url: dashboardUrl(dashboardRoute(subject)) });
    await browser.notifications.clear(id);
  };
  browser.notifications.onButtonClicked.addListener((id, button) => {
    if (subjectOfNotification(id) === null) return;
    if (button === 1) void open(id);
    else void browser.notifications.clear(id);
  });
  browser.notifications.onClicked.addListener((id) => void open(id));
}

/** The minute alarm; created once (creating it again would restart its period). */
export async function ensureEventsAlarm(): Promise<void> {
  const existing = await browser.alarms.get(EVENTS_ALARM);
  if (!existing)
    await browser.alarms.create(EVENTS_ALARM, { periodInMinutes: POLL_MINUTES, delayInMinutes: POLL_MINUTES });
}
