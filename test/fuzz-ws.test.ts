/**
 * @module test/fuzz-ws — fuzzes the room WebSocket (/api/rooms/:id/ws) with fast-check against the real
 * server: signed-in, signed-out and bad-cookie sockets, our own, a foreign or no Origin, rooms backstage,
 * live, ended and unknown; frames that are valid ClientMessages with random values, near-misses, any
 * JSON, random text and bytes, as text and as binary, up to the 64 KiB limit. Each message must get its
 * answer (pong for a ping, else ack or error, never `internal`), a refused one must leave every stored
 * row as it was, and abuse must close the socket: 10 malformed messages -> 4400, more than 30 in one
 * second -> 4429 (the server's clock is stepped by the test, so the second is exact). Afterwards the
 * server is healthy and no promise was left rejected.
 *
 * Runs: 700 sockets of 1-6 frames each (~2,400 frames, plus a ping per socket) + 25 sockets of 10
 * malformed frames + 20 floods of 31-90 messages + 10 paced runs of up to 120 messages over 4 seconds.
 * Frames over 64 KiB and text frames that are not UTF-8 close the socket (1009/1007) and the server
 * stays up (a test of their own). `end` gets its ack before the hub closes the room's sockets (4010);
 * the fuzz also accepts that close for `end` and checks the room did end.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '../src/protocol/close-codes.ts';
import { PERSONAS, startCast, type Cast, type Persona } from './support/fuzz-cast.ts';
import { FuzzSocket, type Outcome } from './support/fuzz-ws-client.ts';
import { badFrame, expectedFor, frameArb, frameBytes, type FuzzFrame } from './support/fuzz-ws-frames.ts';

const RUNS = { sockets: 700, malformed: 25, floods: 20, paced: 10 } as const;
/** 700 sockets with a store snapshot per message take ~30 s alone on two cores, longer when they are shared */
const FUZZ_TIMEOUT_MS = 180_000;
const REFRESH_EVERY = 100;
const REFUSED_AT_ADMISSION = new Set(['room_not_found', 'room_ended', 'removed_from_room', 'blocked_by_host']);
const BAD = new Set(['bad_request', 'invalid_json']);

/** the server's clock: each socket gets its own second, floods stay within one */
const clock = { t: Date.now() };
let cast: Cast;
let realIds: string[] = [];
const keepers: FuzzSocket[] = [];
const troubles: unknown[] = [];
const onRejection = (reason: unknown) => troubles.push(reason);
const onException = (err: unknown) => troubles.push(err);
let runs = 0;
let frames = 0;

type Who = Persona | 'signedOut' | 'badCookie';
type RoomPick = 'live' | 'backstage' | 'ended' | 'unknown';

/**
 * One idle socket per person in each open room, so the fuzzed sockets are never anyone's first or last
 * (which would start presence writes of their own, in the background, racing the snapshots).
 */
async function staffRooms(): Promise<void> {
  for (const state of ['backstage', 'live'] as const) {
    const roomId = cast.rooms[state];
    for (const p of PERSONAS) {
      const s = await FuzzSocket.connect(cast.server.url, roomId, { cookie: cast.cookieOf(p), origin: cast.server.url });
      if ('refusedStatus' in s) throw new Error(`keeper for ${p} refused: ${s.refusedStatus}`);
      keepers.push(s);
    }
    for (let i = 0; ; i++) {
      const r = await cast.people.host.client.call<{ room: { stage: { connected: boolean }[] } }>('GET', `/api/rooms/${roomId}`);
      if (r.body.room.stage.every((m) => m.connected)) break;
      if (i > 200) throw new Error('stage never showed as connected');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

beforeAll(async () => {
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtExceptionMonitor', onException);
  cast = await startCast({ now: () => clock.t });
  realIds = PERSONAS.map((p) => cast.people[p].id);
  await staffRooms();
});

afterAll(async () => {
  process.off('unhandledRejection', onRejection);
  process.off('uncaughtExceptionMonitor', onException);
  for (const k of keepers) await k.close();
  await cast?.dispose();
});

/** new staffed rooms, so a test starts where nobody was removed and nothing ended */
async function freshRooms(): Promise<void> {
  await cast.refresh();
  await staffRooms();
}

/** like enter(), for tests that run in fresh rooms where every admission must succeed */
async function mustEnter(who: Who): Promise<FuzzSocket> {
  const s = await enter(who, 'live');
  if (s === null) throw new Error(`${who} was refused entry to a fresh room`);
  return s;
}

function cookieFor(who: Who): string | null {
  if (who === 'signedOut') return null;
  if (who === 'badCookie') return 'amphi_session=not-a-session';
  return cast.cookieOf(who);
}

function roomIdFor(pick: RoomPick): string {
  return pick === 'unknown' ? 'no-such-room-0000' : cast.rooms[pick];
}

/** opens a socket and proves it was admitted with a ping; null when the server refused entry (checked) */
async function enter(who: Who, room: RoomPick): Promise<FuzzSocket | null> {
  const s = await FuzzSocket.connect(cast.server.url, roomIdFor(room), { cookie: cookieFor(who), origin: cast.server.url });
  if ('refusedStatus' in s) throw new Error(`upgrade refused: ${s.refusedStatus}`);
  s.send(JSON.stringify({ type: 'ping', ref: 'hello' }));
  const hello = await s.next();
  if (hello.kind === 'answer' && hello.frame.type === 'error') {
    expect(REFUSED_AT_ADMISSION.has(String(hello.frame['code'])), JSON.stringify(hello)).toBe(true);
    const closed = await s.next();
    expect(closed.kind === 'closed' && closed.code > 4400 && closed.code < 4500, JSON.stringify(closed)).toBe(true);
    return null;
  }
  expect(hello).toEqual({ kind: 'answer', frame: { type: 'pong', ref: 'hello' } });
  return s;
}

const describeFrame = (f: FuzzFrame) => `${f.kind} ${frameBytes(f)} B: ${(f.kind === 'text' ? f.text : Buffer.from(f.bytes).toString('hex')).slice(0, 200)}`;

function endsTheRoom(f: FuzzFrame): boolean {
  const exp = expectedFor(f);
  return exp.answer === 'ackOrError' && exp.action === 'end';
}

function checkAnswer(f: FuzzFrame, out: Outcome): void {
  const what = `${describeFrame(f)} -> ${JSON.stringify(out).slice(0, 300)}`;
  expect(out.kind, what).toBe('answer');
  if (out.kind !== 'answer') return;
  const frame = out.frame;
  const exp = expectedFor(f);
  if (exp.answer === 'pong') {
    expect(frame, what).toEqual({ type: 'pong', ref: exp.ref });
    return;
  }
  expect(frame.type === 'ack' || frame.type === 'error', what).toBe(true);
  if (frame.type === 'error') {
    expect(typeof frame['code'] === 'string' && frame['code'] !== 'internal', what).toBe(true);
    expect(typeof frame['message'] === 'string' && String(frame['message']).length > 0, what).toBe(true);
  }
  if (exp.answer === 'bad') {
    expect(frame.type === 'error' && BAD.has(String(frame['code'])) && frame['ref'] === null, what).toBe(true);
  } else {
    expect(frame['ref'], what).toBe(exp.ref);
  }
}

const who: fc.Arbitrary<Who> = fc.oneof({ arbitrary: fc.constantFrom(...PERSONAS), weight: 8 }, { arbitrary: fc.constantFrom<Who>('signedOut', 'badCookie'), weight: 2 });
const roomPick: fc.Arbitrary<RoomPick> = fc.oneof(
  { arbitrary: fc.constant<RoomPick>('live'), weight: 6 },
  { arbitrary: fc.constant<RoomPick>('backstage'), weight: 3 },
  { arbitrary: fc.constantFrom<RoomPick>('ended', 'unknown'), weight: 1 },
);

describe('fuzzing the room WebSocket', () => {
  it('answers every message (pong, ack or error, never internal) and a refused one changes nothing stored', async () => {
    const run = fc.record({ who, room: roomPick, frames: fc.array(frameArb(realIds), { minLength: 1, maxLength: 6 }) });
    await fc.assert(
      fc.asyncProperty(run, async ({ who: w, room, frames: fs }) => {
        if (runs > 0 && runs % REFRESH_EVERY === 0) await freshRooms();
        runs++;
        clock.t += 1000;
        const s = await enter(w, room);
        if (s === null) return;
        for (const f of fs) {
          frames++;
          const before = await cast.server.store.snapshot();
          s.send(f.kind === 'text' ? f.text : f.bytes, f.kind === 'binary');
          let out = await s.next();
          checkAnswer(f, out);
          if (endsTheRoom(f) && out.kind === 'answer' && out.frame.type === 'ack') {
            // the room ended: the last state and the notice arrive, then close 4010 for everyone
            while (out.kind === 'answer') out = await s.next();
            expect(out).toMatchObject({ kind: 'closed', code: CLOSE_CODES.roomEnded });
            const r = await cast.people.host.client.call<{ room: { status: string } }>('GET', `/api/rooms/${roomIdFor(room)}`);
            expect(r.body.room.status).toBe('ended');
            return;
          }
          if (out.kind === 'answer' && out.frame.type !== 'ack') {
            expect(await cast.server.store.snapshot(), `a refused message changed the store: ${describeFrame(f)}`).toEqual(before);
          }
        }
        expect(s.isOpen).toBe(true);
        await s.close();
      }),
      { numRuns: RUNS.sockets },
    );
  }, FUZZ_TIMEOUT_MS);

  it('refuses the upgrade from a foreign Origin with 403', async () => {
    for (const origin of ['https://evil.example', 'null', `${cast.server.url}/`]) {
      const s = await FuzzSocket.connect(cast.server.url, cast.rooms.live, { cookie: cast.cookieOf('host'), origin });
      expect(s).toEqual({ refusedStatus: 403 });
    }
  });

  it('answers 9 malformed messages, still answers a ping, and closes with 4400 at the 10th, changing nothing', async () => {
    const run = fc.record({ who, frames: fc.array(badFrame(realIds), { minLength: 10, maxLength: 10 }) });
    await freshRooms();
    await fc.assert(
      fc.asyncProperty(run, async ({ who: w, frames: fs }) => {
        clock.t += 1000;
        const s = await mustEnter(w);
        const before = await cast.server.store.snapshot();
        for (const [i, f] of fs.entries()) {
          if (i === 9) {
            s.send(JSON.stringify({ type: 'ping', ref: 'still-up' }));
            expect(await s.next()).toEqual({ kind: 'answer', frame: { type: 'pong', ref: 'still-up' } });
          }
          s.send(f.kind === 'text' ? f.text : f.bytes, f.kind === 'binary');
          checkAnswer(f, await s.next());
        }
        const closed = await s.next();
        expect(closed).toMatchObject({ kind: 'closed', code: 4400 });
        expect(await cast.server.store.snapshot()).toEqual(before);
      }),
      { numRuns: RUNS.malformed },
    );
  });

  it('closes with 4429 a socket that sends more than 30 messages within one second, after answering the first 30', async () => {
    await freshRooms();
    await fc.assert(
      fc.asyncProperty(who, fc.integer({ min: 31, max: 90 }), async (w, n) => {
        clock.t += 1000;
        const s = await mustEnter(w);
        clock.t += 1000; // a fresh window: the admission ping is not counted in it
        for (let i = 0; i < n; i++) s.send(JSON.stringify({ type: 'ping', ref: String(i) }));
        for (let i = 0; i < 30; i++) expect(await s.next()).toEqual({ kind: 'answer', frame: { type: 'pong', ref: String(i) } });
        expect(await s.next()).toMatchObject({ kind: 'answer', frame: { type: 'error', code: 'rate_limited' } });
        expect(await s.next()).toMatchObject({ kind: 'closed', code: 4429 });
      }),
      { numRuns: RUNS.floods },
    );
  });

  it('keeps a socket open that sends up to 30 messages in each second, second after second', async () => {
    await freshRooms();
    await fc.assert(
      fc.asyncProperty(who, fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 2, maxLength: 4 }), async (w, batches) => {
        clock.t += 1000;
        const s = await mustEnter(w);
        for (const size of batches) {
          clock.t += 1000;
          for (let i = 0; i < size; i++) s.send(JSON.stringify({ type: 'ping', ref: `p${i}` }));
          for (let i = 0; i < size; i++) expect(await s.next()).toEqual({ kind: 'answer', frame: { type: 'pong', ref: `p${i}` } });
        }
        expect(s.isOpen).toBe(true);
        await s.close();
      }),
      { numRuns: RUNS.paced },
    );
  });

  it.each([
    ['a text frame over 64 KiB', 'x'.repeat(70_000), 1009],
    ['a text frame that is not UTF-8', new Uint8Array([0xff, 0xfe, 0x80]), 1007],
  ] as const)('closes %s with %i and stays up', async (_what, data, code) => {
    const s = await mustEnter('listener');
    s.send(data, false);
    let out = await s.next();
    while (out.kind === 'answer') out = await s.next();
    expect(out).toMatchObject({ kind: 'closed', code });
    expect((await fetch(`${cast.server.url}/healthz`)).status).toBe(200);
    const again = await mustEnter('listener');
    await again.close();
  });

  it('still admits a fresh socket and answers /healthz afterwards, with no promise left rejected', async () => {
    const s = await enter('listener', 'live');
    expect(s).not.toBeNull();
    await s?.close();
    expect((await fetch(`${cast.server.url}/healthz`)).status).toBe(200);
    expect(troubles).toEqual([]);
    expect(frames).toBeGreaterThan(RUNS.sockets);
  });
});
