// @ts-check
/**
 * `npm start`: Patchboard on this machine, offline. Builds the extension, applies the D1
 * migrations to the local database under .wrangler/, starts the worker with `wrangler dev` at
 * http://127.0.0.1:8787, seeds the demo tenant and prints its admin token. Ctrl-C stops all of it.
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { demoFleet } from './demo/fleet.mjs';
import { importSnapshot, seedDemo, seedDeploymentSetup } from './seed.mjs';

const root = path.resolve(import.meta.dirname, '../..');
const port = Number(process.env.PATCHBOARD_PORT ?? 8787);
const baseUrl = `http://127.0.0.1:${port}`;
/** For local use only: `wrangler dev` gets it as a variable; a deployment reads the secret. */
const DEV_ROOT_TOKEN = 'patchboard-dev-root-token-local-only';

const env = {
  ...process.env,
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  WRANGLER_HIDE_BANNER: 'true',
};
const wrangler = path.join(root, 'node_modules/.bin/wrangler');

/**
 * Runs a step to completion, showing its output only when it fails.
 * @param {string} title
 * @param {string} command
 * @param {string[]} args
 */
function step(title, command, args) {
  process.stdout.write(`• ${title}… `);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, env, encoding: 'utf8' });
  if (result.status !== 0) {
    console.log('failed');
    console.error(result.stdout, result.stderr);
    process.exit(1);
  }
  console.log(`done (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

/** @param {number} timeoutMs */
async function waitForHealth(timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${baseUrl}/health`);
      if (res.ok) return /** @type {{ version: string }} */ (await res.json());
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the worker did not answer ${baseUrl}/health within ${timeoutMs / 1000} s`);
}

/** `npm start -- --live`: after the offline snapshot, sync every feed from the internet once. */
const live = process.argv.includes('--live');

/** Runs every enabled feed once through the API (needs network access); failures are reported, not fatal. */
async function syncLiveFeeds() {
  const headers = { authorization: `Bearer ${DEV_ROOT_TOKEN}` };
  const feeds = await (await fetch(`${baseUrl}/v1/feeds`, { headers })).json();
  for (const feed of feeds.items.filter((/** @type {{ enabled: boolean }} */ f) => f.enabled)) {
    const res = await fetch(`${baseUrl}/v1/feeds/${feed.id}/sync`, { method: 'POST', headers });
    const body = await res.json();
    console.log(`  live ${feed.id}: ${body.status}${body.error ? ` (${body.error})` : ''}`);
  }
}

step('Building the extension (Chrome MV3 and Firefox)', 'npm', ['run', '-s', 'build:ext']);
step('Applying D1 migrations to the local database', wrangler, ['d1', 'migrations', 'apply', 'DB', '--local']);

console.log(`• Starting the worker at ${baseUrl}…`);
// Its own process group, so that stopping it stops wrangler's workerd children too.
const worker = spawn(
  wrangler,
  ['dev', '--ip', '127.0.0.1', '--port', String(port), '--var', `PATCHBOARD_ROOT_TOKEN:${DEV_ROOT_TOKEN}`],
  { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
);
let stopping = false;
let ready = false;
/** Until the demo is seeded, the worker's request log is kept back (and shown only if start fails). */
/** @type {string[]} */
const backlog = [];
/** @param {Buffer} chunk */
const relay = (chunk) => {
  for (const line of chunk.toString().split('\n')) {
    if (!line.trim()) continue;
    if (ready) console.log(`  [worker] ${line}`);
    else backlog.push(line);
  }
  backlog.splice(0, Math.max(0, backlog.length - 40));
};
worker.stdout.on('data', relay);
worker.stderr.on('data', relay);
worker.on('exit', (code) => {
  if (!stopping) {
    for (const line of backlog) console.error(`  [worker] ${line}`);
    console.error(`The worker exited (code ${code}). Is port ${port} in use? Set PATCHBOARD_PORT to use another.`);
    process.exit(1);
  }
});

function stop() {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping Patchboard…');
  try {
    if (worker.pid) process.kill(-worker.pid, 'SIGTERM');
  } catch {
    // already gone
  }
  setTimeout(() => process.exit(0), 500);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

try {
  const health = await waitForHealth(90_000);
  const fleet = demoFleet();
  console.log(`• Seeding the demo tenant (${fleet.length} hosts)…`);
  const seeded = await seedDemo({
    baseUrl,
    rootToken: DEV_ROOT_TOKEN,
    stateFile: path.join(root, '.wrangler/patchboard-demo.json'),
    fleet,
  });
  const setup = await seedDeploymentSetup({
    baseUrl,
    stateFile: path.join(root, '.wrangler/patchboard-demo.json'),
    adminToken: seeded.token,
  });
  console.log('• Importing the offline feed snapshot (real advisories, KEV, EPSS, NVD)…');
  const snapshot = await importSnapshot({
    baseUrl,
    rootToken: DEV_ROOT_TOKEN,
    dir: path.join(root, 'worker/dev/demo/feeds'),
  });
  /** @type {{ items: { openFindings: number }[] }} */
  const hosts = await (
    await fetch(`${baseUrl}/v1/hosts?limit=500`, { headers: { authorization: `Bearer ${seeded.token}` } })
  ).json();
  const open = hosts.items.reduce((sum, h) => sum + h.openFindings, 0);
  const affected = hosts.items.filter((h) => h.openFindings > 0).length;
  if (live) await syncLiveFeeds();
  const extension = path.join(root, 'extension/.output/chrome-mv3');
  console.log(`
Patchboard ${health.version} is running at ${baseUrl}
  demo tenant:      ${seeded.tenantId} (${seeded.created} hosts seeded now, ${seeded.skipped} already there)
  findings:         ${open} open on ${affected} of ${hosts.items.length} hosts (${snapshot.imported} advisories imported now, ${snapshot.unchanged} unchanged)
  admin token:      ${seeded.token}
  try:              curl -H "Authorization: Bearer ${seeded.token}" ${baseUrl}/v1/hosts
  approver token:   ${setup.approverToken}  (approves deployments the admin creates)
  enrol an agent:   PATCHBOARD_CONF=.wrangler/agent.conf PATCHBOARD_STATE_DIR=.wrangler/agent \\
                    sh agent/patchboard-agent.sh enrol ${baseUrl} ${setup.enrolmentToken}  (see agent/README.md)
  API document:     ${baseUrl}/v1/openapi.json
  root token:       ${DEV_ROOT_TOKEN}  (local development only)
  extension:        ${extension}
                    Chrome: chrome://extensions → Developer mode → Load unpacked → that folder
                    (Firefox build: ${path.join(root, 'extension/.output/firefox-mv2')})
Press Ctrl-C to stop. The worker's request log follows.`);
  ready = true;
} catch (err) {
  for (const line of backlog) console.error(`  [worker] ${line}`);
  console.error(err instanceof Error ? err.message : err);
  stop();
}
