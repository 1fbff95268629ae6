/**
 * @module test/openapi-contract — the check that makes the OpenAPI document the contract of the HTTP
 * API (test/support/openapi-check.ts, run on every recorded answer by api-contract.setup.ts) can fail:
 * each kind of drift, written here as a deliberately wrong answer, is reported, and a conforming
 * answer is not. Judged against the document the server builds, not a copy.
 */
import { describe, expect, it } from 'vitest';
import { buildOpenApi } from '../src/transport/openapi.ts';
import type { RecordedResponse } from './support/api-recorder.ts';
import { checkJsonSchema } from './support/json-schema-check.ts';
import { asOpenApiDocument, checkResponse } from './support/openapi-check.ts';

const doc = asOpenApiDocument(buildOpenApi('http://127.0.0.1', 'test'));
const JSON_TYPE = 'application/json; charset=UTF-8';
const answer = (method: string, path: string, status: number, body: unknown, contentType: string | null = JSON_TYPE): RecordedResponse => ({
  method,
  path,
  status,
  contentType,
  body: body === null ? '' : typeof body === 'string' ? body : JSON.stringify(body),
});
const error = (code: string) => ({ error: { code, message: 'words' } });
const USER = { user: { id: 'u1', handle: 'Alice', displayName: 'Alice' } };

describe('the OpenAPI contract check', () => {
  it('passes answers the document declares: a success body, a listed error, a 204 without content, an event stream', () => {
    expect(checkResponse(doc, answer('GET', '/api/me', 200, USER))).toEqual([]);
    expect(checkResponse(doc, answer('GET', '/api/rooms/r1', 404, error('room_not_found')))).toEqual([]);
    expect(checkResponse(doc, answer('DELETE', '/api/sessions/current', 204, null, null))).toEqual([]);
    expect(checkResponse(doc, { ...answer('GET', '/api/me/events', 200, null, 'text/event-stream'), body: null })).toEqual([]);
  });

  it('fails a status the document does not declare for that path and method', () => {
    expect(checkResponse(doc, answer('POST', '/api/accounts', 418, error('internal')))).toEqual([expect.stringMatching(/^POST \/api\/accounts → 418: status 418 is not declared/)]);
  });

  it('fails a body that does not match the declared schema: a missing field, a wrong type, an undeclared field', () => {
    expect(checkResponse(doc, answer('GET', '/api/me', 200, { user: { id: 'u1', handle: 'Alice' } }))).toEqual([expect.stringContaining('$.user.displayName: missing')]);
    expect(checkResponse(doc, answer('GET', '/api/me', 200, { user: { ...USER.user, id: 7 } }))).toEqual([expect.stringContaining('$.user.id: expected string')]);
    expect(checkResponse(doc, answer('GET', '/api/me', 200, { user: { ...USER.user, admin: true } }))).toEqual([expect.stringContaining('$.user.admin: not declared')]);
  });

  it('fails an error code the document does not list under that status for that path', () => {
    expect(checkResponse(doc, answer('GET', '/api/rooms/r1', 404, error('not_found')))).toEqual([expect.stringContaining('error code "not_found" is not listed for this status')]);
  });

  it('fails a Content-Type other than the declared one, and any Content-Type or body on an answer declared without content', () => {
    expect(checkResponse(doc, answer('GET', '/api/me', 200, 'hello', 'text/plain'))).toEqual([expect.stringContaining('Content-Type text/plain is not a declared media type')]);
    expect(checkResponse(doc, answer('GET', '/api/me/events', 200, USER))).toEqual([expect.stringContaining('is not a declared media type (text/event-stream)')]);
    expect(checkResponse(doc, answer('DELETE', '/api/sessions/current', 204, null, 'text/plain; charset=UTF-8'))).toEqual([expect.stringContaining('declared without content, but answered Content-Type')]);
    expect(checkResponse(doc, answer('GET', '/api/me', 200, 'not json{'))).toEqual([expect.stringContaining('the body is not JSON')]);
  });

  it('leaves out requests that reach no operation of the document', () => {
    expect(checkResponse(doc, answer('GET', '/api/nothing/here', 404, error('not_found')))).toEqual([]);
    expect(checkResponse(doc, answer('GET', '/healthz', 200, { ok: true }))).toEqual([]);
  });
});

describe('the JSON Schema check under it', () => {
  it('reports a keyword it does not know instead of passing the value unread', () => {
    expect(checkJsonSchema({ type: 'string', contentEncoding: 'base64' }, 'x')).toEqual(['$: the checker does not know the keyword "contentEncoding"']);
  });

  it('judges anyOf, oneOf, enum, const, pattern, bounds and local references', () => {
    const schema = { $defs: { n: { type: 'integer', minimum: 1, maximum: 3 } }, anyOf: [{ $ref: '#/$defs/n' }, { type: 'string', pattern: '^[A-Za-z]{2}$' }, { type: 'null' }] };
    expect(checkJsonSchema(schema, 2)).toEqual([]);
    expect(checkJsonSchema(schema, 'Ab')).toEqual([]);
    expect(checkJsonSchema(schema, null)).toEqual([]);
    expect(checkJsonSchema(schema, 4)).toHaveLength(1);
    expect(checkJsonSchema(schema, 'abc')).toHaveLength(1);
    expect(checkJsonSchema({ oneOf: [{ type: 'number' }, { type: 'integer' }] }, 1)).toEqual(['$: matches 2 oneOf alternatives, not exactly one']);
    expect(checkJsonSchema({ enum: ['live', 'ended'] }, 'gone')).toHaveLength(1);
    expect(checkJsonSchema({ const: 'admitted' }, 'waiting')).toHaveLength(1);
  });
});
