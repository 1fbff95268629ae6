/**
 * @module seams — the one place that picks, from configuration, the local or the networked
 * implementation of each seam a room crosses when it spans nodes: room events (LocalBus / NatsBus) and
 * the program relay (LocalRelay / NatsRelay). A single node (no AMPHI_NATS_URL) gets the in-process
 * ones and needs nothing running beside it. Only main.ts imports this; nothing here knows rooms.
 */
import type { Logger } from 'pino';
import { LocalBus } from './bus/local.ts';
import { NatsBus } from './bus/nats-bus.ts';
import { NatsRelay } from './bus/nats-relay.ts';
import { LocalRelay, type ProgramRelay } from './bus/program-relay.ts';
import type { Bus } from './bus/types.ts';

export interface Seams {
  readonly kind: 'local' | 'nats';
  readonly bus: Bus;
  readonly relay: ProgramRelay;
  close(): Promise<void>;
}

export interface SeamsConfig {
  readonly natsUrl: string;
  readonly nodeId: string;
}

export async function openSeams(config: SeamsConfig, log: Logger): Promise<Seams> {
  const busError = (err: unknown, msg: { type: string } | null): void => log.error({ err, type: msg?.type }, 'room event delivery failed');
  const relayError = (err: unknown, roomId: string | null): void => log.error({ err, roomId }, 'program relay failed');
  if (config.natsUrl === '') {
    const bus = new LocalBus(busError);
    const relay = new LocalRelay(relayError);
    return { kind: 'local', bus, relay, close: async () => { await relay.close(); await bus.close(); } };
  }
  const bus = await NatsBus.connect({ servers: config.natsUrl, nodeId: config.nodeId, onError: busError });
  const relay = await NatsRelay.connect({ servers: config.natsUrl, nodeId: config.nodeId, onError: relayError }).catch(async (err: unknown) => {
    await bus.close();
    throw err;
  });
  return { kind: 'nats', bus, relay, close: async () => { await relay.close(); await bus.close(); } };
}
