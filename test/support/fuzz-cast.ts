/**
 * @module test/support/fuzz-cast — the people and rooms the fuzz tests throw inputs at: a real server
 * with a host, a co-host, a speaker, a listener (all signed in), a signed-out client, and one room each
 * backstage, live and ended, every stage role filled. Fuzzing may end or rearrange rooms; `refresh()`
 * builds fresh ones so later runs still explore open rooms. Test code only; never imported by src/.
 */
import type { StartOptions } from '../../src/main.ts';
import { ApiClient, startTestServer, type TestServer } from './amphi-server.ts';

export const PERSONAS = ['host', 'cohost', 'speaker', 'listener'] as const;
export type Persona = (typeof PERSONAS)[number];

export const ROOM_STATES = ['backstage', 'live', 'ended'] as const;
export type RoomStateName = (typeof ROOM_STATES)[number];

export interface CastMember {
  readonly handle: string;
  readonly id: string;
  readonly client: ApiClient;
}

export interface Cast {
  readonly server: TestServer;
  readonly people: Readonly<Record<Persona, CastMember>>;
  readonly signedOut: ApiClient;
  /** the current room id for each state; replaced by `refresh()` */
  readonly rooms: Record<RoomStateName, string>;
  /** every room id ever made here, ended ones included (real ids to fuzz with) */
  readonly allRoomIds: string[];
  /** the session cookie of a persona right now (`amphi_session=...`) */
  cookieOf(p: Persona): string;
  /** new rooms for the three states, staffed as at the start */
  refresh(): Promise<void>;
  dispose(): Promise<void>;
}

export class CastSetupError extends Error {
  override readonly name = 'CastSetupError';
}

async function must(client: ApiClient, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const r = await client.call(method, path, body);
  if (r.status >= 300) throw new CastSetupError(`${method} ${path} -> ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** a room with the co-host and the speaker on stage, taken to `state` */
async function makeRoom(people: Readonly<Record<Persona, CastMember>>, state: RoomStateName, n: number): Promise<string> {
  const { host, cohost, speaker } = people;
  const made = await must(host.client, 'POST', '/api/rooms', { title: `Fuzz room ${n} (${state})`, topics: ['fuzz'] });
  const room = made['room'] as { id: string };
  const act = (who: CastMember, action: Record<string, unknown>) => must(who.client, 'POST', `/api/rooms/${room.id}/actions`, action);
  for (const guest of [cohost, speaker]) {
    await act(host, { type: 'invite', target: guest.id });
    await act(guest, { type: 'acceptInvite' });
  }
  await act(host, { type: 'addCohost', target: cohost.id });
  if (state !== 'backstage') await act(host, { type: 'goLive' });
  if (state === 'ended') await act(host, { type: 'end' });
  return room.id;
}

/**
 * `opts.now` lets a test step the server's clock (the WebSocket rate window reads it); `opts.start`
 * starts the server on another store (test/support/store-servers.ts), SQLite by default
 */
export async function startCast(opts: Pick<StartOptions, 'now'> & { start?: () => Promise<TestServer> } = {}): Promise<Cast> {
  const server = await (opts.start ?? (() => startTestServer(opts)))();
  const tag = Math.random().toString(36).slice(2, 7);
  const entries = await Promise.all(
    PERSONAS.map(async (p): Promise<[Persona, CastMember]> => {
      const client = new ApiClient(server.url);
      const handle = `${p.slice(0, 6)}_${tag}`;
      return [p, { handle, id: await client.signUp(handle), client }];
    }),
  );
  const people = Object.fromEntries(entries) as Record<Persona, CastMember>;
  let made = 0;
  const allRoomIds: string[] = [];
  const rooms: Record<RoomStateName, string> = { backstage: '', live: '', ended: '' };
  const refresh = async () => {
    for (const s of ROOM_STATES) {
      rooms[s] = await makeRoom(people, s, ++made);
      allRoomIds.push(rooms[s]);
    }
  };
  await refresh();
  return {
    server,
    people,
    signedOut: new ApiClient(server.url),
    rooms,
    allRoomIds,
    cookieOf: (p) => {
      const c = people[p].client.cookie;
      if (c === null) throw new CastSetupError(`${p} has no session`);
      return c;
    },
    refresh,
    dispose: () => server.dispose(),
  };
}
