/** The dashboard page: the full console for a day's work, one section per hash route. */
import { useEffect, useState } from 'preact/hooks';
import { type ConnectionStatus, useClient } from '@/pages/client';
import { DeploymentDetailView, DeploymentsView } from './Deployments';
import { ExceptionDetailView, ExceptionsView } from './Exceptions';
import { FeedsView } from './Feeds';
import { FindingsView } from './Findings';
import { HostDetailView, HostsView } from './Hosts';
import { href, type Route, type Section, useRoute } from './router';
import { WindowsView } from './Windows';

const TITLES: Record<Section, string> = {
  findings: 'Findings',
  hosts: 'Inventory',
  deployments: 'Deployments',
  windows: 'Windows',
  exceptions: 'Exceptions',
  feeds: 'Feeds',
};

const STYLE = `
body { margin: 0; font: 13px/1.4 system-ui, sans-serif; color: #1a1a1a; background: #fafafa; }
.pb-dash header { display: flex; gap: 1rem; align-items: baseline; padding: 0.5rem 1rem; background: #fff; border-bottom: 1px solid #ddd; position: sticky; top: 0; }
.pb-dash header h1 { font-size: 1.1rem; margin: 0; }
.pb-dash nav a { margin-right: 0.75rem; text-decoration: none; color: #0645ad; }
.pb-dash nav a[aria-current="page"] { font-weight: 700; color: #000; border-bottom: 2px solid #000; }
.pb-dash main { padding: 0.5rem 1rem 2rem; }
.pb-dash h2 { font-size: 1.05rem; margin: 0.5rem 0; }
.pb-dash h3 { font-size: 0.95rem; margin: 1rem 0 0.4rem; }
.pb-dash table { border-collapse: collapse; width: 100%; background: #fff; }
.pb-dash th, .pb-dash td { border: 1px solid #e2e2e2; padding: 0.2rem 0.4rem; text-align: left; vertical-align: top; }
.pb-dash th { background: #f0f0f0; position: sticky; top: 2.4rem; }
.pb-dash tbody tr:nth-child(even) { background: #fbfbfb; }
.pb-dash .num { text-align: right; }
.pb-dash .mono { font-family: ui-monospace, monospace; font-size: 12px; }
.pb-dash .why { max-width: 40rem; white-space: pre-wrap; overflow-wrap: anywhere; }
.pb-dash .small { font-size: 11px; }
.pb-dash .muted { color: #666; }
.pb-dash .link { background: none; border: none; padding: 0; color: #0645ad; text-decoration: underline; cursor: pointer; font: inherit; }
.pb-dash .error, .pb-dash .breached, .pb-dash .overdue { color: #a00; }
.pb-dash .breached, .pb-dash .overdue { font-weight: 600; }
.pb-dash .ok { color: #060; }
.pb-dash .prio { font-weight: 700; }
.pb-dash .prio-1 { color: #a00; } .pb-dash .prio-2 { color: #b45f00; }
.pb-dash .tag { margin-left: 0.3rem; padding: 0 0.25rem; border: 1px solid #a00; color: #a00; font-size: 11px; }
.pb-dash .filters { margin: 0.25rem 0 0.5rem; }
.pb-dash .facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.1rem 1rem; margin: 0.25rem 0; }
.pb-dash .facts dt { color: #555; } .pb-dash .facts dd { margin: 0; }
.pb-dash .stepper { list-style: none; padding: 0; margin: 0; counter-reset: step; }
.pb-dash .step { border-left: 4px solid #bbb; background: #fff; padding: 0.3rem 0.6rem; margin-bottom: 0.3rem; }
.pb-dash .step-passed { border-color: #2a8a2a; } .pb-dash .step-failed { border-color: #a00; }
.pb-dash .step-running, .pb-dash .step-soaking, .pb-dash .step-checking { border-color: #0645ad; }
.pb-dash .step .status { text-transform: uppercase; font-size: 11px; font-weight: 700; }
.pb-dash .decision { display: flex; gap: 0.3rem; align-items: center; flex-wrap: wrap; margin: 0.3rem 0; }
.pb-dash .decision .note { min-width: 10rem; }
.pb-dash ul.plain { list-style: none; margin: 0; padding: 0; }
`;

function Page(props: { route: Route }) {
  const [section, id] = props.route.path as [Section, string | undefined];
  switch (section) {
    case 'hosts':
      return id ? <HostDetailView key={id} hostname={id} /> : <HostsView route={props.route} />;
    case 'deployments':
      return id ? <DeploymentDetailView key={id} id={id} /> : <DeploymentsView route={props.route} />;
    case 'windows':
      return <WindowsView />;
    case 'exceptions':
      return id ? <ExceptionDetailView key={id} id={id} /> : <ExceptionsView route={props.route} />;
    case 'feeds':
      return <FeedsView />;
    default:
      return <FindingsView route={props.route} />;
  }
}

export function Dashboard() {
  const client = useClient();
  const route = useRoute();
  const section = route.path[0] as Section;
  const [status, setStatus] = useState<ConnectionStatus | null>(null);
  useEffect(() => {
    client.status().then(setStatus, (err: Error) => setStatus({ state: 'error', reason: err.message }));
  }, [client]);
  useEffect(() => {
    document.title = `${TITLES[section] ?? 'Patchboard'} · Patchboard`;
  }, [section]);
  return (
    <div class="pb-dash">
      <style>{STYLE}</style>
      <header>
        <h1>Patchboard</h1>
        <nav data-testid="nav">
          {(Object.keys(TITLES) as Section[]).map((s) => (
            <a key={s} href={href([s])} aria-current={s === section ? 'page' : undefined}>
              {TITLES[s]}
            </a>
          ))}
        </nav>
        <span
          class={status?.state === 'connected' ? 'muted small' : 'error small'}
          data-testid="status"
          data-status={status === null ? 'checking' : String(status.state === 'connected')}
        >
          {status === null
            ? 'checking the backend…'
            : status.state === 'connected'
              ? `connected${status.version ? ` (v${status.version})` : ''}`
              : status.reason}
          {status?.state === 'unconfigured' && (
            <>
              {' '}
              <button
                type="button"
                class="link"
                onClick={() => {
                  void client.openOptions();
                }}
              >
                Open the options
              </button>
            </>
          )}
        </span>
      </header>
      <main>
        <Page route={route} />
      </main>
    </div>
  );
}
