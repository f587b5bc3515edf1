import { env } from 'cloudflare:workers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADVISORY,
  type Answer,
  type Client,
  CVE,
  DSA_NGINX,
  nginxReport,
  type Operation,
  operationsOf,
  type SeededTenant,
  seedTenant,
  TEST_RING_PLAN,
  testClient,
} from './fixtures';
import { ROOT_TOKEN } from './helpers';

/**
 * Every route of the served OpenAPI document, called by each of ten principals with a request
 * that is valid for the route (path parameters naming tenant A's objects, valid bodies), against
 * the literal table below of what each must answer. A route served but missing from the table, or
 * in the table but not served, fails. Allowed calls of mutating routes succeed: each principal
 * gets its own fresh object where a call would consume one (a host to delete, an exception to
 * approve, a draft to submit), and the agent's job is claimed before its step is reported.
 */

const principals = [
  'root',
  'admin',
  'approver',
  'operator',
  'viewer',
  'agentA',
  'agentB',
  'none',
  'revoked',
  'otherTenant',
] as const;
type Principal = (typeof principals)[number];

/** What a principal must get: any 2xx, or exactly this error status. */
type Expected = '2xx' | '401' | '403' | '404';

/**
 * The expected answer of each route for each principal, in the order of the columns:
 * root, admin, approver, operator, viewer, agent of web-01 (host A), agent of db-01 (host B), no
 * token, a revoked admin token, the admin of another tenant (which has look-alike data: its own
 * web-01, db-01 and DSA-3029-1, so routes naming them answer its own).
 */
const table = parseTable(`
  operationId             root  admin appr  oper  view  agA   agB   none  rev   other
  getHealth               2xx   2xx   2xx   2xx   2xx   2xx   2xx   2xx   2xx   2xx
  getOpenApi              2xx   2xx   2xx   2xx   2xx   2xx   2xx   2xx   2xx   2xx
  createTenant            2xx   403   403   403   403   403   403   401   401   403
  listTenants             2xx   403   403   403   403   403   403   401   401   403
  createTenantAdminToken  2xx   403   403   403   403   403   403   401   401   403
  createToken             403   2xx   403   403   403   403   403   401   401   2xx
  listTokens              403   2xx   403   403   403   403   403   401   401   2xx
  revokeToken             403   2xx   403   403   403   403   403   401   401   404
  putHost                 403   2xx   403   2xx   403   403   403   401   401   2xx
  matchHosts              403   2xx   2xx   2xx   2xx   403   403   401   401   2xx
  listHosts               403   2xx   2xx   2xx   2xx   403   403   401   401   2xx
  getHost                 403   2xx   2xx   2xx   2xx   2xx   404   401   401   2xx
  deleteHost              403   2xx   403   403   403   403   403   401   401   404
  putSoftware             403   2xx   403   2xx   403   2xx   404   401   401   2xx
  getSoftware             403   2xx   2xx   2xx   2xx   2xx   404   401   401   2xx
  getInventoryHistory     403   2xx   2xx   2xx   2xx   403   403   401   401   2xx
  importAdvisories        2xx   2xx   403   2xx   403   403   403   401   401   2xx
  getAdvisory             403   2xx   2xx   2xx   2xx   403   403   401   401   2xx
  listFindings            403   2xx   2xx   2xx   2xx   403   403   401   401   2xx
  listFeeds               2xx   2xx   2xx   2xx   2xx   403   403   401   401   2xx
  createFeed              2xx   2xx   403   403   403   403   403   401   401   2xx
  deleteFeed              404   2xx   403   403   403   403   403   401   401   404
  syncFeed                404   2xx   403   403   403   403   403   401   401   404
  listQuarantine          404   2xx   403   403   403   403   403   401   401   404
  listAudit               2xx   2xx   2xx   2xx   2xx   403   403   401   401   2xx
  getPolicy               403   2xx   2xx   2xx   2xx   403   403   401   401   2xx
  putPolicy               403   2xx   403   403   403   403   403   401   401   2xx
  deletePolicy            403   2xx   403   403   403   403   403   401   401   2xx
  listEvents              403   2xx   2xx   2xx   2xx   403   403   401   401   2xx
  createException         403   2xx   2xx   2xx   403   403   403   401   401   2xx
  listExceptions          403   2xx   2xx   2xx   2xx   403   403   401   401   2xx
  exportExceptions        403   2xx   2xx   2xx   2xx   403   403   401   401   2xx
  getException            403   2xx   2xx   2xx   2xx   403   403   401   401   404
  approveException        403   2xx   2xx   403   403   403   403   401   401   404
  rejectException         403   2xx   2xx   403   403   403   403   401   401   404
  revokeException         403   2xx   2xx   403   403   403   403   401   401   404
  lookup                  403   2xx   2xx   2xx   2xx   403   403   401   401   2xx
  lookupMany              403   2xx   2xx   2xx   2xx   403   403   401   401   2xx
  getReportSummary        403   2xx   2xx   2xx   2xx   403   403   401   401   2xx
  getComplianceReport     403   2xx   2xx   2xx   2xx   403   403   401   401   2xx
  listWindows             403   2xx   2xx   2xx   2xx   403   403   401   401   2xx
  createWindow            403   2xx   403   403   403   403   403   401   401   2xx
  getWindow               403   2xx   2xx   2xx   2xx   403   403   401   401   404
  updateWindow            403   2xx   403   403   403   403   403   401   401   404
  deleteWindow            403   2xx   403   403   403   403   403   401   401   404
  listWindowOpenings      403   2xx   2xx   2xx   2xx   403   403   401   401   404
  getHostWindows          403   2xx   2xx   2xx   2xx   403   403   401   401   2xx
  createDeployment        403   2xx   403   2xx   403   403   403   401   401   2xx
  scheduleDeployment      403   2xx   403   2xx   403   403   403   401   401   2xx
  listDeployments         403   2xx   2xx   2xx   2xx   403   403   401   401   2xx
  getDeployment           403   2xx   2xx   2xx   2xx   403   403   401   401   404
  getRunbook              403   2xx   2xx   2xx   2xx   403   403   401   401   404
  submitDeployment        403   2xx   403   2xx   403   403   403   401   401   404
  approveDeployment       403   2xx   2xx   403   403   403   403   401   401   404
  rejectDeployment        403   2xx   2xx   403   403   403   403   401   401   404
  cancelDeployment        403   2xx   2xx   2xx   403   403   403   401   401   404
  getDeploymentPlan       403   2xx   2xx   2xx   2xx   403   403   401   401   2xx
  putDeploymentPlan       403   2xx   403   403   403   403   403   401   401   2xx
  listSnapshotHooks       403   2xx   2xx   2xx   2xx   403   403   401   401   2xx
  createSnapshotHook      403   2xx   403   403   403   403   403   401   401   2xx
  deleteSnapshotHook      403   2xx   403   403   403   403   403   401   401   404
  createEnrolmentToken    403   2xx   403   403   403   403   403   401   401   2xx
  listEnrolmentTokens     403   2xx   403   403   403   403   403   401   401   2xx
  revokeEnrolmentToken    403   2xx   403   403   403   403   403   401   401   404
  # Public, but it takes an enrolment token (pbe_...), which none of these principals is; the
  # enrolment token's own call is checked on its own below.
  enrolAgent              401   401   401   401   401   401   401   401   401   401
  claimJob                403   403   403   403   403   2xx   2xx   401   401   403
  # Tenant A's running deployment: web-01's job, claimed by its agent in claimJob.
  reportJobStep           403   403   403   403   403   2xx   404   401   401   403
`);

/** Reads the table: a header line, then one line per operationId; `#` starts a comment line. */
function parseTable(text: string): Record<string, Record<Principal, Expected>> {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .slice(1);
  const rows: Record<string, Record<Principal, Expected>> = {};
  for (const line of lines) {
    const [operationId = '', ...cells] = line.split(/\s+/);
    if (cells.length !== principals.length || cells.some((c) => !['2xx', '401', '403', '404'].includes(c))) {
      throw new Error(`route table row "${line}" needs ${principals.length} cells of 2xx, 401, 403, 404`);
    }
    if (operationId in rows) throw new Error(`route table has ${operationId} twice`);
    rows[operationId] = Object.fromEntries(principals.map((p, i) => [p, cells[i]])) as Record<Principal, Expected>;
  }
  return rows;
}

/** One call: values of the path template's parameters, a query string, a body. */
interface Probe {
  readonly params?: Record<string, string | number>;
  readonly query?: string;
  readonly json?: unknown;
  readonly body?: string;
  readonly contentType?: string;
}

let client: Client;
let a: SeededTenant;
let b: SeededTenant;
const tokenOf = {} as Record<Principal, string | undefined>;
let operations: Operation[] = [];
/** The lease of web-01's job, from the agent's claim; reported by the same agent. */
let claimed: { job: number; lease: string; step: string; commands: unknown[] } | undefined;
let requests = 0;

const api = <T = Record<string, unknown>>(method: string, path: string, status: number, options = {}) =>
  client.api<T>(method, path, status, options);
const asAdminA = (method: string, path: string, status: number, json?: unknown) =>
  api<Record<string, unknown>>(method, path, status, { token: a.tokens.admin, ...(json ? { json } : {}) });

async function freshException(p: Principal, approved: boolean): Promise<number> {
  const created = await api<{ id: number }>('POST', '/v1/exceptions', 201, {
    token: a.tokens.operator,
    json: {
      hosts: { kind: 'hostname', value: 'app-01' },
      target: { kind: 'package', value: `zlib-${p.toLowerCase()}` },
      reason: `route table ${p}`,
      compensatingControl: 'none needed',
      expiresAt: '2027-01-15T00:00:00Z',
    },
  });
  if (approved) await api('POST', `/v1/exceptions/${created.id}/approve`, 200, { token: a.tokens.approver, json: {} });
  return created.id;
}

/** A deployment of app-01 (never web-01, whose job the agents' rows use), created by the operator. */
async function freshDeployment(submit: boolean): Promise<number> {
  const created = await api<{ id: number }>('POST', '/v1/deployments', 201, {
    token: a.tokens.operator,
    json: {
      target: { kind: 'advisories', ids: [ADVISORY] },
      hosts: { kind: 'hostnames', values: ['app-01'] },
      plan: TEST_RING_PLAN,
      submit,
    },
  });
  return created.id;
}

let windows = 0;
async function freshWindow(p: Principal): Promise<number> {
  windows += 1;
  const created = await asAdminA('POST', '/v1/windows', 201, {
    name: `fresh window ${windows} ${p}`,
    rule: 'Sun 01:00-03:00',
    timeZone: 'UTC',
  });
  return created.id as number;
}

/** Per route, a request that is valid for a principal the route allows. */
const probes: Record<string, (p: Principal) => Probe | Promise<Probe>> = {
  getHealth: () => ({}),
  getOpenApi: () => ({}),
  createTenant: (p) => ({ json: { name: `route-table-${p.toLowerCase()}` } }),
  listTenants: () => ({}),
  createTenantAdminToken: () => ({ params: { tenantId: a.id }, json: { label: 'recovery' } }),
  createToken: (p) => ({ json: { role: 'viewer', label: `route table ${p}` } }),
  listTokens: () => ({}),
  revokeToken: async (p) => {
    const created = await asAdminA('POST', '/v1/tokens', 201, { role: 'viewer', label: `to revoke ${p}` });
    return { params: { prefix: created.prefix as string } };
  },
  putHost: () => ({ params: { hostname: 'web-01' }, json: { os: { family: 'debian', release: '7' } } }),
  matchHosts: () => ({ json: { names: ['web-01.example.com', '10.0.0.2', 'unknown-99'] } }),
  listHosts: () => ({ query: 'ring=test&limit=2' }),
  getHost: () => ({ params: { hostname: 'web-01' } }),
  deleteHost: async (p) => {
    const hostname = `gone-${p.toLowerCase()}`;
    await asAdminA('PUT', `/v1/hosts/${hostname}`, 200, { os: { family: 'debian', release: '12' } });
    return { params: { hostname } };
  },
  putSoftware: () => ({
    params: { hostname: 'web-01' },
    body: nginxReport(undefined, [[`${a.marker}-pkg`, '1.0-1']]),
    contentType: 'text/x-dpkg-query',
  }),
  getSoftware: () => ({ params: { hostname: 'web-01' }, query: 'name=nginx' }),
  getInventoryHistory: () => ({ params: { hostname: 'web-01' } }),
  importAdvisories: () => ({ json: DSA_NGINX }),
  getAdvisory: () => ({ params: { id: ADVISORY } }),
  listFindings: () => ({ query: `host=web-01&advisory=${ADVISORY}` }),
  listFeeds: () => ({}),
  createFeed: (p) => ({
    json: { kind: 'csaf', name: `route table ${p}`, url: 'https://csaf.example.com/provider-metadata.json' },
  }),
  deleteFeed: async (p) => {
    const created = await asAdminA('POST', '/v1/feeds', 201, {
      kind: 'csaf',
      name: `to delete ${p}`,
      url: 'https://csaf.example.org/provider-metadata.json',
    });
    return { params: { id: created.id as string } };
  },
  syncFeed: () => ({ params: { id: a.feedId } }),
  listQuarantine: () => ({ params: { id: a.feedId } }),
  listAudit: () => ({ query: 'limit=5' }),
  getPolicy: () => ({}),
  putPolicy: async () => ({ json: (await asAdminA('GET', '/v1/policy', 200)).policy }),
  deletePolicy: () => ({}),
  listEvents: () => ({}),
  createException: (p) => ({
    json: {
      hosts: { kind: 'hostname', value: 'web-01' },
      target: { kind: 'cve', value: CVE },
      reason: `route table ${p}`,
      compensatingControl: 'WAF',
      expiresAt: '2027-01-15T00:00:00Z',
    },
  }),
  listExceptions: () => ({ query: 'status=approved' }),
  exportExceptions: () => ({ query: 'format=openvex' }),
  getException: () => ({ params: { id: a.exceptionId } }),
  approveException: async (p) => ({ params: { id: await freshException(p, false) }, json: { note: 'ok' } }),
  rejectException: async (p) => ({ params: { id: await freshException(p, false) }, json: { note: 'no' } }),
  revokeException: async (p) => ({ params: { id: await freshException(p, true) }, json: {} }),
  lookup: () => ({ query: `ids=${ADVISORY},${CVE},KB5034441` }),
  lookupMany: () => ({ json: { ids: [ADVISORY, CVE] } }),
  getReportSummary: () => ({}),
  getComplianceReport: () => ({ query: 'format=markdown' }),
  listWindows: () => ({}),
  createWindow: (p) => ({ json: { name: `route table ${p}`, rule: 'daily 01:00-05:00', timeZone: 'Europe/Berlin' } }),
  getWindow: () => ({ params: { id: a.windowId } }),
  updateWindow: async (p) => ({ params: { id: await freshWindow(p) }, json: { rule: 'Sun 02:00-04:00' } }),
  deleteWindow: async (p) => ({ params: { id: await freshWindow(p) } }),
  listWindowOpenings: () => ({ params: { id: a.windowId }, query: 'count=3' }),
  getHostWindows: () => ({ params: { hostname: 'web-01' } }),
  createDeployment: () => ({
    json: {
      target: { kind: 'advisories', ids: [ADVISORY] },
      hosts: { kind: 'hostnames', values: ['app-01'] },
      plan: TEST_RING_PLAN,
    },
  }),
  scheduleDeployment: () => ({ json: { ids: [CVE] } }),
  listDeployments: () => ({}),
  getDeployment: () => ({ params: { id: a.deploymentId } }),
  getRunbook: () => ({ params: { id: a.deploymentId } }),
  submitDeployment: async () => ({ params: { id: await freshDeployment(false) }, json: {} }),
  approveDeployment: async () => ({ params: { id: await freshDeployment(true) }, json: { note: 'CAB' } }),
  rejectDeployment: async () => ({ params: { id: await freshDeployment(true) }, json: { note: 'not now' } }),
  cancelDeployment: async () => ({ params: { id: await freshDeployment(true) }, json: {} }),
  getDeploymentPlan: () => ({}),
  putDeploymentPlan: async () => ({ json: { plan: (await asAdminA('GET', '/v1/deployment-plan', 200)).plan } }),
  listSnapshotHooks: () => ({}),
  createSnapshotHook: (p) => ({
    json: { name: `route table ${p}`, kind: 'zfs', target: 'rpool/ROOT/debian', appliesTo: { kind: 'all' } },
  }),
  deleteSnapshotHook: async (p) => {
    const created = await asAdminA('POST', '/v1/snapshot-hooks', 201, {
      name: `to delete ${p}`,
      kind: 'btrfs',
      target: '/',
    });
    return { params: { id: created.id as number } };
  },
  createEnrolmentToken: (p) => ({ json: { label: `route table ${p}`, ring: 'test' } }),
  listEnrolmentTokens: () => ({}),
  revokeEnrolmentToken: async (p) => {
    const created = await asAdminA('POST', '/v1/enrolment-tokens', 201, { label: `to revoke ${p}` });
    return { params: { prefix: created.prefix as string } };
  },
  enrolAgent: (p) => ({
    json: { hostname: `enrolled-${p.toLowerCase()}`, osFamily: 'debian', osRelease: '7' },
  }),
  claimJob: () => ({}),
  reportJobStep: () => ({
    params: { id: a.jobId },
    json: {
      lease: claimed?.lease ?? 'no-claim',
      step: claimed?.step ?? 'backup',
      results: (claimed?.commands ?? [null]).map(() => ({ exit: 0, output: '' })),
      log: 'route table',
    },
  }),
};

function pathOf(template: string, probe: Probe): string {
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = probe.params?.[name];
    if (value === undefined) throw new Error(`no value for {${name}} of ${template}`);
    return encodeURIComponent(String(value));
  });
  return probe.query ? `${path}?${probe.query}` : path;
}

async function auditCount(): Promise<number> {
  return (await env.DB.prepare('SELECT count(*) AS n FROM audit_log').first<{ n: number }>())?.n ?? 0;
}

function matches(expected: Expected, status: number): boolean {
  return expected === '2xx' ? status >= 200 && status < 300 : status === Number(expected);
}

describe('route table: every served route x every principal', () => {
  beforeAll(async () => {
    client = testClient();
    a = await seedTenant(client, 'alpharoute');
    b = await seedTenant(client, 'betaroute');
    const revoked = await api<{ token: string; prefix: string }>('POST', '/v1/tokens', 201, {
      token: a.tokens.admin,
      json: { role: 'admin', label: 'revoked admin' },
    });
    await api('DELETE', `/v1/tokens/${revoked.prefix}`, 204, { token: a.tokens.admin });
    Object.assign(tokenOf, {
      root: ROOT_TOKEN,
      admin: a.tokens.admin,
      approver: a.tokens.approver,
      operator: a.tokens.operator,
      viewer: a.tokens.viewer,
      agentA: a.tokens.agentWeb,
      agentB: a.tokens.agentDb,
      none: undefined,
      revoked: revoked.token,
      otherTenant: b.tokens.admin,
    });
    operations = operationsOf(await api('GET', '/v1/openapi.json', 200));
  }, 60_000);

  afterAll(() => {
    console.log(`route table: ${operations.length} routes x ${principals.length} principals = ${requests} requests`);
  });

  it('has a row and a request for every route of the served OpenAPI document, and no other', () => {
    const served = new Set(operations.map((o) => o.operationId));
    const missingFromTable = [...served].filter((id) => !(id in table) || !(id in probes));
    const notServed = [...new Set([...Object.keys(table), ...Object.keys(probes)])].filter((id) => !served.has(id));
    expect(missingFromTable, 'routes of /v1/openapi.json missing from the route table').toEqual([]);
    expect(notServed, 'rows of the route table that /v1/openapi.json does not serve').toEqual([]);
    expect(operations.length).toBeGreaterThanOrEqual(60);
  });

  // Rows run in the table's order: claimJob before reportJobStep, so the agent reports its own claim.
  for (const operationId of Object.keys(table)) {
    it(operationId, async () => {
      const operation = operations.find((o) => o.operationId === operationId);
      expect(operation, `${operationId} is in the route table but not in /v1/openapi.json`).toBeDefined();
      if (!operation) return;
      const expected = table[operationId];
      if (!expected) return;
      const probe = probes[operationId];
      expect(probe, `${operationId} has no request in the route table`).toBeDefined();
      if (!probe) return;
      const wrong: string[] = [];
      for (const principal of principals) {
        const request = await probe(principal);
        const path = pathOf(operation.path, request);
        const before = await auditCount();
        const answer: Answer = await client.request(operation.method, path, {
          token: tokenOf[principal],
          ...(request.json !== undefined ? { json: request.json } : {}),
          ...(request.body !== undefined ? { body: request.body, contentType: request.contentType } : {}),
        });
        requests += 1;
        if (operationId === 'claimJob' && principal === 'agentA' && answer.status === 200) {
          claimed = answer.json as typeof claimed;
        }
        const want = expected[principal];
        if (!matches(want, answer.status)) {
          wrong.push(
            `${principal}: ${operation.method} ${path} expected ${want}, got ${answer.status} ${answer.text.slice(0, 300)}`,
          );
        }
        if (want !== '2xx' && (await auditCount()) !== before) {
          wrong.push(
            `${principal}: ${operation.method} ${path} was refused (${answer.status}) but wrote to the audit log`,
          );
        }
      }
      expect(wrong, `${operationId} (${operation.method} ${operation.path})`).toEqual([]);
    });
  }

  it('enrols a host with an enrolment token (the one caller enrolAgent accepts)', async () => {
    const created = await api<{ token: string }>('POST', '/v1/enrolment-tokens', 201, {
      token: a.tokens.admin,
      json: { label: 'enrol probe', ring: 'test', uses: 1 },
    });
    const enrolled = await api<{ hostname: string; token: string }>('POST', '/v1/agent/enrol', 201, {
      token: created.token,
      json: { hostname: 'enrolled-by-token', osFamily: 'debian', osRelease: '7' },
    });
    expect(enrolled.hostname).toBe('enrolled-by-token');
    await api('GET', '/v1/hosts/enrolled-by-token', 200, { token: enrolled.token });
    // A used-up enrolment token enrols nothing more.
    await api('POST', '/v1/agent/enrol', 401, {
      token: created.token,
      json: { hostname: 'enrolled-twice', osFamily: 'debian', osRelease: '7' },
    });
  });
});
