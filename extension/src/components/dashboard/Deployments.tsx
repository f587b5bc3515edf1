/**
 * Deployments: the list, and one deployment with its rings as a stepper (status, windows and their
 * next opening, the gate's result and reasons), its jobs per host, and the decisions it awaits.
 */
import type { Deployment, DeploymentStatus } from '@patchboard/shared/schemas/deployment';
import type { MaintenanceWindow } from '@patchboard/shared/schemas/window';
import { type ApiResponse, type PageClient, useClient } from '@/pages/client';
import {
  currentRing,
  Decision,
  type DecisionAction,
  describeScope,
  Loaded,
  More,
  Time,
  useLoad,
  usePaged,
} from './common';
import { href, navigate, type Route } from './router';

const STATUSES: readonly DeploymentStatus[] = [
  'draft',
  'awaiting_approval',
  'approved',
  'running',
  'completed',
  'halted',
  'rolled_back',
  'rejected',
  'cancelled',
];
const ENDED: readonly DeploymentStatus[] = ['completed', 'halted', 'rolled_back', 'rejected', 'cancelled'];

type DeploymentDetail = ApiResponse<'getDeployment'>;
type Ring = Deployment['rings'][number];

const label = (status: string) => status.replace(/_/g, ' ');

function describeTarget(target: Deployment['target']): string {
  if (target.kind === 'packages') return target.packages.map((p) => `${p.name} ${p.version}`).join(', ');
  return `${target.kind} ${target.ids.join(', ')}`;
}

export function DeploymentsView(props: { route: Route }) {
  const client = useClient();
  const raw = props.route.query.get('status') ?? '';
  const status = (STATUSES as readonly string[]).includes(raw) ? (raw as DeploymentStatus) : undefined;
  const { load, more, moreError } = usePaged(
    (cursor) => client.api('listDeployments', { query: { status, cursor, limit: '100' } }),
    status ?? '',
  );
  return (
    <section data-testid="deployments-view">
      <h2>Deployments</h2>
      <form class="filters">
        <label>
          Status{' '}
          <select
            value={status ?? ''}
            onChange={(e) =>
              navigate(href(['deployments'], { status: (e.target as HTMLSelectElement).value || undefined }))
            }
          >
            <option value="">any</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {label(s)}
              </option>
            ))}
          </select>
        </label>
      </form>
      <Loaded load={load} what="deployments">
        {(items) =>
          items.length === 0 ? (
            <p class="muted">No deployments.</p>
          ) : (
            <table data-testid="deployments-table">
              <thead>
                <tr>
                  <th>#</th>
                  <th>Title</th>
                  <th>Status</th>
                  <th>Rings</th>
                  <th>Current ring</th>
                  <th>Next opening</th>
                  <th>Created</th>
                </tr>
              </thead>
              <tbody>
                {items.map((d) => {
                  const ring = currentRing(d.rings);
                  return (
                    <tr key={d.id} data-testid="deployment-row" data-deployment={d.id} data-status={d.status}>
                      <td>
                        <a href={href(['deployments', d.id])}>#{d.id}</a>
                      </td>
                      <td>
                        <a href={href(['deployments', d.id])}>{d.title}</a>
                      </td>
                      <td>{label(d.status)}</td>
                      <td>{d.rings.map((r) => `${r.ring} (${r.status})`).join(' → ')}</td>
                      <td>{ring ? ring.ring : '—'}</td>
                      <td>
                        <Time iso={ring?.nextOpening?.start} />
                      </td>
                      <td>
                        <Time iso={d.createdAt} /> <span class="muted">{d.createdBy}</span>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )
        }
      </Loaded>
      <More more={more} error={moreError} />
    </section>
  );
}

function RingStep(props: { ring: Ring; windows: ReadonlyMap<number, MaintenanceWindow> }) {
  const r = props.ring;
  return (
    <li class={`step step-${r.status}`} data-testid="ring-step" data-ring={r.ring} data-status={r.status}>
      <div>
        <strong>
          {r.position + 1}. {r.ring}
        </strong>{' '}
        <span class="status">{r.status}</span> · {r.hosts} hosts · soak {r.soakMinutes} min · threshold{' '}
        {Math.round(r.successThreshold * 100)} %
        {r.healthChecks.length > 0 && <> · health checks {r.healthChecks.join(', ')}</>}
      </div>
      <div class="small">
        Windows:{' '}
        {r.windows.length === 0
          ? "each host's own"
          : r.windows.map((id) => props.windows.get(id)?.name ?? `#${id}`).join(', ')}
        {' · next opening '}
        {r.nextOpening ? (
          <span data-testid="ring-next-opening">
            <Time iso={r.nextOpening.start} /> – <Time iso={r.nextOpening.end} />
          </span>
        ) : (
          'none'
        )}
      </div>
      <div class="small muted">
        started <Time iso={r.startedAt} /> · installed <Time iso={r.installedAt} /> · soak until{' '}
        <Time iso={r.soakUntil} /> · finished <Time iso={r.finishedAt} />
      </div>
      {r.gate && (
        <div class="small" data-testid="ring-gate" data-passed={String(r.gate.passed)}>
          Gate {r.gate.passed ? 'passed' : 'failed'}: {r.gate.succeeded} of {r.gate.total} succeeded
          {r.gate.reasons.length > 0 && (
            <ul>
              {r.gate.reasons.map((reason) => (
                <li key={reason}>{reason}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </li>
  );
}

function actionsFor(client: PageClient, d: Deployment): DecisionAction[] {
  const params = { id: String(d.id) };
  const actions: DecisionAction[] = [];
  if (d.status === 'awaiting_approval') {
    actions.push(
      { label: 'Approve', done: 'approved', run: (body) => client.api('approveDeployment', { params, body }) },
      { label: 'Reject', done: 'rejected', run: (body) => client.api('rejectDeployment', { params, body }) },
    );
  }
  if (d.status === 'draft') {
    actions.push({
      label: 'Submit',
      done: 'submitted',
      run: (body) => client.api('submitDeployment', { params, body }),
    });
  }
  if (!ENDED.includes(d.status)) {
    actions.push({
      label: 'Cancel',
      done: 'cancelled',
      run: (body) => client.api('cancelDeployment', { params, body }),
    });
  }
  return actions;
}

function DeploymentBody(props: {
  d: DeploymentDetail;
  windows: ReadonlyMap<number, MaintenanceWindow>;
  reload: () => void;
}) {
  const client = useClient();
  const { d } = props;
  const ringOf = new Map(d.items.map((item) => [item.hostname, item.ring]));
  const actions = actionsFor(client, d);
  return (
    <>
      <h2>
        #{d.id} {d.title}
      </h2>
      <dl class="facts">
        <dt>Status</dt>
        <dd data-testid="deployment-status">{label(d.status)}</dd>
        <dt>What</dt>
        <dd>{describeTarget(d.target)}</dd>
        <dt>Where</dt>
        <dd>{describeScope(d.hosts)}</dd>
        <dt>Closes</dt>
        <dd>
          {d.advisories.length === 0
            ? '—'
            : d.advisories.map((a, i) => (
                <span key={a}>
                  {i > 0 && ', '}
                  <a href={href(['findings'], { advisory: a })}>{a}</a>
                </span>
              ))}
        </dd>
        <dt>Created</dt>
        <dd>
          <Time iso={d.createdAt} /> by {d.createdBy}; submitted <Time iso={d.submittedAt} />
        </dd>
        <dt>Decision</dt>
        <dd>
          {d.approvedBy ? (
            <>
              {d.approvedBy} at <Time iso={d.approvedAt} />
            </>
          ) : (
            '—'
          )}
          {d.decisionNote && <div class="muted">“{d.decisionNote}”</div>}
        </dd>
        <dt>Ran</dt>
        <dd>
          <Time iso={d.startedAt} /> – <Time iso={d.endedAt} />
        </dd>
        {d.haltReason && (
          <>
            <dt>Halted</dt>
            <dd class="error" data-testid="halt-reason">
              {d.haltReason}
            </dd>
          </>
        )}
      </dl>
      {actions.length > 0 && <Decision testid="deployment-decision" actions={actions} onDone={props.reload} />}
      <h3>Rings</h3>
      <ol class="stepper" data-testid="ring-stepper">
        {d.rings.map((r) => (
          <RingStep key={r.ring} ring={r} windows={props.windows} />
        ))}
      </ol>
      <h3>Jobs ({d.jobs.length})</h3>
      {d.jobs.length === 0 ? (
        <p class="muted">No jobs yet: they are made when a ring starts.</p>
      ) : (
        <table data-testid="jobs-table">
          <thead>
            <tr>
              <th>Host</th>
              <th>Ring</th>
              <th>Kind</th>
              <th>Package manager</th>
              <th>Step</th>
              <th>Status</th>
              <th>Result</th>
              <th>Reboot</th>
              <th>Started</th>
              <th>Finished</th>
            </tr>
          </thead>
          <tbody>
            {d.jobs.map((j) => (
              <tr key={j.id} data-testid="job-row" data-status={j.status}>
                <td>
                  <a href={href(['hosts', j.hostname])}>{j.hostname}</a>
                </td>
                <td>{ringOf.get(j.hostname) ?? '—'}</td>
                <td>{j.kind}</td>
                <td>{j.packageManager}</td>
                <td>{j.step}</td>
                <td>{j.status}</td>
                <td class="why">{j.result ?? '—'}</td>
                <td>{j.rebootRequired === null ? '—' : j.rebootRequired ? 'required' : 'no'}</td>
                <td>
                  <Time iso={j.startedAt} />
                </td>
                <td>
                  <Time iso={j.finishedAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Items ({d.items.length})</h3>
      <table data-testid="items-table">
        <thead>
          <tr>
            <th>Host</th>
            <th>Ring</th>
            <th>Package</th>
            <th>Target</th>
            <th>Advisories</th>
          </tr>
        </thead>
        <tbody>
          {d.items.map((item) => (
            <tr key={`${item.hostname} ${item.package} ${item.kb ?? ''}`}>
              <td>{item.hostname}</td>
              <td>{item.ring}</td>
              <td>{item.package}</td>
              <td class="mono">{item.targetVersion ?? item.kb ?? '—'}</td>
              <td>{item.advisories.join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function DeploymentDetailView(props: { id: string }) {
  const client = useClient();
  const { id } = props;
  const [deployment, reload] = useLoad(() => client.api('getDeployment', { params: { id } }), `deployment:${id}`);
  const [windows] = useLoad(() => client.api('listWindows'), 'windows');
  const byId = new Map(windows.state === 'done' ? windows.data.items.map((w) => [w.id, w] as const) : []);
  return (
    <section data-testid="deployment-detail">
      <p>
        <a href={href(['deployments'])}>← Deployments</a>
      </p>
      {/^\d{1,12}$/.test(id) ? (
        <Loaded load={deployment} what={`deployment #${id}`}>
          {(d) => <DeploymentBody d={d} windows={byId} reload={reload} />}
        </Loaded>
      ) : (
        <p class="error">Not a deployment id: {id}</p>
      )}
    </section>
  );
}
