/**
 * @module presence-nats — presence across a cluster on one NATS core subject (`amphi.presence`): each
 * node publishes its report once a second, every node subscribes, skips its own echo and keeps the
 * latest report of each other node with the instant it heard it (on its own clock: nodes' clocks need
 * not agree). Reads drop what is older than PRESENCE_FRESH_MS, so a killed node stops counting within
 * 3 s with nobody having to notice; a node that closes in order says so and drops out at once. Reports
 * are checked on arrival (a node of another version must not corrupt the sums). NATS core is
 * at-most-once: a lost report is replaced by the next. Reactions go on a subject of their own
 * (`amphi.reactions`), one message per node per tick that counted any, handed to the listeners once
 * each (they add them up; a lost one is lost). It must never block a caller on the network.
 */
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { z } from 'zod';
import { asRoomId, asUserId, type RoomId } from '../domain/ids.ts';
import { REACTIONS, type Reaction } from '../domain/limits.ts';
import { connectNats } from './nats-connection.ts';
import { PRESENCE_FRESH_MS, type NodeReport, type Presence, type ReactionCounts, type RoomCounts } from './presence.ts';
import { PRESENCE_SUBJECT, REACTIONS_SUBJECT } from './subjects.ts';

export interface NatsPresenceOptions {
  readonly servers: string;
  readonly nodeId: string;
  readonly onError: (err: unknown) => void;
  readonly now?: () => number;
}

const count = z.number().int().nonnegative();
/** far above any stage's size: a report naming more is not a report of ours */
const MAX_STAGE_IDS = 100;
/** on the wire a room is [id, listeners, audio] (and its stage members here, if any): a report of a node with a thousand rooms stays small */
const Wire = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('report'),
    from: z.string().min(1),
    role: z.enum(['all', 'origin', 'edge']),
    listenOrigin: z.string(),
    capacity: count,
    // a node of a version without drains never drains
    draining: z.boolean().default(false),
    audio: count,
    // [id, listeners, audio] or, when stage members' sockets are on the node, [id, listeners, audio, [user ids]]
    rooms: z.array(z.union([z.tuple([z.string().min(1), count, count]), z.tuple([z.string().min(1), count, count, z.array(z.string().min(1)).max(MAX_STAGE_IDS)])])),
  }),
  z.object({ kind: z.literal('gone'), from: z.string().min(1) }),
]);
type Wire = z.infer<typeof Wire>;

/** one node's reactions of one tick: [room id, { reaction: count }] for each room that had any */
const ReactionsWire = z.object({
  from: z.string().min(1),
  rooms: z.array(z.tuple([z.string().min(1), z.partialRecord(z.enum(REACTIONS), count)])),
});
type ReactionsWire = z.infer<typeof ReactionsWire>;

const toWire = (r: NodeReport): Wire => ({
  kind: 'report',
  from: r.nodeId,
  role: r.role,
  listenOrigin: r.listenOrigin,
  capacity: r.capacity,
  draining: r.draining,
  audio: r.audio,
  rooms: [...r.rooms].map(([id, c]): Extract<Wire, { kind: 'report' }>['rooms'][number] => (c.stage !== undefined && c.stage.length > 0 ? [id, c.listeners, c.audio, [...c.stage]] : [id, c.listeners, c.audio])),
});

const fromWire = (w: Extract<Wire, { kind: 'report' }>): NodeReport => ({
  nodeId: w.from,
  role: w.role,
  listenOrigin: w.listenOrigin,
  capacity: w.capacity,
  draining: w.draining,
  audio: w.audio,
  rooms: new Map<RoomId, RoomCounts>(w.rooms.map(([id, listeners, audio, stage]) => [asRoomId(id), stage === undefined ? { listeners, audio } : { listeners, audio, stage: stage.map(asUserId) }])),
});

interface Heard {
  readonly report: NodeReport;
  readonly at: number;
}

export class NatsPresence implements Presence {
  readonly #nc: NatsConnection;
  readonly #sub: Subscription;
  readonly #reactionsSub: Subscription;
  readonly #o: NatsPresenceOptions;
  readonly #now: () => number;
  readonly #nodes = new Map<string, Heard>();
  readonly #reactionHandlers = new Set<(counts: ReactionCounts) => void>();
  #closed = false;

  private constructor(nc: NatsConnection, options: NatsPresenceOptions) {
    this.#nc = nc;
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.#sub = nc.subscribe(PRESENCE_SUBJECT, {
      callback: (err, m) => {
        if (err) return this.#o.onError(err);
        let raw: unknown;
        try {
          raw = m.json<unknown>();
        } catch (e) {
          return this.#o.onError(e);
        }
        const parsed = Wire.safeParse(raw);
        if (!parsed.success) return this.#o.onError(new TypeError(`a presence message that is no report: ${parsed.error.message.slice(0, 200)}`));
        this.#hear(parsed.data);
      },
    });
    this.#reactionsSub = nc.subscribe(REACTIONS_SUBJECT, { callback: (err, m) => (err ? this.#o.onError(err) : this.#hearReactions(m.string())) });
  }

  static async connect(options: NatsPresenceOptions): Promise<NatsPresence> {
    const nc = await connectNats(options.servers, `amphi-presence-${options.nodeId}`);
    const presence = new NatsPresence(nc, options);
    // subscribed at the server before the node counts on hearing the others
    await nc.flush();
    return presence;
  }

  publish(report: NodeReport): void {
    this.#send(toWire(report));
  }

  others(): readonly NodeReport[] {
    const since = this.#now() - PRESENCE_FRESH_MS;
    const fresh: NodeReport[] = [];
    for (const [id, h] of this.#nodes) {
      if (h.at > since) fresh.push(h.report);
      else this.#nodes.delete(id);
    }
    return fresh;
  }

  listenersElsewhere(roomId: RoomId): number {
    let n = 0;
    for (const r of this.others()) n += r.rooms.get(roomId)?.listeners ?? 0;
    return n;
  }

  shareReactions(counts: ReactionCounts): void {
    if (counts.size === 0) return;
    const wire: ReactionsWire = { from: this.#o.nodeId, rooms: [...counts].map(([id, c]) => [id, { ...c }]) };
    try {
      this.#nc.publish(REACTIONS_SUBJECT, JSON.stringify(wire));
    } catch (err) {
      // closed or reconnecting: these reactions were seen here only
      this.#o.onError(err);
    }
  }

  onReactions(handler: (counts: ReactionCounts) => void): () => void {
    this.#reactionHandlers.add(handler);
    return () => this.#reactionHandlers.delete(handler);
  }

  /** resolves once everything published so far has reached the server (tests) */
  async flush(): Promise<void> {
    await this.#nc.flush();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#send({ kind: 'gone', from: this.#o.nodeId });
    this.#sub.unsubscribe();
    this.#reactionsSub.unsubscribe();
    this.#reactionHandlers.clear();
    this.#nodes.clear();
    await this.#nc.drain();
  }

  #hear(w: Wire): void {
    if (w.from === this.#o.nodeId || this.#closed) return;
    if (w.kind === 'gone') this.#nodes.delete(w.from);
    else this.#nodes.set(w.from, { report: fromWire(w), at: this.#now() });
  }

  #hearReactions(text: string): void {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      return this.#o.onError(err);
    }
    const parsed = ReactionsWire.safeParse(raw);
    if (!parsed.success) return this.#o.onError(new TypeError(`a reactions message that is none: ${parsed.error.message.slice(0, 200)}`));
    if (parsed.data.from === this.#o.nodeId || this.#closed) return;
    const counts = new Map<RoomId, Partial<Record<Reaction, number>>>(parsed.data.rooms.map(([id, c]) => [asRoomId(id), c]));
    for (const h of this.#reactionHandlers) {
      try {
        h(counts);
      } catch (err) {
        this.#o.onError(err);
      }
    }
  }

  #send(w: Wire): void {
    try {
      this.#nc.publish(PRESENCE_SUBJECT, JSON.stringify(w));
    } catch (err) {
      // closed or reconnecting: the next report, a second later, says the same and more
      this.#o.onError(err);
    }
  }
}
