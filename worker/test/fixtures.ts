import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import { createApp } from '../src/app';
import dsaNginx from '../src/feeds/osv/testdata/DSA-3029-1.json?raw';
import { ROOT_TOKEN } from './helpers';

/**
 * Fixtures of the route table and the isolation fuzz: an app with a fixed clock inside a
 * maintenance window, and a realistic tenant (hosts, software, findings of a real advisory, a
 * risk exception, a window, a deployment whose job is due, tokens) that two tenants can share
 * look-alike, each seeded with its own marker so its text is recognisable in any answer.
 */

/** Saturday 02:30 in Berlin: inside the "Sat 02:00-05:00" window, so the deployment's job is due. */
export const NOW = '2026-11-28T01:30:00.000Z';

export const OLD_NGINX = '1.2.1-2.2+wheezy2';

export interface RequestOptions {
  readonly token?: string | undefined;
  readonly json?: unknown;
  readonly body?: string;
  readonly contentType?: string;
  readonly accept?: string;
}

export interface Answer {
  readonly status: number;
  readonly text: string;
  readonly headers: Headers;
  /** The parsed body when it is JSON, else undefined. */
  readonly json: unknown;
}

export interface Client {
  request(method: string, path: string, options?: RequestOptions): Promise<Answer>;
  /** Requests and asserts the status, answering the parsed JSON (or the text of other media types). */
  api<T = Record<string, unknown>>(method: string, path: string, status: number, options?: RequestOptions): Promise<T>;
}

/**
 * A client of an app built with a fixed clock and an upstream that answers 404 to every feed
 * request (nothing leaves the test). The per-token rate limit is left out: these suites send
 * hundreds of requests with few tokens, and abuse.test.ts covers the limit.
 */
export function testClient(now = NOW): Client {
  const clock = () => new Date(now);
  const upstream = async () => new Response('not here', { status: 404 });
  const app = createApp({ clock, upstream });
  const bindings = { ...env, TOKEN_RATE_LIMIT: undefined };
  async function request(method: string, path: string, options: RequestOptions = {}): Promise<Answer> {
    const pending: Promise<unknown>[] = [];
    const ctx = {
      waitUntil: (p: Promise<unknown>) => pending.push(p),
      passThroughOnException: () => {},
      props: {},
    } as unknown as ExecutionContext;
    const headers = new Headers();
    if (options.token !== undefined) headers.set('authorization', `Bearer ${options.token}`);
    if (options.accept) headers.set('accept', options.accept);
    let body: string | null = options.body ?? null;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers.set('content-type', 'application/json');
    }
    if (options.contentType) headers.set('content-type', options.contentType);
    const res = await app.fetch(new Request(`http://patchboard.test${path}`, { method, headers, body }), bindings, ctx);
    const text = await res.text();
    await Promise.allSettled(pending);
    let json: unknown;
    if (res.headers.get('content-type')?.includes('json') && text) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    return { status: res.status, text, headers: res.headers, json };
  }
  async function api<T>(method: string, path: string, status: number, options: RequestOptions = {}): Promise<T> {
    const answer = await request(method, path, options);
    expect(answer.status, `${method} ${path}: ${answer.status} ${answer.text.slice(0, 600)}`).toBe(status);
    return (answer.json ?? answer.text) as T;
  }
  return { request, api };
}

/** A dpkg-query report of a Debian 7 host running nginx from its source package. */
export function nginxReport(version = OLD_NGINX, extra: readonly [string, string][] = []): string {
  const nginx = ['nginx-full', 'nginx-common'].map((name) => `${name}\t${version}\tamd64\tnginx\t${version}\n`);
  const others = extra.map(([name, v]) => `${name}\t${v}\tamd64\t${name}\t${v}\n`);
  return [...nginx, ...others].join('');
}

export const DSA_NGINX = JSON.parse(dsaNginx) as Record<string, unknown>;
export const ADVISORY = 'DSA-3029-1';
export const CVE = 'CVE-2014-3616';

/** The ring plan of the seeded deployments: one ring, so approval starts it at once. */
export const TEST_RING_PLAN = [{ ring: 'test', soakMinutes: 60, successThreshold: 1, healthChecks: [] }];

export interface SeededTenant {
  readonly id: string;
  readonly name: string;
  readonly marker: string;
  readonly tokens: {
    readonly admin: string;
    readonly approver: string;
    readonly operator: string;
    readonly viewer: string;
    /** Agent of web-01. */
    readonly agentWeb: string;
    /** Agent of db-01. */
    readonly agentDb: string;
  };
  readonly windowId: number;
  /** Approved: excepts db-01's finding. */
  readonly exceptionId: number;
  /** Still waiting for an approver. */
  readonly requestedExceptionId: number;
  /** Running; web-01 has a due job. */
  readonly deploymentId: number;
  readonly jobId: number;
  readonly draftDeploymentId: number;
  readonly feedId: string;
  readonly hookId: number;
  readonly enrolmentPrefix: string;
  readonly findingIds: readonly number[];
}

export const SEEDED_HOSTS = ['web-01', 'db-01', 'app-01'] as const;

/**
 * A tenant as a customer would have it: hosts web-01, db-01 and app-01 on Debian 7 behind on nginx
 * (findings of the real DSA-3029-1, imported by the tenant as its own), the window "saturday night",
 * an approved exception for db-01 and a requested one, a running deployment with web-01's job, a
 * draft, a followed CSAF provider, a snapshot hook, an enrolment token. Every free text carries
 * `marker`, so an answer that shows another tenant's text is caught by searching for it.
 */
export async function seedTenant(client: Client, marker: string): Promise<SeededTenant> {
  const { api } = client;
  const tenant = await api<{ id: string; name: string; adminToken: string }>('POST', '/v1/tenants', 201, {
    token: ROOT_TOKEN,
    json: { name: `${marker}-tenant` },
  });
  const admin = tenant.adminToken;
  const token = async (role: string, hostname?: string) =>
    (
      await api<{ token: string }>('POST', '/v1/tokens', 201, {
        token: admin,
        json: { role, label: `${marker} ${role}${hostname ? ` ${hostname}` : ''}`, ...(hostname ? { hostname } : {}) },
      })
    ).token;
  await api('POST', '/v1/advisories/import', 200, { token: admin, json: DSA_NGINX });
  const addresses: Record<string, string> = { 'web-01': '10.0.0.1', 'db-01': '10.0.0.2', 'app-01': '10.0.0.3' };
  for (const hostname of SEEDED_HOSTS) {
    await api('PUT', `/v1/hosts/${hostname}`, 200, {
      token: admin,
      json: {
        os: { family: 'debian', release: '7' },
        ring: 'test',
        criticality: 2,
        internetFacing: hostname === 'web-01',
        tags: ['nginx', `${marker}-tag`],
        owner: `${marker} owner of ${hostname}`,
        addresses: [addresses[hostname]],
      },
    });
    await api('PUT', `/v1/hosts/${hostname}/software`, 200, {
      token: admin,
      body: nginxReport(OLD_NGINX, [[`${marker}-pkg`, '1.0-1']]),
      contentType: 'text/x-dpkg-query',
    });
  }
  const tokens = {
    admin,
    approver: await token('approver'),
    operator: await token('operator'),
    viewer: await token('viewer'),
    agentWeb: await token('agent', 'web-01'),
    agentDb: await token('agent', 'db-01'),
  };
  const window = await api<{ id: number }>('POST', '/v1/windows', 201, {
    token: admin,
    json: {
      name: 'saturday night',
      rule: 'Sat 02:00-05:00',
      timeZone: 'Europe/Berlin',
      blackouts: ['2026-12-26'],
      appliesTo: { kind: 'all' },
    },
  });
  await api('POST', '/v1/windows', 201, {
    token: admin,
    json: { name: `${marker} window`, rule: 'patch tuesday 20:00 for 6h', timeZone: 'Europe/Berlin' },
  });
  const exception = await api<{ id: number }>('POST', '/v1/exceptions', 201, {
    token: tokens.operator,
    json: {
      hosts: { kind: 'hostname', value: 'db-01' },
      target: { kind: 'advisory', value: ADVISORY },
      reason: `${marker} reason: db-01 is behind a reverse proxy`,
      compensatingControl: `${marker} control: TLS terminated upstream`,
      expiresAt: '2027-01-31T00:00:00Z',
    },
  });
  await api('POST', `/v1/exceptions/${exception.id}/approve`, 200, {
    token: tokens.approver,
    json: { note: `${marker} approval note` },
  });
  const requested = await api<{ id: number }>('POST', '/v1/exceptions', 201, {
    token: tokens.operator,
    json: {
      hosts: { kind: 'tag', value: `${marker}-tag` },
      target: { kind: 'cve', value: CVE },
      reason: `${marker} reason: waiting for the vendor`,
      compensatingControl: `${marker} control: WAF rule`,
      expiresAt: '2027-02-28T00:00:00Z',
    },
  });
  const deployment = await api<{ id: number }>('POST', '/v1/deployments', 201, {
    token: tokens.operator,
    json: {
      title: `${marker} nginx rollout`,
      target: { kind: 'advisories', ids: [ADVISORY] },
      hosts: { kind: 'hostnames', values: ['web-01'] },
      plan: TEST_RING_PLAN,
      submit: true,
    },
  });
  await api('POST', `/v1/deployments/${deployment.id}/approve`, 200, {
    token: tokens.approver,
    json: { note: `${marker} CAB` },
  });
  const detail = await api<{ jobs: { id: number; hostname: string }[] }>(
    'GET',
    `/v1/deployments/${deployment.id}`,
    200,
    { token: admin },
  );
  const job = detail.jobs.find((j) => j.hostname === 'web-01');
  if (!job) throw new Error(`deployment ${deployment.id} has no job for web-01: ${JSON.stringify(detail)}`);
  const draft = await api<{ id: number }>('POST', '/v1/deployments', 201, {
    token: tokens.operator,
    json: {
      title: `${marker} draft`,
      target: { kind: 'packages', packages: [{ name: 'nginx-full', version: '1.2.1-2.2+wheezy3' }] },
      hosts: { kind: 'hostnames', values: ['app-01'] },
      plan: TEST_RING_PLAN,
    },
  });
  const feed = await api<{ id: string }>('POST', '/v1/feeds', 201, {
    token: admin,
    json: { kind: 'csaf', name: `${marker} provider`, url: `https://csaf.${marker}.example/provider-metadata.json` },
  });
  const hook = await api<{ id: number }>('POST', '/v1/snapshot-hooks', 201, {
    token: admin,
    json: { name: `${marker} lvm`, kind: 'lvm', target: 'vg0/root', appliesTo: { kind: 'ring', value: 'test' } },
  });
  const enrolment = await api<{ prefix: string }>('POST', '/v1/enrolment-tokens', 201, {
    token: admin,
    json: { label: `${marker} enrolment`, ring: 'test', tags: [`${marker}-tag`], uses: 5 },
  });
  const findings = await api<{ items: { id: number }[] }>('GET', '/v1/findings?limit=500', 200, { token: admin });
  return {
    id: tenant.id,
    name: tenant.name,
    marker,
    tokens,
    windowId: window.id,
    exceptionId: exception.id,
    requestedExceptionId: requested.id,
    deploymentId: deployment.id,
    jobId: job.id,
    draftDeploymentId: draft.id,
    feedId: feed.id,
    hookId: hook.id,
    enrolmentPrefix: enrolment.prefix,
    findingIds: findings.items.map((f) => f.id),
  };
}

/** One operation of the served OpenAPI document. */
export interface Operation {
  readonly operationId: string;
  readonly method: string;
  readonly path: string;
  /** Values of each parameter that is an enumeration (`format=openvex|csaf`), by parameter name. */
  readonly enums: Record<string, string[]>;
  /** Media types of the successful answer. */
  readonly produces: string[];
}

interface OpenApiOperation {
  operationId?: string;
  parameters?: { name: string; schema?: { enum?: unknown[] } }[];
  responses?: Record<string, { content?: Record<string, unknown> }>;
}

/** The operations of a served OpenAPI document, read from its paths and methods. */
export function operationsOf(doc: unknown): Operation[] {
  const paths = (doc as { paths?: Record<string, Record<string, OpenApiOperation>> }).paths ?? {};
  return Object.entries(paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => {
      const success = Object.entries(operation.responses ?? {}).find(([status]) => status.startsWith('2'))?.[1];
      return {
        operationId: operation.operationId ?? `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        enums: Object.fromEntries(
          (operation.parameters ?? []).flatMap((p) => (p.schema?.enum ? [[p.name, p.schema.enum.map(String)]] : [])),
        ),
        produces: Object.keys(success?.content ?? {}),
      };
    }),
  );
}
