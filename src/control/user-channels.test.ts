/**
 * A person's live events reach their streams on whichever node holds them: on one node as always, and
 * across nodes through NatsUserPush on a nats-server the test starts (never the machine's 4222). A node
 * listens for a person only while it holds a stream of theirs, never delivers its own push twice, and
 * drops what is not an event a stream knows.
 */
import { connect } from '@nats-io/transport-node';
import { afterEach, describe, expect, it } from 'vitest';
import { asUserId } from '../domain/ids.ts';
import { natsForFile } from '../bus/nats-server.test-helper.ts';
import { userSubject } from '../bus/subjects.ts';
import { NatsUserPush } from '../bus/user-push-nats.ts';
import type { FanoutProgressView } from '../protocol/notify-views.ts';
import { UserChannels, type UserEventSink } from './user-channels.ts';

const ALICE = asUserId('alice');
const BOB = asUserId('bob');
const progress = { roomId: 'r1', kind: 'live', phase: 'sending', notified: 3, total: 10 } as unknown as FanoutProgressView;

const sink = (got: string[]): UserEventSink => ({ send: (type, json) => got.push(`${type} ${json}`) });

describe('UserChannels on one node', () => {
  it('reaches the streams of the person it is for, and says whether anyone is here', () => {
    const channels = new UserChannels();
    const a: string[] = [];
    const b: string[] = [];
    const stop = channels.subscribe(ALICE, sink(a));
    channels.subscribe(BOB, sink(b));
    channels.send(ALICE, { type: 'fanout', progress });
    expect(a).toEqual([`fanout ${JSON.stringify({ progress })}`]);
    expect(b).toEqual([]);
    expect(channels.has(ALICE)).toBe(true);
    stop();
    expect(channels.has(ALICE)).toBe(false);
  });
});

const nats = natsForFile();

describe.skipIf(!nats.has)('UserChannels across nodes (NatsUserPush)', () => {
  const closing: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of closing.splice(0).reverse()) await c();
  });
  async function node(nodeId: string, errors: unknown[] = []): Promise<{ push: NatsUserPush; channels: UserChannels }> {
    const push = await NatsUserPush.connect({ servers: nats.server().url, nodeId, onError: (e) => errors.push(e) });
    closing.push(() => push.close());
    return { push, channels: new UserChannels(push) };
  }

  it("an event written on one node reaches the person's stream on another, once, and only while they hold it", async () => {
    const writer = await node('w1');
    const holder = await node('h1');
    const got: string[] = [];
    const mine: string[] = [];
    const stop = holder.channels.subscribe(ALICE, sink(got));
    writer.channels.subscribe(ALICE, sink(mine));
    await holder.push.flush();
    // in a cluster anyone may have a stream somewhere: the writer must push
    expect(writer.channels.has(BOB)).toBe(true);
    writer.channels.send(ALICE, { type: 'fanout', progress });
    await writer.push.flush();
    await expect.poll(() => got.length, { timeout: 3000 }).toBe(1);
    expect(got[0]).toBe(`fanout ${JSON.stringify({ progress })}`);
    // the writer's own stream hears it once, not again from the echo
    await new Promise((r) => setTimeout(r, 200));
    expect(mine).toHaveLength(1);
    stop();
    await holder.push.flush();
    writer.channels.send(ALICE, { type: 'fanout', progress });
    await writer.push.flush();
    await new Promise((r) => setTimeout(r, 200));
    expect(got).toHaveLength(1);
  });

  it('reports a malformed push and delivers nothing for it, nor an event type a stream does not know', async () => {
    const errors: unknown[] = [];
    const holder = await node('h2', errors);
    const got: string[] = [];
    holder.channels.subscribe(BOB, sink(got));
    await holder.push.flush();
    const raw = await connect({ servers: nats.server().url });
    closing.push(() => raw.close());
    raw.publish(userSubject(BOB), 'not json');
    raw.publish(userSubject(BOB), JSON.stringify({ n: 'other', t: 'ready', j: '{"unread":1}' }));
    raw.publish(userSubject(BOB), JSON.stringify({ n: 'other', t: 'notification', j: '{}' }));
    await raw.flush();
    await expect.poll(() => errors.length, { timeout: 3000 }).toBe(1);
    await expect.poll(() => got.length, { timeout: 3000 }).toBe(1);
    expect(got[0]).toBe('notification {}');
  });
});
