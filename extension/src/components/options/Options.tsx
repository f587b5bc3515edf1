import { BackendForm } from './BackendForm';
import { ConsolesForm } from './ConsolesForm';
import { NotificationsForm } from './NotificationsForm';
import { SitesForm } from './SitesForm';

/** The options page: backend and token, vendor sites, admin consoles, notifications. */
export function Options() {
  return (
    <main style={{ font: '14px system-ui', maxWidth: '48rem', margin: '1rem auto', padding: '0 1rem' }}>
      <h1 style={{ fontSize: '1.25rem' }}>Patchboard options</h1>
      <BackendForm />
      <SitesForm />
      <ConsolesForm />
      <NotificationsForm />
    </main>
  );
}
