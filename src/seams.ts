/**
 * @module seams — the one place that picks, from configuration, the local or the networked
 * implementation of each seam a room crosses when it spans nodes: room events (LocalBus / NatsBus),
 * the program relay (LocalRelay / NatsRelay), the stage's signaling to the room's origin
 * (LocalMediaRouter / NatsMediaRouter), revocations (LocalRevocations / NatsRevocations) and presence,
 * the nodes' counts (LocalPresence / NatsPresence) and a person's live events (LocalUserPush / NatsUserPush). A single node (no AMPHI_NATS_URL) gets the
 * in-process ones and needs nothing running beside it. Only main.ts imports this; nothing here knows
 * rooms.
 */
import type { Logger } from 'pino';
import { LocalBus } from './bus/local.ts';
import { NatsBus } from './bus/nats-bus.ts';
import { NatsRelay } from './bus/nats-relay.ts';
import { LocalRelay, type ProgramRelay } from './bus/program-relay.ts';
import { LocalMediaRouter, type MediaRouter } from './bus/media-router.ts';
import { NatsMediaRouter } from './bus/media-router-nats.ts';
import { LocalRevocations } from './bus/revocations-local.ts';
import { NatsRevocations } from './bus/revocations-nats.ts';
import type { Revocation, Revocations } from './bus/revocations.ts';
import type { Bus } from './bus/types.ts';
import type { Presence } from './bus/presence.ts';
import { LocalPresence } from './bus/presence-local.ts';
import { NatsPresence } from './bus/presence-nats.ts';
import { LocalUserPush, type UserPush } from './bus/user-push.ts';
import { NatsUserPush } from './bus/user-push-nats.ts';

export interface Seams {
  readonly kind: 'local' | 'nats';
  readonly bus: Bus;
  readonly relay: ProgramRelay;
  /** stage members' offers to the room's origin, and its signals back to them */
  readonly router: MediaRouter;
  /** removals and blocks: every node closes the person's sockets and refuses their earlier tokens */
  readonly revocations: Revocations;
  /** the other nodes' listener counts and load; a single node hears nobody */
  readonly presence: Presence;
  /** a person's live events (notifications, fan-out progress) to the nodes holding their streams */
  readonly userPush: UserPush;
  /**
   * resolves once everything this node published has reached the NATS server, and what the server had
   * sent this node before has been handled (one round trip on each connection); at once on one node.
   * Tests that step a cluster's nodes in one process wait on it instead of sleeping.
   */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface SeamsConfig {
  readonly natsUrl: string;
  readonly nodeId: string;
}

/** what revocations need from the caller: the clock, and how long a listen token lives (so how long one is kept) */
export interface SeamsTime {
  readonly now: () => number;
  readonly listenTokenMs: number;
}

export async function openSeams(config: SeamsConfig, log: Logger, time: SeamsTime): Promise<Seams> {
  const busError = (err: unknown, msg: { type: string } | null): void => log.error({ err, type: msg?.type }, 'room event delivery failed');
  const relayError = (err: unknown, roomId: string | null): void => log.error({ err, roomId }, 'program relay failed');
  const routerError = (err: unknown): void => log.error({ err }, 'stage signaling failed');
  const revocationError = (err: unknown, r: Revocation | null): void => log.error({ err, roomId: r?.roomId }, 'revocation delivery failed');
  const revocationTime = { now: time.now, keepMs: time.listenTokenMs };
  const opened: Array<{ close(): Promise<void> }> = [];
  // the last opened first: nothing is closed under a part that still uses it
  const closeAll = async (): Promise<void> => {
    for (const part of opened.reverse()) await part.close();
  };
  if (config.natsUrl === '') {
    const bus = new LocalBus(busError);
    const relay = new LocalRelay(relayError);
    const router = new LocalMediaRouter(routerError);
    const revocations = new LocalRevocations({ ...revocationTime, onError: revocationError });
    const presence = new LocalPresence();
    const userPush = new LocalUserPush();
    opened.push(bus, relay, router, revocations, presence, userPush);
    return { kind: 'local', bus, relay, router, revocations, presence, userPush, flush: async () => undefined, close: closeAll };
  }
  try {
    const bus = await NatsBus.connect({ servers: config.natsUrl, nodeId: config.nodeId, onError: busError });
    opened.push(bus);
    const relay = await NatsRelay.connect({ servers: config.natsUrl, nodeId: config.nodeId, onError: relayError });
    opened.push(relay);
    const router = await NatsMediaRouter.connect({ servers: config.natsUrl, nodeId: config.nodeId, onError: routerError });
    opened.push(router);
    const revocations = await NatsRevocations.connect({ servers: config.natsUrl, nodeId: config.nodeId, ...revocationTime, onError: revocationError });
    opened.push(revocations);
    const presence = await NatsPresence.connect({ servers: config.natsUrl, nodeId: config.nodeId, onError: (err) => log.warn({ err }, 'presence report failed') });
    opened.push(presence);
    const userPush = await NatsUserPush.connect({ servers: config.natsUrl, nodeId: config.nodeId, onError: (err) => log.warn({ err }, 'user push failed') });
    opened.push(userPush);
    const flush = async (): Promise<void> => {
      await Promise.all([bus.flush(), relay.flush(), router.flush(), revocations.flush(), presence.flush(), userPush.flush()]);
    };
    return { kind: 'nats', bus, relay, router, revocations, presence, userPush, flush, close: closeAll };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
