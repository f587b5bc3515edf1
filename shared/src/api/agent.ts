/** The contract of enrolment and the agent protocol (docs/agent-protocol.md); joined into `routes` by ../api.ts. */
import * as v from 'valibot';
import { type RouteContract, route } from '../contract';
import {
  CreatedEnrolmentToken,
  CreateEnrolmentTokenRequest,
  Enrolled,
  EnrolmentToken,
  EnrolmentTokenParams,
  EnrolRequest,
  Instruction,
  JobParams,
  StepReport,
} from '../schemas/agent';

export const agentRoutes = {
  createEnrolmentToken: route({
    operationId: 'createEnrolmentToken',
    method: 'POST',
    path: '/v1/enrolment-tokens',
    summary: 'Make an enrolment token: new hosts present it once to get their own agent token',
    description:
      'The secret is shown once (only its SHA-256 is kept). It gives the hosts it enrols its ring and tags, expires (7 days unless told, at most 90), and may be limited to a number of uses. It can do nothing but enrol.',
    tag: 'agents',
    access: ['admin'],
    body: CreateEnrolmentTokenRequest,
    status: 201,
    response: CreatedEnrolmentToken,
  }),
  listEnrolmentTokens: route({
    operationId: 'listEnrolmentTokens',
    method: 'GET',
    path: '/v1/enrolment-tokens',
    summary: 'Enrolment tokens of the tenant, newest first (never their secrets)',
    tag: 'agents',
    access: ['admin'],
    status: 200,
    response: v.object({ items: v.array(EnrolmentToken) }),
  }),
  revokeEnrolmentToken: route({
    operationId: 'revokeEnrolmentToken',
    method: 'DELETE',
    path: '/v1/enrolment-tokens/{prefix}',
    summary: 'Revoke an enrolment token (hosts it enrolled keep their agent tokens)',
    tag: 'agents',
    access: ['admin'],
    params: EnrolmentTokenParams,
    status: 204,
  }),
  enrolAgent: route({
    operationId: 'enrolAgent',
    method: 'POST',
    path: '/v1/agent/enrol',
    summary: 'Enrol a host with an enrolment token (Authorization: Bearer pbe_...): its agent token',
    description:
      'Creates the host (ring and tags from the enrolment token) or updates its OS; answers a new agent token for that host alone, shown once, and revokes its earlier agent tokens (re-enrolling rotates).',
    tag: 'agents',
    access: 'public',
    body: EnrolRequest,
    status: 201,
    response: Enrolled,
  }),
  claimJob: route({
    operationId: 'claimJob',
    method: 'GET',
    path: '/v1/agent/jobs',
    summary: "Claim the host's next due job with a lease: its first step's commands (204: nothing due)",
    description:
      'A job is due when its deployment runs, its ring is the current one and the host is inside one of its maintenance windows. Each job is handed out once; a lease that expires without a report makes it claimable again. `Accept: text/plain` answers the tab-separated form for sh (docs/agent-protocol.md).',
    tag: 'agents',
    access: ['agent'],
    status: 200,
    produces: ['application/json', 'text/plain'],
    response: Instruction,
  }),
  reportJobStep: route({
    operationId: 'reportJobStep',
    method: 'POST',
    path: '/v1/agent/jobs/{id}/events',
    summary: "Report a step's results (exit codes, output, log); the answer is the next instruction",
    description:
      'multipart/form-data (lease, step, exit.N, output.N, log) or JSON. A wrong or stale lease, or a step that is not the current one, is a 409 and changes nothing.',
    tag: 'agents',
    access: ['agent'],
    params: JobParams,
    body: {
      kind: 'raw',
      contentTypes: ['multipart/form-data', 'application/json'],
      json: StepReport,
      description: 'The step report as multipart form fields (sh + curl -F) or as JSON (PowerShell).',
    },
    status: 200,
    produces: ['application/json', 'text/plain'],
    response: Instruction,
  }),
} as const satisfies Record<string, RouteContract>;
