import { useEffect, useState } from 'preact/hooks';
import type { BackendStatus } from '@/utils/backend';

/** The toolbar popup: for now, whether the backend answers. */
export function Popup() {
  const [status, setStatus] = useState<BackendStatus | null>(null);
  useEffect(() => {
    browser.runtime
      .sendMessage({ type: 'patchboard:status' })
      .then(setStatus, (err: Error) => setStatus({ connected: false, reason: err.message }));
  }, []);
  return (
    <main style={{ font: '14px system-ui', minWidth: '16rem', padding: '0.5rem' }}>
      <h1 style={{ fontSize: '1rem', margin: 0 }}>Patchboard</h1>
      <p data-status={status ? String(status.connected) : 'checking'}>
        {status === null
          ? 'Checking the backend…'
          : status.connected
            ? `Connected (v${status.version})`
            : status.reason}
      </p>
    </main>
  );
}
