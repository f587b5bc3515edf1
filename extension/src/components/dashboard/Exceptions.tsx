/** Risk exceptions: who asked, what for, until when; approve, reject or revoke them here. */
import type { ExceptionStatus, RiskException } from '@patchboard/shared/schemas/exception';
import { type PageClient, useClient } from '@/pages/client';
import { Decision, type DecisionAction, describeScope, Loaded, More, Time, useLoad, usePaged } from './common';
import { href, navigate, type Route } from './router';

const STATUSES: readonly ExceptionStatus[] = ['requested', 'approved', 'rejected', 'revoked', 'expired'];
const DAY = 86_400_000;

/** `in 12 days`, `today`, `ended`. */
export function expiryNote(x: RiskException, now = Date.now()): string {
  if (x.status !== 'approved' && x.status !== 'requested') return x.status;
  const days = Math.ceil((Date.parse(x.expiresAt) - now) / DAY);
  if (days < 0) return 'past its expiry';
  return days === 0 ? 'expires today' : `expires in ${days} day${days === 1 ? '' : 's'}`;
}

function actionsFor(client: PageClient, x: RiskException): DecisionAction[] {
  const params = { id: String(x.id) };
  if (x.status === 'requested') {
    return [
      { label: 'Approve', done: 'approved', run: (body) => client.api('approveException', { params, body }) },
      { label: 'Reject', done: 'rejected', run: (body) => client.api('rejectException', { params, body }) },
    ];
  }
  if (x.status === 'approved') {
    return [{ label: 'Revoke', done: 'revoked', run: (body) => client.api('revokeException', { params, body }) }];
  }
  return [];
}

export function ExceptionsView(props: { route: Route }) {
  const client = useClient();
  const raw = props.route.query.get('status') ?? '';
  const status = (STATUSES as readonly string[]).includes(raw) ? (raw as ExceptionStatus) : undefined;
  const { load, more, moreError, reload } = usePaged(
    (cursor) => client.api('listExceptions', { query: { status, cursor, limit: '100' } }),
    status ?? '',
  );
  return (
    <section data-testid="exceptions-view">
      <h2>Risk exceptions</h2>
      <form class="filters">
        <label>
          Status{' '}
          <select
            value={status ?? ''}
            onChange={(e) =>
              navigate(href(['exceptions'], { status: (e.target as HTMLSelectElement).value || undefined }))
            }
          >
            <option value="">any</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </form>
      <Loaded load={load} what="exceptions">
        {(items) =>
          items.length === 0 ? (
            <p class="muted">No exceptions.</p>
          ) : (
            <table data-testid="exceptions-table">
              <thead>
                <tr>
                  <th>#</th>
                  <th>Hosts</th>
                  <th>Vulnerability</th>
                  <th>Reason and compensating control</th>
                  <th>Status</th>
                  <th>Requested</th>
                  <th>Decided</th>
                  <th>Expires</th>
                  <th>Actions</th>
                </tr>
              </thead>
              <tbody>
                {items.map((x) => {
                  const actions = actionsFor(client, x);
                  return (
                    <tr key={x.id} data-testid="exception-row" data-exception={x.id} data-status={x.status}>
                      <td>
                        <a href={href(['exceptions', x.id])}>#{x.id}</a>
                      </td>
                      <td>{describeScope(x.hosts)}</td>
                      <td>
                        {x.target.kind === 'package' ? (
                          `package ${x.target.value}`
                        ) : (
                          <a href={href(['findings'], { [x.target.kind]: x.target.value, status: 'excepted' })}>
                            {x.target.value}
                          </a>
                        )}
                      </td>
                      <td class="why">
                        <div>{x.reason}</div>
                        <div class="muted">Control: {x.compensatingControl}</div>
                      </td>
                      <td>
                        {x.status}
                        {x.active && <div class="small ok">active</div>}
                      </td>
                      <td>
                        {x.requestedBy}
                        <div class="small">
                          <Time iso={x.requestedAt} />
                        </div>
                      </td>
                      <td>
                        {x.decidedBy ?? '—'}
                        {x.decidedAt && (
                          <div class="small">
                            <Time iso={x.decidedAt} />
                          </div>
                        )}
                        {x.decisionNote && <div class="small muted">“{x.decisionNote}”</div>}
                      </td>
                      <td>
                        <Time iso={x.expiresAt} />
                        <div class="small muted" data-testid="expiry">
                          {expiryNote(x)}
                        </div>
                      </td>
                      <td>{actions.length > 0 && <Decision actions={actions} onDone={reload} />}</td>
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

/** One exception (`#/exceptions/<id>`, where notifications lead) with the findings it excepts now. */
export function ExceptionDetailView(props: { id: string }) {
  const client = useClient();
  const { id } = props;
  const [load, reload] = useLoad(() => client.api('getException', { params: { id } }), `exception:${id}`);
  return (
    <section data-testid="exception-detail">
      <p>
        <a href={href(['exceptions'])}>← Exceptions</a>
      </p>
      <h2>Exception #{id}</h2>
      {/^[1-9]\d{0,14}$/.test(id) ? (
        <Loaded load={load} what={`exception #${id}`}>
          {(x) => {
            const actions = actionsFor(client, x);
            return (
              <>
                <dl class="facts">
                  <dt>Status</dt>
                  <dd data-testid="exception-status">
                    {x.status}
                    {x.active ? ' (active)' : ''}
                  </dd>
                  <dt>Hosts</dt>
                  <dd>{describeScope(x.hosts)}</dd>
                  <dt>Vulnerability</dt>
                  <dd>
                    {x.target.kind} {x.target.value}
                  </dd>
                  <dt>Reason</dt>
                  <dd class="why">{x.reason}</dd>
                  <dt>Compensating control</dt>
                  <dd class="why">{x.compensatingControl}</dd>
                  <dt>Requested</dt>
                  <dd>
                    {x.requestedBy}, <Time iso={x.requestedAt} />
                  </dd>
                  <dt>Decided</dt>
                  <dd>
                    {x.decidedBy ?? '—'} <Time iso={x.decidedAt} />
                    {x.decisionNote && <div class="muted">“{x.decisionNote}”</div>}
                  </dd>
                  <dt>Expires</dt>
                  <dd>
                    <Time iso={x.expiresAt} /> ({expiryNote(x)})
                  </dd>
                </dl>
                {actions.length > 0 && <Decision testid="exception-decision" actions={actions} onDone={reload} />}
                <h3>Findings it excepts now ({x.findings.count})</h3>
                {x.findings.items.length === 0 ? (
                  <p class="muted">None.</p>
                ) : (
                  <table data-testid="excepted-findings">
                    <thead>
                      <tr>
                        <th>Host</th>
                        <th>Advisory</th>
                        <th>Package</th>
                      </tr>
                    </thead>
                    <tbody>
                      {x.findings.items.map((f) => (
                        <tr key={f.id}>
                          <td>
                            <a href={href(['hosts', f.hostname])}>{f.hostname}</a>
                          </td>
                          <td>{f.advisory}</td>
                          <td>{f.package}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </>
            );
          }}
        </Loaded>
      ) : (
        <p class="error">Not an exception id: {id}</p>
      )}
    </section>
  );
}
