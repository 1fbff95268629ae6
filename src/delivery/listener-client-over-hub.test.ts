import { afterEach, describe, it, expect } from 'vitest';
import { CLOSE_CODES } from '../protocol/close-codes.ts';
import type { AudioFrame } from '../protocol/listener-frame.ts';
import {
  ListenerConnection,
  type CloseCause,
  type ListenerConnectionOptions,
  type ListenerConnectionState,
} from '../protocol/listener-client/listener-connection.ts';
import { DefaultReconnectPolicy } from '../protocol/listener-client/reconnect-policy.ts';
import { wsClientSocketFactory } from './client-socket-ws.ts';
import { range, startHubServer, tokenFor, type HubServer } from './hub-server.test-helper.ts';
import { StreamHub } from './stream-hub.ts';
import { asStreamId } from './stream-id.ts';

const S = asStreamId('room-stream');
const frame = (seq: number): AudioFrame => ({ seq, captureTimeMs: seq * 20, opus: Uint8Array.of(seq & 0xff) });
let server: HubServer | null = null;
const connections: ListenerConnection[] = [];

afterEach(async () => {
  for (const c of connections.splice(0)) c.close();
  await server?.close();
  server = null;
});

/** Drives a ListenerConnection against a real hub and records what it reports, so tests await events. */
const harness = async (overrides: Partial<ListenerConnectionOptions> = {}) => {
  const hub = new StreamHub();
  hub.openStream(S);
  server = await startHubServer(hub, Date.now);
  const seqs: number[] = [];
  const states: ListenerConnectionState[] = [];
  let cause: CloseCause | null = null;
  const errors: Error[] = [];
  let waiters: (() => void)[] = [];
  const wake = (): void => {
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };
  const conn = new ListenerConnection({
    endpoint: server.endpoint,
    token: tokenFor(S),
    createSocket: wsClientSocketFactory,
    // Zero delay: the test waits on reconnect events, never on time.
    policy: new DefaultReconnectPolicy({ random: () => 0 }),
    onFrames: (frames) => {
      seqs.push(...frames.map((f) => f.seq));
      wake();
    },
    onState: (state, why) => {
      states.push(state);
      cause = why;
      wake();
    },
    onError: (e) => void errors.push(e),
    ...overrides,
  });
  connections.push(conn);
  const until = (condition: () => boolean): Promise<void> =>
    new Promise<void>((resolve) => {
      const check = (): void => (condition() ? resolve() : void waiters.push(check));
      check();
    });
  let next = 1;
  const publish = (n: number): void => {
    for (let i = 0; i < n; i++) hub.publishFrame(S, frame(next++));
  };
  return { hub, srv: server, conn, seqs, states, errors, until, publish, cause: () => cause };
};

describe('ListenerConnection against a real stream hub', () => {
  it('reconnects after the server drops it and resumes from its last frame with no gap and no duplicate', async () => {
    const { hub, srv, conn, seqs, states, errors, until, publish } = await harness();
    conn.start();
    await until(() => conn.state === 'live');
    publish(9);
    await until(() => seqs.length === 9);
    srv.dropAll();
    await until(() => conn.state === 'reconnecting');
    publish(6); // spoken while the listener was away: 10..15
    await until(() => conn.state === 'live');
    publish(6);
    await until(() => seqs.length >= 21);
    expect(seqs).toEqual(range(1, 21));
    expect(conn.stats).toMatchObject({ gaps: 0, duplicates: 0, reconnectAttempts: 1, malformed: 0 });
    expect(states).toEqual(['connecting', 'live', 'reconnecting', 'live']);
    expect(hub.stats()).toMatchObject({ catchUpBatches: 1, joinsResumed: 1 });
    expect(errors).toEqual([]);
  });

  it('after being closed as too slow, reconnects at live instead of resuming stale audio', async () => {
    const { hub, srv, conn, seqs, until, publish } = await harness();
    conn.start();
    await until(() => conn.state === 'live');
    publish(3);
    await until(() => seqs.length === 3);
    srv.connections[0]?.ws.close(CLOSE_CODES.tooSlow, 'too slow');
    await until(() => conn.state === 'reconnecting');
    publish(6);
    await until(() => conn.state === 'live');
    publish(3);
    await until(() => seqs.length >= 6);
    expect(seqs).toEqual([1, 2, 3, 10, 11, 12]);
    expect(hub.stats()).toMatchObject({ joinsLive: 2, joinsResumed: 0, catchUpBatches: 0 });
    expect(conn.stats.gaps).toBe(0);
  });

  it('after a resume the server could not read (4002), reconnects at live without it instead of giving up', async () => {
    const { hub, srv, conn, seqs, until, publish } = await harness();
    conn.start();
    await until(() => conn.state === 'live');
    publish(3);
    await until(() => seqs.length === 3);
    srv.connections[0]?.ws.close(CLOSE_CODES.badResume, 'bad resume');
    await until(() => conn.state === 'reconnecting');
    publish(6);
    await until(() => conn.state === 'live');
    publish(3);
    await until(() => seqs.length >= 6);
    expect(seqs).toEqual([1, 2, 3, 10, 11, 12]);
    expect(hub.stats()).toMatchObject({ joinsLive: 2, joinsResumed: 0 });
  });

  it('stops for good when the room ends, telling why', async () => {
    const { hub, srv, conn, until, publish, cause } = await harness();
    conn.start();
    await until(() => conn.state === 'live');
    publish(2);
    hub.closeStream(S, CLOSE_CODES.roomEnded);
    await until(() => conn.state === 'closed');
    expect(cause()).toEqual({ by: 'server', code: 4010, reason: 'room ended' });
    expect(srv.connections).toHaveLength(1);
    expect(conn.lastSeq).toBe(2);
  });

  it('does not retry a token the server refuses', async () => {
    const { srv, conn, until, cause } = await harness({ token: 'not-a-token' });
    conn.start();
    await until(() => conn.state === 'closed');
    expect(cause()).toMatchObject({ by: 'server', code: 4001 });
    expect(srv.connections).toHaveLength(1);
  });

  it('fetches a fresh token for every connect when given a token function', async () => {
    let fetched = 0;
    const { srv, conn, until } = await harness({
      token: async () => {
        fetched++;
        return tokenFor(S);
      },
    });
    conn.start();
    await until(() => conn.state === 'live');
    srv.dropAll();
    await until(() => conn.state === 'reconnecting');
    await until(() => conn.state === 'live');
    expect(fetched).toBe(2);
  });

  it('gives up when the policy says so, and reports it as the policy closing', async () => {
    const { srv, conn, until, cause } = await harness({ policy: { nextRetryDelayMs: () => null } });
    conn.start();
    await until(() => conn.state === 'live');
    srv.dropAll();
    await until(() => conn.state === 'closed');
    expect(cause()).toMatchObject({ by: 'policy', code: 1006 });
  });

  it('stays closed after close(), even if a reconnect was scheduled', async () => {
    const cancelled: number[] = [];
    const { srv, conn, until, states } = await harness({
      timers: { setTimeout: () => () => void cancelled.push(1) },
    });
    conn.start();
    await until(() => conn.state === 'live');
    srv.dropAll();
    await until(() => conn.state === 'reconnecting');
    conn.close();
    expect([conn.state, cancelled.length, srv.connections.length]).toEqual(['closed', 1, 1]);
    expect(states).toEqual(['connecting', 'live', 'reconnecting', 'closed']);
  });
});
