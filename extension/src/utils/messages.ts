/**
 * The messages content scripts and extension pages send to the background, which alone holds the
 * token and talks to the backend. Each is a valibot schema: the background ignores anything that
 * does not validate, and anything from outside the extension (web pages cannot reach
 * runtime.onMessage without `externally_connectable`, and we declare none).
 *
 * Two audiences, two sets:
 * - content scripts (running on vendor pages and admins' consoles) may ask only what an overlay
 *   needs: lookup, schedule, undo, request an exception, annotate hosts, open the dashboard;
 * - extension pages (popup, options, dashboard) may also call the API routes listed in
 *   PAGE_OPERATIONS, through `patchboard:api`.
 */
import * as v from 'valibot';

const Ids = v.pipe(v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(128))), v.minLength(1), v.maxLength(500));

export const StatusRequest = v.strictObject({ type: v.literal('patchboard:status') });
export const LookupRequest = v.strictObject({ type: v.literal('patchboard:lookup'), ids: Ids });
export const ScheduleRequest = v.strictObject({
  type: v.literal('patchboard:schedule'),
  ids: v.pipe(Ids, v.maxLength(50)),
});
export const UndoRequest = v.strictObject({
  type: v.literal('patchboard:undo'),
  deploymentId: v.pipe(v.number(), v.integer(), v.minValue(1)),
});
export const ExceptionRequest = v.strictObject({
  type: v.literal('patchboard:exception'),
  /** The body of POST /v1/exceptions, validated again by the backend. */
  body: v.record(v.string(), v.unknown()),
});
export const HostsRequest = v.strictObject({
  type: v.literal('patchboard:hosts'),
  /** Hostnames (and IP addresses) found on a console page. */
  names: v.pipe(v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(253))), v.maxLength(2000)),
});
export const OpenRequest = v.strictObject({
  type: v.literal('patchboard:open'),
  /** A route of the dashboard page, e.g. `#/findings?advisory=DSA-5678-1`. */
  route: v.pipe(v.string(), v.regex(/^#\/[A-Za-z0-9/?&=._:-]*$/, 'a dashboard route such as #/hosts/web-01')),
});

/** What a content script may send. */
export const ContentMessage = v.variant('type', [
  StatusRequest,
  LookupRequest,
  ScheduleRequest,
  UndoRequest,
  ExceptionRequest,
  HostsRequest,
  OpenRequest,
]);
export type ContentMessage = v.InferOutput<typeof ContentMessage>;

/**
 * API operations (operationIds of shared/src/api.ts) extension pages may call through the
 * background. Nothing here manages tenants or tokens.
 */
export const PAGE_OPERATIONS = [
  'listHosts',
  'getHost',
  'listFindings',
  'getPolicy',
  'listExceptions',
  'getException',
  'approveException',
  'rejectException',
  'revokeException',
  'createException',
  'listEvents',
  'getReportSummary',
  'getAdvisory',
  'getDeploymentPlan',
  'getHostWindows',
  'listDeployments',
  'getDeployment',
  'approveDeployment',
  'rejectDeployment',
  'cancelDeployment',
  'submitDeployment',
  'scheduleDeployment',
  'listWindows',
  'listFeeds',
  'lookup',
  'lookupMany',
] as const;

export const ApiRequest = v.strictObject({
  type: v.literal('patchboard:api'),
  operationId: v.picklist(PAGE_OPERATIONS),
  /** Path parameters by name ({hostname}, {id}). */
  params: v.optional(v.record(v.string(), v.pipe(v.string(), v.maxLength(300))), {}),
  query: v.optional(v.record(v.string(), v.pipe(v.string(), v.maxLength(2000))), {}),
  body: v.optional(v.unknown()),
});

/** Settings pages: check a backend URL and token before saving them. */
export const CheckTokenRequest = v.strictObject({
  type: v.literal('patchboard:check-token'),
  backendUrl: v.pipe(v.string(), v.maxLength(2000)),
  token: v.pipe(v.string(), v.maxLength(200)),
});

/** Settings pages: forget the saved token (the background erases both its copies). */
export const ForgetTokenRequest = v.strictObject({ type: v.literal('patchboard:forget-token') });

/** Extension pages: poll events and repaint the badge now (after changing preferences, say). */
export const RefreshRequest = v.strictObject({ type: v.literal('patchboard:refresh') });

/** What an extension page may send: everything a content script may, plus API calls and settings. */
export const PageMessage = v.variant('type', [
  StatusRequest,
  LookupRequest,
  ScheduleRequest,
  UndoRequest,
  ExceptionRequest,
  HostsRequest,
  OpenRequest,
  ApiRequest,
  CheckTokenRequest,
  ForgetTokenRequest,
  RefreshRequest,
]);
export type PageMessage = v.InferOutput<typeof PageMessage>;

/** Every answer of the background: the data, or an error a person can read (never the token). */
export type Reply<T> =
  | { readonly ok: true; readonly data: T }
  | { readonly ok: false; readonly error: string; readonly status?: number };

/** Back compatibility of the status check the popup made before. */
export type StatusRequest = v.InferOutput<typeof StatusRequest>;
