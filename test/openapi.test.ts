/**
 * @module test/openapi — the OpenAPI document the real server serves at /api/openapi.json: OpenAPI 3.1
 * in shape, one operation per row of protocol's route table with its method, path parameters, request
 * body and success answer, every error status carrying the error body, and every error code a route
 * lists mapped to a status that the document describes. Reads the document over HTTP, as a client would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { VERSION } from '../src/main.ts';
import { API_ROUTES, type RouteSpec } from '../src/protocol/api-routes.ts';
import { RoomActionBody } from '../src/protocol/api-schemas.ts';
import { ErrorBody } from '../src/protocol/api-views.ts';
import { STATUS_OF } from '../src/transport/error-status.ts';
import { startTestServer, type TestServer } from './support/amphi-server.ts';

type Json = Record<string, unknown>;

interface Operation {
  operationId: string;
  summary: string;
  parameters: { name: string; in: string; required: boolean; schema: Json }[];
  requestBody?: { required: boolean; content: Record<string, { schema: Json }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: Json }> }>;
  security?: Record<string, string[]>[];
}

interface OpenApiDoc {
  openapi: string;
  info: { title: string; version: string; description?: string };
  servers: { url: string }[];
  components: { securitySchemes: Record<string, Json> };
  paths: Record<string, Record<string, Operation>>;
}

/** codes every route may answer besides its own list (the transport's validation, body limit, crashes, the database out of reach) */
const ALWAYS = ['bad_request', 'payload_too_large', 'internal', 'unavailable'];
/** and every route that reads a body: one that is not JSON */
// a state-changing route also refuses a body that is not application/json (http-app.ts)
const alwaysFor = (spec: RouteSpec) => [...ALWAYS, ...(spec.body ? ['invalid_json'] : []), ...(spec.method === 'get' ? [] : ['unsupported_media_type'])];

const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');
const routes = Object.entries(API_ROUTES) as [string, RouteSpec][];

let server: TestServer;
let doc: OpenApiDoc;
let contentType: string | null;

beforeAll(async () => {
  server = await startTestServer();
  const res = await fetch(`${server.url}/api/openapi.json`);
  expect(res.status).toBe(200);
  contentType = res.headers.get('content-type');
  doc = (await res.json()) as OpenApiDoc;
});
afterAll(async () => {
  await server.dispose();
});

const operation = (spec: RouteSpec): Operation | undefined => doc.paths[openApiPath(spec.path)]?.[spec.method];

describe('/api/openapi.json', () => {
  it('is JSON declaring OpenAPI 3.1.0, with title, version and a server URL', () => {
    expect(contentType).toMatch(/^application\/json/);
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: 'Amphi API', version: VERSION });
    expect(doc.servers).toHaveLength(1);
    expect(() => new URL(doc.servers[0]?.url ?? '')).not.toThrow();
  });

  it('has exactly one operation per route of the route table, under its method and path', () => {
    for (const [id, spec] of routes) expect(operation(spec)?.operationId, `${id}: ${spec.method} ${spec.path}`).toBe(id);
    const all = Object.values(doc.paths).flatMap((byMethod) => Object.values(byMethod));
    expect(all.map((op) => op.operationId).sort()).toEqual(routes.map(([id]) => id).sort());
  });

  it('gives every operation a summary and every response a description, as OpenAPI requires', () => {
    for (const [id, spec] of routes) {
      const op = operation(spec);
      expect(op?.summary, id).toBe(spec.summary);
      expect(Object.keys(op?.responses ?? {}).length, id).toBeGreaterThan(0);
      for (const [status, r] of Object.entries(op?.responses ?? {})) {
        expect(status, id).toMatch(/^[1-5]\d\d$/);
        expect(typeof r.description, `${id} ${status}`).toBe('string');
      }
    }
  });

  it('declares every path parameter as a required string in the path', () => {
    for (const [id, spec] of routes) {
      const names = [...spec.path.matchAll(/:(\w+)/g)].map((m) => m[1]);
      const inPath = operation(spec)?.parameters.filter((p) => p.in === 'path');
      expect(inPath, id).toEqual(names.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })));
    }
  });

  it('declares the query parameters of the routes that read them', () => {
    for (const [id, spec] of routes) {
      const inQuery = (operation(spec)?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      const expected = spec.query ? Object.keys(spec.query.shape) : [];
      expect(inQuery, id).toEqual(expected);
    }
    expect(operation(API_ROUTES.listRooms)?.parameters.map((p) => p.name)).toEqual(['status', 'limit']);
  });

  it('describes a required JSON request body with a schema for each route that takes one, and none for the others', () => {
    for (const [id, spec] of routes) {
      const body = operation(spec)?.requestBody;
      if (!spec.body) {
        expect(body, id).toBeUndefined();
        continue;
      }
      expect(body?.required, id).toBe(true);
      const schema = body?.content['application/json']?.schema;
      expect(schema, id).toBeDefined();
      expect(Object.keys(schema ?? {}).length, id).toBeGreaterThan(0);
    }
  });

  it('describes each room action as one alternative of the action body', () => {
    const schema = operation(API_ROUTES.roomAction)?.requestBody?.content['application/json']?.schema as { oneOf?: { properties: { type: { const: string } } }[] };
    expect(schema.oneOf?.map((o) => o.properties.type.const)).toEqual(RoomActionBody.options.map((o) => o.shape.type.value));
  });

  it("describes each route's success status, with a JSON schema when it answers a body", () => {
    for (const [id, spec] of routes) {
      const ok = operation(spec)?.responses[String(spec.status)];
      expect(ok, id).toBeDefined();
      const schema = ok?.content?.['application/json']?.schema as Json | undefined;
      // an object, or a choice of objects (e.g. a listen ticket: admitted or waiting)
      const alternatives = (schema?.['oneOf'] as Json[] | undefined) ?? [schema];
      if (spec.response) for (const alt of alternatives) expect(alt, id).toMatchObject({ type: 'object' });
      else if (spec.stream) expect(Object.keys(ok?.content ?? {}), id).toEqual([spec.stream]);
      else expect(ok?.content, id).toBeUndefined();
    }
  });

  it('declares the event stream of /api/me/events as text/event-stream, not as an answer without a body', () => {
    expect(Object.keys(operation(API_ROUTES.myEvents)?.responses['200']?.content ?? {})).toEqual(['text/event-stream']);
  });

  it('answers every error status with the error body schema', () => {
    const { $schema: _drop, ...errorSchema } = z.toJSONSchema(ErrorBody, { io: 'output' }) as Json;
    expect(errorSchema).toMatchObject({ required: ['error'], properties: { error: { required: ['code', 'message'] } } });
    let errorResponses = 0;
    for (const [id, spec] of routes) {
      for (const [status, r] of Object.entries(operation(spec)?.responses ?? {})) {
        if (Number(status) < 400) continue;
        errorResponses++;
        expect(r.content?.['application/json']?.schema, `${id} ${status}`).toEqual(errorSchema);
      }
    }
    expect(errorResponses).toBeGreaterThanOrEqual(routes.length * 3);
  });

  it('maps every error code a route lists to a status, and names the code under that status', () => {
    for (const [id, spec] of routes) {
      const responses = operation(spec)?.responses ?? {};
      for (const code of [...alwaysFor(spec), ...spec.errors]) {
        const status = (STATUS_OF as Readonly<Record<string, number>>)[code];
        expect(status, `${id}: ${code} has no status in error-status.ts`).toBeDefined();
        expect(responses[String(status)]?.description, `${id}: ${code} → ${status}`).toMatch(new RegExp(`\\b${code}\\b`));
      }
      const listed = Object.keys(responses).filter((s) => Number(s) >= 400).map(Number);
      const expected = new Set([...alwaysFor(spec), ...spec.errors].map((c) => (STATUS_OF as Readonly<Record<string, number>>)[c]));
      expect(new Set(listed), id).toEqual(expected);
    }
  });

  it('marks the routes that need an account with the amphi_session cookie scheme, and only those', () => {
    expect(doc.components.securitySchemes['session']).toEqual({ type: 'apiKey', in: 'cookie', name: 'amphi_session' });
    for (const [id, spec] of routes) {
      expect(operation(spec)?.security, id).toEqual(spec.auth === 'required' ? [{ session: [] }] : undefined);
    }
  });

  it('contains no $ref that does not resolve within the document', () => {
    const refs: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v !== null && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          if (k === '$ref' && typeof x === 'string') refs.push(x);
          else walk(x);
        }
      }
    };
    walk(doc);
    const resolve = (ref: string): unknown =>
      ref
        .replace(/^#\//, '')
        .split('/')
        .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
        .reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Json)[key] : undefined), doc);
    for (const ref of refs) {
      expect(ref.startsWith('#/'), ref).toBe(true);
      expect(resolve(ref), ref).toBeDefined();
    }
  });
});
