/**
 * One contract for the media router, run on LocalMediaRouter and on NatsMediaRouter over a real
 * nats-server the test starts (two connections = the origin's node and a member's node): a request
 * reaches the room's server and its answer comes back; a refusal keeps its code; a room nobody serves is
 * refused `unavailable` at once; after the origin stops serving, requests are refused, and a new origin
 * that serves the room answers them; a message for a member reaches every node's handlers once, the
 * origin's own first; who is speaking reaches the other nodes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUserId } from '../domain/ids.ts';
import { QUIET_STAGE, type ServerMessage } from '../protocol/api-views.ts';
import { natsServerForTests, startTestNats, type TestNats } from './nats-server.test-helper.ts';
import { LocalMediaRouter, MediaRouteError, type MediaRequest, type MediaRouter } from './media-router.ts';
import { NatsMediaRouter } from './media-router-nats.ts';

const hasNats = natsServerForTests();
let nats: TestNats | null = null;
const opened: MediaRouter[] = [];

beforeAll(async () => {
  if (hasNats) nats = await startTestNats();
});
afterAll(async () => {
  for (const r of opened.splice(0)) await r.close().catch(() => undefined);
  await nats?.stop();
});

const ANN = asUserId('ann');
const offer: MediaRequest = { kind: 'publish', userId: ANN, sdp: 'v=0 offer' };

interface Pair {
  readonly origin: MediaRouter;
  readonly member: MediaRouter;
  readonly settle: () => Promise<void>;
}

const natsRouter = async (nodeId: string): Promise<NatsMediaRouter> => {
  if (nats === null) throw new Error('no nats-server');
  const r = await NatsMediaRouter.connect({ servers: nats.url, nodeId, onError: () => undefined, requestTimeoutMs: 2000 });
  opened.push(r);
  return r;
};

const pairs: ReadonlyArray<readonly [string, () => Promise<Pair>]> = [
  [
    'LocalMediaRouter',
    async () => {
      const r = new LocalMediaRouter(() => undefined);
      return { origin: r, member: r, settle: async () => undefined };
    },
  ],
  [
    'NatsMediaRouter',
    async () => {
      const origin = await natsRouter(`o-${opened.length}`);
      const member = await natsRouter(`m-${opened.length}`);
      return { origin, member, settle: async () => { await origin.flush(); await member.flush(); } };
    },
  ],
];

const refusal = async (p: Promise<unknown>): Promise<MediaRouteError> => {
  try {
    await p;
  } catch (err) {
    if (err instanceof MediaRouteError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
};

describe.each(pairs)('media router contract: %s', (name, make) => {
  const skip = name === 'NatsMediaRouter' && !hasNats;

  it.skipIf(skip)("a member's offer reaches the room's origin and its answer comes back; a refusal keeps its code", async () => {
    const { origin, member, settle } = await make();
    const seen: MediaRequest[] = [];
    origin.serve('room-1', async (req) => {
      seen.push(req);
      if (req.kind === 'candidate') throw new MediaRouteError('not_on_stage', 'Send an offer before ICE candidates.');
      return { sdp: req.kind === 'publish' ? `answer to ${req.sdp}` : null };
    });
    await settle();
    expect(await member.request('room-1', offer)).toEqual({ sdp: 'answer to v=0 offer' });
    const refused = await refusal(member.request('room-1', { kind: 'candidate', userId: ANN, candidate: null }));
    expect([refused.code, refused.message]).toEqual(['not_on_stage', 'Send an offer before ICE candidates.']);
    expect(await member.request('room-1', { kind: 'unpublish', userId: ANN })).toEqual({ sdp: null });
    expect(seen.map((r) => r.kind)).toEqual(['publish', 'candidate', 'unpublish']);
  });

  it.skipIf(skip)('a room no origin serves is refused unavailable; a new origin that serves it answers', async () => {
    const { origin, member, settle } = await make();
    expect((await refusal(member.request('room-2', offer))).code).toBe('unavailable');
    const stop = origin.serve('room-2', async () => ({ sdp: 'first' }));
    await settle();
    expect(await member.request('room-2', offer)).toEqual({ sdp: 'first' });
    stop();
    await settle();
    expect((await refusal(member.request('room-2', offer))).code).toBe('unavailable');
    // the member's own node becomes the origin (a take-over): served there, no hop
    member.serve('room-2', async () => ({ sdp: 'second' }));
    await settle();
    expect(await origin.request('room-2', offer)).toEqual({ sdp: 'second' });
    expect(await member.request('room-2', offer)).toEqual({ sdp: 'second' });
  });

  it.skipIf(skip)("the origin's message for a member reaches the handlers of every node once", async () => {
    const { origin, member, settle } = await make();
    const atOrigin: string[] = [];
    const atMember: string[] = [];
    origin.onMember((roomId, userId, msg) => atOrigin.push(`${roomId}/${userId}/${msg.type}`));
    if (member !== origin) member.onMember((roomId, userId, msg) => atMember.push(`${roomId}/${userId}/${msg.type}`));
    await settle();
    const restart: ServerMessage = { type: 'rtcRestart' };
    origin.toMember('room-3', ANN, restart);
    // the origin's own handlers hear it synchronously
    expect(atOrigin).toEqual(['room-3/ann/rtcRestart']);
    await settle();
    if (member !== origin) await expect.poll(() => atMember, { timeout: 5000 }).toEqual(['room-3/ann/rtcRestart']);
    await new Promise((r) => setTimeout(r, 50));
    expect(atOrigin).toEqual(['room-3/ann/rtcRestart']);
  });

  it.skipIf(skip)('what the origin hears of the stage (who is speaking, hot mics) reaches every other node', async () => {
    const { origin, member, settle } = await make();
    const heard: string[] = [];
    member.onStageSound((roomId, s) => heard.push(`${roomId}:${s.speaking.join(',')}:${s.sound.noisy.join(',')}`));
    await settle();
    origin.stageSound('room-5', { speaking: [ANN], sound: { ...QUIET_STAGE, noisy: [ANN] } });
    origin.stageSound('room-5', { speaking: [], sound: QUIET_STAGE });
    await settle();
    // one node is its own origin: there is nobody to tell
    if (member === origin) return expect(heard).toEqual([]);
    await expect.poll(() => heard, { timeout: 5000 }).toEqual(['room-5:ann:ann', 'room-5::']);
  });
});
