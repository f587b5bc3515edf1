/**
 * The HTTP contract of Patchboard: every route with its access rule and the valibot schemas of
 * its parameters, query, body and answer. The worker validates requests with these schemas and
 * generates /v1/openapi.json from them; the extension's client is typed by them. One source, so
 * the documentation cannot drift from what the server enforces.
 */
import * as v from 'valibot';
import { Advisory, AdvisoryParams, Finding, FindingsQuery, ImportResult } from './schemas/advisory';
import { AuditEntry, AuditQuery } from './schemas/audit';
import type { Role } from './schemas/common';
import { Page, PageQuery, TokenPrefix } from './schemas/common';
import { EventsPage, EventsQuery } from './schemas/event';
import {
  CreateExceptionRequest,
  ExceptionDecisionRequest,
  ExceptionExportQuery,
  ExceptionListQuery,
  ExceptionParams,
  RiskException,
  RiskExceptionDetail,
  VexDocument,
} from './schemas/exception';
import {
  CreateFeedRequest,
  Feed,
  FeedParams,
  ImportQuery,
  QuarantineEntry,
  QuarantineQuery,
  SyncResult,
} from './schemas/feed';
import { Host, HostDetail, HostListQuery, HostParams, PutHostRequest } from './schemas/host';
import {
  InventoryReport,
  InventoryReportSummary,
  inventoryFormats,
  SoftwarePage,
  SoftwareQuery,
} from './schemas/inventory';
import { LookupQuery, LookupRequest, LookupResult } from './schemas/lookup';
import { Policy, PolicyDocument } from './schemas/policy';
import { ComplianceQuery, Summary, SummaryQuery } from './schemas/report';
import { CreatedTenant, CreateTenantRequest, Tenant } from './schemas/tenant';
import { CreatedToken, CreateTokenRequest, TokenList } from './schemas/token';
/**
 * Who may call a route: nobody needs a token (`public`), only the provider's root token (`root`),
 * or tokens of the listed roles, where `root` in a list lets the root token in too (acting on
 * global data, since it has no tenant). `agent` in the list means an agent token, and only for the
 * host named by the route's `{hostname}`; any other host answers 404 as if it did not exist.
 */
export type Access = 'public' | 'root' | readonly (Role | 'root')[];

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** A body the route reads as raw text in one of several formats chosen by Content-Type. */
export interface RawBody {
  readonly kind: 'raw';
  readonly contentTypes: readonly string[];
  /** The schema of the `application/json` variant, for the documentation. */
  readonly json?: v.GenericSchema;
  readonly description: string;
}

export interface RouteContract {
  readonly operationId: string;
  readonly method: Method;
  /** OpenAPI path template, e.g. `/v1/hosts/{hostname}`. */
  readonly path: string;
  readonly summary: string;
  readonly description?: string;
  readonly tag: string;
  readonly access: Access;
  readonly params?: v.GenericSchema;
  readonly query?: v.GenericSchema;
  readonly body?: v.GenericSchema | RawBody;
  readonly status: 200 | 201 | 204;
  /** Media types of a successful answer when it is not only JSON (reports as CSV, Markdown, HTML). */
  readonly produces?: readonly string[];
  readonly response?: v.GenericSchema;
}

const READERS = ['admin', 'approver', 'operator', 'viewer'] as const satisfies readonly Role[];

function route<const C extends RouteContract>(contract: C): C {
  return contract;
}

export const Health = v.object({ ok: v.literal(true), version: v.string() });

export const routes = {
  health: route({
    operationId: 'getHealth',
    method: 'GET',
    path: '/health',
    summary: 'Liveness and version',
    tag: 'meta',
    access: 'public',
    status: 200,
    response: Health,
  }),
  openapi: route({
    operationId: 'getOpenApi',
    method: 'GET',
    path: '/v1/openapi.json',
    summary: 'This OpenAPI 3.1 document',
    tag: 'meta',
    access: 'public',
    status: 200,
  }),
  createTenant: route({
    operationId: 'createTenant',
    method: 'POST',
    path: '/v1/tenants',
    summary: 'Create a tenant (a customer of the service provider) and its first admin token',
    tag: 'tenants',
    access: 'root',
    body: CreateTenantRequest,
    status: 201,
    response: CreatedTenant,
  }),
  listTenants: route({
    operationId: 'listTenants',
    method: 'GET',
    path: '/v1/tenants',
    summary: 'List tenants',
    tag: 'tenants',
    access: 'root',
    status: 200,
    response: v.object({ items: v.array(Tenant) }),
  }),
  createTenantAdminToken: route({
    operationId: 'createTenantAdminToken',
    method: 'POST',
    path: '/v1/tenants/{tenantId}/tokens',
    summary: "Issue a new admin token for a tenant (the provider's recovery path when a customer has lost theirs)",
    tag: 'tenants',
    access: 'root',
    params: v.object({ tenantId: v.pipe(v.string(), v.regex(/^tn_[A-Za-z0-9]{16}$/, 'not a tenant id')) }),
    body: v.strictObject({ label: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100))) }),
    status: 201,
    response: CreatedToken,
  }),
  createToken: route({
    operationId: 'createToken',
    method: 'POST',
    path: '/v1/tokens',
    summary: 'Create an API token; the secret is shown once',
    tag: 'tokens',
    access: ['admin'],
    body: CreateTokenRequest,
    status: 201,
    response: CreatedToken,
  }),
  listTokens: route({
    operationId: 'listTokens',
    method: 'GET',
    path: '/v1/tokens',
    summary: "List the tenant's tokens (prefixes only, never secrets)",
    tag: 'tokens',
    access: ['admin'],
    status: 200,
    response: TokenList,
  }),
  revokeToken: route({
    operationId: 'revokeToken',
    method: 'DELETE',
    path: '/v1/tokens/{prefix}',
    summary: 'Revoke a token',
    tag: 'tokens',
    access: ['admin'],
    params: v.object({ prefix: TokenPrefix }),
    status: 204,
  }),
  putHost: route({
    operationId: 'putHost',
    method: 'PUT',
    path: '/v1/hosts/{hostname}',
    summary: 'Register a host or update it',
    description:
      'Fields left out keep their current value on an existing host and take the default on a new one (ring prod, criticality 3, not internet-facing, no tags).',
    tag: 'hosts',
    access: ['admin', 'operator'],
    params: HostParams,
    body: PutHostRequest,
    status: 200,
    response: Host,
  }),
  listHosts: route({
    operationId: 'listHosts',
    method: 'GET',
    path: '/v1/hosts',
    summary: 'List hosts, filtered by ring, tag or ecosystem',
    tag: 'hosts',
    access: READERS,
    query: HostListQuery,
    status: 200,
    response: Page(Host),
  }),
  getHost: route({
    operationId: 'getHost',
    method: 'GET',
    path: '/v1/hosts/{hostname}',
    summary: 'One host, with its unresolved findings and why each applies',
    tag: 'hosts',
    access: [...READERS, 'agent'],
    params: HostParams,
    status: 200,
    response: HostDetail,
  }),
  deleteHost: route({
    operationId: 'deleteHost',
    method: 'DELETE',
    path: '/v1/hosts/{hostname}',
    summary: 'Remove a decommissioned host, its software and history; its agent tokens are revoked',
    tag: 'hosts',
    access: ['admin'],
    params: HostParams,
    status: 204,
  }),
  putSoftware: route({
    operationId: 'putSoftware',
    method: 'PUT',
    path: '/v1/hosts/{hostname}/software',
    summary: "Replace the host's installed software atomically; the difference is kept in its history",
    tag: 'inventory',
    access: ['admin', 'operator', 'agent'],
    params: HostParams,
    body: {
      kind: 'raw',
      contentTypes: inventoryFormats,
      description:
        'The format is chosen by Content-Type: our JSON, `dpkg-query -W` output, /var/lib/dpkg/status, `rpm -qa` output, /lib/apk/db/installed, CycloneDX or SPDX JSON SBOMs, osquery result rows, or `Get-HotFix | ConvertTo-Json`. At most 8 MiB.',
    },
    status: 200,
    response: InventoryReportSummary,
  }),
  getSoftware: route({
    operationId: 'getSoftware',
    method: 'GET',
    path: '/v1/hosts/{hostname}/software',
    summary: 'Installed packages and hotfixes of a host',
    tag: 'inventory',
    access: [...READERS, 'agent'],
    params: HostParams,
    query: SoftwareQuery,
    status: 200,
    response: SoftwarePage,
  }),
  getHistory: route({
    operationId: 'getInventoryHistory',
    method: 'GET',
    path: '/v1/hosts/{hostname}/history',
    summary: 'What changed at each software report of a host, newest first',
    tag: 'inventory',
    access: READERS,
    params: HostParams,
    query: v.strictObject({ ...PageQuery }),
    status: 200,
    response: Page(InventoryReport),
  }),
  importAdvisories: route({
    operationId: 'importAdvisories',
    method: 'POST',
    path: '/v1/advisories/import',
    summary: 'Import bulletins: advisories into this tenant, or (root) into the global set and per-CVE facts',
    description:
      'For air-gapped sites and private advisories. Formats: an OSV record or an array of them, a CSAF 2.0 document, an MSRC CVRF v3 monthly document (JSON), the Debian security tracker JSON, and (root only, since they are facts every tenant shares) the CISA KEV catalog, an EPSS CSV and an NVD CVE API 2.0 response. The format is recognised from the content or named by `?format=`. Each document is checked on its own: valid ones are stored (the same document twice changes nothing) and matched against the hosts that have its packages; invalid ones are listed with their index and reason. A tenant’s import of an id shadows the global advisory of that id for this tenant only.',
    tag: 'advisories',
    access: ['admin', 'operator', 'root'],
    query: ImportQuery,
    body: {
      kind: 'raw',
      contentTypes: ['application/json', 'text/csv', 'text/plain'],
      description: 'The document, at most 8 MiB.',
    },
    status: 200,
    response: ImportResult,
  }),
  getAdvisory: route({
    operationId: 'getAdvisory',
    method: 'GET',
    path: '/v1/advisories/{id}',
    summary: 'One advisory as this tenant sees it, with what it affects and its finding counts',
    tag: 'advisories',
    access: READERS,
    params: AdvisoryParams,
    status: 200,
    response: Advisory,
  }),
  listFindings: route({
    operationId: 'listFindings',
    method: 'GET',
    path: '/v1/findings',
    summary: 'Findings (host x advisory x package), newest first, each with why it applies',
    tag: 'findings',
    access: READERS,
    query: FindingsQuery,
    status: 200,
    response: Page(Finding),
  }),
  listFeeds: route({
    operationId: 'listFeeds',
    method: 'GET',
    path: '/v1/feeds',
    summary: 'Bulletin feeds with their state: cursor, ETag, last success, last error, counts',
    tag: 'feeds',
    access: [...READERS, 'root'],
    status: 200,
    response: v.object({ items: v.array(Feed) }),
  }),
  createFeed: route({
    operationId: 'createFeed',
    method: 'POST',
    path: '/v1/feeds',
    summary: 'Follow a CSAF 2.0 provider: for this tenant (admin) or for every tenant (root)',
    tag: 'feeds',
    access: ['admin', 'root'],
    body: CreateFeedRequest,
    status: 201,
    response: Feed,
  }),
  deleteFeed: route({
    operationId: 'deleteFeed',
    method: 'DELETE',
    path: '/v1/feeds/{id}',
    summary: 'Stop following a provider that was added (the preconfigured feeds cannot be deleted)',
    tag: 'feeds',
    access: ['admin', 'root'],
    params: FeedParams,
    status: 204,
  }),
  syncFeed: route({
    operationId: 'syncFeed',
    method: 'POST',
    path: '/v1/feeds/{id}/sync',
    summary: 'Run one feed now',
    tag: 'feeds',
    access: ['admin', 'root'],
    params: FeedParams,
    status: 200,
    response: SyncResult,
  }),
  listQuarantine: route({
    operationId: 'listQuarantine',
    method: 'GET',
    path: '/v1/feeds/{id}/quarantine',
    summary: 'Documents the feed delivered but Patchboard refused, with why, newest first',
    tag: 'feeds',
    access: ['admin', 'root'],
    params: FeedParams,
    query: QuarantineQuery,
    status: 200,
    response: Page(QuarantineEntry),
  }),
  listAudit: route({
    operationId: 'listAudit',
    method: 'GET',
    path: '/v1/audit',
    summary: "The tenant's audit log, newest first (root: the log of global changes, such as feed updates)",
    tag: 'audit',
    access: [...READERS, 'root'],
    query: AuditQuery,
    status: 200,
    response: Page(AuditEntry),
  }),
  // --- triage: policy, events ---
  getPolicy: route({
    operationId: 'getPolicy',
    method: 'GET',
    path: '/v1/policy',
    summary: "The tenant's prioritisation policy (the default until changed), with its description",
    tag: 'triage',
    access: READERS,
    status: 200,
    response: PolicyDocument,
  }),
  putPolicy: route({
    operationId: 'putPolicy',
    method: 'PUT',
    path: '/v1/policy',
    summary: "Replace the tenant's prioritisation policy; every unresolved finding is re-prioritised",
    tag: 'triage',
    access: ['admin'],
    body: Policy,
    status: 200,
    response: PolicyDocument,
  }),
  deletePolicy: route({
    operationId: 'deletePolicy',
    method: 'DELETE',
    path: '/v1/policy',
    summary: 'Return to the default prioritisation policy; every unresolved finding is re-prioritised',
    tag: 'triage',
    access: ['admin'],
    status: 200,
    response: PolicyDocument,
  }),
  listEvents: route({
    operationId: 'listEvents',
    method: 'GET',
    path: '/v1/events',
    summary: 'Events for the toolbar since a cursor, oldest first (ETag; 304 when nothing is new)',
    description:
      'New P1 findings, findings newly on CISA KEV, approvals waiting, exceptions about to expire or expired, failed rings. Each event is delivered once and in order: poll with the cursor of the last answer and If-None-Match with its ETag.',
    tag: 'triage',
    access: READERS,
    query: EventsQuery,
    status: 200,
    response: EventsPage,
  }),
  // --- risk exceptions ---
  createException: route({
    operationId: 'createException',
    method: 'POST',
    path: '/v1/exceptions',
    summary: 'Request a risk exception: hosts x vulnerability, reason, compensating control, expiry',
    description:
      'Hosts by hostname, tag, ring or all; the vulnerability by advisory id (or any of its aliases), CVE or package. The expiry lies ahead, at most 365 days. The exception waits for an approver other than the requester (an approval.waiting event announces it); only then are the findings it covers excepted.',
    tag: 'exceptions',
    access: ['admin', 'operator', 'approver'],
    body: CreateExceptionRequest,
    status: 201,
    response: RiskException,
  }),
  listExceptions: route({
    operationId: 'listExceptions',
    method: 'GET',
    path: '/v1/exceptions',
    summary: 'Risk exceptions, newest first, optionally of one status',
    tag: 'exceptions',
    access: READERS,
    query: ExceptionListQuery,
    status: 200,
    response: Page(RiskException),
  }),
  exportExceptions: route({
    operationId: 'exportExceptions',
    method: 'GET',
    path: '/v1/exceptions/export',
    summary: 'The accepted risks as one OpenVEX 0.2.0 or CSAF 2.0 VEX document',
    description:
      'Every finding that an approved, unexpired exception excepts now, stated as affected with the compensating control as the action and the expiry. 404 when no finding is under an active exception (neither format allows a document without statements).',
    tag: 'exceptions',
    access: READERS,
    query: ExceptionExportQuery,
    status: 200,
    response: VexDocument,
  }),
  getException: route({
    operationId: 'getException',
    method: 'GET',
    path: '/v1/exceptions/{id}',
    summary: 'One risk exception with the findings it excepts now',
    tag: 'exceptions',
    access: READERS,
    params: ExceptionParams,
    status: 200,
    response: RiskExceptionDetail,
  }),
  approveException: route({
    operationId: 'approveException',
    method: 'POST',
    path: '/v1/exceptions/{id}/approve',
    summary: 'Approve a requested risk exception (never your own); its findings are excepted at once',
    tag: 'exceptions',
    access: ['admin', 'approver'],
    params: ExceptionParams,
    body: ExceptionDecisionRequest,
    status: 200,
    response: RiskExceptionDetail,
  }),
  rejectException: route({
    operationId: 'rejectException',
    method: 'POST',
    path: '/v1/exceptions/{id}/reject',
    summary: 'Reject a requested risk exception (never your own)',
    tag: 'exceptions',
    access: ['admin', 'approver'],
    params: ExceptionParams,
    body: ExceptionDecisionRequest,
    status: 200,
    response: RiskExceptionDetail,
  }),
  revokeException: route({
    operationId: 'revokeException',
    method: 'POST',
    path: '/v1/exceptions/{id}/revoke',
    summary: 'Revoke an approved risk exception; its findings reopen',
    tag: 'exceptions',
    access: ['admin', 'approver'],
    params: ExceptionParams,
    body: ExceptionDecisionRequest,
    status: 200,
    response: RiskExceptionDetail,
  }),
  // --- lookup ---
  lookup: route({
    operationId: 'lookup',
    method: 'GET',
    path: '/v1/lookup',
    summary: 'Look up to 500 advisory ids of any kind: what this tenant has of each',
    description:
      'For the browser extension: one answer per id, in request order. An id matches advisories by their id or any alias (a CVE matches every advisory naming it), a KB the advisories it fixes, an old-style DSA-NNN each revision; only advisories this tenant can see count (its own imports shadow the global advisory of the same id). Each answer says whether the id is known, its advisories and CVEs, the hosts of this tenant with unresolved findings in total and per ring, finding counts per status, the most urgent priority with its explanation and due date, KEV and EPSS, and the fixed versions in the ecosystems of its hosts. Ids that are not recognised answer `known: false` with the reason rather than failing the call. `nextDeployment` is null until deployments exist.',
    tag: 'lookup',
    access: READERS,
    query: LookupQuery,
    status: 200,
    response: LookupResult,
  }),
  lookupMany: route({
    operationId: 'lookupMany',
    method: 'POST',
    path: '/v1/lookup',
    summary: 'The same lookup with the ids in a JSON body, for lists too long for a URL',
    description: 'Reads nothing but the body and changes nothing: the same answer as `GET /v1/lookup?ids=`.',
    tag: 'lookup',
    access: READERS,
    body: LookupRequest,
    status: 200,
    response: LookupResult,
  }),
  // --- reports ---
  getReportSummary: route({
    operationId: 'getReportSummary',
    method: 'GET',
    path: '/v1/reports/summary',
    summary:
      "Summarise the tenant's patch posture: unresolved findings by priority, SLA breaches, remediation times, coverage per ring, the 90-day trend",
    description:
      "As of the request; the period is the 90 UTC days ending today. JSON by default; `?format=csv` (or `Accept: text/csv`) answers the same figures as an RFC 4180 CSV attachment in long form (`section,key,metric,value`) that a spreadsheet can pivot, with text cells that would start a formula prefixed by `'`. The trend is reconstructed from when findings were first seen and resolved: a finding resolved and later reopened counts as unresolved from its first sighting.",
    tag: 'reports',
    access: READERS,
    query: SummaryQuery,
    status: 200,
    produces: ['application/json', 'text/csv'],
    response: Summary,
  }),
  getComplianceReport: route({
    operationId: 'getComplianceReport',
    method: 'GET',
    path: '/v1/reports/compliance',
    summary: 'Produce a compliance report for auditors, as Markdown or HTML',
    description:
      'A document as of the request covering the last 90 days: the tenant, the prioritisation policy in words, SLA compliance per priority, open breaches, active risk exceptions, coverage per ring and audit log activity. `?format=markdown` (the default; `text/markdown`) or `?format=html` (`text/html`: one self-contained page with inline CSS and a Content-Security-Policy that forbids scripts); without `format`, the Accept header decides. Sent as an attachment.',
    tag: 'reports',
    access: READERS,
    query: ComplianceQuery,
    status: 200,
    produces: ['text/markdown', 'text/html'],
  }),
} as const satisfies Record<string, RouteContract>;

export type Routes = typeof routes;
export type RouteName = keyof Routes;
