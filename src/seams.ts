/**
 * @module seams — the one place that picks, from configuration, the local or the networked
 * implementation of each seam a room crosses when it spans nodes: room events (LocalBus / NatsBus),
 * the program relay (LocalRelay / NatsRelay) and the stage's signaling to the room's origin
 * (LocalMediaRouter / NatsMediaRouter). A single node (no AMPHI_NATS_URL) gets the in-process
 * ones and needs nothing running beside it. Only main.ts imports this; nothing here knows rooms.
 */
import type { Logger } from 'pino';
import { LocalBus } from './bus/local.ts';
import { NatsBus } from './bus/nats-bus.ts';
import { NatsRelay } from './bus/nats-relay.ts';
import { LocalRelay, type ProgramRelay } from './bus/program-relay.ts';
import { LocalMediaRouter, type MediaRouter } from './bus/media-router.ts';
import { NatsMediaRouter } from './bus/media-router-nats.ts';
import type { Bus } from './bus/types.ts';

export interface Seams {
  readonly kind: 'local' | 'nats';
  readonly bus: Bus;
  readonly relay: ProgramRelay;
  /** stage members' offers to the room's origin, and its signals back to them */
  readonly router: MediaRouter;
  close(): Promise<void>;
}

export interface SeamsConfig {
  readonly natsUrl: string;
  readonly nodeId: string;
}

export async function openSeams(config: SeamsConfig, log: Logger): Promise<Seams> {
  const busError = (err: unknown, msg: { type: string } | null): void => log.error({ err, type: msg?.type }, 'room event delivery failed');
  const relayError = (err: unknown, roomId: string | null): void => log.error({ err, roomId }, 'program relay failed');
  const routerError = (err: unknown): void => log.error({ err }, 'stage signaling failed');
  if (config.natsUrl === '') {
    const bus = new LocalBus(busError);
    const relay = new LocalRelay(relayError);
    const router = new LocalMediaRouter(routerError);
    return { kind: 'local', bus, relay, router, close: async () => { await router.close(); await relay.close(); await bus.close(); } };
  }
  const opened: Array<{ close(): Promise<void> }> = [];
  const closeAll = async (): Promise<void> => {
    for (const part of opened.reverse()) await part.close();
  };
  try {
    const bus = await NatsBus.connect({ servers: config.natsUrl, nodeId: config.nodeId, onError: busError });
    opened.push(bus);
    const relay = await NatsRelay.connect({ servers: config.natsUrl, nodeId: config.nodeId, onError: relayError });
    opened.push(relay);
    const router = await NatsMediaRouter.connect({ servers: config.natsUrl, nodeId: config.nodeId, onError: routerError });
    opened.push(router);
    return { kind: 'nats', bus, relay, router, close: closeAll };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
