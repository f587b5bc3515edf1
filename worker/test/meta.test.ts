import { routes } from '@patchboard/shared/api';
import { describe, expect, it } from 'vitest';
import packageJson from '../../package.json';
import { call, expectStatus } from './helpers';

describe('meta routes', () => {
  it('GET /health answers without a token', async () => {
    const body = await expectStatus(call('GET', '/health'), 200);
    expect(body).toEqual({ ok: true, version: packageJson.version });
  });

  it('serves an OpenAPI 3.1 document with every route of the contract', async () => {
    const doc = await expectStatus<{
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          {
            operationId: string;
            parameters: { name: string; in: string }[];
            requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
            responses: Record<string, { content?: Record<string, unknown> }>;
          }
        >
      >;
      components: { schemas: Record<string, unknown> };
    }>(call('GET', '/v1/openapi.json'), 200);
    expect(doc.openapi).toBe('3.1.0');
    for (const contract of Object.values(routes)) {
      const operation = doc.paths[contract.path]?.[contract.method.toLowerCase()];
      expect(operation?.operationId, `${contract.method} ${contract.path}`).toBe(contract.operationId);
      for (const name of contract.path.match(/\{(\w+)\}/g) ?? []) {
        expect(operation?.parameters.some((p) => p.in === 'path' && `{${p.name}}` === name)).toBe(true);
      }
    }
    // Generated from the same valibot schemas that validate requests.
    const putHost = doc.paths['/v1/hosts/{hostname}']?.put;
    const schema = putHost?.requestBody?.content['application/json']?.schema as {
      properties: Record<string, { minimum?: number; maximum?: number }>;
      required: string[];
      additionalProperties: boolean;
    };
    expect(schema.required).toEqual(['os']);
    expect(schema.properties.criticality).toMatchObject({ minimum: 1, maximum: 4 });
    expect(schema.additionalProperties).toBe(false);
    const software = doc.paths['/v1/hosts/{hostname}/software']?.put?.requestBody?.content ?? {};
    expect(Object.keys(software)).toContain('text/x-dpkg-status');
    expect(Object.keys(software)).toContain('application/vnd.cyclonedx+json');
    expect(doc.components.schemas.Error).toBeDefined();
    // Answers that are not only JSON say which media types they come in.
    expect(Object.keys(doc.paths['/v1/reports/summary']?.get?.responses['200']?.content ?? {})).toEqual([
      'application/json',
      'text/csv',
    ]);
    expect(Object.keys(doc.paths['/v1/reports/compliance']?.get?.responses['200']?.content ?? {})).toEqual([
      'text/markdown',
      'text/html',
    ]);
  });

  it('answers unknown routes with the error shape', async () => {
    const body = await expectStatus(call('GET', '/v1/nothing-here'), 404);
    expect(body).toEqual({ error: { code: 'not_found', message: 'no route GET /v1/nothing-here' } });
  });
});
