/**
 * One contract for the room-events bus, run against the in-process LocalBus and the NatsBus on a real
 * nats-server the test starts itself; then what only a networked bus must do: carry messages between
 * nodes once each, and come back by itself after NATS restarts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asRoomId } from '../domain/ids.ts';
import { newRoom } from '../domain/room-fixtures.ts';
import type { RoomState } from '../domain/room-state.ts';
import { LocalBus } from './local.ts';
import { NatsBus } from './nats-bus.ts';
import { programSubject, roomEventsSubject } from './subjects.ts';
import { natsServerForTests, startTestNats, type TestNats } from './nats-server.test-helper.ts';
import type { Bus, BusMessage } from './types.ts';

const hasNats = natsServerForTests();
let nats: TestNats | null = null;
const opened: Bus[] = [];

beforeAll(async () => {
  if (hasNats) nats = await startTestNats();
});
afterAll(async () => {
  for (const b of opened.splice(0)) await b.close().catch(() => undefined);
  await nats?.stop();
});

const room = (id: string): RoomState => ({ ...newRoom(), id: asRoomId(id) });
const changed = (id: string, version: number, title = `v${version}`): BusMessage => ({
  type: 'roomChanged',
  roomId: asRoomId(id),
  state: { ...room(id), title },
  version,
  events: [],
});

/** what the tests read of a state message (these tests publish no other kind) */
const versionOf = (m: BusMessage): number => (m.type === 'handsChanged' ? -1 : m.version);
const titleOf = (m: BusMessage): string => (m.type === 'handsChanged' ? '' : m.state.title);

const natsBus = async (nodeId: string, errors: unknown[] = []): Promise<NatsBus> => {
  if (nats === null) throw new Error('no nats-server');
  const b = await NatsBus.connect({ servers: nats.url, nodeId, onError: (e) => errors.push(e) });
  opened.push(b);
  return b;
};

const makers: ReadonlyArray<readonly [string, (errors: unknown[]) => Promise<Bus>]> = [
  ['LocalBus', async (errors) => new LocalBus((e) => errors.push(e))],
  ['NatsBus', async (errors) => natsBus(`n-${Math.random().toString(36).slice(2)}`, errors)],
];

describe.each(makers)('bus contract: %s', (name, make) => {
  const skip = name === 'NatsBus' && !hasNats;

  it.skipIf(skip)('delivers to this node synchronously, in publish order, before publish returns', async () => {
    const bus = await make([]);
    const got: string[] = [];
    bus.subscribe((m) => got.push(titleOf(m)));
    bus.publish(changed('a', 1));
    bus.publish(changed('a', 2));
    expect(got).toEqual(['v1', 'v2']);
  });

  it.skipIf(skip)('a subscriber that throws is reported and the others still get the message', async () => {
    const errors: unknown[] = [];
    const bus = await make(errors);
    const got: number[] = [];
    bus.subscribe(() => {
      throw new Error('boom');
    });
    bus.subscribe((m) => got.push(versionOf(m)));
    bus.publish(changed('b', 1));
    expect(got).toEqual([1]);
    expect(errors).toHaveLength(1);
  });

  it.skipIf(skip)('drops a message older than the room state already delivered, and lets equal versions (events without a write) through', async () => {
    const bus = await make([]);
    const got: number[] = [];
    bus.subscribe((m) => got.push(versionOf(m)));
    bus.publish(changed('c', 5));
    bus.publish(changed('c', 4));
    bus.publish(changed('c', 5));
    bus.publish(changed('other', 1));
    expect(got).toEqual([5, 5, 1]);
  });
});

describe.skipIf(!hasNats)('NatsBus between nodes', () => {
  it('carries a message from one node to the others once each; nobody gets their own back', async () => {
    const a = await natsBus('node-a');
    const b = await natsBus('node-b');
    const c = await natsBus('node-c');
    const seen = { a: [] as number[], b: [] as number[], c: [] as number[] };
    a.subscribe((m) => seen.a.push(versionOf(m)));
    b.subscribe((m) => seen.b.push(versionOf(m)));
    c.subscribe((m) => seen.c.push(versionOf(m)));
    a.publish(changed('x', 1));
    a.publish(changed('x', 2));
    await a.flush();
    await expect.poll(() => seen.b.length === 2 && seen.c.length === 2, { timeout: 10_000, message: 'b and c have both' }).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).toEqual({ a: [1, 2], b: [1, 2], c: [1, 2] });
  });

  it('a late message from another node never overwrites the newer state this node holds', async () => {
    const a = await natsBus('late-a');
    const b = await natsBus('late-b');
    const got: string[] = [];
    b.subscribe((m) => got.push(titleOf(m)));
    b.publish(changed('y', 7, 'newer, written via b'));
    a.publish(changed('y', 6, 'older, arrives late'));
    a.publish(changed('y', 8, 'newest'));
    await a.flush();
    await expect.poll(() => got.includes('newest'), { timeout: 10_000, message: 'the newest arrived' }).toBe(true);
    expect(got).toEqual(['newer, written via b', 'newest']);
    expect(b.staleDropped).toBe(1);
  });

  it('room ids become one subject token each, whatever they hold', () => {
    expect(roomEventsSubject('6f1c50e-d881')).toBe('amphi.room.6f1c50e-d881.events');
    expect(roomEventsSubject('a.b>*')).toMatch(/^amphi\.room\.x[0-9a-f]+\.events$/);
    expect(programSubject('a b')).toBe('amphi.room.x612062.program');
  });

  it('comes back by itself after the NATS server is killed and restarted: subscriptions renewed, no restart of Amphi', async () => {
    const a = await natsBus('restart-a');
    const b = await natsBus('restart-b');
    const got: number[] = [];
    b.subscribe((m) => got.push(versionOf(m)));
    nats?.kill();
    await nats?.restart();
    // publish until one gets through: the clients reconnect within their 250 ms wait
    let v = 1;
    const deadline = Date.now() + 15_000;
    while (got.length === 0 && Date.now() < deadline) {
      a.publish(changed('z', v++));
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(got.length).toBeGreaterThan(0);
    expect(Date.now()).toBeLessThan(deadline);
  });
});
