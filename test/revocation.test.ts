/**
 * Removal and blocking end a person's access at once, on every path of the real server, with both
 * listener socket libraries (uWebSockets.js on its own port, and `ws` on the main port): a listen token
 * obtained before the removal or block no longer opens the audio socket (with or without `resume`), the
 * audio socket, the room's control socket and the Ogg stream they hold are closed, and once unblocked
 * a fresh ticket works again.
 */
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, startTestServer, type TestServer } from './support/amphi-server.ts';
import { RoomSocket, isType } from './support/room-socket-client.ts';

interface Person {
  readonly api: ApiClient;
  readonly id: string;
  readonly handle: string;
}

/** how a listener socket ended: its close code, or 'open' when it was let in and heard audio */
type Outcome = number | 'open';

/** opens an audio socket and says whether it was let in (first binary message) or closed, and with what */
function outcomeOf(url: string): Promise<{ outcome: Outcome; ws: WebSocket }> {
  const ws = new WebSocket(url);
  return new Promise((resolve, reject) => {
    ws.once('message', () => resolve({ outcome: 'open', ws }));
    ws.once('close', (code) => resolve({ outcome: code, ws }));
    ws.once('error', reject);
  });
}

const closeOf = (ws: WebSocket): Promise<number> =>
  ws.readyState === ws.CLOSED ? Promise.resolve(-1) : new Promise((resolve) => ws.once('close', (code) => resolve(code)));

describe.each(['uws', 'ws'] as const)('revocation with %s listener sockets', (sockets) => {
  let server: TestServer;
  let host: ApiClient;
  let hostHandle = '';
  let seq = 0;
  const open: Array<{ close(): void }> = [];

  beforeAll(async () => {
    server = await startTestServer({ autoTick: true, env: { AMPHI_LISTENER_SOCKETS: sockets } });
    host = new ApiClient(server.url);
    hostHandle = `rv_host_${sockets}`;
    await host.signUp(hostHandle);
  });
  afterAll(async () => {
    for (const o of open) o.close();
    await server.dispose();
  });

  async function person(): Promise<Person> {
    const handle = `rv_${sockets}_${++seq}`;
    const api = new ApiClient(server.url);
    return { api, id: await api.signUp(handle), handle };
  }

  async function liveRoom(): Promise<string> {
    const roomId = (await host.call<{ room: { id: string } }>('POST', '/api/rooms', { title: 'Revocation night' })).body.room.id;
    expect((await host.call('POST', `/api/rooms/${roomId}/actions`, { type: 'goLive' })).status).toBe(200);
    return roomId;
  }

  async function ticketUrl(who: Person, roomId: string): Promise<string> {
    const r = await who.api.call<{ admission: string; url: string }>('GET', `/api/rooms/${roomId}/listen`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.admission).toBe('admitted');
    return r.body.url;
  }

  async function listening(url: string): Promise<WebSocket> {
    const { outcome, ws } = await outcomeOf(url);
    open.push(ws);
    expect(outcome).toBe('open');
    return ws;
  }

  const block = async (who: Person, on: boolean) =>
    expect((await host.call(on ? 'PUT' : 'DELETE', `/api/users/${who.handle}/block`)).status).toBe(200);

  it('a removal closes the audio socket and refuses the token obtained before it, with or without resume (4011)', async () => {
    const roomId = await liveRoom();
    const eve = await person();
    const url = await ticketUrl(eve, roomId);
    const audio = await listening(url);
    const closed = closeOf(audio);
    expect((await host.call('POST', `/api/rooms/${roomId}/actions`, { type: 'remove', target: eve.id, reason: 'spam' })).status).toBe(200);
    expect(await closed).toBe(4011);
    expect((await outcomeOf(url)).outcome).toBe(4011);
    expect((await outcomeOf(`${url}&resume=3`)).outcome).toBe(4011);
    // and nothing new is handed out
    expect((await eve.api.call('GET', `/api/rooms/${roomId}/listen`)).status).toBe(403);
  });

  it('a block closes the audio and control sockets and refuses the earlier token (4403); unblocked, a fresh ticket works', async () => {
    const roomId = await liveRoom();
    const eve = await person();
    const url = await ticketUrl(eve, roomId);
    const audio = await listening(url);
    const control = await RoomSocket.open(server.url, roomId, eve.api.cookie);
    open.push(control);
    await control.waitFor(isType('state'));
    const audioClosed = closeOf(audio);
    await block(eve, true);
    expect(await audioClosed).toBe(4403);
    expect((await control.waitClosed()).code).toBe(4403);
    expect((await outcomeOf(url)).outcome).toBe(4403);
    expect((await outcomeOf(`${url}&resume=3`)).outcome).toBe(4403);
    expect((await eve.api.call<{ error: { code: string } }>('GET', `/api/rooms/${roomId}/listen`)).body.error.code).toBe('blocked_by_host');
    await block(eve, false);
    await listening(await ticketUrl(eve, roomId));
  });

  it('a block ends only the rooms the blocker hosts, and leaves other listeners alone', async () => {
    const roomId = await liveRoom();
    const eve = await person();
    const bob = await person();
    const othersRoom = (await bob.api.call<{ room: { id: string } }>('POST', '/api/rooms', { title: 'Bob’s room' })).body.room.id;
    expect((await bob.api.call('POST', `/api/rooms/${othersRoom}/actions`, { type: 'goLive' })).status).toBe(200);
    const eveThere = await listening(await ticketUrl(eve, othersRoom));
    const bobHere = await listening(await ticketUrl(bob, roomId));
    const eveHere = await listening(await ticketUrl(eve, roomId));
    const closed = closeOf(eveHere);
    await block(eve, true);
    expect(await closed).toBe(4403);
    expect([eveThere.readyState, bobHere.readyState]).toEqual([WebSocket.OPEN, WebSocket.OPEN]);
    await block(eve, false);
  });

  it('a block ends the person’s Ogg stream', async () => {
    const roomId = await liveRoom();
    const eve = await person();
    const res = await fetch(`${server.url}/rooms/${roomId}/live.ogg`, { headers: { cookie: eve.api.cookie ?? '' } });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    await block(eve, true);
    // it may still hold pages already sent; then it ends
    const deadline = Date.now() + 5000;
    let done = false;
    while (!done && Date.now() < deadline) done = (await reader.read()).done;
    expect(done).toBe(true);
    expect((await fetch(`${server.url}/rooms/${roomId}/live.ogg`, { headers: { cookie: eve.api.cookie ?? '' } })).status).toBe(403);
    await block(eve, false);
  });
});
