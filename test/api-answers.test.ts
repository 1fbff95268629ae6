/**
 * @module test/api-answers — answers where the server and its OpenAPI document used to disagree: the
 * server now says what the document says (a 204 without a Content-Type, `cannot_target_self` for
 * following or blocking yourself, the not-found code of the path for an over-long id), and the document
 * accepts what the server accepts (handles of either case).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, startTestServer, type TestServer } from './support/amphi-server.ts';

interface ErrorJson {
  error: { code: string };
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.dispose());

describe('answers the document describes', () => {
  it('signs out with a 204 that has no Content-Type and no body', async () => {
    const api = new ApiClient(server.url);
    await api.signUp('answers_out');
    const r = await api.call('DELETE', '/api/sessions/current');
    expect(r.status).toBe(204);
    expect(r.headers.get('content-type')).toBeNull();
    expect(r.body).toBeNull();
  });

  it.each(['follow', 'block'])('refuses to %s yourself with 400 cannot_target_self', async (what) => {
    const api = new ApiClient(server.url);
    await api.signUp(`self_${what}`);
    for (const method of ['PUT', 'DELETE']) {
      const r = await api.call<ErrorJson>(method, `/api/users/self_${what}/${what}`);
      expect(r.status, method).toBe(400);
      expect(r.body.error.code, method).toBe('cannot_target_self');
    }
  });

  it('answers an over-long room id with 404 room_not_found and an over-long handle with 404 user_not_found', async () => {
    const api = new ApiClient(server.url);
    await api.signUp('answers_long');
    const long = 'x'.repeat(65);
    for (const path of [`/api/rooms/${long}`, `/api/rooms/${long}/listen`, `/api/rooms/${long}/audit`]) {
      const r = await api.call<ErrorJson>('GET', path);
      expect([r.status, r.body.error.code], path).toEqual([404, 'room_not_found']);
    }
    for (const [method, path] of [['GET', `/api/users/${long}`], ['PUT', `/api/users/${long}/follow`]] as const) {
      const r = await api.call<ErrorJson>(method, path);
      expect([r.status, r.body.error.code], path).toEqual([404, 'user_not_found']);
    }
  });

  it("declares the handle pattern the server applies: a mixed-case handle matches it and keeps its case", async () => {
    const doc = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { requestBody: { content: Record<string, { schema: { properties: { handle: { pattern: string } } } }> } }>>;
    };
    const pattern = doc.paths['/api/accounts']?.['post']?.requestBody.content['application/json']?.schema.properties.handle.pattern ?? '';
    // JSON Schema patterns carry no flags: what the document says is what a generated client checks
    expect(new RegExp(pattern, 'u').test('MixedCase_7')).toBe(true);
    expect(new RegExp(pattern, 'u').test('no spaces')).toBe(false);
    const api = new ApiClient(server.url);
    const r = await api.call<{ user: { handle: string } }>('POST', '/api/accounts', { handle: 'MixedCase_7', displayName: 'M', password: 'a good long password' });
    expect(r.status).toBe(201);
    expect(r.body.user.handle).toBe('MixedCase_7');
  });
});
