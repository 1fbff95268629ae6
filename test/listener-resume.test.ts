/**
 * A malformed `resume` in the listener URL is refused as what it is: close 4002 "bad resume", never
 * 4001 "bad token" (a client told its token is bad throws a good token away and asks for a new one).
 * On both listener socket implementations, the uWebSockets.js port and `ws` on the HTTP port.
 */
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '../src/protocol/close-codes.ts';
import { ApiClient, startTestServer, type TestServer } from './support/amphi-server.ts';

/** the close a socket gets, or 'open' once it has received a first message */
function outcome(url: string): Promise<{ code: number; reason: string } | 'open'> {
  const ws = new WebSocket(url);
  return new Promise((resolve, reject) => {
    ws.once('message', () => {
      ws.close();
      resolve('open');
    });
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') }));
    ws.once('error', reject);
  });
}

describe.each(['uws', 'ws'])('a listener URL with a malformed resume (%s sockets)', (sockets) => {
  let server: TestServer;
  let api: ApiClient;
  let roomId: string;
  beforeAll(async () => {
    server = await startTestServer({ autoTick: true, env: { AMPHI_LISTENER_SOCKETS: sockets } });
    api = new ApiClient(server.url);
    await api.signUp(`resume_${sockets}`);
    roomId = (await api.call<{ room: { id: string } }>('POST', '/api/rooms', { title: 'Resume' })).body.room.id;
    await api.call('POST', `/api/rooms/${roomId}/actions`, { type: 'goLive' });
  });
  afterAll(() => server.dispose());

  const ticketUrl = async () => (await api.call<{ url: string }>('GET', `/api/rooms/${roomId}/listen`)).body.url;

  it.each(['abc', '-1', '4294967296', '1.5', '007'])('closes resume=%s with 4002 bad resume, and its reason says so', async (resume) => {
    const closed = await outcome(`${await ticketUrl()}&resume=${resume}`);
    expect(closed).toEqual({ code: CLOSE_CODES.badResume, reason: expect.stringMatching(/^bad resume/) });
  });

  it('lets the same ticket in with a valid resume, and still closes a bad token with 4001', async () => {
    expect(await outcome(`${await ticketUrl()}&resume=0`)).toBe('open');
    const forged = new URL(await ticketUrl());
    forged.searchParams.set('token', 'forged.token');
    expect(await outcome(forged.toString())).toMatchObject({ code: CLOSE_CODES.badToken });
  });
});
