/**
 * Hostile request bodies (issue #8): every route of the contract with a body gets mutations of a
 * valid body (wrong types per field, missing and extra keys, SQL and HTML payloads, control and
 * unicode edge characters, numbers JSON.stringify cannot write, huge strings, 10,000 levels of
 * nesting, bytes that are not UTF-8, truncated documents, wrong Content-Types), twice: through the
 * route's valibot schema as a pure function (many cheap cases), and through the real app as the
 * principal the route needs, on a seeded tenant (fewer cases). No answer may be a 5xx; every 4xx
 * has the one error shape with a message; after a 4xx every table is exactly as before.
 */
import { routes } from '@patchboard/shared/api';
import type { RouteContract } from '@patchboard/shared/contract';
import fc from 'fast-check';
import type * as v from 'valibot';
import { beforeAll, describe, expect, it } from 'vitest';
import dsaNginx from '../src/feeds/osv/testdata/DSA-3029-1.json?raw';
import { ApiError } from '../src/http/errors';
import { JSON_BODY_LIMIT, RAW_BODY_LIMIT } from '../src/http/routing';
import { parseInput } from '../src/http/validate';
import dpkgQueryDebian from '../src/inventory/testdata/dpkg-query.debian-12.txt?raw';
import { ROOT_TOKEN } from './helpers';
import {
  applyJsonMutation,
  type Call,
  concatBytes,
  describeMutation,
  fingerprint,
  harness,
  isUtf8,
  jsonMutation,
  ok,
  PLANNED_CASES,
  printTotal,
  seedOf,
  strict,
} from './hostile-input';

/** Cases per route through the schema alone, and through the app. */
const SCHEMA_RUNS = 200;
const HTTP_RUNS = 40;

/** Routes whose raw bodies are the inventory and feed formats: hostile-formats.test.ts covers them. */
const COVERED_BY_FORMATS = ['putSoftware', 'importAdvisories'] as const;

// Saturday 28 November 2026, 02:30 in Berlin: inside the seeded window, so an agent can claim a job.
const NOW = Date.parse('2026-11-28T01:30:00.000Z');
const call: Call = harness({ clock: () => new Date(NOW) });

type Principal = 'root' | 'admin' | 'agent' | 'enrolment';

interface Target {
  readonly principal: Principal;
  readonly path: () => string;
  /** A valid body: hostile cases are mutations of it. */
  readonly body: () => unknown;
}

interface Seed {
  tenantId: string;
  admin: string;
  approver: string;
  operator: string;
  agent: string;
  enrolment: string;
  windowId: number;
  exceptionId: number;
  draftId: number;
  job: { job: number; lease: string; step: string };
  policy: unknown;
  plan: unknown;
}
const seed = {} as Seed;

const expiry = new Date(NOW + 30 * 86_400_000).toISOString();

/** Every route with a JSON body (and the agent's step report, JSON or multipart), with who calls it and a valid body. */
const targets: Record<string, Target> = {
  createTenant: { principal: 'root', path: () => '/v1/tenants', body: () => ({ name: 'acme-hostile' }) },
  createTenantAdminToken: {
    principal: 'root',
    path: () => `/v1/tenants/${seed.tenantId}/tokens`,
    body: () => ({ label: 'recovery after a lost token' }),
  },
  createToken: {
    principal: 'admin',
    path: () => '/v1/tokens',
    body: () => ({ role: 'agent', hostname: 'web-01', label: 'agent of web-01' }),
  },
  putHost: {
    principal: 'admin',
    path: () => '/v1/hosts/fuzz-01',
    body: () => ({
      os: { family: 'debian', release: '12.5' },
      ring: 'pilot',
      criticality: 2,
      internetFacing: true,
      tags: ['web', 'dmz'],
      owner: 'Web team <web@example.com>',
      addresses: ['10.0.0.5', '2001:db8::5'],
    }),
  },
  matchHosts: {
    principal: 'admin',
    path: () => '/v1/hosts/match',
    body: () => ({ names: ['test-01', 'web-01.example.com', '10.0.0.7', 'unknown-99'] }),
  },
  createFeed: {
    principal: 'admin',
    path: () => '/v1/feeds',
    body: () => ({
      kind: 'csaf',
      name: 'Example CSAF provider',
      url: 'https://csaf.example.com/.well-known/csaf/provider-metadata.json',
      intervalSeconds: 3_600,
    }),
  },
  putPolicy: { principal: 'admin', path: () => '/v1/policy', body: () => seed.policy },
  createException: {
    principal: 'admin',
    path: () => '/v1/exceptions',
    body: () => ({
      hosts: { kind: 'hostname', value: 'prod-01' },
      target: { kind: 'advisory', value: 'DSA-3029-1' },
      reason: 'nginx is only reachable from the management network',
      compensatingControl: 'firewall rule 42 drops port 443 from outside',
      expiresAt: expiry,
    }),
  },
  approveException: {
    principal: 'admin',
    path: () => `/v1/exceptions/${seed.exceptionId}/approve`,
    body: () => ({ note: 'accepted until the next window' }),
  },
  rejectException: {
    principal: 'admin',
    path: () => `/v1/exceptions/${seed.exceptionId}/reject`,
    body: () => ({ note: 'patch it instead' }),
  },
  revokeException: {
    principal: 'admin',
    path: () => `/v1/exceptions/${seed.exceptionId}/revoke`,
    body: () => ({ note: 'the firewall rule was removed' }),
  },
  lookupMany: {
    principal: 'admin',
    path: () => '/v1/lookup',
    body: () => ({ ids: ['CVE-2014-3616', 'DSA-3029-1', 'KB5034441', 'GHSA-35c4-f3rq-f9g3'] }),
  },
  createWindow: {
    principal: 'admin',
    path: () => '/v1/windows',
    body: () => ({
      name: 'pilot nights',
      rule: 'Mon-Fri 22:00-02:00',
      timeZone: 'Europe/Berlin',
      blackouts: ['2026-12-24', '2026-12-31'],
      appliesTo: { kind: 'ring', value: 'pilot' },
    }),
  },
  updateWindow: {
    principal: 'admin',
    path: () => `/v1/windows/${seed.windowId}`,
    body: () => ({ rule: 'second Tuesday + 3 days 22:00-04:00', blackouts: ['2026-12-25'] }),
  },
  createDeployment: {
    principal: 'admin',
    path: () => '/v1/deployments',
    body: () => ({
      title: 'nginx for the pilot ring',
      target: { kind: 'advisories', ids: ['DSA-3029-1'] },
      hosts: { kind: 'rings', values: ['pilot'] },
      plan: [
        { ring: 'pilot', windows: [seed.windowId], soakMinutes: 60, successThreshold: 1, healthChecks: ['nginx'] },
      ],
      submit: false,
    }),
  },
  scheduleDeployment: {
    principal: 'admin',
    path: () => '/v1/deployments/schedule',
    body: () => ({ ids: ['CVE-2014-3616'], title: 'nginx everywhere' }),
  },
  submitDeployment: {
    principal: 'admin',
    path: () => `/v1/deployments/${seed.draftId}/submit`,
    body: () => ({ note: 'ready' }),
  },
  approveDeployment: {
    principal: 'admin',
    path: () => `/v1/deployments/${seed.draftId}/approve`,
    body: () => ({ note: 'go' }),
  },
  rejectDeployment: {
    principal: 'admin',
    path: () => `/v1/deployments/${seed.draftId}/reject`,
    body: () => ({ note: 'not this week' }),
  },
  cancelDeployment: {
    principal: 'admin',
    path: () => `/v1/deployments/${seed.draftId}/cancel`,
    body: () => ({ note: 'superseded' }),
  },
  putDeploymentPlan: { principal: 'admin', path: () => '/v1/deployment-plan', body: () => ({ plan: seed.plan }) },
  createSnapshotHook: {
    principal: 'admin',
    path: () => '/v1/snapshot-hooks',
    body: () => ({
      name: 'hypervisor snapshot',
      kind: 'command',
      target: ['/usr/local/bin/snap', '--vm', '{job}'],
      appliesTo: { kind: 'ring', value: 'test' },
    }),
  },
  createEnrolmentToken: {
    principal: 'admin',
    path: () => '/v1/enrolment-tokens',
    body: () => ({ label: 'rack 4', ring: 'test', tags: ['rack-4'], uses: 50, expiresInDays: 7 }),
  },
  enrolAgent: {
    principal: 'enrolment',
    path: () => '/v1/agent/enrol',
    body: () => ({ hostname: 'enrolled-01', osFamily: 'debian', osRelease: '12.5' }),
  },
  reportJobStep: {
    principal: 'agent',
    path: () => `/v1/agent/jobs/${seed.job.job}/events`,
    body: () => ({
      lease: seed.job.lease,
      step: seed.job.step,
      results: [{ exit: 0, output: 'nginx-full 1.2.1-2.2+wheezy2\n' }],
      log: 'backup done',
    }),
  },
};

function tokenOf(principal: Principal): string {
  return principal === 'root' ? ROOT_TOKEN : seed[principal];
}

/** The schema a route's JSON body is validated with (a raw body's JSON variant). */
function schemaOf(contract: RouteContract): v.GenericSchema | undefined {
  const body = contract.body;
  if (!body) return undefined;
  if ('kind' in body && body.kind === 'raw') return (body as { json?: v.GenericSchema }).json;
  return body as v.GenericSchema;
}

const bodyRoutes = Object.entries(routes as Record<string, RouteContract>).filter(([, r]) => r.body !== undefined);
const covered = bodyRoutes.filter(([name]) => !(COVERED_BY_FORMATS as readonly string[]).includes(name));

let executed = 0;
/** The fingerprint after the last case: the next case's "before". */
let before: Record<string, string> = {};
const statuses: Record<string, Record<number, number>> = {};

async function send(name: string, bytes: Uint8Array | string, contentType: string | undefined, what: string) {
  const contract = (routes as Record<string, RouteContract>)[name] as RouteContract;
  const target = targets[name] as Target;
  const res = await call(contract.method, target.path(), {
    token: tokenOf(target.principal),
    body: bytes,
    contentType,
  });
  const label = `${contract.method} ${contract.path} (${name}) ${what}`;
  const text = await res.text();
  expect(res.status, `${label}: ${res.status} ${text.slice(0, 500)}`).toBeLessThan(500);
  if (res.status >= 400) {
    const error = (JSON.parse(text) as { error?: { code?: unknown; message?: unknown } }).error;
    expect(typeof error?.code, `${label}: ${text.slice(0, 300)}`).toBe('string');
    expect(typeof error?.message === 'string' && error.message.trim() !== '', `${label}: ${text.slice(0, 300)}`).toBe(
      true,
    );
  }
  const after = await fingerprint();
  if (res.status >= 400) expect(after, `${label}: a ${res.status} changed the database`).toEqual(before);
  before = after;
  const counts = statuses[name] ?? {};
  counts[res.status] = (counts[res.status] ?? 0) + 1;
  statuses[name] = counts;
  executed += 1;
  return res.status;
}

const encoder = new TextEncoder();

/** The first string value of a document, as a path, for the fixed huge and non-UTF-8 cases. */
function firstStringPath(value: unknown, at: (string | number)[] = []): (string | number)[] | null {
  if (typeof value === 'string') return at;
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = firstStringPath(item, [...at, Array.isArray(value) ? Number(key) : key]);
      if (found) return found;
    }
  }
  return null;
}

/** Cases every body route gets, beyond the generated ones: name, bytes, content type, the status it must be (if one). */
function fixedCases(
  base: unknown,
  limit = JSON_BODY_LIMIT,
): [string, Uint8Array, string | undefined, number | undefined][] {
  const text = JSON.stringify(base);
  const stringPath = firstStringPath(base);
  const marker = '\u0001mark\u0001';
  let withMarker = text;
  if (stringPath) {
    const copy = structuredClone(base) as Record<string | number, unknown>;
    let at: Record<string | number, unknown> = copy;
    for (const key of stringPath.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
    at[stringPath[stringPath.length - 1] as string | number] = marker;
    withMarker = JSON.stringify(copy);
  }
  const [head, tail] = withMarker.split(JSON.stringify(marker)) as [string, string | undefined];
  const inString = (inner: Uint8Array) =>
    tail === undefined
      ? concatBytes([encoder.encode(text), inner])
      : concatBytes([encoder.encode(`${head}"`), inner, encoder.encode(`"${tail}`)]);
  return [
    ['10,000 nested arrays', encoder.encode(`${'['.repeat(10_000)}${']'.repeat(10_000)}`), 'application/json', 400],
    [
      '10,000 nested objects',
      encoder.encode(`${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`),
      'application/json',
      400,
    ],
    [
      `a string over the ${limit / 1024 / 1024} MiB limit`,
      inString(encoder.encode('A'.repeat(limit))),
      'application/json',
      413,
    ],
    [
      'a 1,000,000-character SQL string',
      inString(encoder.encode("' OR 1=1 --".repeat(90_000))),
      'application/json',
      undefined,
    ],
    ['bytes that are not UTF-8', inString(new Uint8Array([0x61, 0xff, 0xfe, 0xc0, 0xaf])), 'application/json', 400],
    ['text/plain', encoder.encode(text), 'text/plain', 415],
    ['no Content-Type', encoder.encode(text), undefined, 415],
    ['a form', encoder.encode('role=admin&name=%27+OR+1%3D1'), 'application/x-www-form-urlencoded', 415],
    ['an empty body', new Uint8Array(), 'application/json', 400],
    ['null', encoder.encode('null'), 'application/json', 400],
    ['half the document', encoder.encode(text.slice(0, Math.floor(text.length / 2))), 'application/json', 400],
  ];
}
const FIXED_PER_ROUTE = 11;

/** Multipart step reports (the sh agent's form): hostile fields and broken forms. */
function multipartCases(): [string, BodyInit, string | undefined][] {
  const form = (fields: Record<string, string | Blob>) => {
    const data = new FormData();
    for (const [key, value] of Object.entries(fields)) data.append(key, value);
    return data;
  };
  return [
    ['a form with no fields', form({}), undefined],
    ['a form with a hostile lease', form({ lease: "' OR 1=1 --", step: 'backup', 'exit.0': '0' }), undefined],
    [
      'a form with exit codes that are not numbers',
      form({ lease: 'x', step: 'backup', 'exit.0': 'NaN', 'exit.1': '1e400' }),
      undefined,
    ],
    [
      'a form with 10,000 exit fields',
      form(Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`exit.${i}`, '0']))),
      undefined,
    ],
    [
      'a form with binary output',
      form({ lease: 'x', step: 'install', 'exit.0': '0', 'output.0': new Blob([new Uint8Array([0xff, 0, 0xfe])]) }),
      undefined,
    ],
    ['a form without its boundary', 'lease=x', 'multipart/form-data'],
    [
      'a form with a wrong boundary',
      '--zzz\r\nContent-Disposition: form-data; name="lease"\r\n\r\nx\r\n--zzz--',
      'multipart/form-data; boundary=aaa',
    ],
    [
      'a form cut short',
      '--b\r\nContent-Disposition: form-data; name="lease"\r\n\r\nx',
      'multipart/form-data; boundary=b',
    ],
  ];
}

describe('hostile request bodies', () => {
  beforeAll(async () => {
    const tenant = await ok<{ id: string; adminToken: string }>(call, 'POST', '/v1/tenants', 201, {
      token: ROOT_TOKEN,
      json: { name: `hostile-bodies-${crypto.randomUUID().slice(0, 8)}` },
    });
    seed.tenantId = tenant.id;
    seed.admin = tenant.adminToken;
    const token = async (role: string, hostname?: string) =>
      (
        await ok<{ token: string }>(call, 'POST', '/v1/tokens', 201, {
          token: seed.admin,
          json: { role, ...(hostname ? { hostname } : {}) },
        })
      ).token;
    seed.approver = await token('approver');
    seed.operator = await token('operator');
    await ok(call, 'POST', '/v1/advisories/import', 200, { token: seed.admin, json: JSON.parse(dsaNginx) });
    const window = await ok<{ id: number }>(call, 'POST', '/v1/windows', 201, {
      token: seed.admin,
      json: { name: 'saturday night', rule: 'Sat 02:00-05:00', timeZone: 'Europe/Berlin' },
    });
    seed.windowId = window.id;
    const nginx = (version: string) =>
      `nginx-full\t${version}\tamd64\tnginx\t${version}\nnginx-common\t${version}\tall\tnginx\t${version}\n`;
    for (const [hostname, ring] of [
      ['test-01', 'test'],
      ['pilot-01', 'pilot'],
      ['pilot-02', 'pilot'],
      ['prod-01', 'prod'],
    ] as const) {
      await ok(call, 'PUT', `/v1/hosts/${hostname}`, 200, {
        token: seed.admin,
        json: {
          os: { family: 'debian', release: '7' },
          ring,
          tags: ['nginx'],
          addresses: [`10.0.0.${hostname.length}`],
        },
      });
      await ok(call, 'PUT', `/v1/hosts/${hostname}/software`, 200, {
        token: seed.admin,
        body: nginx('1.2.1-2.2+wheezy2'),
        contentType: 'text/x-dpkg-query',
      });
    }
    // A realistic host: a real Debian 12 package list of 710 packages.
    await ok(call, 'PUT', '/v1/hosts/web-01', 200, {
      token: seed.admin,
      json: { os: { family: 'debian', release: '12.12' }, ring: 'prod', criticality: 1, internetFacing: true },
    });
    await ok(call, 'PUT', '/v1/hosts/web-01/software', 200, {
      token: seed.admin,
      body: dpkgQueryDebian,
      contentType: 'text/x-dpkg-query',
    });
    seed.agent = await token('agent', 'test-01');
    const exception = await ok<{ id: number }>(call, 'POST', '/v1/exceptions', 201, {
      token: seed.operator,
      json: {
        hosts: { kind: 'hostname', value: 'pilot-02' },
        target: { kind: 'cve', value: 'CVE-2014-3616' },
        reason: 'pilot-02 is being decommissioned',
        compensatingControl: 'isolated VLAN',
        expiresAt: expiry,
      },
    });
    seed.exceptionId = exception.id;
    const draft = await ok<{ id: number }>(call, 'POST', '/v1/deployments', 201, {
      token: seed.operator,
      json: {
        target: { kind: 'advisories', ids: ['DSA-3029-1'] },
        hosts: { kind: 'rings', values: ['pilot'] },
        plan: [{ ring: 'pilot', soakMinutes: 0, successThreshold: 1 }],
      },
    });
    seed.draftId = draft.id;
    const running = await ok<{ id: number }>(call, 'POST', '/v1/deployments', 201, {
      token: seed.admin,
      json: {
        target: { kind: 'advisories', ids: ['DSA-3029-1'] },
        hosts: { kind: 'rings', values: ['test'] },
        plan: [{ ring: 'test', soakMinutes: 0, successThreshold: 1 }],
        submit: true,
      },
    });
    await ok(call, 'POST', `/v1/deployments/${running.id}/approve`, 200, { token: seed.approver, json: {} });
    seed.job = await ok(call, 'GET', '/v1/agent/jobs', 200, { token: seed.agent });
    await ok(call, 'POST', '/v1/snapshot-hooks', 201, {
      token: seed.admin,
      json: { name: 'root lv', kind: 'lvm', target: 'vg0/root', appliesTo: { kind: 'ring', value: 'prod' } },
    });
    seed.enrolment = (
      await ok<{ token: string }>(call, 'POST', '/v1/enrolment-tokens', 201, {
        token: seed.admin,
        json: { ring: 'test', uses: 100_000 },
      })
    ).token;
    seed.policy = (await ok<{ policy: unknown }>(call, 'GET', '/v1/policy', 200, { token: seed.admin })).policy;
    seed.plan = (await ok<{ plan: unknown }>(call, 'GET', '/v1/deployment-plan', 200, { token: seed.admin })).plan;
    before = await fingerprint();
  }, 60_000);

  it('covers every route of the contract that takes a body', () => {
    const missing = bodyRoutes
      .map(([name]) => name)
      .filter((name) => !(name in targets) && !(COVERED_BY_FORMATS as readonly string[]).includes(name));
    expect(missing, 'routes with a body but no hostile-body generator: add them to `targets`').toEqual([]);
    expect(Object.keys(targets).filter((name) => !bodyRoutes.some(([n]) => n === name))).toEqual([]);
    // Each target's principal may call its route, so refusals come from the body, not the token.
    for (const [name, target] of Object.entries(targets)) {
      const access = (routes as Record<string, RouteContract>)[name]?.access;
      const allowed =
        target.principal === 'root'
          ? access === 'root' || (Array.isArray(access) && access.includes('root'))
          : target.principal === 'enrolment'
            ? access === 'public'
            : Array.isArray(access) && access.includes(target.principal);
      expect(allowed, `${name}: ${target.principal} may not call it`).toBe(true);
    }
  });

  it('sends every valid base body through successfully, so mutations start from something accepted', async () => {
    // On copies of the seeded objects where a success would use them up.
    for (const [name] of covered) {
      if (/^(approve|reject|revoke|submit|cancel)(Exception|Deployment)$|^reportJobStep$/.test(name)) continue;
      const target = targets[name] as Target;
      const contract = (routes as Record<string, RouteContract>)[name] as RouteContract;
      const res = await call(contract.method, target.path(), {
        token: tokenOf(target.principal),
        body: JSON.stringify(target.body()),
        contentType: 'application/json',
      });
      const text = await res.text();
      expect(res.status, `${name}: ${text.slice(0, 400)}`).toBe(contract.status);
    }
    before = await fingerprint();
  }, 60_000);

  describe.each(covered.map(([name, contract]) => [name, contract] as const))('%s', (name, contract) => {
    it('its schema answers every mutation with the body or a 400 naming the problem', () => {
      const schema = schemaOf(contract);
      expect(schema, `${name} has no JSON schema`).toBeDefined();
      let runs = 0;
      fc.assert(
        fc.property(jsonMutation, (mutation) => {
          runs += 1;
          const bytes = applyJsonMutation(targets[name]?.body(), mutation);
          if (!isUtf8(bytes)) return; // refused before the schema (a fixed case checks the 400)
          let value: unknown;
          try {
            value = JSON.parse(strict.decode(bytes));
          } catch {
            return; // refused before the schema
          }
          try {
            parseInput(schema as v.GenericSchema, value, 'body');
          } catch (err) {
            expect(err, describeMutation(mutation)).toBeInstanceOf(ApiError);
            expect((err as ApiError).status).toBe(400);
            expect((err as ApiError).message.length).toBeGreaterThan('invalid body: '.length);
          }
        }),
        { numRuns: SCHEMA_RUNS, seed: seedOf(`schema ${name}`) },
      );
      executed += runs;
    });

    it('the app answers every mutation below 500, and a 4xx changes nothing', async () => {
      const raw = typeof contract.body === 'object' && 'kind' in contract.body && contract.body.kind === 'raw';
      for (const [what, bytes, contentType, status] of fixedCases(
        targets[name]?.body(),
        raw ? RAW_BODY_LIMIT : JSON_BODY_LIMIT,
      )) {
        const got = await send(name, bytes, contentType, what);
        if (status !== undefined) expect(got, `${name}: ${what}`).toBe(status);
        else expect(got, `${name}: ${what}`).toBeGreaterThanOrEqual(200);
      }
      if (name === 'reportJobStep') {
        for (const [what, body, contentType] of multipartCases()) {
          const res = await call('POST', (targets[name] as Target).path(), { token: seed.agent, body, contentType });
          const text = await res.text();
          expect(res.status, `${name}: ${what}: ${text.slice(0, 300)}`).toBeLessThan(500);
          const after = await fingerprint();
          if (res.status >= 400) expect(after, `${name}: ${what}`).toEqual(before);
          before = after;
          executed += 1;
        }
      }
      await fc.assert(
        fc.asyncProperty(jsonMutation, async (mutation) => {
          await send(
            name,
            applyJsonMutation(targets[name]?.body(), mutation),
            'application/json',
            describeMutation(mutation),
          );
        }),
        { numRuns: HTTP_RUNS, seed: seedOf(`http ${name}`) },
      );
    }, 120_000);
  });

  it('ran the planned number of cases', () => {
    const planned = covered.length * (SCHEMA_RUNS + HTTP_RUNS + FIXED_PER_ROUTE) + multipartCases().length;
    expect(fixedCases({ a: 'b' })).toHaveLength(FIXED_PER_ROUTE);
    expect(executed).toBe(planned);
    expect(planned, 'update PLANNED_CASES.bodies in hostile-input.ts').toBe(PLANNED_CASES.bodies);
    console.log(
      `hostile bodies: ${executed} cases over ${covered.length} routes (${SCHEMA_RUNS} through each schema, ${HTTP_RUNS + FIXED_PER_ROUTE} through the app); statuses per route: ${JSON.stringify(statuses)}`,
    );
    printTotal();
  });
});
