/**
 * @module openapi — builds the OpenAPI 3.1 document served at /api/openapi.json from protocol's route
 * table and zod schemas (JSON Schema 2020-12, which OpenAPI 3.1 uses as is). Built once at start-up.
 */
import { z } from 'zod';
import { API_ROUTES, type RouteSpec } from '../protocol/api-routes.ts';
import { ErrorBody } from '../protocol/api-views.ts';
import { STATUS_OF } from './error-status.ts';
import type { ErrorCode } from '../protocol/api-views.ts';

type Json = Record<string, unknown>;

const schemaOf = (s: z.ZodType, io: 'input' | 'output'): Json => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Json;
  return rest;
};

function successOf(spec: RouteSpec): Json {
  if (spec.response) return { description: 'success', content: { 'application/json': { schema: schemaOf(spec.response, 'output') } } };
  if (spec.stream) return { description: 'success: a stream of events, open until either side closes it', content: { [spec.stream]: { schema: { type: 'string' } } } };
  return { description: 'success, no body' };
}

export function buildOpenApi(publicUrl: string, version: string): Json {
  const paths: Record<string, Record<string, Json>> = {};
  const errorSchema = schemaOf(ErrorBody, 'output');
  for (const [id, spec] of Object.entries(API_ROUTES)) {
    const path = spec.path.replace(/:(\w+)/g, '{$1}');
    const params: Json[] = [...spec.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    if (spec.query) {
      const q = schemaOf(spec.query, 'input') as { properties?: Record<string, Json>; required?: string[] };
      for (const [name, schema] of Object.entries(q.properties ?? {})) {
        params.push({ name, in: 'query', required: (q.required ?? []).includes(name), schema, ...(typeof schema['description'] === 'string' && { description: schema['description'] }) });
      }
    }
    const responses: Record<string, Json> = { [spec.status]: successOf(spec) };
    // every route may answer these: input validation, the body limit, a crash, the database out of reach
    // (the session lookup alone needs it); a body that is not JSON; and a state-changing request whose
    // body is not application/json is refused before routing (http-app.ts)
    const codes = [...new Set(['bad_request', 'payload_too_large', 'internal', 'unavailable', ...(spec.body ? ['invalid_json'] : []), ...(spec.method === 'get' ? [] : ['unsupported_media_type']), ...spec.errors])] as ErrorCode[];
    const byStatus = new Map<number, string[]>();
    for (const code of codes) byStatus.set(STATUS_OF[code], [...(byStatus.get(STATUS_OF[code]) ?? []), code]);
    for (const [status, list] of byStatus) {
      responses[String(status)] = { description: `error: ${list.join(', ')}`, content: { 'application/json': { schema: errorSchema } } };
    }
    const op: Json = {
      operationId: id,
      summary: spec.summary,
      parameters: params,
      responses,
      ...(spec.auth === 'required' && { security: [{ session: [] }] }),
      ...(spec.body && { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(spec.body, 'input') } } } }),
    };
    (paths[path] ??= {})[spec.method] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Amphi API',
      version,
      description: 'Live audio rooms. Errors are {"error":{"code","message"}}; state-changing requests must come from the same origin (Origin header) and carry the session cookie set by sign-up or sign-in.',
    },
    servers: [{ url: publicUrl }],
    components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'amphi_session' } } },
    paths,
  };
}
