/**
 * The panel on a vendor's advisory page: what the advisory means for this fleet (hosts in total and
 * per ring, priority and why, KEV, EPSS, fixed versions, findings per status, the next deployment)
 * and what to do about it (schedule, accept the risk, open the dashboard). Every string from the
 * backend or the feeds is a Preact text child or an attribute value: never parsed as HTML.
 *
 * Every number carries a `data-testid` (see the README of the end-to-end tests, and the report of
 * issue #7): `pb-hosts-total`, `pb-hosts-prod`, `pb-ring-count[data-ring]`, `pb-priority`,
 * `pb-kev-due`, `pb-epss-score`, `pb-findings-open`, `pb-next-deployment`, ...
 */
import type { LookupItem } from '@patchboard/shared/schemas/lookup';
import { useState } from 'preact/hooks';
import type { Send } from '@/content/client';
import { ExceptionForm, type ExceptionFormTarget } from './ExceptionForm';
import {
  deploymentStatusText,
  findingsRoute,
  formatDate,
  formatDateTime,
  formatShare,
  orderedRings,
  PRODUCTION_RING,
} from './format';
import { ScheduleButton } from './ScheduleButton';

/** Where the lookup of the page's id stands. */
export type OverlayState =
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly error: string }
  | { readonly status: 'ready'; readonly item: LookupItem };

export interface OverlayProps {
  /** The page's primary id, as the adapter read it. */
  readonly id: string;
  readonly state: OverlayState;
  readonly send: Send;
  /** The clock of the exception form's expiry (tests fix it). */
  readonly now?: () => Date;
  /** Called after the person scheduled or undid a deployment, so the numbers can be looked up again. */
  readonly onChanged?: () => void;
}

/** Advisories named in the panel; the rest are counted. */
const SHOWN_ADVISORIES = 3;

export function Overlay({ id, state, send, now, onChanged }: OverlayProps) {
  const kind = state.status === 'ready' ? stateOf(state.item) : state.status;
  return (
    <section class="pb" data-testid="pb-overlay" data-state={kind} data-id={id} aria-label={`Patchboard: ${id}`}>
      <h2>
        <span class="brand">Patchboard</span>
        <span data-testid="pb-id">{state.status === 'ready' ? (state.item.canonical ?? id) : id}</span>
        {state.status === 'ready' && state.item.hosts.affected > 0 && state.item.priority && (
          <PriorityPill priority={state.item.priority.highest} />
        )}
      </h2>
      {state.status === 'loading' && <p class="muted">Looking up…</p>}
      {state.status === 'error' && (
        <p class="error" data-testid="pb-error" role="alert">
          {state.error}
        </p>
      )}
      {state.status === 'ready' && <Details item={state.item} id={id} send={send} now={now} onChanged={onChanged} />}
    </section>
  );
}

function stateOf(item: LookupItem): 'unknown' | 'unaffected' | 'affected' {
  if (!item.known) return 'unknown';
  return item.hosts.affected > 0 ? 'affected' : 'unaffected';
}

function PriorityPill({ priority }: { readonly priority: number }) {
  return (
    <span class={`pill p${priority}`} data-testid="pb-priority" data-priority={priority}>
      P{priority}
    </span>
  );
}

function Details({
  item,
  id,
  send,
  now,
  onChanged,
}: {
  item: LookupItem;
  id: string;
  send: Send;
  now?: () => Date;
  onChanged?: () => void;
}) {
  const [form, setForm] = useState(false);
  if (!item.known) {
    return (
      <p data-testid="pb-summary">
        Not in Patchboard’s feeds.
        {item.reason && <span class="muted"> {item.reason}</span>}
      </p>
    );
  }
  const canonical = item.canonical ?? id;
  const affected = item.hosts.affected;
  const route = findingsRoute(canonical);
  const target: ExceptionFormTarget =
    item.kind === 'cve' ? { kind: 'cve', value: canonical } : { kind: 'advisory', value: canonical };
  return (
    <>
      {affected > 0 ? (
        <>
          <p data-testid="pb-summary">
            Affects <b data-testid="pb-hosts-total">{affected}</b> of your hosts,{' '}
            <b data-testid="pb-hosts-prod">{item.hosts.byRing[PRODUCTION_RING] ?? 0}</b> in production.
          </p>
          <p class="rings" data-testid="pb-rings">
            {orderedRings(item.hosts.byRing).map(([ring, count]) => (
              <span key={ring}>
                {ring}{' '}
                <b data-testid="pb-ring-count" data-ring={ring}>
                  {count}
                </b>
              </span>
            ))}
          </p>
        </>
      ) : (
        <p data-testid="pb-summary">No host affected.</p>
      )}
      <dl>
        {affected > 0 && (
          <>
            <dt>Priority</dt>
            <dd>
              {item.priority ? (
                <>
                  <PriorityPill priority={item.priority.highest} />{' '}
                  {item.priority.explanation && (
                    <span data-testid="pb-priority-explanation">{item.priority.explanation}</span>
                  )}
                  {item.priority.dueAt && (
                    <>
                      {' '}
                      <span class="muted">
                        due{' '}
                        <time data-testid="pb-priority-due" dateTime={item.priority.dueAt}>
                          {formatDate(item.priority.dueAt)}
                        </time>
                      </span>
                    </>
                  )}
                </>
              ) : (
                <span class="muted" data-testid="pb-priority-none">
                  not triaged yet
                </span>
              )}
            </dd>
          </>
        )}
        <dt>CISA KEV</dt>
        <dd data-testid="pb-kev" data-kev={item.kev ? 'true' : 'false'}>
          {item.kev ? (
            <>
              {item.kev.cve} added{' '}
              <time data-testid="pb-kev-added" dateTime={item.kev.dateAdded}>
                {formatDate(item.kev.dateAdded)}
              </time>
              , due{' '}
              <time data-testid="pb-kev-due" dateTime={item.kev.dueDate}>
                {formatDate(item.kev.dueDate)}
              </time>
              ,{' '}
              <span data-testid="pb-kev-ransomware" data-ransomware={String(item.kev.ransomware)}>
                {item.kev.ransomware ? 'known ransomware use' : 'no known ransomware use'}
              </span>
            </>
          ) : (
            <span class="muted">not listed</span>
          )}
        </dd>
        <dt>EPSS</dt>
        <dd data-testid="pb-epss">
          {item.epss ? (
            <>
              <span data-testid="pb-epss-score" data-score={item.epss.score}>
                {formatShare(item.epss.score)}
              </span>{' '}
              <span class="muted">
                (percentile{' '}
                <span data-testid="pb-epss-percentile" data-percentile={item.epss.percentile}>
                  {formatShare(item.epss.percentile)}
                </span>
                , {item.epss.cve}, {formatDate(item.epss.date)})
              </span>
            </>
          ) : (
            <span class="muted">no score</span>
          )}
        </dd>
        <dt>Fixed in</dt>
        <dd>
          {item.fixedVersions.length > 0 ? (
            <ul data-testid="pb-fixed-versions">
              {item.fixedVersions.map((fixed) => (
                <li
                  key={`${fixed.ecosystem} ${fixed.package} ${fixed.version}`}
                  data-testid="pb-fixed-version"
                  data-ecosystem={fixed.ecosystem}
                  data-package={fixed.package}
                  data-version={fixed.version}
                >
                  {fixed.package} {fixed.version} <span class="muted">({fixed.ecosystem})</span>
                </li>
              ))}
            </ul>
          ) : (
            <span class="muted" data-testid="pb-fixed-none">
              no fixed version known for your hosts
            </span>
          )}
        </dd>
        <dt>Findings</dt>
        <dd>
          <b data-testid="pb-findings-open">{item.findings.open}</b> open ·{' '}
          <b data-testid="pb-findings-scheduled">{item.findings.scheduled}</b> scheduled ·{' '}
          <b data-testid="pb-findings-excepted">{item.findings.excepted}</b> excepted
        </dd>
        <dt>Next deployment</dt>
        <dd>
          {item.nextDeployment ? (
            <>
              <span data-testid="pb-next-deployment" data-deployment-id={item.nextDeployment.id}>
                #{item.nextDeployment.id}
              </span>{' '}
              {item.nextDeployment.title} —{' '}
              <span data-testid="pb-next-deployment-status" data-status={item.nextDeployment.status}>
                {deploymentStatusText(item.nextDeployment.status)}
              </span>
              {item.nextDeployment.ring && (
                <>
                  , ring <span data-testid="pb-next-deployment-ring">{item.nextDeployment.ring}</span>
                </>
              )}
            </>
          ) : (
            <span class="muted" data-testid="pb-next-deployment">
              none scheduled
            </span>
          )}
        </dd>
        {item.advisories.length > 0 && (
          <>
            <dt>{item.advisoryCount === 1 ? 'Advisory' : 'Advisories'}</dt>
            <dd>
              <ul>
                {item.advisories.slice(0, SHOWN_ADVISORIES).map((advisory) => (
                  <li key={advisory.id} data-testid="pb-advisory" data-advisory-id={advisory.id}>
                    <b>{advisory.id}</b>
                    {advisory.summary && <> {advisory.summary}</>}
                    {advisory.withdrawn && <span class="muted"> (withdrawn {formatDateTime(advisory.withdrawn)})</span>}
                  </li>
                ))}
              </ul>
              {item.advisoryCount > SHOWN_ADVISORIES && (
                <span class="muted">and {item.advisoryCount - SHOWN_ADVISORIES} more</span>
              )}
            </dd>
          </>
        )}
      </dl>
      <div class="actions">
        {affected > 0 && (
          <ScheduleButton
            ids={[canonical]}
            send={send}
            disabledReason={item.findings.open === 0 ? 'nothing open to schedule' : undefined}
            onChanged={onChanged}
          />
        )}
        {affected > 0 && (
          <button
            type="button"
            class="secondary"
            data-testid="pb-accept-risk"
            aria-expanded={form}
            onClick={() => setForm(!form)}
          >
            Accept risk…
          </button>
        )}
        {route && (
          <button
            type="button"
            class="secondary"
            data-testid="pb-open"
            onClick={() => void send({ type: 'patchboard:open', route })}
          >
            Open in Patchboard
          </button>
        )}
      </div>
      {form && (
        <ExceptionForm
          target={target}
          rings={orderedRings(item.hosts.byRing).map(([ring]) => ring)}
          send={send}
          now={now}
          onCancel={() => setForm(false)}
        />
      )}
    </>
  );
}
