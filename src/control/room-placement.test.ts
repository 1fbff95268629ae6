/**
 * RoomPlacement over a real SQLite store shared by two "nodes" on a clock the test moves: the first
 * claimer leads, the other waits; when the leader stops renewing (it died) the other takes the room at
 * the next epoch within one lease, and the old leader, back, yields at its next renewal; an orderly
 * stop hands the room over at once; a room no longer open is released; a store that cannot be reached
 * leaves the leader leading.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { asRoomId, type RoomId } from '../domain/ids.ts';
import { openStore } from '../store/open-store.ts';
import type { LeaseStore } from '../store/lease-types.ts';
import { StoreError, type Store } from '../store/types.ts';
import { LEASE_TTL_MS, RoomPlacement } from './room-placement.ts';

const ROOM = asRoomId('r-placed');
let clock = 1_800_000_000_000;
const dirs: string[] = [];
const stores: Store[] = [];

afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function sharedStore(): Promise<Store> {
  const dir = mkdtempSync(join(tmpdir(), 'amphi-placement-'));
  dirs.push(dir);
  const s = await openStore({ databaseUrl: '', dataDir: dir });
  stores.push(s);
  return s;
}

function node(leases: LeaseStore, nodeId: string, open: () => RoomId[] = () => [ROOM]) {
  const events: string[] = [];
  const errors: unknown[] = [];
  const placement = new RoomPlacement({
    leases,
    nodeId,
    now: () => clock,
    openRooms: open,
    lead: (id, epoch, takeover) => events.push(`lead ${id}@${epoch}${takeover ? ' takeover' : ''}`),
    yield: (id) => events.push(`yield ${id}`),
    onError: (err) => errors.push(err),
  });
  return { placement, events, errors };
}

describe('RoomPlacement', () => {
  it('one node leads; when it stops renewing the other takes over at the next epoch, and the old one yields', async () => {
    const store = await sharedStore();
    const a = node(store.leases, 'a');
    const b = node(store.leases, 'b');
    expect(await a.placement.claim(ROOM)).toBe(true);
    await b.placement.renew();
    expect([a.events, b.events]).toEqual([[`lead ${ROOM}@1`], []]);
    clock += LEASE_TTL_MS - 1;
    await b.placement.renew();
    expect(b.events).toEqual([]);
    clock += 1;
    await b.placement.renew();
    expect(b.events).toEqual([`lead ${ROOM}@2 takeover`]);
    expect(b.placement.epochOf(ROOM)).toBe(2);
    // a comes back from a long stall: its next renewal learns the room is b's
    await a.placement.renew();
    expect(a.events).toEqual([`lead ${ROOM}@1`, `yield ${ROOM}`]);
    expect(a.placement.epochOf(ROOM)).toBeNull();
  });

  it('concurrent claims of one room share one store call, and an orderly stop hands the room over at once', async () => {
    const store = await sharedStore();
    const a = node(store.leases, 'a');
    const b = node(store.leases, 'b');
    expect(await Promise.all([a.placement.claim(ROOM), a.placement.claim(ROOM), a.placement.claim(ROOM)])).toEqual([true, true, true]);
    expect(a.events).toEqual([`lead ${ROOM}@1`]);
    await a.placement.stop();
    expect(a.events).toEqual([`lead ${ROOM}@1`, `yield ${ROOM}`]);
    expect(await b.placement.claim(ROOM)).toBe(true);
    expect(b.events).toEqual([`lead ${ROOM}@2 takeover`]);
    // a stopped placement claims nothing
    expect(await a.placement.claim(ROOM)).toBe(false);
  });

  it('a room that is no longer open is released, so another node may take it at once', async () => {
    const store = await sharedStore();
    let open: RoomId[] = [ROOM];
    const a = node(store.leases, 'a', () => open);
    await a.placement.renew();
    open = [];
    await a.placement.renew();
    expect(a.events).toEqual([`lead ${ROOM}@1`, `yield ${ROOM}`]);
    expect((await store.leases.get(ROOM))?.expiresAt).toBe(0);
  });

  it('while the store cannot be reached the leader keeps leading, and the failure is reported', async () => {
    const store = await sharedStore();
    let down = false;
    const flaky: LeaseStore = {
      claim: (...args) => (down ? Promise.reject(new Error('connection refused')) : store.leases.claim(...args)),
      release: (...args) => store.leases.release(...args),
      get: (id) => store.leases.get(id),
    };
    const a = node(flaky, 'a');
    await a.placement.renew();
    down = true;
    clock += 10_000;
    await a.placement.renew();
    expect(a.events).toEqual([`lead ${ROOM}@1`]);
    expect(a.placement.epochOf(ROOM)).toBe(1);
    expect(a.errors).toHaveLength(1);
    // a node that never held the room does not start leading it while the store is away
    const b = node(flaky, 'b');
    expect(await b.placement.claim(ROOM)).toBe(false);
  });

  it('a store outage (StoreError unavailable) keeps the rooms held too, and is left to the store to report: not a line per room per second', async () => {
    const store = await sharedStore();
    let down = false;
    const away: LeaseStore = {
      claim: (...args) => (down ? Promise.reject(new StoreError('unavailable', 'PostgreSQL cannot be reached')) : store.leases.claim(...args)),
      release: (...args) => store.leases.release(...args),
      get: (id) => store.leases.get(id),
    };
    const a = node(away, 'a');
    await a.placement.renew();
    down = true;
    for (let i = 0; i < 5; i++) await a.placement.renew();
    expect(a.placement.epochOf(ROOM)).toBe(1);
    expect(a.errors).toEqual([]);
  });
});
