/**
 * The waiting line instead of failures: a node at capacity gives the next joins places in line with
 * rising positions, tells everyone waiting with one shared message, and admits them in order as places
 * free; nobody who waits gets an error; the stage never waits; past what the line holds, 503 with
 * Retry-After and a sentence.
 */
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, startTestServer, type TestServer } from './support/amphi-server.ts';
import { ProgramListener } from './support/program-listener.ts';

type Ticket =
  | { admission: 'admitted'; path: string; token: string }
  | { admission: 'waiting'; ticket: string; number: number; position: number; etaSeconds: number; linePath: string; lineUrl: string };

let server: TestServer;
let host: ApiClient;
let roomId: string;
const open: Array<{ close(): void }> = [];

beforeAll(async () => {
  server = await startTestServer({ autoTick: true, env: { AMPHI_MAX_LISTENERS: '2', AMPHI_JOIN_RATE: '1000', AMPHI_MAX_WAITING: '3' } });
  host = new ApiClient(server.url);
  await host.signUp('line_host');
  roomId = (await host.call<{ room: { id: string } }>('POST', '/api/rooms', { title: 'Busy night' })).body.room.id;
  await host.call('POST', `/api/rooms/${roomId}/actions`, { type: 'goLive' });
});
afterAll(async () => {
  for (const o of open) o.close();
  await server.dispose();
});

const ticket = async (who: ApiClient | null, place?: string) => {
  const q = place ? `?ticket=${encodeURIComponent(place)}` : '';
  const r = await (who ?? new ApiClient(server.url)).call<Ticket>('GET', `/api/rooms/${roomId}/listen${q}`);
  return r;
};

describe('admission', () => {
  it('queues joins past capacity with rising positions, admits them in order as places free, and never errors', async () => {
    const a = await ProgramListener.open(server.url, roomId, null);
    const b = await ProgramListener.open(server.url, roomId, null);
    open.push(a, b);
    await expect.poll(async () => (await fetch(`${server.url}/metrics`).then((r) => r.text())).match(/^amphi_audio_listeners (\d+)/m)?.[1]).toBe('2');

    const third = await ticket(null);
    const fourth = await ticket(null);
    expect(third.status).toBe(200);
    expect(third.body).toMatchObject({ admission: 'waiting', position: 1 });
    expect(fourth.body).toMatchObject({ admission: 'waiting', position: 2 });
    if (third.body.admission !== 'waiting' || fourth.body.admission !== 'waiting') throw new Error('expected places in line');

    // everyone waiting hears the line move from one shared message
    const lineMessages: Array<{ admittedUpTo: number }> = [];
    const line = new WebSocket(third.body.lineUrl);
    open.push(line);
    line.on('message', (d: Buffer) => lineMessages.push(JSON.parse(d.toString()) as { admittedUpTo: number }));
    await new Promise((r) => line.once('open', r));

    // asking again too early keeps the place, without an error
    const again = await ticket(null, third.body.ticket);
    expect(again.body).toMatchObject({ admission: 'waiting', number: third.body.number, position: 1 });

    a.close();
    await expect.poll(() => lineMessages.at(-1)?.admittedUpTo ?? 0, { timeout: 5000 }).toBeGreaterThanOrEqual(third.body.number);
    expect(lineMessages.at(-1)?.admittedUpTo).toBeLessThan(fourth.body.number);
    const admitted = await ticket(null, third.body.ticket);
    expect(admitted.body.admission).toBe('admitted');
    // a place lets one join in, once
    expect((await ticket(null, third.body.ticket)).status).toBe(400);
  });

  it('the stage never waits: a host gets a token while the node is full', async () => {
    const r = await ticket(host);
    expect(r.status).toBe(200);
    expect(r.body.admission).toBe('admitted');
  });

  it('a forged place in line is refused', async () => {
    const r = await ticket(null, '1.AAAAAAAAAAAAAAAAAAAAAA');
    expect(r.status).toBe(400);
  });

  it('beyond what the line holds, joins get 503 with Retry-After and a sentence', async () => {
    let last = await ticket(null);
    for (let i = 0; i < 5 && last.status === 200; i++) last = await ticket(null);
    expect(last.status).toBe(503);
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((last.body as unknown as { error: { code: string; message: string } }).error).toMatchObject({ code: 'unavailable' });
  });
});
