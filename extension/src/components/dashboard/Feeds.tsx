/** Bulletin feeds: whether each runs, when it last succeeded, and what went wrong. */
import { useClient } from '@/pages/client';
import { Loaded, Time, useLoad } from './common';

export function FeedsView() {
  const client = useClient();
  const [feeds] = useLoad(() => client.api('listFeeds'), 'feeds');
  return (
    <section data-testid="feeds-view">
      <h2>Feeds</h2>
      <Loaded load={feeds} what="feeds">
        {(list) =>
          list.items.length === 0 ? (
            <p class="muted">No feeds.</p>
          ) : (
            <table data-testid="feeds-table">
              <thead>
                <tr>
                  <th>Feed</th>
                  <th>Kind</th>
                  <th>State</th>
                  <th>Last success</th>
                  <th>Last attempt</th>
                  <th>Next run</th>
                  <th>Last run</th>
                  <th>Error</th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((f) => {
                  const state = !f.enabled
                    ? 'disabled'
                    : f.running
                      ? 'running'
                      : f.consecutiveFailures > 0
                        ? 'failing'
                        : 'ok';
                  return (
                    <tr key={f.id} data-testid="feed-row" data-feed={f.id} data-state={state}>
                      <td>
                        {f.name}
                        <div class="small muted">
                          {f.id} · {f.scope}
                        </div>
                      </td>
                      <td>{f.kind}</td>
                      <td>
                        {state}
                        {f.consecutiveFailures > 0 && (
                          <div class="small">
                            {f.consecutiveFailures} failure{f.consecutiveFailures === 1 ? '' : 's'} in a row
                          </div>
                        )}
                      </td>
                      <td>
                        <Time iso={f.lastSuccessAt} />
                      </td>
                      <td>
                        <Time iso={f.lastAttemptAt} />
                      </td>
                      <td>
                        <Time iso={f.nextRunAt} />
                      </td>
                      <td class="small">
                        {f.lastRun
                          ? `${f.lastRun.imported} imported, ${f.lastRun.unchanged} unchanged, ${f.lastRun.quarantined} quarantined; findings +${f.lastRun.findingsOpened} −${f.lastRun.findingsResolved}`
                          : '—'}
                      </td>
                      <td class="error why" data-testid="feed-error">
                        {f.lastError ?? ''}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )
        }
      </Loaded>
    </section>
  );
}
