// @ts-check
/**
 * Test helpers for the sh agent: a temporary host (conf, state, fake package database, the
 * package-manager shims on PATH), a way to run the agent with dash, and a tiny HTTP server in Node
 * that plays the server side of docs/agent-protocol.md from a script.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const AGENT = path.resolve(import.meta.dirname, '../patchboard-agent.sh');
export const SHIMS = path.resolve(import.meta.dirname, 'shims');

/**
 * @typedef {object} RecordedRequest
 * @property {string} method
 * @property {string} url
 * @property {Record<string, string | string[] | undefined>} headers
 * @property {Buffer} body
 */

/**
 * @typedef {object} Answer
 * @property {number} status
 * @property {string} [body]
 * @property {string} [type]
 */

/**
 * A local HTTP server (HTTPS with `tls`) that records each request and answers with `handler`.
 * @param {(req: RecordedRequest) => Answer | Promise<Answer>} handler
 * @param {{ key: string, cert: string }} [tls]
 */
export async function fakeServer(handler, tls) {
  /** @type {RecordedRequest[]} */
  const requests = [];
  /** @type {import('node:http').RequestListener} */
  const listener = (req, res) => {
    /** @type {Buffer[]} */
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', async () => {
      const recorded = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      requests.push(recorded);
      try {
        const answer = await handler(recorded);
        res.writeHead(answer.status, answer.body === undefined ? {} : { 'content-type': answer.type ?? 'text/plain' });
        res.end(answer.body);
      } catch (err) {
        res.writeHead(500);
        res.end(String(err));
      }
    });
  };
  const server = tls ? createTlsServer(tls, listener) : createServer(listener);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${address.port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve(undefined))),
  };
}

/**
 * A multipart or urlencoded body as FormData, parsed the way a Worker would (undici's parser).
 * @param {RecordedRequest} req
 */
export async function formOf(req) {
  const type = String(req.headers['content-type'] ?? '');
  return new Request('http://agent.test/', {
    method: 'POST',
    headers: { 'content-type': type },
    body: new Uint8Array(req.body),
  }).formData();
}

/**
 * A form field as text, whether it was sent as a plain field or as a file (curl -F name=@file).
 * @param {FormData} form
 * @param {string} name
 */
export async function field(form, name) {
  const value = form.get(name);
  if (value === null) return undefined;
  return typeof value === 'string' ? value : value.text();
}

/** An instruction in the text/plain form: one directive per line, fields separated by TABs. */
/** @param {(string | number)[][]} lines */
export function instruction(lines) {
  return `${lines.map((fields) => fields.join('\t')).join('\n')}\n`;
}

/**
 * A temporary host: conf (when `url` is given), state dir, fake os-release, a fake package
 * database for the shims and a log of their calls.
 * @param {{ url?: string, hostname?: string, token?: string, packages?: string[], confExtra?: string[], osRelease?: string }} [options]
 */
export function makeHost(options = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'patchboard-agent-test-'));
  const host = {
    dir,
    conf: path.join(dir, 'etc/patchboard/agent.conf'),
    stateDir: path.join(dir, 'var/lib/patchboard'),
    shimState: path.join(dir, 'shim-state'),
    shimLog: path.join(dir, 'shim-log'),
    root: path.join(dir, 'root'),
    osRelease: path.join(dir, 'os-release'),
  };
  mkdirSync(path.join(dir, 'etc/patchboard'), { recursive: true });
  mkdirSync(host.root, { recursive: true });
  writeFileSync(
    host.osRelease,
    options.osRelease ?? 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n',
  );
  writeFileSync(
    host.shimState,
    `${(options.packages ?? ['openssl 3.0.11-1~deb12u2', 'libssl3 3.0.11-1~deb12u2 openssl']).join('\n')}\n`,
  );
  writeFileSync(host.shimLog, '');
  if (options.url) {
    const lines = [
      `url=${options.url}`,
      `hostname=${options.hostname ?? 'web-01'}`,
      `token=${options.token ?? 'pb_test'}`,
    ];
    writeFileSync(host.conf, `${[...lines, ...(options.confExtra ?? [])].join('\n')}\n`, { mode: 0o600 });
  }
  return {
    ...host,
    /** The environment the agent runs in: its files here, the shims first in PATH. */
    env: /** @type {Record<string, string>} */ ({
      PATH: `${SHIMS}:${process.env.PATH}`,
      PATCHBOARD_CONF: host.conf,
      PATCHBOARD_STATE_DIR: host.stateDir,
      PATCHBOARD_OS_RELEASE: host.osRelease,
      SHIM_STATE: host.shimState,
      SHIM_LOG: host.shimLog,
      SHIM_ROOT: host.root,
      TMPDIR: dir,
    }),
    /** The shims' calls, each an argv. */
    calls: () =>
      readFileSync(host.shimLog, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split('\t')),
    /** The fake package database as { name: version }. */
    packages: () =>
      Object.fromEntries(
        readFileSync(host.shimState, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => line.split(' ').slice(0, 2)),
      ),
    /**
     * An executable in this host's own bin directory (first in PATH), e.g. for a site command.
     * @param {string} name
     * @param {string} script
     */
    addProgram: (name, script) => {
      const bin = path.join(dir, 'bin');
      mkdirSync(bin, { recursive: true });
      writeFileSync(path.join(bin, name), script);
      chmodSync(path.join(bin, name), 0o755);
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Runs the agent with dash (the strictest POSIX shell at hand) and collects its output.
 * @param {string[]} args
 * @param {Record<string, string>} env
 * @returns {Promise<{ code: number | null, stdout: string, stderr: string }>}
 */
export function runAgent(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn('dash', [AGENT, ...args], {
      env: { ...env, PATH: `${env.TMPDIR}/bin:${env.PATH}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
