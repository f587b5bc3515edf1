/** Inventory: the hosts with ring, OS and open findings; one host with its findings, windows and why. */
import { useClient } from '@/pages/client';
import { Loaded, More, Time, useLoad, usePaged } from './common';
import { FindingsTable } from './Findings';
import { href, navigate, type Route } from './router';

export function HostsView(props: { route: Route }) {
  const client = useClient();
  const ring = props.route.query.get('ring')?.trim() || undefined;
  const tag = props.route.query.get('tag')?.trim() || undefined;
  const { load, more, moreError } = usePaged(
    (cursor) => client.api('listHosts', { query: { ring, tag, cursor, limit: '200' } }),
    JSON.stringify({ ring, tag }),
  );
  return (
    <section data-testid="hosts-view">
      <h2>Inventory</h2>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          const data = new FormData(e.currentTarget);
          navigate(href(['hosts'], { ring: String(data.get('ring') ?? ''), tag: String(data.get('tag') ?? '') }));
        }}
      >
        <label>
          Ring <input name="ring" defaultValue={ring ?? ''} size={8} />
        </label>{' '}
        <label>
          Tag <input name="tag" defaultValue={tag ?? ''} size={12} />
        </label>{' '}
        <button type="submit">Filter</button>
      </form>
      <Loaded load={load} what="hosts">
        {(hosts) =>
          hosts.length === 0 ? (
            <p class="muted">No hosts.</p>
          ) : (
            <table data-testid="hosts-table">
              <thead>
                <tr>
                  <th>Host</th>
                  <th>Ring</th>
                  <th>OS</th>
                  <th>Criticality</th>
                  <th>Exposure</th>
                  <th>Tags</th>
                  <th>Packages</th>
                  <th>Open findings</th>
                  <th>Last report</th>
                </tr>
              </thead>
              <tbody>
                {hosts.map((h) => (
                  <tr key={h.hostname} data-testid="host-row" data-host={h.hostname}>
                    <td>
                      <a href={href(['hosts', h.hostname])}>{h.hostname}</a>
                    </td>
                    <td>{h.ring}</td>
                    <td>
                      {h.os.family} {h.os.release}
                    </td>
                    <td>{h.criticality}</td>
                    <td>{h.internetFacing ? 'internet-facing' : 'internal'}</td>
                    <td>{h.tags.join(', ')}</td>
                    <td class="num">{h.packageCount + h.hotfixCount}</td>
                    <td class="num" data-testid="open-findings">
                      {h.openFindings > 0 ? <a href={href(['findings'], { host: h.hostname })}>{h.openFindings}</a> : 0}
                    </td>
                    <td>
                      <Time iso={h.lastSeenAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Loaded>
      <More more={more} error={moreError} />
    </section>
  );
}

export function HostDetailView(props: { hostname: string }) {
  const client = useClient();
  const { hostname } = props;
  const [host] = useLoad(() => client.api('getHost', { params: { hostname } }), `host:${hostname}`);
  const [windows] = useLoad(() => client.api('getHostWindows', { params: { hostname } }), `windows:${hostname}`);
  return (
    <section data-testid="host-detail">
      <p>
        <a href={href(['hosts'])}>← Inventory</a>
      </p>
      <h2>{hostname}</h2>
      <Loaded load={host} what="the host">
        {(h) => (
          <>
            <dl class="facts">
              <dt>Ring</dt>
              <dd data-testid="host-ring">{h.ring}</dd>
              <dt>OS</dt>
              <dd>
                {h.os.family} {h.os.release} ({h.ecosystem})
              </dd>
              <dt>Criticality</dt>
              <dd>{h.criticality}</dd>
              <dt>Exposure</dt>
              <dd>{h.internetFacing ? 'internet-facing' : 'internal'}</dd>
              <dt>Owner</dt>
              <dd>{h.owner ?? '—'}</dd>
              <dt>Tags</dt>
              <dd>{h.tags.join(', ') || '—'}</dd>
              <dt>Addresses</dt>
              <dd>{h.addresses.join(', ') || '—'}</dd>
              <dt>Software</dt>
              <dd>
                {h.packageCount} packages, {h.hotfixCount} hotfixes; last report <Time iso={h.lastSeenAt} />
              </dd>
            </dl>
            <h3>Unresolved findings ({h.findings.length})</h3>
            <FindingsTable findings={h.findings} showHost={false} />
          </>
        )}
      </Loaded>
      <h3>Maintenance windows</h3>
      <Loaded load={windows} what="windows">
        {(w) =>
          w.windows.length === 0 ? (
            <p class="muted">No maintenance window applies to this host: nothing can be installed on it.</p>
          ) : (
            <>
              <p>{w.windows.map((x) => `${x.name} (${x.rule}, ${x.timeZone})`).join('; ')}</p>
              <ul data-testid="host-openings">
                {w.nextOpenings.map((o) => (
                  <li key={`${o.windowId}-${o.start}`}>
                    <Time iso={o.start} /> – <Time iso={o.end} /> <span class="muted">{o.windowName}</span>
                  </li>
                ))}
              </ul>
            </>
          )
        }
      </Loaded>
    </section>
  );
}
