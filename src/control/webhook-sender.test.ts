/**
 * @module webhook-sender.test — outbound webhooks against a real local receiver on 127.0.0.1 and a real
 * SQLite store: signed bodies a receiver can verify, retries with backoff on a stepped clock until
 * delivered, giving up, and refusing loopback (by IP or by name) and plain http unless allowed.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { asRoomId, asUserId } from '../domain/ids.ts';
import type { RoomState } from '../domain/room-state.ts';
import { openSqliteStore } from '../store/sqlite.ts';
import type { Store } from '../store/types.ts';
import { isPrivateAddress } from './webhook-address.ts';
import { verifyWebhook } from './webhook-signature.ts';
import { BackoffPolicy, WebhookSender, type WebhookTarget } from './webhook-sender.ts';

interface Received {
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

const SECRET = 'server-secret-server-secret-0123456789';
const ROOM: RoomState = {
  id: asRoomId('r1'), status: 'live', title: 'Launch', topics: [], description: '', speakerPolicy: 'everyone', createdAt: 1, liveAt: 2,
  endedAt: null, endReason: null, schedule: null, createdBy: asUserId('h'), hostId: asUserId('h'), stage: [], invites: [], removed: [], pins: [],
};

const opened: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const o of opened.splice(0)) await o.close();
});

/** a receiver answering each request with the next status of `statuses` (the last one repeats) */
async function receiver(statuses: number[]): Promise<{ url: string; got: Received[] }> {
  const got: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => (body += d));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.writeHead(statuses[Math.min(got.length - 1, statuses.length - 1)] ?? 200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  opened.push({ close: () => new Promise((r) => server.close(r)) });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, got };
}

async function sender(targets: WebhookTarget[], opts: { allowPrivate: boolean; clock: { now: number } }): Promise<{ hooks: WebhookSender; store: Store }> {
  const store = await openSqliteStore(':memory:');
  opened.push(store);
  const hooks = new WebhookSender({
    store, targets, secret: SECRET, allowPrivate: opts.allowPrivate, publicUrl: 'https://amphi.example', now: () => opts.clock.now,
    retry: new BackoffPolicy(1_000, 4, 60_000, () => 1), onError: (err) => { throw err; },
  });
  return { hooks, store };
}

describe('webhook deliveries', () => {
  it('signs each attempt with HMAC-SHA256 and retries a failing receiver with growing delays until it answers 2xx', async () => {
    const rx = await receiver([500, 503, 204]);
    const clock = { now: 1_000_000 };
    const { hooks, store } = await sender([{ url: rx.url, events: ['room.live'], secret: null }], { allowPrivate: true, clock });
    await hooks.emit('room.live', ROOM);
    await hooks.emit('room.ended', ROOM); // not subscribed: nothing queued
    expect(await hooks.runDue()).toBe(1);
    expect(await hooks.runDue()).toBe(0); // not due again before the backoff
    clock.now += 999;
    expect(await hooks.runDue()).toBe(0);
    clock.now += 1;
    expect(await hooks.runDue()).toBe(1);
    clock.now += 2_000; // the second retry waits twice as long
    expect(await hooks.runDue()).toBe(1);
    expect(rx.got).toHaveLength(3);
    const ids = new Set(rx.got.map((g) => g.headers['x-amphi-delivery']));
    expect(ids.size).toBe(1);
    for (const g of rx.got) {
      const ts = Number(g.headers['x-amphi-timestamp']);
      expect(verifyWebhook(SECRET, ts, g.body, String(g.headers['x-amphi-signature']))).toBe(true);
      expect(verifyWebhook('another secret, not ours at all', ts, g.body, String(g.headers['x-amphi-signature']))).toBe(false);
      expect(g.headers['x-amphi-event']).toBe('room.live');
    }
    expect(JSON.parse(rx.got[0]?.body ?? '{}')).toMatchObject({ event: 'room.live', room: { id: 'r1', status: 'live', url: 'https://amphi.example/rooms/r1' } });
    expect((await store.notify.listWebhookDeliveries()).map((d) => [d.status, d.attempts])).toEqual([['delivered', 3]]);
  });

  it('signs with the webhook\'s own secret when it has one, and gives up after the policy\'s last attempt', async () => {
    const rx = await receiver([500]);
    const clock = { now: 0 };
    const own = 'a per-webhook secret of some length';
    const { hooks, store } = await sender([{ url: rx.url, events: ['room.ended'], secret: own }], { allowPrivate: true, clock });
    await hooks.emit('room.ended', ROOM);
    for (let i = 0; i < 6; i += 1) {
      await hooks.runDue();
      clock.now += 60_000;
    }
    expect(rx.got).toHaveLength(4);
    const first = rx.got[0];
    expect(verifyWebhook(own, Number(first?.headers['x-amphi-timestamp']), first?.body ?? '', String(first?.headers['x-amphi-signature']))).toBe(true);
    expect((await store.notify.listWebhookDeliveries()).map((d) => [d.status, d.attempts, d.lastError])).toEqual([['failed', 4, 'HTTP 500']]);
  });

  it('does not retry a receiver that refuses the request with a 4xx', async () => {
    const rx = await receiver([410]);
    const clock = { now: 0 };
    const { hooks, store } = await sender([{ url: rx.url, events: ['room.live'], secret: null }], { allowPrivate: true, clock });
    await hooks.emit('room.live', ROOM);
    await hooks.runDue();
    expect((await store.notify.listWebhookDeliveries()).map((d) => d.status)).toEqual(['failed']);
  });

  it('never reaches loopback unless allowed: not by IP, not by a name that resolves to it, not over plain http', async () => {
    const rx = await receiver([200]);
    const port = new URL(rx.url).port;
    const clock = { now: 0 };
    const targets: WebhookTarget[] = [
      { url: rx.url, events: ['room.live'], secret: null },
      { url: `https://localhost:${port}/hook`, events: ['room.live'], secret: null },
      { url: `https://127.0.0.1:${port}/hook`, events: ['room.live'], secret: null },
    ];
    const { hooks, store } = await sender(targets, { allowPrivate: false, clock });
    await hooks.emit('room.live', ROOM);
    await hooks.runDue();
    expect(rx.got).toEqual([]);
    const results = (await store.notify.listWebhookDeliveries()).map((d) => [d.status, d.lastError]);
    expect(results).toEqual([
      ['failed', 'only https:// webhooks are allowed'],
      ['failed', expect.stringContaining('private address')],
      ['failed', '127.0.0.1 is a private address'],
    ]);
  });

  it('classifies internal addresses as private and public ones as not', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', 'not-an-ip']) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
    for (const a of ['93.184.216.34', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) expect(isPrivateAddress(a), a).toBe(false);
  });
});
