/** Findings: filters by priority, status, advisory, host and SLA breach; each row says why it applies. */
import type { Finding } from '@patchboard/shared/schemas/advisory';
import { useState } from 'preact/hooks';
import { useClient } from '@/pages/client';
import { Due, Loaded, More, Priority, Time, usePaged } from './common';
import { href, navigate, type Route } from './router';

const STATUSES = ['unresolved', 'open', 'scheduled', 'excepted', 'resolved'] as const;
type StatusFilter = (typeof STATUSES)[number];
const PRIORITIES = ['1', '2', '3', '4'] as const;
type PriorityFilter = (typeof PRIORITIES)[number];

export interface FindingFilters {
  readonly priority?: PriorityFilter;
  readonly status?: StatusFilter;
  readonly advisory?: string;
  readonly host?: string;
  readonly cve?: string;
  readonly breached?: 'true';
}

/** The filters of `#/findings?…`; unknown values are ignored. Status defaults to unresolved. */
export function filtersOf(query: URLSearchParams): FindingFilters {
  const priority = query.get('priority');
  const status = query.get('status');
  return {
    priority: (PRIORITIES as readonly string[]).includes(priority ?? '') ? (priority as PriorityFilter) : undefined,
    status: (STATUSES as readonly string[]).includes(status ?? '') ? (status as StatusFilter) : 'unresolved',
    advisory: query.get('advisory')?.trim() || undefined,
    host: query.get('host')?.trim().toLowerCase() || undefined,
    cve: /^CVE-\d{4}-\d{4,}$/i.test(query.get('cve')?.trim() ?? '')
      ? query.get('cve')?.trim().toUpperCase()
      : undefined,
    breached: query.get('breached') === 'true' ? 'true' : undefined,
  };
}

/** A table of findings; `showHost` is off on a host's own page. */
export function FindingsTable(props: { findings: readonly Finding[]; showHost?: boolean }) {
  const showHost = props.showHost ?? true;
  if (props.findings.length === 0) return <p class="muted">No findings.</p>;
  return (
    <table data-testid="findings-table">
      <thead>
        <tr>
          <th>Priority</th>
          {showHost && <th>Host</th>}
          <th>Advisory</th>
          <th>Package</th>
          <th>Installed → fixed</th>
          <th>Status</th>
          <th>Due</th>
          <th>SLA</th>
          <th>Why</th>
        </tr>
      </thead>
      <tbody>
        {props.findings.map((f) => (
          <tr key={f.id} data-testid="finding-row" data-finding={f.id} data-breached={String(f.slaBreached)}>
            <td>
              <Priority priority={f.priority} />
              {f.kev && (
                <span class="tag" title="on CISA's Known Exploited Vulnerabilities catalogue">
                  KEV
                </span>
              )}
              {f.ssvc && <div class="muted">SSVC {f.ssvc}</div>}
            </td>
            {showHost && (
              <td>
                <a href={href(['hosts', f.hostname])}>{f.hostname}</a>
              </td>
            )}
            <td>
              <a href={href(['findings'], { advisory: f.advisory })}>{f.advisory}</a>
              {f.cves.length > 0 && <div class="muted small">{f.cves.join(', ')}</div>}
            </td>
            <td>
              {f.package}
              {f.binaries.length > 0 && <div class="muted small">{f.binaries.join(', ')}</div>}
            </td>
            <td class="mono">
              {f.installedVersion} → {f.fixedVersion ?? 'no fix'}
            </td>
            <td>
              {f.status}
              {f.resolution && <div class="muted small">{f.resolution}</div>}
              {f.exceptionId !== null && (
                <div class="small">
                  <a href={href(['exceptions', f.exceptionId])}>exception #{f.exceptionId}</a>
                </div>
              )}
            </td>
            <td>
              {f.status === 'resolved' ? <Time iso={f.resolvedAt} /> : <Due dueAt={f.dueAt} breached={f.slaBreached} />}
            </td>
            <td>
              {f.slaBreached ? (
                <span class="breached" data-testid="sla-breached">
                  breached
                </span>
              ) : (
                <span class="muted">ok</span>
              )}
            </td>
            <td class="why">
              <div data-testid="explanation">{f.explanation}</div>
              {f.priorityReason && <div class="muted small">{f.priorityReason}</div>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function FilterForm(props: { filters: FindingFilters }) {
  const [advisory, setAdvisory] = useState(props.filters.advisory ?? '');
  const [host, setHost] = useState(props.filters.host ?? '');
  const go = (change: Partial<Record<keyof FindingFilters, string | undefined>>) =>
    navigate(href(['findings'], { ...props.filters, advisory, host, ...change }));
  return (
    <form
      class="filters"
      data-testid="findings-filters"
      onSubmit={(e) => {
        e.preventDefault();
        go({});
      }}
    >
      <label>
        Priority{' '}
        <select
          name="priority"
          value={props.filters.priority ?? ''}
          onChange={(e) => go({ priority: (e.target as HTMLSelectElement).value || undefined })}
        >
          <option value="">any</option>
          {PRIORITIES.map((p) => (
            <option key={p} value={p}>
              P{p}
            </option>
          ))}
        </select>
      </label>{' '}
      <label>
        Status{' '}
        <select
          name="status"
          value={props.filters.status}
          onChange={(e) => go({ status: (e.target as HTMLSelectElement).value })}
        >
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>{' '}
      <label>
        Advisory or alias{' '}
        <input
          name="advisory"
          value={advisory}
          maxLength={128}
          onInput={(e) => setAdvisory((e.target as HTMLInputElement).value)}
        />
      </label>{' '}
      <label>
        Host{' '}
        <input
          name="host"
          value={host}
          maxLength={253}
          onInput={(e) => setHost((e.target as HTMLInputElement).value)}
        />
      </label>{' '}
      <label>
        <input
          type="checkbox"
          name="breached"
          checked={props.filters.breached === 'true'}
          onChange={(e) => go({ breached: (e.target as HTMLInputElement).checked ? 'true' : undefined })}
        />{' '}
        SLA breached only
      </label>{' '}
      <button type="submit">Filter</button>
    </form>
  );
}

export function FindingsView(props: { route: Route }) {
  const client = useClient();
  const filters = filtersOf(props.route.query);
  const key = JSON.stringify(filters);
  const { load, more, moreError } = usePaged(
    (cursor) => client.api('listFindings', { query: { ...filters, cursor, limit: '100' } }),
    key,
  );
  return (
    <section data-testid="findings-view">
      <h2>Findings</h2>
      <FilterForm key={key} filters={filters} />
      <Loaded load={load} what="findings">
        {(items) => <FindingsTable findings={items} />}
      </Loaded>
      <More more={more} error={moreError} />
    </section>
  );
}
