import * as fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADVISORY,
  type Answer,
  type Client,
  CVE,
  nginxReport,
  type Operation,
  operationsOf,
  type SeededTenant,
  seedTenant,
  testClient,
} from './fixtures';
import { ROOT_TOKEN } from './helpers';

/**
 * Tenant isolation, fuzzed: two tenants with look-alike data (the same hostnames, the same real
 * advisory imported by each as its own, the same window names, deployments, exceptions, events),
 * each with its own marker in every free text plus a private advisory and a host only it has.
 * fast-check generates sequences of reads (every GET route of the served document, POST
 * /v1/lookup and POST /v1/hosts/match) by either tenant with ids guessed (small integers around
 * every id in use), enumerated (paging through lists with small pages, cursors of either tenant)
 * or taken from the other tenant's answers. No answer may contain the other tenant's marker, id,
 * token prefixes, private advisory, address, or any of its object ids; none may be a 5xx.
 */

/** Reads a tenant can send that are not GETs: they read, and take ids in the body. */
const POST_READS = ['lookupMany', 'matchHosts'];

/**
 * Every enumerated query parameter of the read routes (the export and report formats) and every
 * media type they answer in: the fuzz asks for each, and a format the served document adds
 * without being listed here fails the coverage test.
 */
const ENUMS: Record<string, Record<string, string[]>> = {
  exportExceptions: { format: ['openvex', 'csaf'] },
  getReportSummary: { format: ['json', 'csv'] },
  getComplianceReport: { format: ['markdown', 'html'] },
  listFindings: {
    status: ['open', 'scheduled', 'excepted', 'resolved', 'unresolved'],
    priority: ['1', '2', '3', '4'],
    breached: ['true', 'false'],
  },
  listExceptions: { status: ['requested', 'approved', 'rejected', 'revoked', 'expired'] },
  listDeployments: {
    status: [
      'draft',
      'awaiting_approval',
      'approved',
      'running',
      'completed',
      'halted',
      'rolled_back',
      'rejected',
      'cancelled',
    ],
  },
};
const ACCEPTS: Record<string, string[]> = {
  getReportSummary: ['application/json', 'text/csv'],
  getComplianceReport: ['text/markdown', 'text/html'],
  getRunbook: ['text/markdown'],
  claimJob: ['application/json', 'text/plain'],
};
const enumOf = (op: string, name: string) => fc.constantFrom(...(ENUMS[op]?.[name] ?? ['']));
const acceptOf = (op: string) => fc.constantFrom(...(ACCEPTS[op] ?? ['application/json']));

type Side = 'A' | 'B';
type TokenName = keyof SeededTenant['tokens'];

interface Read {
  readonly op: string;
  readonly token: TokenName;
  readonly params?: Record<string, string | number>;
  readonly query?: Record<string, string>;
  readonly json?: unknown;
  readonly accept?: string;
  /** Follow `nextCursor` (or an events `cursor` while `more`) up to this many pages. */
  readonly pages?: number;
}

/** What one tenant has that the other must never see. */
interface Secrets {
  readonly tenant: SeededTenant;
  readonly onlyHost: string;
  readonly address: string;
  readonly privateAdvisory: string;
  readonly privateCve: string;
  /** Texts unique to the tenant: marker, ids, token prefixes. */
  readonly texts: string[];
  /** Its object ids by kind (exception, deployment, job, window, hook, finding, audit). */
  readonly ids: Map<string, Set<number>>;
  /** Cursors its own answers handed out, to be replayed by the other tenant. */
  readonly cursors: string[];
  readonly eventCursor: string;
}

let client: Client;
const sides = {} as Record<Side, Secrets>;
let operations: Operation[] = [];
let maxId = 0;
let cases = 0;
let requests = 0;
const exercised = new Map<string, number>();
/** Reads answered 2xx, per route: a fuzz of 4xx answers alone would prove little. */
const succeeded = new Map<string, number>();

function privateOsv(marker: string, cve: string) {
  return {
    id: `${marker.toUpperCase()}-2026-0001`,
    summary: `${marker} private advisory`,
    details: `${marker} only: the ${marker}-pkg daemon leaks memory`,
    aliases: [cve],
    modified: '2026-11-01T00:00:00Z',
    published: '2026-11-01T00:00:00Z',
    affected: [
      {
        package: { ecosystem: 'Debian:7', name: `${marker}-pkg` },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.0-2' }] }],
      },
    ],
  };
}

/** Seeds a tenant with the shared look-alike data and its private advisory and host. */
async function seedSide(marker: string, cve: string, address: string): Promise<Secrets> {
  const tenant = await seedTenant(client, marker);
  const { api } = client;
  const admin = tenant.tokens.admin;
  const osv = privateOsv(marker, cve);
  await api('POST', '/v1/advisories/import', 200, { token: admin, json: osv });
  const onlyHost = `${marker}-host`;
  await api('PUT', `/v1/hosts/${onlyHost}`, 200, {
    token: admin,
    json: { os: { family: 'debian', release: '7' }, ring: 'pilot', addresses: [address], owner: `${marker} team` },
  });
  await api('PUT', `/v1/hosts/${onlyHost}/software`, 200, {
    token: admin,
    body: nginxReport(undefined, [[`${marker}-pkg`, '1.0-1']]),
    contentType: 'text/x-dpkg-query',
  });
  // A policy change and a deployment plan with the tenant's window, so both differ per tenant.
  await api('PUT', '/v1/deployment-plan', 200, {
    token: admin,
    json: {
      plan: [
        { ring: 'test', windows: [tenant.windowId], soakMinutes: 30, successThreshold: 1, healthChecks: [] },
        { ring: 'pilot', soakMinutes: 60, successThreshold: 1, healthChecks: [`${marker}-svc`] },
      ],
    },
  });
  // An exception about to expire, so expiry events exist too.
  const expiring = await api<{ id: number }>('POST', '/v1/exceptions', 201, {
    token: tenant.tokens.operator,
    json: {
      hosts: { kind: 'hostname', value: onlyHost },
      target: { kind: 'advisory', value: osv.id },
      reason: `${marker} reason: expiring soon`,
      compensatingControl: `${marker} control: host isolated`,
      expiresAt: '2026-12-01T00:00:00Z',
    },
  });
  await api('POST', `/v1/exceptions/${expiring.id}/approve`, 200, { token: tenant.tokens.approver, json: {} });

  const tokens = await api<{ items: { prefix: string }[] }>('GET', '/v1/tokens', 200, { token: admin });
  const enrolment = await api<{ items: { prefix: string }[] }>('GET', '/v1/enrolment-tokens', 200, { token: admin });
  const texts = [
    marker,
    marker.toUpperCase(),
    tenant.id,
    tenant.id.slice(3, 11).toLowerCase(),
    tenant.name,
    tenant.feedId,
    osv.id,
    cve,
    address,
    ...tokens.items.map((t) => t.prefix),
    ...enrolment.items.map((t) => t.prefix),
  ];
  return {
    tenant,
    onlyHost,
    address,
    privateAdvisory: osv.id,
    privateCve: cve,
    texts,
    ids: new Map(),
    cursors: [],
    eventCursor: '',
  };
}

/** Everything a tenant's admin can list: its ids by kind and the cursors of small pages. */
async function harvest(side: Secrets): Promise<Secrets> {
  const token = side.tenant.tokens.admin;
  const ids = new Map<string, Set<number>>();
  const add = (kind: string, id: unknown) => {
    if (typeof id !== 'number') return;
    if (!ids.has(kind)) ids.set(kind, new Set());
    ids.get(kind)?.add(id);
    maxId = Math.max(maxId, id);
  };
  const list = async (path: string) =>
    (await client.api<{ items: Record<string, unknown>[] }>('GET', path, 200, { token })).items;
  for (const e of await list('/v1/exceptions?limit=500')) add('exception', e.id);
  for (const w of await list('/v1/windows')) add('window', w.id);
  for (const h of await list('/v1/snapshot-hooks')) add('hook', h.id);
  for (const f of await list('/v1/findings?limit=500')) add('finding', f.id);
  for (const a of await list('/v1/audit?limit=500')) add('audit', a.id);
  for (const d of await list('/v1/deployments?limit=500')) {
    add('deployment', d.id);
    const detail = await client.api<{ jobs: { id: number }[] }>('GET', `/v1/deployments/${d.id}`, 200, { token });
    for (const j of detail.jobs) add('job', j.id);
  }
  const cursors: string[] = [];
  for (const path of [
    '/v1/hosts?limit=1',
    '/v1/findings?limit=1',
    '/v1/audit?limit=1',
    '/v1/exceptions?limit=1',
    '/v1/deployments?limit=1',
    '/v1/hosts/web-01/software?limit=1',
    '/v1/hosts/web-01/history?limit=1',
  ]) {
    const page = await client.api<{ nextCursor: string | null }>('GET', path, 200, { token });
    if (page.nextCursor) cursors.push(page.nextCursor);
  }
  const events = await client.api<{ cursor: string }>('GET', '/v1/events?limit=1', 200, { token });
  return { ...side, ids, cursors, eventCursor: events.cursor };
}

const other = (side: Side): Side => (side === 'A' ? 'B' : 'A');

/** The generators of reads per route, for a reader of `side`: values of both tenants and guesses. */
function readsFor(side: Side): Record<string, fc.Arbitrary<Read>> {
  const own = sides[side];
  const them = sides[other(side)];
  // An id of a kind: guessed around every id in use, taken from the other tenant, or the
  // reader's own (so that reads also see data).
  const idOf = (kind: string) => {
    const theirs = [...(them.ids.get(kind) ?? [0])];
    const mine = [...(own.ids.get(kind) ?? [0])];
    return fc.oneof(
      { arbitrary: fc.integer({ min: 0, max: maxId + 3 }), weight: 2 },
      { arbitrary: fc.constantFrom(...theirs), weight: 3 },
      { arbitrary: fc.constantFrom(...mine), weight: 3 },
      { arbitrary: fc.constantFrom(999_999_999, 2 ** 31), weight: 1 },
    );
  };
  const hostname = fc.constantFrom('web-01', 'db-01', 'app-01', own.onlyHost, them.onlyHost, 'nope-01', 'WEB-01');
  const advisoryId = fc.constantFrom(
    ADVISORY,
    CVE,
    own.privateAdvisory,
    them.privateAdvisory,
    them.privateCve,
    'KB5034441',
    'DSA-3029',
    'RHSA-2024:1234',
  );
  const cursor = fc.oneof(
    { arbitrary: fc.constantFrom(...them.cursors, ...own.cursors), weight: 4 },
    { arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,16}$/), weight: 1 },
  );
  const limit = fc.integer({ min: 1, max: 4 }).map(String);
  const reader = fc.constantFrom<TokenName>('admin', 'approver', 'operator', 'viewer');
  const hostReader = fc.constantFrom<TokenName>('admin', 'viewer', 'agentWeb', 'agentDb');
  const pages = fc.integer({ min: 1, max: 30 });
  const feedId = fc.constantFrom(own.tenant.feedId, them.tenant.feedId, 'kev', 'osv', 'epss', 'nvd');
  const page = (extra: Record<string, fc.Arbitrary<string>> = {}) =>
    fc.record({ cursor, limit, ...extra }, { requiredKeys: [] });
  const read = (op: string, parts: Partial<Record<keyof Read, fc.Arbitrary<unknown>>>, token = reader) =>
    fc.record({ op: fc.constant(op), token, ...parts }) as fc.Arbitrary<Read>;
  const idParam = (kind: string) => fc.record({ id: idOf(kind) });
  const hostParam = fc.record({ hostname });
  return {
    getHealth: read('getHealth', {}),
    getOpenApi: read('getOpenApi', {}),
    listTenants: read('listTenants', {}, fc.constantFrom<TokenName>('admin')),
    listTokens: read('listTokens', {}, fc.constantFrom<TokenName>('admin')),
    listEnrolmentTokens: read('listEnrolmentTokens', {}, fc.constantFrom<TokenName>('admin')),
    listHosts: read('listHosts', {
      query: page({
        ring: fc.constantFrom('test', 'pilot', 'prod'),
        tag: fc.constantFrom('nginx', `${them.tenant.marker}-tag`, `${own.tenant.marker}-tag`),
        ecosystem: fc.constantFrom('Debian:7', 'Debian:12'),
      }),
      pages,
    }),
    getHost: read('getHost', { params: hostParam }, hostReader),
    getSoftware: read(
      'getSoftware',
      {
        params: hostParam,
        query: page({ name: fc.constantFrom('nginx', `${them.tenant.marker}-pkg`, 'nginx-full') }),
        pages,
      },
      hostReader,
    ),
    getInventoryHistory: read('getInventoryHistory', { params: hostParam, query: page(), pages }),
    getAdvisory: read('getAdvisory', { params: fc.record({ id: advisoryId }) }),
    listFindings: read('listFindings', {
      query: page({
        host: hostname,
        advisory: advisoryId,
        cve: fc.constantFrom(CVE, them.privateCve, own.privateCve),
        status: enumOf('listFindings', 'status'),
        priority: enumOf('listFindings', 'priority'),
        breached: enumOf('listFindings', 'breached'),
      }),
      pages,
    }),
    listFeeds: read('listFeeds', {}),
    listQuarantine: read(
      'listQuarantine',
      { params: fc.record({ id: feedId }), query: page(), pages },
      fc.constantFrom<TokenName>('admin'),
    ),
    listAudit: read('listAudit', {
      query: page({
        action: fc.constantFrom('host.upsert', 'exception.approve', 'deployment.create', 'token.create', 'job.claim'),
        target: fc.oneof(
          hostname.map((h) => `host:${h}`),
          idOf('exception').map((id) => `exception:${id}`),
          idOf('deployment').map((id) => `deployment:${id}`),
        ),
      }),
      pages,
    }),
    getPolicy: read('getPolicy', {}),
    listEvents: read('listEvents', {
      query: fc.record(
        { since: fc.oneof(fc.constantFrom(them.eventCursor, own.eventCursor, 'now'), cursor), limit },
        { requiredKeys: [] },
      ),
      pages,
    }),
    listExceptions: read('listExceptions', {
      query: page({ status: enumOf('listExceptions', 'status') }),
      pages,
    }),
    exportExceptions: read('exportExceptions', {
      query: fc.record({ format: enumOf('exportExceptions', 'format') }),
    }),
    getException: read('getException', { params: idParam('exception') }),
    lookup: read('lookup', {
      query: fc.array(advisoryId, { minLength: 1, maxLength: 6 }).map((ids) => ({ ids: ids.join(',') })),
    }),
    lookupMany: read('lookupMany', {
      json: fc.array(advisoryId, { minLength: 1, maxLength: 6 }).map((ids) => ({ ids })),
    }),
    matchHosts: read('matchHosts', {
      json: fc
        .array(
          fc.oneof(
            hostname,
            hostname.map((h) => `${h}.example.com`),
            fc.constantFrom(them.address, own.address, '10.0.0.1', '10.0.0.2'),
          ),
          { minLength: 1, maxLength: 8 },
        )
        .map((names) => ({ names })),
    }),
    getReportSummary: read('getReportSummary', {
      query: fc.record({ format: enumOf('getReportSummary', 'format') }, { requiredKeys: [] }),
      accept: acceptOf('getReportSummary'),
    }),
    getComplianceReport: read('getComplianceReport', {
      query: fc.record({ format: enumOf('getComplianceReport', 'format') }, { requiredKeys: [] }),
      accept: acceptOf('getComplianceReport'),
    }),
    listWindows: read('listWindows', {}),
    getWindow: read('getWindow', { params: idParam('window') }),
    listWindowOpenings: read('listWindowOpenings', {
      params: idParam('window'),
      query: fc.record({ count: fc.integer({ min: 1, max: 5 }).map(String) }, { requiredKeys: [] }),
    }),
    getHostWindows: read('getHostWindows', { params: hostParam }),
    listDeployments: read('listDeployments', {
      query: page({ status: enumOf('listDeployments', 'status') }),
      pages,
    }),
    getDeployment: read('getDeployment', { params: idParam('deployment') }),
    getRunbook: read('getRunbook', { params: idParam('deployment'), accept: acceptOf('getRunbook') }),
    getDeploymentPlan: read('getDeploymentPlan', {}),
    listSnapshotHooks: read('listSnapshotHooks', {}),
    claimJob: read('claimJob', { accept: acceptOf('claimJob') }, fc.constantFrom<TokenName>('agentWeb', 'agentDb')),
  };
}

/** The strings a request carried: an answer may echo them (a 404 names what was asked). */
function echoesOf(read: Read): string[] {
  const values = [
    ...Object.values(read.params ?? {}),
    ...Object.values(read.query ?? {}).flatMap((q) => [q, ...q.split(',')]),
    ...((read.json as { ids?: string[]; names?: string[] } | undefined)?.ids ?? []),
    ...((read.json as { ids?: string[]; names?: string[] } | undefined)?.names ?? []),
  ].map(String);
  // Short values (ids, limits) are not stripped: taking out every "3" would hide real leaks.
  return values
    .filter((value) => value.length >= 5)
    .flatMap((value) => [value, value.toLowerCase(), value.toUpperCase()])
    .sort((x, y) => y.length - x.length);
}

/** What the objects under these keys are; under other keys, an `id` is of an unknown kind. */
const childKinds: Record<string, string> = {
  findings: 'finding',
  jobs: 'job',
  windows: 'window',
  pendingDeployment: 'deployment',
  nextDeployment: 'deployment',
  exceptions: 'exception',
};

/** Ids of the answer by kind: `id` fields under what the route lists, and ids named in references. */
function idsIn(value: unknown, kind: string, found: [string, number][]): void {
  if (Array.isArray(value)) {
    for (const item of value) idsIn(item, kind, found);
    return;
  }
  if (typeof value !== 'object' || value === null) {
    if (typeof value === 'string') {
      for (const m of value.matchAll(/\b(exception|deployment|window|job|finding):(\d+)\b/g)) {
        found.push([m[1] as string, Number(m[2])]);
      }
    }
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    if (key === 'id' && typeof child === 'number') found.push([kind, child]);
    else if (key === 'exceptionId' || key === 'exception') {
      if (typeof child === 'number') found.push(['exception', child]);
    } else if (key === 'deployment' && typeof child === 'number') found.push(['deployment', child]);
    else if (key === 'job' && typeof child === 'number') found.push(['job', child]);
    else if (key === 'windows' && Array.isArray(child) && child.every((w) => typeof w === 'number')) {
      for (const w of child) found.push(['window', w as number]);
    } else {
      const childKind = childKinds[key] ?? (key === 'items' || key === 'payload' ? kind : `${kind}.${key}`);
      idsIn(child, childKind, found);
    }
  }
}

const kindOf: Record<string, string> = {
  getHost: 'host',
  listFindings: 'finding',
  listAudit: 'audit',
  listExceptions: 'exception',
  getException: 'exception',
  listWindows: 'window',
  getWindow: 'window',
  listWindowOpenings: 'window',
  getHostWindows: 'host',
  listDeployments: 'deployment',
  getDeployment: 'deployment',
  listSnapshotHooks: 'hook',
  claimJob: 'job',
};

function queryString(query: Record<string, string> | undefined): string {
  const entries = Object.entries(query ?? {});
  return entries.length ? `?${new URLSearchParams(entries).toString()}` : '';
}

/** Sends a read (and its further pages) as `side`, answering what is wrong with the answers. */
async function perform(side: Side, read: Read): Promise<string[]> {
  const operation = operations.find((o) => o.operationId === read.op);
  if (!operation) return [`${read.op} is not served`];
  const own = sides[side];
  const them = sides[other(side)];
  const token = own.tenant.tokens[read.token];
  const echoes = echoesOf(read);
  const problems: string[] = [];
  let query = read.query;
  for (let page = 0; page < (read.pages ?? 1); page++) {
    const path =
      operation.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(read.params?.[name]))) +
      queryString(query);
    const answer: Answer = await client.request(operation.method, path, {
      token,
      ...(read.json !== undefined ? { json: read.json } : {}),
      ...(read.accept ? { accept: read.accept } : {}),
    });
    requests += 1;
    exercised.set(read.op, (exercised.get(read.op) ?? 0) + 1);
    if (answer.status >= 200 && answer.status < 300) succeeded.set(read.op, (succeeded.get(read.op) ?? 0) + 1);
    const where = `${side} (${read.token}) ${operation.method} ${path}${read.json ? ` ${JSON.stringify(read.json)}` : ''} -> ${answer.status}`;
    if (answer.status >= 500) problems.push(`${where}: server error ${answer.text.slice(0, 300)}`);
    let text = answer.text;
    for (const echo of echoes) if (echo) text = text.split(echo).join('');
    for (const secret of them.texts) {
      if (text.includes(secret)) {
        const at = text.indexOf(secret);
        problems.push(
          `${where}: shows "${secret}" of tenant ${other(side)}: ...${text.slice(Math.max(0, at - 150), at + 150)}...`,
        );
      }
    }
    if (answer.json !== undefined) {
      const found: [string, number][] = [];
      idsIn(answer.json, kindOf[read.op] ?? read.op, found);
      for (const [kind, id] of found) {
        if (them.ids.get(kind)?.has(id) && !own.ids.get(kind)?.has(id)) {
          problems.push(`${where}: names ${kind} ${id} of tenant ${other(side)}`);
        }
      }
    }
    if (answer.status !== 200 || !answer.json) break;
    const body = answer.json as { nextCursor?: string | null; cursor?: string; more?: boolean };
    if (typeof body.nextCursor === 'string') query = { ...query, cursor: body.nextCursor };
    else if (read.op === 'listEvents' && body.more && body.cursor) query = { ...query, since: body.cursor };
    else break;
  }
  return problems;
}

describe('tenant isolation fuzz', () => {
  beforeAll(async () => {
    client = testClient();
    sides.A = await harvest(await seedSide('alphaqz', 'CVE-2026-90001', '10.99.0.1'));
    sides.B = await harvest(await seedSide('bravoqz', 'CVE-2026-90002', '10.99.0.2'));
    // Each side's texts must really be its own, or the checks below would prove nothing.
    for (const side of ['A', 'B'] as const) {
      for (const text of sides[side].texts) expect(sides[other(side)].texts, text).not.toContain(text);
    }
    operations = operationsOf(await client.api('GET', '/v1/openapi.json', 200, { token: ROOT_TOKEN }));
  }, 60_000);

  afterAll(() => {
    console.log(`isolation fuzz: ${cases} cases, ${requests} requests over ${exercised.size} read routes, 2 tenants`);
  });

  it('covers every GET route of the served OpenAPI document, POST /v1/lookup and POST /v1/hosts/match', () => {
    const reads = operations.filter((o) => o.method === 'GET' || POST_READS.includes(o.operationId));
    const generators = readsFor('A');
    const uncovered = reads
      .filter((o) => !(o.operationId in generators))
      .map((o) => `${o.method} ${o.path} (${o.operationId})`);
    expect(uncovered, 'read routes the isolation fuzz does not cover').toEqual([]);
    const stale = Object.keys(generators).filter((id) => !reads.some((o) => o.operationId === id));
    expect(stale, 'fuzz generators for routes the document does not serve as reads').toEqual([]);
    expect(reads.length).toBeGreaterThanOrEqual(30);
    // Every format and media type of a read route is asked for: a new one fails here.
    const formats = reads.flatMap((o) =>
      Object.entries(o.enums).flatMap(([name, values]) =>
        values.filter((v) => !ENUMS[o.operationId]?.[name]?.includes(v)).map((v) => `${o.operationId} ${name}=${v}`),
      ),
    );
    expect(formats, 'query values of read routes the isolation fuzz never sends').toEqual([]);
    const media = reads.flatMap((o) =>
      o.produces
        .filter((type) => type !== 'application/json' && !ACCEPTS[o.operationId]?.includes(type))
        .map((type) => `${o.operationId} ${type}`),
    );
    expect(media, 'media types of read routes the isolation fuzz never asks for').toEqual([]);
  });

  it('reads every route once with the other tenant’s own ids, hostnames and cursors', async () => {
    const problems: string[] = [];
    for (const side of ['A', 'B'] as const) {
      const them = sides[other(side)];
      const ids = (kind: string) => [...(them.ids.get(kind) ?? [])];
      const sweep: Read[] = [
        ...ids('exception').map((id) => ({ op: 'getException', token: 'admin' as const, params: { id } })),
        ...ids('window').flatMap((id) => [
          { op: 'getWindow', token: 'admin' as const, params: { id } },
          { op: 'listWindowOpenings', token: 'admin' as const, params: { id } },
        ]),
        ...ids('deployment').flatMap((id) => [
          { op: 'getDeployment', token: 'admin' as const, params: { id } },
          { op: 'getRunbook', token: 'admin' as const, params: { id } },
        ]),
        ...[them.onlyHost, 'web-01'].flatMap((hostname) =>
          ['getHost', 'getSoftware', 'getInventoryHistory', 'getHostWindows'].map((op) => ({
            op,
            token: 'admin' as const,
            params: { hostname },
          })),
        ),
        { op: 'getAdvisory', token: 'viewer', params: { id: them.privateAdvisory } },
        { op: 'getAdvisory', token: 'viewer', params: { id: ADVISORY } },
        { op: 'listQuarantine', token: 'admin', params: { id: them.tenant.feedId } },
        { op: 'lookup', token: 'viewer', query: { ids: [them.privateAdvisory, them.privateCve, ADVISORY].join(',') } },
        { op: 'lookupMany', token: 'viewer', json: { ids: [them.privateAdvisory, them.privateCve, CVE] } },
        { op: 'matchHosts', token: 'viewer', json: { names: [them.onlyHost, them.address, 'web-01'] } },
        { op: 'listFindings', token: 'viewer', query: { advisory: them.privateAdvisory }, pages: 5 },
        { op: 'listFindings', token: 'viewer', query: { cve: them.privateCve }, pages: 5 },
        { op: 'listHosts', token: 'viewer', query: { tag: `${them.tenant.marker}-tag` }, pages: 5 },
        { op: 'listEvents', token: 'viewer', query: { since: them.eventCursor }, pages: 20 },
        ...them.cursors.flatMap((cursor) =>
          ['listHosts', 'listFindings', 'listAudit', 'listExceptions', 'listDeployments'].map((op) => ({
            op,
            token: 'admin' as const,
            query: { cursor, limit: '2' },
            pages: 50,
          })),
        ),
        ...['listHosts', 'listFindings', 'listAudit', 'listExceptions', 'listDeployments'].map((op) => ({
          op,
          token: 'admin' as const,
          query: { limit: '1' },
          pages: 200,
        })),
        { op: 'exportExceptions', token: 'viewer', query: { format: 'openvex' } },
        { op: 'exportExceptions', token: 'viewer', query: { format: 'csaf' } },
        { op: 'getReportSummary', token: 'viewer', query: { format: 'csv' } },
        { op: 'getReportSummary', token: 'viewer' },
        { op: 'getComplianceReport', token: 'viewer', query: { format: 'html' } },
        { op: 'getComplianceReport', token: 'viewer', query: { format: 'markdown' } },
      ];
      // Every read route at least once, whatever the sweep above missed.
      const generators = readsFor(side);
      for (const [op, arbitrary] of Object.entries(generators)) {
        if (!sweep.some((r) => r.op === op)) sweep.push(...fc.sample(arbitrary, { numRuns: 3, seed: 42 }));
      }
      for (const read of sweep) problems.push(...(await perform(side, read)));
    }
    expect(problems, 'answers of one tenant that show the other’s data').toEqual([]);
  }, 60_000);

  it('never shows one tenant the other’s data, for generated sequences of reads', async () => {
    const problems: string[] = [];
    const generators = { A: readsFor('A'), B: readsFor('B') };
    const sequence = fc.constantFrom<Side>('A', 'B').chain((side) =>
      fc.record({
        side: fc.constant(side),
        reads: fc.array(fc.oneof(...Object.values(generators[side])), { minLength: 1, maxLength: 6 }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(sequence, async ({ side, reads }) => {
        cases += 1;
        const found: string[] = [];
        for (const read of reads) found.push(...(await perform(side, read)));
        problems.push(...found);
        return found.length === 0;
      }),
      { numRuns: 400, endOnFailure: true },
    );
    expect(problems).toEqual([]);
    const never = Object.keys(generators.A).filter((op) => !exercised.has(op));
    expect(never, 'read routes no case exercised').toEqual([]);
    // listTenants is the root token's: every tenant token is refused, which is the point.
    const neverAnswered = Object.keys(generators.A).filter((op) => op !== 'listTenants' && !succeeded.has(op));
    expect(neverAnswered, 'read routes that never answered 2xx, so their data was never checked').toEqual([]);
  }, 60_000);
});
