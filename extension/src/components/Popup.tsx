/**
 * The toolbar popup: whether the backend answers, the most urgent findings, the deployments coming
 * up, and the approvals waiting, which an approver can decide here. Everything goes through the
 * background (pages/client.ts).
 */
import type { Finding } from '@patchboard/shared/schemas/advisory';
import type { Deployment } from '@patchboard/shared/schemas/deployment';
import type { RiskException } from '@patchboard/shared/schemas/exception';
import { useEffect, useState } from 'preact/hooks';
import {
  currentRing,
  Decision,
  Due,
  describeScope,
  Loaded,
  Priority,
  Time,
  useLoad,
} from '@/components/dashboard/common';
import { type ConnectionStatus, type PageClient, useClient } from '@/pages/client';
import type { Reply } from '@/utils/messages';

/** How many findings the popup lists. */
export const URGENT_LIMIT = 10;

const STYLE = `
.pb-popup { font: 13px/1.35 system-ui, sans-serif; width: 26rem; padding: 0.5rem; color: #1a1a1a; }
.pb-popup h1 { font-size: 1rem; margin: 0 0 0.25rem; }
.pb-popup h2 { font-size: 0.85rem; margin: 0.75rem 0 0.25rem; text-transform: uppercase; letter-spacing: 0.03em; color: #444; }
.pb-popup ul { list-style: none; margin: 0; padding: 0; }
.pb-popup li { border-top: 1px solid #e5e5e5; padding: 0.25rem 0; }
.pb-popup summary { cursor: pointer; }
.pb-popup .muted { color: #666; }
.pb-popup .link, .pb-dash .link { background: none; border: none; padding: 0; color: #0645ad; text-decoration: underline; cursor: pointer; font: inherit; }
.pb-popup .error { color: #a00; }
.pb-popup .ok { color: #060; margin-left: 0.25rem; }
.pb-popup .overdue { color: #a00; font-weight: 600; }
.pb-popup .prio { font-weight: 700; margin-right: 0.25rem; }
.pb-popup .prio-1 { color: #a00; } .pb-popup .prio-2 { color: #b45f00; }
.pb-popup .why { white-space: pre-wrap; color: #333; margin: 0.25rem 0 0; }
.pb-popup .decision { display: flex; gap: 0.25rem; align-items: center; flex-wrap: wrap; margin-top: 0.25rem; }
.pb-popup .note { flex: 1; min-width: 6rem; }
.pb-popup footer { margin-top: 0.75rem; }
`;

/** Unresolved findings of P1 to P3, most urgent first: priority, then due date (none last). */
async function loadUrgent(client: PageClient): Promise<Reply<Finding[]>> {
  const replies = await Promise.all(
    (['1', '2', '3'] as const).map((priority) =>
      client.api('listFindings', { query: { status: 'unresolved', priority, limit: '100' } }),
    ),
  );
  const items: Finding[] = [];
  for (const reply of replies) {
    if (!reply.ok) return reply;
    items.push(...reply.data.items);
  }
  const due = (f: Finding) => (f.dueAt === null ? Number.POSITIVE_INFINITY : Date.parse(f.dueAt));
  items.sort((a, b) => (a.priority ?? 9) - (b.priority ?? 9) || due(a) - due(b) || a.id - b.id);
  return { ok: true, data: items.slice(0, URGENT_LIMIT) };
}

/** Deployments that are running, approved or waiting for approval. */
async function loadUpcoming(client: PageClient): Promise<Reply<Deployment[]>> {
  const replies = await Promise.all(
    (['running', 'approved', 'awaiting_approval'] as const).map((status) =>
      client.api('listDeployments', { query: { status, limit: '20' } }),
    ),
  );
  const items: Deployment[] = [];
  for (const reply of replies) {
    if (!reply.ok) return reply;
    items.push(...reply.data.items);
  }
  return { ok: true, data: items };
}

function UrgentFinding(props: { finding: Finding }) {
  const f = props.finding;
  const why = [f.priorityReason, f.explanation].filter(Boolean).join('\n');
  return (
    <li data-testid="urgent-finding" data-finding={f.id}>
      <details>
        <summary title={why}>
          <Priority priority={f.priority} /> <strong>{f.hostname}</strong> {f.advisory}
          {f.kev && <span title="on CISA KEV"> KEV</span>} · <Due dueAt={f.dueAt} breached={f.slaBreached} />
        </summary>
        <p class="why" data-testid="explanation">
          {f.explanation}
        </p>
        {f.priorityReason && <p class="why">{f.priorityReason}</p>}
      </details>
    </li>
  );
}

function UpcomingDeployment(props: { deployment: Deployment; onOpen: () => void }) {
  const d = props.deployment;
  const ring = currentRing(d.rings);
  return (
    <li data-testid="upcoming-deployment" data-deployment={d.id}>
      <button type="button" class="link" onClick={props.onOpen}>
        #{d.id}
      </button>{' '}
      {d.title} · <span data-testid="deployment-status">{d.status.replace('_', ' ')}</span>
      <br />
      <span class="muted">
        {ring ? (
          <>
            ring <strong>{ring.ring}</strong> ({ring.status}) · next opening{' '}
            {ring.nextOpening ? <Time iso={ring.nextOpening.start} /> : 'none scheduled'}
          </>
        ) : (
          'no rings'
        )}
      </span>
    </li>
  );
}

function Approvals(props: {
  client: PageClient;
  deployments: readonly Deployment[];
  exceptions: readonly RiskException[];
  onDone: () => void;
}) {
  const { client } = props;
  if (props.deployments.length === 0 && props.exceptions.length === 0) {
    return <p class="muted">Nothing waits for approval.</p>;
  }
  return (
    <ul>
      {props.deployments.map((d) => (
        <li key={`d${d.id}`} data-testid="approval-deployment" data-deployment={d.id}>
          Deployment #{d.id}: {d.title}
          <br />
          <span class="muted">
            by {d.createdBy}, rings {d.rings.map((r) => r.ring).join(' → ')}
          </span>
          <Decision
            onDone={props.onDone}
            actions={[
              {
                label: 'Approve',
                done: 'approved',
                run: (body) => client.api('approveDeployment', { params: { id: String(d.id) }, body }),
              },
              {
                label: 'Reject',
                done: 'rejected',
                run: (body) => client.api('rejectDeployment', { params: { id: String(d.id) }, body }),
              },
            ]}
          />
        </li>
      ))}
      {props.exceptions.map((x) => (
        <li key={`x${x.id}`} data-testid="approval-exception" data-exception={x.id}>
          Exception #{x.id}: {x.target.kind} {x.target.value} on {describeScope(x.hosts)}
          <br />
          <span class="muted">
            by {x.requestedBy}, until <Time iso={x.expiresAt} />: {x.reason}
          </span>
          <Decision
            onDone={props.onDone}
            actions={[
              {
                label: 'Approve',
                done: 'approved',
                run: (body) => client.api('approveException', { params: { id: String(x.id) }, body }),
              },
              {
                label: 'Reject',
                done: 'rejected',
                run: (body) => client.api('rejectException', { params: { id: String(x.id) }, body }),
              },
            ]}
          />
        </li>
      ))}
    </ul>
  );
}

function Sections(props: { client: PageClient }) {
  const { client } = props;
  const [urgent] = useLoad(() => loadUrgent(client), 'urgent');
  const [upcoming, reloadUpcoming] = useLoad(() => loadUpcoming(client), 'upcoming');
  const [requested, reloadRequested] = useLoad(
    () => client.api('listExceptions', { query: { status: 'requested', limit: '20' } }),
    'requested',
  );
  const reload = () => {
    reloadUpcoming();
    reloadRequested();
  };
  return (
    <>
      <section data-testid="urgent">
        <h2>Most urgent</h2>
        <Loaded load={urgent} what="findings">
          {(items) =>
            items.length === 0 ? (
              <p class="muted">No unresolved P1–P3 findings.</p>
            ) : (
              <ul>
                {items.map((f) => (
                  <UrgentFinding key={f.id} finding={f} />
                ))}
              </ul>
            )
          }
        </Loaded>
      </section>
      <section data-testid="upcoming">
        <h2>Upcoming deployments</h2>
        <Loaded load={upcoming} what="deployments">
          {(items) =>
            items.length === 0 ? (
              <p class="muted">No deployment is running, approved or waiting.</p>
            ) : (
              <ul>
                {items.map((d) => (
                  <UpcomingDeployment
                    key={d.id}
                    deployment={d}
                    onOpen={() => void client.openDashboard(`#/deployments/${d.id}`)}
                  />
                ))}
              </ul>
            )
          }
        </Loaded>
      </section>
      <section data-testid="approvals">
        <h2>Approvals</h2>
        {upcoming.state === 'error' ? (
          <p class="error">Could not load deployments: {upcoming.error}</p>
        ) : (
          <Loaded load={requested} what="exceptions">
            {(page) =>
              upcoming.state === 'loading' ? (
                <p class="muted">Loading…</p>
              ) : (
                <Approvals
                  client={client}
                  deployments={upcoming.data.filter((d) => d.status === 'awaiting_approval')}
                  exceptions={page.items}
                  onDone={reload}
                />
              )
            }
          </Loaded>
        )}
      </section>
    </>
  );
}

function StatusLine(props: { status: ConnectionStatus | null }) {
  const { status } = props;
  const attr = status === null ? 'checking' : status.state === 'connected' ? 'true' : 'false';
  return (
    <p data-status={attr} data-state={status?.state ?? 'checking'} data-testid="status">
      {status === null
        ? 'Checking the backend…'
        : status.state === 'connected'
          ? `Connected${status.version ? ` (v${status.version})` : ''}`
          : status.reason}
      {status?.state === 'connected' && status.warning && (
        <span class="error" data-testid="status-warning">
          {' '}
          · {status.warning}
        </span>
      )}
    </p>
  );
}

/** The toolbar popup. */
export function Popup() {
  const client = useClient();
  const [status, setStatus] = useState<ConnectionStatus | null>(null);
  useEffect(() => {
    client.status().then(setStatus, (err: Error) => setStatus({ state: 'error', reason: err.message }));
  }, [client]);
  return (
    <main class="pb-popup">
      <style>{STYLE}</style>
      <h1>Patchboard</h1>
      <StatusLine status={status} />
      {status?.state === 'unconfigured' ? (
        <p data-testid="setup">
          Patchboard is not set up yet.{' '}
          <button
            type="button"
            class="link"
            data-testid="options-link"
            onClick={() => {
              void client.openOptions();
            }}
          >
            Open the options
          </button>{' '}
          to enter the backend URL and a token.
        </p>
      ) : status !== null ? (
        <Sections client={client} />
      ) : null}
      <footer>
        <button
          type="button"
          class="link"
          data-testid="open-dashboard"
          onClick={() => {
            void client.openDashboard();
          }}
        >
          Open dashboard
        </button>
      </footer>
    </main>
  );
}
