import { createApiClient } from '@/background/api';
import { refreshBadge } from '@/background/badge';
import { checkAndSaveToken, status } from '@/background/connection';
import { listenToConsoleChanges, syncConsoleScripts } from '@/background/consoles';
import {
  createEventsPoller,
  dashboardUrl,
  EVENTS_ALARM,
  ensureEventsAlarm,
  listenToNotifications,
} from '@/background/events';
import { createLookupBatcher } from '@/background/lookup';
import { createMenus, listenToMenus } from '@/background/menus';
import { listenToMessages } from '@/background/router';
import { createTokenStore } from '@/background/token';
import { approverItem, backendUrlItem } from '@/utils/settings';

// Only the background holds the token and talks to the backend; pages and content scripts ask it
// through validated messages (src/background/router.ts). Listeners are added synchronously, so an
// event that wakes the service worker finds them.
export default defineBackground(() => {
  const tokens = createTokenStore();
  const api = createApiClient(async () => {
    const token = await tokens.get();
    return token ? { url: await backendUrlItem.getValue(), token } : null;
  });
  const lookups = createLookupBatcher(api);
  const events = createEventsPoller(api);
  const logError = (err: unknown) => console.error('patchboard:', err);

  let refreshing: Promise<void> | null = null;
  /** One poll and badge repaint at a time (an alarm and a click may coincide). */
  const refresh = () => {
    refreshing ??= (async () => {
      await events.poll();
      await refreshBadge(api);
    })()
      .catch(logError)
      .finally(() => {
        refreshing = null;
      });
    return refreshing;
  };

  listenToMessages({
    api,
    lookups,
    status: () => status(),
    checkToken: async (message) => {
      const reply = await checkAndSaveToken(message, tokens);
      if (reply.ok) {
        lookups.invalidate();
        void refresh();
      }
      return reply;
    },
    forgetToken: async () => {
      await tokens.clear();
      lookups.invalidate();
      await events.reset();
      void refresh();
    },
    refresh,
    openDashboard: async (route) => {
      await browser.tabs.create({ url: dashboardUrl(route) });
    },
  });
  listenToNotifications();
  listenToMenus(logError);
  listenToConsoleChanges(logError);
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === EVENTS_ALARM) void refresh();
  });
  approverItem.watch(() => void refresh());

  void (async () => {
    await tokens.protect();
    await ensureEventsAlarm();
    await createMenus();
    await syncConsoleScripts();
  })().catch(logError);
  void refresh();
});
