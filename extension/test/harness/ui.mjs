// @ts-check
/**
 * The extension's UI as a user meets it: the options page (backend URL and token, "Check and
 * save") and the overlay on a vendor page (its numbers, read by their data-testid from the open
 * shadow root of `<patchboard-overlay data-patchboard>`).
 */

/**
 * Opens the options page, enters the backend URL and token, clicks "Check and save" and waits for
 * the answer. The page stays open (the token test reads its DOM later).
 * @param {import('playwright-core').BrowserContext} context
 * @param {{ extensionId: string, backendUrl: string, token: string }} options
 */
export async function configureBackend(context, { extensionId, backendUrl, token }) {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/options.html`);
  await page.getByTestId('options-backend-url').fill(backendUrl);
  await page.getByTestId('options-token').fill(token);
  await page.getByTestId('options-check-save').click();
  const result = page.locator(
    '[data-testid="options-backend-result"]:not([data-state="busy"]):not([data-state="idle"])',
  );
  await result.waitFor({ timeout: 15_000 });
  return {
    page,
    state: await result.getAttribute('data-state'),
    text: (await result.textContent()) ?? '',
    prefix: await page.getByTestId('options-token-prefix').getAttribute('data-prefix'),
  };
}

/** The overlay's host element: our hyphenated tag carrying `data-patchboard`. */
export const OVERLAY_HOST = 'patchboard-overlay[data-patchboard]';

/**
 * Waits until the page's overlay has an answer (not "Looking up…") and reads what it shows.
 * @param {import('playwright-core').Page} page
 */
export async function readOverlay(page) {
  const host = page.locator(OVERLAY_HOST);
  await host.waitFor({ state: 'attached', timeout: 15_000 });
  await page
    .locator(`${OVERLAY_HOST} [data-testid="pb-overlay"]:not([data-state="loading"])`)
    .waitFor({ state: 'attached', timeout: 15_000 });
  return host.evaluate((element) => {
    const root = element.shadowRoot;
    if (!root) return { open: false };
    /** @param {string} id */
    const one = (id) => root.querySelector(`[data-testid="${id}"]`);
    /** @param {string} id */
    const number = (id) => {
      const text = one(id)?.textContent;
      return text == null ? null : Number(text);
    };
    const overlay = one('pb-overlay');
    const pill = one('pb-priority');
    const kev = one('pb-kev');
    const epss = one('pb-epss-score');
    return {
      open: true,
      kind: element.getAttribute('data-patchboard'),
      state: overlay?.getAttribute('data-state') ?? null,
      id: one('pb-id')?.textContent ?? null,
      hostsTotal: number('pb-hosts-total'),
      hostsProd: number('pb-hosts-prod'),
      byRing: Object.fromEntries(
        [...root.querySelectorAll('[data-testid="pb-ring-count"]')].map((b) => [
          b.getAttribute('data-ring'),
          Number(b.textContent),
        ]),
      ),
      findings: {
        open: number('pb-findings-open'),
        scheduled: number('pb-findings-scheduled'),
        excepted: number('pb-findings-excepted'),
      },
      priority: pill ? Number(pill.getAttribute('data-priority')) : null,
      priorityDue: one('pb-priority-due')?.getAttribute('datetime') ?? null,
      kev: kev ? kev.getAttribute('data-kev') === 'true' : null,
      kevAdded: one('pb-kev-added')?.getAttribute('datetime') ?? null,
      kevDue: one('pb-kev-due')?.getAttribute('datetime') ?? null,
      kevRansomware: one('pb-kev-ransomware')?.getAttribute('data-ransomware') ?? null,
      epssScore: epss ? Number(epss.getAttribute('data-score')) : null,
      epssText: one('pb-epss')?.textContent?.trim() ?? null,
      advisories: [...root.querySelectorAll('[data-testid="pb-advisory"]')].map((li) => ({
        id: li.getAttribute('data-advisory-id'),
        text: li.textContent,
      })),
      text: root.textContent ?? '',
      images: root.querySelectorAll('img').length,
      previous: element.previousElementSibling?.outerHTML.slice(0, 200) ?? null,
    };
  });
}

/**
 * What the overlay should show for a lookup item of the API, in the shape readOverlay answers.
 * @param {any} item one item of GET /v1/lookup
 */
export function expectedOverlay(item) {
  return {
    open: true,
    kind: 'overlay',
    state: !item.known ? 'unknown' : item.hosts.affected > 0 ? 'affected' : 'unaffected',
    id: item.canonical ?? item.id,
    hostsTotal: item.hosts.affected,
    hostsProd: item.hosts.byRing.prod ?? 0,
    byRing: item.hosts.byRing,
    findings: { open: item.findings.open, scheduled: item.findings.scheduled, excepted: item.findings.excepted },
    priority: item.priority?.highest ?? null,
    priorityDue: item.priority?.dueAt ?? null,
    kev: item.kev !== null,
    kevAdded: item.kev?.dateAdded ?? null,
    kevDue: item.kev?.dueDate ?? null,
    kevRansomware: item.kev ? String(item.kev.ransomware) : null,
    epssScore: item.epss?.score ?? null,
  };
}
