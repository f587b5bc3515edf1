import { useEffect, useState } from 'preact/hooks';
import {
  approverItem,
  NOTIFIED_KIND_LABELS,
  NOTIFIED_KINDS,
  type NotificationPrefs,
  notificationPrefsItem,
} from '@/utils/settings';
import { ask } from './bridge';

/** Which events raise a system notification, and what the toolbar badge counts. */
export function NotificationsForm() {
  const [prefs, setPrefs] = useState<NotificationPrefs>(notificationPrefsItem.fallback);
  const [approver, setApprover] = useState(false);
  useEffect(() => {
    void notificationPrefsItem.getValue().then(setPrefs);
    void approverItem.getValue().then(setApprover);
  }, []);

  const toggle = async (kind: keyof NotificationPrefs, on: boolean) => {
    const next = { ...prefs, [kind]: on };
    setPrefs(next);
    await notificationPrefsItem.setValue(next);
  };
  const toggleApprover = async (on: boolean) => {
    setApprover(on);
    await approverItem.setValue(on);
    await ask<null>({ type: 'patchboard:refresh' });
  };

  return (
    <section>
      <h2>Notifications and badge</h2>
      {NOTIFIED_KINDS.map((kind) => (
        <label key={kind} style={{ display: 'block' }}>
          <input
            data-testid={`options-notify-${kind}`}
            type="checkbox"
            checked={prefs[kind]}
            onChange={(e) => void toggle(kind, e.currentTarget.checked)}
          />{' '}
          {NOTIFIED_KIND_LABELS[kind]}
        </label>
      ))}
      <label style={{ display: 'block', marginTop: '0.5rem' }}>
        <input
          data-testid="options-approver"
          type="checkbox"
          checked={approver}
          onChange={(e) => void toggleApprover(e.currentTarget.checked)}
        />{' '}
        I approve: the badge counts what waits for my approval instead of open P1 findings
      </label>
    </section>
  );
}
