import { routes } from '@patchboard/shared/api';
import { ecosystemOf, isOsFamily, osFamilies } from '@patchboard/shared/os';
import { type Instruction, StepReport } from '@patchboard/shared/schemas/agent';
import type { Hono } from 'hono';
import { generateToken, sameDigest, sha256Hex } from '../auth/secrets';
import {
  ENROLMENT_TOKEN_PATTERN,
  enrolmentPrefix,
  enrolStatements,
  findEnrolmentToken,
  generateEnrolmentToken,
  insertEnrolmentTokenStatements,
  listEnrolmentTokens,
  revokeEnrolmentTokenStatements,
  toEnrolmentToken,
} from '../db/enrolment';
import { renderInstruction } from '../deploy/instruction';
import { claimJob, reportStep } from '../deploy/jobs';
import { ApiError, badRequest, notFound } from '../http/errors';
import { type AppContext, type AppEnv, auditActor, mount, type RawRequestBody } from '../http/routing';
import { parseInput } from '../http/validate';

const DAY_MS = 86_400_000;

const unauthorized = (message: string) => new ApiError(401, 'unauthorized', message);

/** The agent asked for the tab-separated form (sh) rather than JSON (PowerShell). */
function wantsText(c: AppContext): boolean {
  return (c.req.header('accept') ?? '').toLowerCase().includes('text/plain');
}

function answer(c: AppContext, instruction: Instruction): Response {
  return wantsText(c)
    ? new Response(renderInstruction(instruction), { headers: { 'content-type': 'text/plain; charset=utf-8' } })
    : c.json(instruction);
}

/** A multipart step report (sh + curl -F) as the JSON form: lease, step, exit.N / output.N, log. */
async function reportFromForm(form: FormData): Promise<unknown> {
  const text = async (value: File | string | null): Promise<string | undefined> => {
    if (value === null) return undefined;
    if (typeof value === 'string') return value;
    // Output files are decoded leniently: a package manager's output is not always valid UTF-8.
    return new TextDecoder('utf-8', { fatal: false, ignoreBOM: false }).decode(await value.arrayBuffer());
  };
  const results: { exit: number; output: string }[] = [];
  for (let i = 0; form.has(`exit.${i}`); i++) {
    const exit = (await text(form.get(`exit.${i}`))) ?? '';
    if (!/^-?\d{1,5}$/.test(exit.trim()))
      throw badRequest(`exit.${i} must be a whole number (got "${exit.slice(0, 20)}")`);
    results.push({ exit: Number(exit.trim()), output: (await text(form.get(`output.${i}`))) ?? '' });
  }
  return {
    lease: (await text(form.get('lease'))) ?? '',
    step: (await text(form.get('step'))) ?? '',
    results,
    log: (await text(form.get('log'))) ?? '',
  };
}

async function stepReportOf(body: RawRequestBody) {
  let raw: unknown;
  if (body.form) raw = await reportFromForm(body.form);
  else {
    try {
      raw = JSON.parse(body.text);
    } catch (err) {
      throw badRequest(`body is not valid JSON: ${(err as Error).message}`);
    }
  }
  return parseInput(StepReport, raw, 'body');
}

export function mountAgent(app: Hono<AppEnv>): void {
  mount(app, routes.createEnrolmentToken, async (c, { body, principal, now }) => {
    const { token, prefix } = generateEnrolmentToken();
    const actor = auditActor(principal, now);
    const [inserted] = await c.env.DB.batch<Parameters<typeof toEnrolmentToken>[0]>(
      insertEnrolmentTokenStatements(c.env.DB, actor, {
        prefix,
        token_hash: await sha256Hex(token),
        label: body.label ?? null,
        ring: body.ring,
        tags: JSON.stringify(body.tags),
        uses_left: body.uses ?? null,
        expires_at: new Date(now.getTime() + body.expiresInDays * DAY_MS).toISOString(),
      }),
    );
    const row = inserted?.results[0];
    if (!row) throw new Error('the inserted enrolment token was not returned');
    return { ...toEnrolmentToken(row), token };
  });

  mount(app, routes.listEnrolmentTokens, async (c, { principal }) => ({
    items: (await listEnrolmentTokens(c.env.DB, principal.tenantId)).map(toEnrolmentToken),
  }));

  mount(app, routes.revokeEnrolmentToken, async (c, { params, principal, now }) => {
    const row = await findEnrolmentToken(c.env.DB, params.prefix);
    if (!row || row.tenant_id !== principal.tenantId) throw notFound(`enrolment token ${params.prefix}`);
    await c.env.DB.batch(revokeEnrolmentTokenStatements(c.env.DB, auditActor(principal, now), params.prefix));
    return undefined;
  });

  mount(app, routes.enrolAgent, async (c, { body, now }) => {
    // Public in the contract: the enrolment token is checked here, not by the API token middleware.
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(c.req.header('authorization') ?? '');
    const presented = match?.[1] ?? '';
    if (!ENROLMENT_TOKEN_PATTERN.test(presented)) {
      throw unauthorized('enrolment needs "Authorization: Bearer pbe_..." (an enrolment token)');
    }
    const row = await findEnrolmentToken(c.env.DB, enrolmentPrefix(presented));
    const presentedHash = await sha256Hex(presented);
    if (!row || !sameDigest(presentedHash, row.token_hash)) throw unauthorized('invalid enrolment token');
    if (row.revoked_at) throw unauthorized('enrolment token revoked');
    if (row.expires_at <= now.toISOString()) throw unauthorized(`enrolment token expired at ${row.expires_at}`);
    if (row.uses_left === 0) throw unauthorized('enrolment token has no uses left');

    if (!isOsFamily(body.osFamily)) {
      throw badRequest(`osFamily "${body.osFamily}" is not one of: ${osFamilies.join(', ')}`);
    }
    const ecosystem = ecosystemOf(body.osFamily, body.osRelease);
    if ('error' in ecosystem) throw badRequest(`osRelease: ${ecosystem.error}`);

    const agent = generateToken();
    const [used] = await c.env.DB.batch(
      enrolStatements(c.env.DB, {
        prefix: row.prefix,
        tenantId: row.tenant_id,
        hostname: body.hostname,
        osFamily: body.osFamily,
        osRelease: body.osRelease,
        ecosystem: ecosystem.ecosystem,
        ring: row.ring,
        tags: JSON.parse(row.tags) as string[],
        agentPrefix: agent.prefix,
        agentHash: await sha256Hex(agent.token),
        at: now.toISOString(),
      }),
    );
    if (!used?.results.length) throw unauthorized('enrolment token has no uses left');
    return { hostname: body.hostname, token: agent.token };
  });

  mount(app, routes.claimJob, async (c, { principal, now }) => {
    const instruction = await claimJob(c.env.DB, principal, now);
    return instruction ? answer(c, instruction) : c.body(null, 204);
  });

  mount(app, routes.reportJobStep, async (c, { params, body, principal, now }) => {
    const report = await stepReportOf(body);
    return answer(c, await reportStep(c.env.DB, principal, params.id, report, now));
  });
}
