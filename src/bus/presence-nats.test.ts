/**
 * The presence contract on NatsPresence: three nodes, each its own NATS connection, on a nats-server
 * the test starts (never the machine's 4222). Then what only the network adds: a malformed message on
 * the subject is reported and changes nothing, and reports flow again after NATS is killed and restarted.
 */
import { connect } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { asRoomId } from '../domain/ids.ts';
import { natsForFile } from './nats-server.test-helper.ts';
import { reportOf, runPresenceContract } from './presence-contract.test-helper.ts';
import { NatsPresence } from './presence-nats.ts';
import { PRESENCE_SUBJECT, REACTIONS_SUBJECT } from './subjects.ts';

const nats = natsForFile();
const hasNats = nats.has;

const node = (nodeId: string, now: () => number = Date.now, onError: (err: unknown) => void = () => undefined): Promise<NatsPresence> =>
  NatsPresence.connect({ servers: nats.server().url, nodeId, onError, now });

if (hasNats) {
  let cluster = 0;
  runPresenceContract('NATS', async (now) => {
    // ids of their own per cluster: a node of an earlier test saying goodbye late must not touch this one
    const ids = ['a', 'b', 'c'].map((n) => `${n}${++cluster}`);
    const nodes = await Promise.all(ids.map((id) => node(id, now)));
    return {
      nodes,
      ids,
      settle: async () => {
        for (const n of nodes) await n.flush().catch(() => undefined);
      },
      close: async () => {
        for (const n of nodes) await n.close();
      },
    };
  });
}

describe.skipIf(!hasNats)('NatsPresence on the network', () => {
  const ROOM = asRoomId('room-n');

  it('reports a message that is no report and keeps the sums as they were', async () => {
    const errors: unknown[] = [];
    const a = await node('bad-a', Date.now, (e) => errors.push(e));
    const b = await node('bad-b');
    b.publish(reportOf('bad-b', [[ROOM, { listeners: 4, audio: 4 }]]));
    await b.flush();
    await expect.poll(() => a.listenersElsewhere(ROOM), { timeout: 2000 }).toBe(4);
    const raw = await connect({ servers: nats.server().url });
    raw.publish(PRESENCE_SUBJECT, 'not json');
    raw.publish(PRESENCE_SUBJECT, JSON.stringify({ kind: 'report', from: 'bad-b', role: 'edge', listenOrigin: 'x', capacity: -1, audio: 0, rooms: [] }));
    await raw.flush();
    await expect.poll(() => errors.length, { timeout: 2000 }).toBe(2);
    expect(a.listenersElsewhere(ROOM)).toBe(4);
    await raw.close();
    await a.close();
    await b.close();
  });

  it('reports a reactions message that is none (an unknown reaction, a bad count) and hands nothing on', async () => {
    const errors: unknown[] = [];
    const a = await node('react-a', Date.now, (e) => errors.push(e));
    const heard: unknown[] = [];
    a.onReactions((c) => heard.push(c));
    const raw = await connect({ servers: nats.server().url });
    raw.publish(REACTIONS_SUBJECT, JSON.stringify({ from: 'react-b', rooms: [['room-n', { '💩': 1 }]] }));
    raw.publish(REACTIONS_SUBJECT, JSON.stringify({ from: 'react-b', rooms: [['room-n', { '🔥': -3 }]] }));
    raw.publish(REACTIONS_SUBJECT, JSON.stringify({ from: 'react-b', rooms: [['room-n', { '🔥': 2 }]] }));
    await raw.flush();
    await expect.poll(() => heard.length, { timeout: 2000 }).toBe(1);
    expect(errors).toHaveLength(2);
    expect(heard).toEqual([new Map([[ROOM, { '🔥': 2 }]])]);
    await raw.close();
    await a.close();
  });

  it('takes a report from a node of a version without drains as not draining', async () => {
    const a = await node('old-a');
    const raw = await connect({ servers: nats.server().url });
    raw.publish(PRESENCE_SUBJECT, JSON.stringify({ kind: 'report', from: 'old-b', role: 'edge', listenOrigin: 'ws://b:1', capacity: 10, audio: 1, rooms: [['room-n', 1, 1]] }));
    await raw.flush();
    await expect.poll(() => a.others().length, { timeout: 2000 }).toBe(1);
    expect(a.others()[0]?.draining).toBe(false);
    await raw.close();
    await a.close();
  });

  it('hears the other nodes again after the NATS server is killed and restarted', { timeout: 30_000 }, async () => {
    const a = await node('back-a');
    const b = await node('back-b');
    nats.server().kill();
    await nats.server().restart();
    // b keeps reporting once in a while, as its reporter does; a hears it once both have reconnected
    let n = 0;
    const deadline = Date.now() + 20_000;
    while (a.listenersElsewhere(ROOM) === 0 && Date.now() < deadline) {
      b.publish(reportOf('back-b', [[ROOM, { listeners: ++n, audio: 1 }]]));
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(a.listenersElsewhere(ROOM)).toBeGreaterThan(0);
    await a.close();
    await b.close();
  });
});
