/**
 * The revocations contract on NATS: nodes are NatsRevocations with connections of their own to a
 * nats-server the test starts itself. Then what only the networked one must do: take no bad message
 * in, not wait for answers when it is alone, and catch up after an outage of its own.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TcpRelay } from '../../test/support/tcp-relay.ts';
import { asRoomId, asUserId } from '../domain/ids.ts';
import { natsServerForTests, startTestNats, type TestNats } from './nats-server.test-helper.ts';
import { runRevocationsContract } from './revocations-contract.test-helper.ts';
import { NatsRevocations, type NatsRevocationsOptions } from './revocations-nats.ts';
import { RevocationWireError } from './revocations-wire.ts';
import { REVOCATIONS_SUBJECT, REVOCATIONS_SYNC_SUBJECT } from './subjects.ts';
import type { Revocation } from './revocations.ts';

const hasNats = natsServerForTests();
let nats: TestNats | null = null;

beforeAll(async () => {
  if (hasNats) nats = await startTestNats();
});
afterAll(async () => {
  await nats?.stop();
});

let nodes = 0;
const node = async (o: Partial<NatsRevocationsOptions> & Pick<NatsRevocationsOptions, 'onError'>): Promise<NatsRevocations> => {
  if (nats === null) throw new Error('no nats-server');
  return NatsRevocations.connect({ servers: nats.url, nodeId: `node-${++nodes}`, now: () => T0, keepMs: 60_000, ...o });
};

const T0 = 1_700_000_000_000;
const ROOM = asRoomId('room-1');
const EVE = asUserId('eve');
const BOB = asUserId('bob');

describe.skipIf(!hasNats)('NatsRevocations', () => {
  runRevocationsContract('NATS, two connections as two nodes', async (now, keepMs) => {
    const errors: unknown[] = [];
    const onError = (err: unknown): void => void errors.push(err);
    const open = [await node({ now, keepMs, onError }), await node({ now, keepMs, onError })] as const;
    const joined: NatsRevocations[] = [];
    return {
      nodes: open,
      join: async () => {
        const n = await node({ now, keepMs, onError });
        joined.push(n);
        return n;
      },
      close: async () => {
        await Promise.all([...open, ...joined].map((n) => n.close()));
        expect(errors).toEqual([]);
      },
    };
  });

  const closing: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    // the last opened first: a node goes before the proxy it talks through
    for (const c of closing.splice(0).reverse()) await c.close();
  });
  const kept = <T extends { close(): Promise<void> }>(c: T): T => {
    closing.push(c);
    return c;
  };

  it('a node alone on NATS connects at once: nobody is there to answer, and NATS says so', async () => {
    const errors: unknown[] = [];
    const started = Date.now();
    kept(await node({ onError: (err) => errors.push(err), syncWaitMs: 5000 }));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(errors).toEqual([]);
  });

  it('a bad message on either subject is reported and taken in by nobody; the nodes go on working', async () => {
    const errors: unknown[] = [];
    const a = kept(await node({ onError: (err) => errors.push(err) }));
    const b = kept(await node({ onError: (err) => errors.push(err) }));
    if (nats === null) throw new Error('no nats-server');
    const raw: NatsConnection = await connect({ servers: nats.url });
    closing.push({ close: () => raw.drain() });
    raw.publish(REVOCATIONS_SUBJECT, 'not json');
    raw.publish(REVOCATIONS_SUBJECT, JSON.stringify({ from: 'x', revocations: [{ roomId: ROOM, userId: EVE, at: 'yesterday', cause: 'removed' }] }));
    raw.publish(REVOCATIONS_SYNC_SUBJECT, JSON.stringify({ from: 'x', revocations: [{ roomId: ROOM, userId: EVE, at: T0, cause: 'banned' }] }), { reply: 'nobody.listens' });
    await raw.flush();
    // two nodes, three bad messages each
    await expect.poll(() => errors.length, { timeout: 5000 }).toBe(6);
    const codes = errors.map((e) => (e instanceof RevocationWireError ? e.code : String(e)));
    expect(codes.sort()).toEqual(['bad_shape', 'bad_shape', 'bad_shape', 'bad_shape', 'not_json', 'not_json']);
    expect(a.refusing(ROOM, EVE, T0 - 1)).toBeNull();
    a.revoke({ roomId: ROOM, userId: BOB, at: T0, cause: 'blocked' });
    await expect.poll(() => b.refusing(ROOM, BOB, T0 - 1), { timeout: 5000 }).not.toBeNull();
  });

  it('a node whose clock says a revocation has expired neither keeps it nor tells its subscribers (they would close sockets opened since)', async () => {
    const errors: unknown[] = [];
    const ahead = kept(await node({ now: () => T0 + 60_000, onError: (err) => errors.push(err) }));
    const revoking = kept(await node({ onError: (err) => errors.push(err) }));
    const heard: Revocation[] = [];
    ahead.subscribe((r) => heard.push(r));
    revoking.revoke({ roomId: ROOM, userId: EVE, at: T0, cause: 'removed' });
    // a later revocation on the same subject marks when the first one has been and gone
    const marker: Revocation = { roomId: ROOM, userId: BOB, at: T0 + 1, cause: 'blocked' };
    revoking.revoke(marker);
    await expect.poll(() => heard, { timeout: 5000 }).toEqual([marker]);
    expect(ahead.refusing(ROOM, EVE, T0 - 1)).toBeNull();
    expect(errors).toEqual([]);
  });

  it('a node cut off from NATS learns, once back, what was revoked while it was away, and the others learn what it revoked meanwhile', async () => {
    if (nats === null) throw new Error('no nats-server');
    const errors: unknown[] = [];
    // a relay between node b and NATS: an outage of that node alone
    const proxy = kept(await TcpRelay.start(nats.port));
    const a = kept(await node({ onError: (err) => errors.push(err) }));
    const b = kept(await node({ servers: `nats://127.0.0.1:${proxy.port}`, onError: (err) => errors.push(err) }));
    const heardOnB: Revocation[] = [];
    b.subscribe((r) => heardOnB.push(r));
    proxy.cut();
    const byA: Revocation = { roomId: ROOM, userId: EVE, at: T0, cause: 'removed' };
    const byB: Revocation = { roomId: ROOM, userId: BOB, at: T0, cause: 'blocked' };
    a.revoke(byA);
    await a.flush();
    b.revoke(byB);
    expect(b.refusing(ROOM, EVE, T0 - 1)).toBeNull();
    proxy.mend();
    await expect.poll(() => b.refusing(ROOM, EVE, T0 - 1), { timeout: 10_000 }).toEqual(byA);
    await expect.poll(() => a.refusing(ROOM, BOB, T0 - 1), { timeout: 10_000 }).toEqual(byB);
    // told once, however many times it came back
    await new Promise((r) => setTimeout(r, 200));
    expect(heardOnB).toEqual([byB, byA]);
    expect(errors).toEqual([]);
  });
});
