import { useEffect, useState } from 'preact/hooks';
import { disabledSitesItem, scanWholePageItem, setSiteSetting } from '@/utils/settings';
import { siteEntries } from './bridge';

/** Which vendor sites get the overlay, and on which the generic scanner also reads every page. */
export function SitesForm() {
  const sites = siteEntries();
  const [disabled, setDisabled] = useState<string[]>([]);
  const [scanned, setScanned] = useState<string[]>([]);
  useEffect(() => {
    void disabledSitesItem.getValue().then(setDisabled);
    void scanWholePageItem.getValue().then(setScanned);
    const unwatch = [disabledSitesItem.watch(setDisabled), scanWholePageItem.watch(setScanned)];
    return () => {
      for (const stop of unwatch) stop();
    };
  }, []);
  const of = (name: string) => ({ enabled: !disabled.includes(name), scanAllPages: scanned.includes(name) });

  return (
    <section>
      <h2>Vendor sites</h2>
      {sites.length === 0 && <p data-testid="options-sites-empty">No vendor site adapters are available yet.</p>}
      <table>
        <tbody>
          {sites.map((site) => (
            <tr key={site.name}>
              <td>{site.label}</td>
              <td>
                <label>
                  <input
                    data-testid={`options-site-${site.name}`}
                    type="checkbox"
                    checked={of(site.name).enabled}
                    onChange={(e) => void setSiteSetting(site.name, { enabled: e.currentTarget.checked })}
                  />{' '}
                  overlay
                </label>
              </td>
              <td>
                <label>
                  <input
                    data-testid={`options-site-scan-${site.name}`}
                    type="checkbox"
                    checked={of(site.name).scanAllPages}
                    disabled={!of(site.name).enabled}
                    onChange={(e) => void setSiteSetting(site.name, { scanAllPages: e.currentTarget.checked })}
                  />{' '}
                  scan every page with the generic scanner
                </label>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
