/**
 * The PostgreSQL store with its database out of reach, through a TCP relay the test cuts (connections
 * reset, new ones refused) or stalls (nothing passes: a partition): every kind of call, notify and
 * leases included, fails within seconds as StoreError('unavailable') saying where and why without the
 * password; a failed write leaves nothing behind; the outage is reported once at each end; the store
 * works again by itself once the relay is mended. The reasons and the watch are also tested alone.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { TcpRelay } from '../../test/support/tcp-relay.ts';
import { auditEntry, roomId, roomState, T0, user, userId } from './fixtures.test-helper.ts';
import { dropSchemas, PG_TEST_URL, postgresForTests, testSchemaName } from './pg-availability.test-helper.ts';
import { openPostgresStore } from './postgres.ts';
import { OutageWatch, unreachableReason, type OutageEvent } from './postgres-outage.ts';
import { StoreError, type Store } from './types.ts';

const TIMEOUTS = { connectMs: 1000, queryMs: 1000 };
const coded = (code: string, message = 'x'): Error => Object.assign(new Error(message), { code });

describe('unreachableReason', () => {
  it.each([
    ['a refused connection', coded('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'), 'refused'],
    ['a reset', coded('ECONNRESET'), 'reset'],
    ['IPv6 and IPv4 both refused', new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')]), 'refused'],
    ['SQLSTATE class 08', coded('08006'), '08006'],
    ['an admin shutdown', coded('57P01', 'terminating connection due to administrator command'), 'shutting down'],
    ['a server still starting', coded('57P03'), 'not accepting connections'],
    ['a read timeout', new Error('Query read timeout'), 'within 1 s'],
    ['no free connection in time', new Error('timeout exceeded when trying to connect'), 'within 1 s'],
    ['a connect timeout', new Error('Connection terminated due to connection timeout'), 'within 1 s'],
    ['a dropped connection', new Error('Connection terminated unexpectedly'), 'closed'],
  ])('%s is an outage', (_name, error, words) => {
    expect(unreachableReason(error, TIMEOUTS)).toContain(words);
  });

  it.each([
    ['a unique violation', coded('23505')],
    ['a serialisation failure', coded('40001')],
    ['a bad password', coded('28P01')],
    ['a bug', new TypeError('x is undefined')],
    ['not an error', 'ECONNREFUSED'],
  ])('%s is not', (_name, error) => {
    expect(unreachableReason(error, TIMEOUTS)).toBeNull();
  });
});

describe('OutageWatch', () => {
  it('reports an outage once when it starts and once when a call started after it answers', () => {
    let now = 1000;
    const events: OutageEvent[] = [];
    const watch = new OutageWatch('postgres://db', (e) => events.push(e), () => now);
    watch.answered(now);
    watch.failed('the connection was refused', now);
    now += 100;
    watch.failed('the connection was refused', now);
    watch.noticed('the connection was reset', now);
    // a call that began before the outage and ends well says nothing about now
    watch.answered(900);
    expect(watch.down).toBe(true);
    now += 9900;
    watch.answered(now);
    expect(events).toEqual([
      expect.objectContaining({ kind: 'lost', reason: 'the connection was refused' }),
      expect.objectContaining({ kind: 'back', downMs: 10_000, failedCalls: 2 }),
    ]);
    // a call from before the recovery whose timeout runs out late opens no new outage
    watch.failed('it did not answer within 5 s', now - 1);
    expect(events).toHaveLength(2);
    watch.failed('the connection was refused', now);
    expect(events).toHaveLength(3);
  });
});

const up = await postgresForTests();
const schemas: string[] = [];
afterAll(() => dropSchemas(PG_TEST_URL, schemas));

describe.skipIf(!up)('the PostgreSQL store with its database out of reach', () => {
  const opened: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    // the store before the relay it talks through
    for (const c of opened.splice(0).reverse()) await c.close();
  });

  /** a store reaching PostgreSQL through a relay of its own, in a fresh schema, with one room in it */
  async function throughRelay(): Promise<{ store: Store; relay: TcpRelay; events: OutageEvent[]; password: string }> {
    const direct = new URL(PG_TEST_URL);
    const relay = await TcpRelay.start(Number(direct.port || 5432), direct.hostname);
    opened.push(relay);
    const url = new URL(PG_TEST_URL);
    url.host = `127.0.0.1:${relay.port}`;
    // the test server trusts local connections, so a password here is never checked, only never shown
    if (url.password === '') url.password = 'hunter2';
    const schema = testSchemaName('outage');
    schemas.push(schema);
    const events: OutageEvent[] = [];
    const store = await openPostgresStore(url.toString(), {
      schema,
      connectTimeoutMs: TIMEOUTS.connectMs,
      queryTimeoutMs: TIMEOUTS.queryMs,
      onOutage: (e) => events.push(e),
    });
    opened.push(store);
    await store.createUser(user(1));
    await store.createRoom(roomState(ROOM, userId(1)), [auditEntry('room_created', userId(1), T0)]);
    return { store, relay, events, password: decodeURIComponent(url.password) };
  }

  const ROOM = roomId('outage');
  /** what a call ends with: its error, or null; caught at once, as the calls run side by side */
  const outcome = (call: Promise<unknown>): Promise<unknown> => call.then(() => null, (e: unknown) => e);
  /** one call of each part of the store: accounts, rooms (a write), audit, notify, leases */
  const everyKind = (store: Store): Array<[string, Promise<unknown>]> =>
    ([
    ['getUser', store.getUser(userId(1))],
    ['createSession', store.createSession({ tokenHash: 'h', userId: userId(1), createdAt: T0, expiresAt: T0 + 1 })],
    ['mutateRoom', store.mutateRoom(ROOM, (s) => ({ write: true, state: { ...s, title: 'changed' }, audit: [auditEntry('pinned', userId(1), T0 + 1)], result: null }))],
    ['listAudit', store.listAudit(ROOM, 10)],
    ['notify.unreadCount', store.notify.unreadCount(userId(1))],
    ['leases.claim', store.leases.claim(ROOM, 'node-a', T0, 3000)],
    ] as const).map(([name, call]) => [name, outcome(call)]);

  /** every call failed as unavailable, saying where without the password; returns the messages */
  async function expectUnavailable(calls: Array<[string, Promise<unknown>]>, password: string): Promise<string[]> {
    const messages: string[] = [];
    for (const [name, call] of calls) {
      const error = await call;
      expect(error, name).toBeInstanceOf(StoreError);
      expect(error, name).toMatchObject({ code: 'unavailable', message: expect.stringContaining('cannot be reached') });
      expect((error as StoreError).message, name).toContain(':***@');
      expect((error as StoreError).message, name).not.toContain(password);
      messages.push((error as StoreError).message);
    }
    return messages;
  }

  /** nothing of the refused write is there: same version, same title, the audit log as it was */
  async function expectUntouched(store: Store): Promise<void> {
    const room = await store.getRoomVersioned(ROOM);
    expect(room).toMatchObject({ version: 1, state: { title: `Room ${ROOM}` } });
    expect((await store.listAudit(ROOM, 10)).map((e) => e.action)).toEqual(['room_created']);
    expect(await store.getSession('h', T0)).toBeNull();
    expect(await store.leases.get(ROOM)).toBeNull();
  }

  it('cut: every kind of call fails at once as unavailable, nothing is half-written, and it all works again after the mend', async () => {
    const { store, relay, events, password } = await throughRelay();
    relay.cut();
    const started = Date.now();
    await expectUnavailable(everyKind(store), password);
    expect(Date.now() - started).toBeLessThan(TIMEOUTS.connectMs + 1000);
    expect(events.map((e) => e.kind)).toEqual(['lost']);
    expect(events[0]?.message).not.toContain(password);
    relay.mend();
    await expectUntouched(store);
    expect(events).toEqual([expect.objectContaining({ kind: 'lost' }), expect.objectContaining({ kind: 'back', failedCalls: 6 })]);
    expect(await store.mutateRoom(ROOM, (s) => ({ write: true, state: { ...s, title: 'changed' }, audit: [], result: null }))).toMatchObject({ version: 2 });
  });

  it('stall: calls on open connections and on new ones fail within their timeouts instead of hanging; after the mend the store recovers by itself', async () => {
    const { store, relay, events, password } = await throughRelay();
    relay.stall();
    const started = Date.now();
    // more calls than idle connections: the rest open new ones, which get no answer either
    const messages = await expectUnavailable(everyKind(store), password);
    expect(Date.now() - started).toBeLessThan(Math.max(TIMEOUTS.connectMs, TIMEOUTS.queryMs) + 1500);
    expect(messages.filter((m) => m.includes('did not answer within 1 s'))).toHaveLength(1);
    expect(messages.filter((m) => m.includes('no connection could be had within 1 s'))).toHaveLength(5);
    // the broken connections are gone: a call now does not queue behind a lost one
    await expectUnavailable([['getUser again', outcome(store.getUser(userId(1)))]], password);
    expect(events.map((e) => e.kind)).toEqual(['lost']);
    relay.mend();
    await expectUntouched(store);
    expect(events.map((e) => e.kind)).toEqual(['lost', 'back']);
  });
});
