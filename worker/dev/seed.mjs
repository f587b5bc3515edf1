// @ts-check
/**
 * Seeds the demo tenant through the public API, the way a service provider and its agents would:
 * create the tenant with the root token (or, when it exists, have root issue a fresh admin token),
 * register each host, then report its software in the platform's native inventory format.
 * Idempotent: hosts that already have software are left alone, so restarts add no noise to the
 * history or the audit log.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * @typedef {{ hostname: string, host: Record<string, unknown>, software: { contentType: string, body: string } }} DemoHost
 * @typedef {{ baseUrl: string, rootToken: string, stateFile: string, fleet: DemoHost[], tenantName?: string, log?: (line: string) => void }} SeedOptions
 */

/**
 * @param {string} baseUrl
 * @param {string} method
 * @param {string} path
 * @param {{ token: string, json?: unknown, body?: string, contentType?: string }} options
 */
async function api(baseUrl, method, path, options) {
  /** @type {Record<string, string>} */
  const headers = { authorization: `Bearer ${options.token}` };
  let body = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] = 'application/json';
  }
  if (options.contentType) headers['content-type'] = options.contentType;
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** @param {string} file */
function readState(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return {};
  }
}

/**
 * @param {SeedOptions} options
 * @returns {Promise<{ tenantId: string, token: string, created: number, skipped: number }>}
 */
export async function seedDemo({ baseUrl, rootToken, stateFile, fleet, tenantName = 'demo', log = () => {} }) {
  const state = readState(stateFile);
  let token = /** @type {string | undefined} */ (state.token);
  let tenantId = /** @type {string | undefined} */ (state.tenantId);

  if (!token || (await api(baseUrl, 'GET', '/v1/tokens', { token })).status !== 200) {
    const created = await api(baseUrl, 'POST', '/v1/tenants', { token: rootToken, json: { name: tenantName } });
    if (created.status === 201) {
      tenantId = created.body.id;
      token = created.body.adminToken;
    } else if (created.status === 409) {
      const tenants = await api(baseUrl, 'GET', '/v1/tenants', { token: rootToken });
      tenantId = tenants.body.items.find((/** @type {{ name: string }} */ t) => t.name === tenantName)?.id;
      const issued = await api(baseUrl, 'POST', `/v1/tenants/${tenantId}/tokens`, {
        token: rootToken,
        json: { label: 'npm start' },
      });
      if (issued.status !== 201) throw new Error(`could not issue a demo admin token: ${JSON.stringify(issued.body)}`);
      token = issued.body.token;
    } else {
      throw new Error(`could not create the demo tenant: ${created.status} ${JSON.stringify(created.body)}`);
    }
    mkdirSync(dirname(stateFile), { recursive: true });
    writeFileSync(stateFile, JSON.stringify({ tenantId, token }, null, 2));
    chmodSync(stateFile, 0o600);
  }
  if (!token || !tenantId) throw new Error('demo tenant has no token');
  const adminToken = token;

  /** @type {Set<string>} */
  const seeded = new Set();
  let cursor = null;
  do {
    const page = await api(baseUrl, 'GET', `/v1/hosts?limit=500${cursor ? `&cursor=${cursor}` : ''}`, {
      token: adminToken,
    });
    for (const host of page.body.items)
      if (host.packageCount + host.hotfixCount > 0 && host.addresses?.length > 0) seeded.add(host.hostname);
    cursor = page.body.nextCursor;
  } while (cursor);

  const pending = fleet.filter((entry) => !seeded.has(entry.hostname));
  let done = 0;
  // A few at a time: enough to be quick, few enough not to queue behind D1's single writer.
  const workers = Array.from({ length: 4 }, async () => {
    for (let entry = pending.shift(); entry; entry = pending.shift()) {
      const host = await api(baseUrl, 'PUT', `/v1/hosts/${entry.hostname}`, { token: adminToken, json: entry.host });
      if (host.status !== 200)
        throw new Error(`PUT host ${entry.hostname}: ${host.status} ${JSON.stringify(host.body)}`);
      const software = await api(baseUrl, 'PUT', `/v1/hosts/${entry.hostname}/software`, {
        token: adminToken,
        body: entry.software.body,
        contentType: entry.software.contentType,
      });
      if (software.status !== 200) {
        throw new Error(`PUT software ${entry.hostname}: ${software.status} ${JSON.stringify(software.body)}`);
      }
      done += 1;
      log(`  ${entry.hostname}: ${software.body.packages} packages, ${software.body.hotfixes} hotfixes`);
    }
  });
  await Promise.all(workers);
  return { tenantId, token: adminToken, created: done, skipped: seeded.size };
}

/**
 * Imports the offline feed snapshot (worker/dev/demo/feeds/manifest.json) as the service provider:
 * global advisories and per-CVE facts, as the feeds would store them. Re-importing the same
 * documents changes nothing, so restarts are cheap.
 * @param {{ baseUrl: string, rootToken: string, dir: string, log?: (line: string) => void }} options
 */
export async function importSnapshot({ baseUrl, rootToken, dir, log = () => {} }) {
  /** @type {{ file: string, format: string, contentType: string }[]} */
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const totals = { imported: 0, unchanged: 0, enrichment: 0 };
  for (const entry of manifest) {
    const res = await api(baseUrl, 'POST', `/v1/advisories/import?format=${entry.format}`, {
      token: rootToken,
      body: readFileSync(join(dir, entry.file), 'utf8'),
      contentType: entry.contentType,
    });
    if (res.status !== 200) throw new Error(`import ${entry.file}: ${res.status} ${JSON.stringify(res.body)}`);
    totals.imported += res.body.imported;
    totals.unchanged += res.body.unchanged;
    totals.enrichment += res.body.enrichment;
    log(`  ${entry.file}: ${res.body.imported} new, ${res.body.unchanged} unchanged, ${res.body.enrichment} facts`);
  }
  return totals;
}

/**
 * The demo tenant's deployment setup, made once and kept in the state file: maintenance windows per
 * ring (nightly for test, Saturday night for pilot, the Friday after Patch Tuesday for prod, all in
 * Europe/Berlin), an approver token (prod needs an approver other than the creator) and an
 * enrolment token for trying the reference agents.
 * @param {{ baseUrl: string, stateFile: string, adminToken: string }} options
 * @returns {Promise<{ approverToken: string, enrolmentToken: string, windows: number }>}
 */
export async function seedDeploymentSetup({ baseUrl, stateFile, adminToken }) {
  const windows = [
    { name: 'test nightly', rule: 'daily 01:00-05:00', appliesTo: { kind: 'ring', value: 'test' } },
    { name: 'pilot Saturday night', rule: 'Sat 22:00-04:00', appliesTo: { kind: 'ring', value: 'pilot' } },
    {
      name: 'prod after Patch Tuesday',
      rule: 'second Tuesday + 3 days 22:00-04:00',
      appliesTo: { kind: 'ring', value: 'prod' },
    },
  ];
  let created = 0;
  for (const window of windows) {
    const res = await api(baseUrl, 'POST', '/v1/windows', {
      token: adminToken,
      json: { ...window, timeZone: 'Europe/Berlin', blackouts: ['2026-12-24', '2026-12-25', '2026-12-31'] },
    });
    // 409: made by an earlier start.
    if (res.status === 201) created += 1;
    else if (res.status !== 409)
      throw new Error(`POST window ${window.name}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  const state = readState(stateFile);
  if (!state.approverToken) {
    const res = await api(baseUrl, 'POST', '/v1/tokens', {
      token: adminToken,
      json: { role: 'approver', label: 'demo approver' },
    });
    if (res.status !== 201) throw new Error(`could not issue the demo approver token: ${JSON.stringify(res.body)}`);
    state.approverToken = res.body.token;
  }
  if (!state.enrolmentToken || Date.parse(state.enrolmentExpiresAt ?? '') < Date.now() + 86_400_000) {
    const res = await api(baseUrl, 'POST', '/v1/enrolment-tokens', {
      token: adminToken,
      json: { label: 'demo agents', ring: 'test', expiresInDays: 30 },
    });
    if (res.status !== 201) throw new Error(`could not make the demo enrolment token: ${JSON.stringify(res.body)}`);
    state.enrolmentToken = res.body.token;
    state.enrolmentExpiresAt = res.body.expiresAt;
  }
  writeFileSync(stateFile, JSON.stringify(state, null, 2));
  return { approverToken: state.approverToken, enrolmentToken: state.enrolmentToken, windows: created };
}
