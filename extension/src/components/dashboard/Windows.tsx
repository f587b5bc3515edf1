/** Maintenance windows: rule, time zone, hosts, blackouts and the next openings. */
import { useClient } from '@/pages/client';
import { describeScope, Loaded, Time, useLoad } from './common';

export function WindowsView() {
  const client = useClient();
  const [windows] = useLoad(() => client.api('listWindows'), 'windows');
  return (
    <section data-testid="windows-view">
      <h2>Maintenance windows</h2>
      <Loaded load={windows} what="windows">
        {(list) =>
          list.items.length === 0 ? (
            <p class="muted">No maintenance windows: no job can be handed out.</p>
          ) : (
            <table data-testid="windows-table">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Rule</th>
                  <th>Time zone</th>
                  <th>Hosts</th>
                  <th>Blackouts</th>
                  <th>Next openings</th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((w) => (
                  <tr key={w.id} data-testid="window-row" data-window={w.id}>
                    <td>{w.name}</td>
                    <td class="mono">{w.rule}</td>
                    <td>{w.timeZone}</td>
                    <td>{describeScope(w.appliesTo)}</td>
                    <td title={w.blackouts.join(', ')}>
                      {w.blackouts.length === 0
                        ? '—'
                        : `${w.blackouts.slice(0, 3).join(', ')}${w.blackouts.length > 3 ? ` and ${w.blackouts.length - 3} more` : ''}`}
                    </td>
                    <td>
                      {w.nextOpenings.length === 0 ? (
                        <span class="muted">none within 400 days</span>
                      ) : (
                        <ul class="plain">
                          {w.nextOpenings.map((o) => (
                            <li key={o.start}>
                              <Time iso={o.start} /> – <Time iso={o.end} />
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Loaded>
      <p class="muted small">Times are in this browser’s time zone; hover for UTC.</p>
    </section>
  );
}
