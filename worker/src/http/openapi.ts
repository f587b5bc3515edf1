import type { RawBody, RouteContract } from '@patchboard/shared/api';
import { ErrorBody } from '@patchboard/shared/schemas/error';
import { type JsonSchema, toJsonSchema } from '@valibot/to-json-schema';
import type * as v from 'valibot';

type Json = Record<string, unknown>;

/** JSON Schema 2020-12 (the dialect of OpenAPI 3.1) of the wire form of a valibot schema. */
function schemaOf(schema: v.GenericSchema, mode: 'input' | 'output'): JsonSchema {
  // Transformations (trim, lower-case) have no JSON Schema equivalent: the documented type is what is sent.
  const { $schema: _, ...json } = toJsonSchema(schema, {
    target: 'draft-2020-12',
    typeMode: mode,
    errorMode: 'ignore',
  });
  return json;
}

function objectEntries(schema: v.GenericSchema | undefined): [string, v.GenericSchema, boolean][] {
  if (!schema || !('entries' in schema)) return [];
  const entries = schema.entries as Record<string, v.GenericSchema>;
  return Object.entries(entries).map(([name, entry]) => [name, entry, entry.type !== 'optional']);
}

function parametersOf(contract: RouteContract): Json[] {
  const path = objectEntries(contract.params).map(([name, schema]) => ({
    name,
    in: 'path',
    required: true,
    schema: schemaOf(schema, 'input'),
  }));
  const query = objectEntries(contract.query).map(([name, schema, required]) => ({
    name,
    in: 'query',
    required,
    schema: schemaOf(schema, 'input'),
  }));
  return [...path, ...query];
}

function isRaw(body: RouteContract['body']): body is RawBody {
  return typeof body === 'object' && body !== null && 'kind' in body && body.kind === 'raw';
}

function requestBodyOf(contract: RouteContract): Json | undefined {
  const body = contract.body;
  if (!body) return undefined;
  if (isRaw(body)) {
    const content = Object.fromEntries(
      body.contentTypes.map((type) => [
        type,
        { schema: type === 'application/json' && body.json ? schemaOf(body.json, 'input') : { type: 'string' } },
      ]),
    );
    return { required: true, description: body.description, content };
  }
  return { required: true, content: { 'application/json': { schema: schemaOf(body, 'input') } } };
}

const errorRef = { $ref: '#/components/schemas/Error' };

function errorResponses(contract: RouteContract): Json {
  const error = (description: string) => ({ description, content: { 'application/json': { schema: errorRef } } });
  const responses: Json = {};
  if (contract.params || contract.query || contract.body)
    responses['400'] = error('Invalid input; details name the field or line');
  if (contract.access !== 'public') {
    responses['401'] = error('Missing, unknown or revoked token');
    responses['403'] = error('The token’s role may not use this route');
  }
  if (contract.params) responses['404'] = error('Not found (also for objects of another tenant)');
  if (contract.method !== 'GET' && contract.method !== 'DELETE') {
    responses['409'] = error('Conflicts with existing data or a concurrent change');
    responses['413'] = error('Body too large');
    responses['415'] = error('Unsupported Content-Type');
  }
  return responses;
}

function operationOf(contract: RouteContract): Json {
  const success =
    contract.status === 204
      ? { description: 'Done' }
      : {
          description: 'OK',
          content: Object.fromEntries(
            (contract.produces ?? ['application/json']).map((type) => [
              type,
              type === 'application/json'
                ? { schema: contract.response ? schemaOf(contract.response, 'output') : { type: 'object' } }
                : { schema: { type: 'string' } },
            ]),
          ),
        };
  const access =
    contract.access === 'public'
      ? 'No token needed.'
      : contract.access === 'root'
        ? 'Root token of the service provider.'
        : `Roles: ${contract.access.join(', ')}${contract.access.includes('agent') ? ' (an agent only for its own host)' : ''}.`;
  return {
    operationId: contract.operationId,
    summary: contract.summary,
    description: [contract.description, access].filter(Boolean).join('\n\n'),
    tags: [contract.tag],
    ...(contract.access === 'public' ? { security: [] } : {}),
    parameters: parametersOf(contract),
    ...(requestBodyOf(contract) ? { requestBody: requestBodyOf(contract) } : {}),
    responses: { [String(contract.status)]: success, ...errorResponses(contract) },
  };
}

/** The OpenAPI 3.1 document of every route of the contract. */
export function buildOpenApi(routes: Readonly<Record<string, RouteContract>>, version: string): Json {
  const paths: Record<string, Json> = {};
  for (const contract of Object.values(routes)) {
    paths[contract.path] = { ...paths[contract.path], [contract.method.toLowerCase()]: operationOf(contract) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Patchboard API',
      version,
      description:
        'Vendor security bulletins, fleet inventory, applicability and staged patch deployment. Every route but /health and this document needs `Authorization: Bearer <token>`; every object is scoped to the token’s tenant.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A Patchboard API token (pb_...)' } },
      schemas: { Error: schemaOf(ErrorBody, 'output') },
    },
    paths,
  };
}
