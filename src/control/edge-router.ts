/**
 * @module edge-router — where an admitted listen ticket sends its listener: the edge that edge-choice.ts
 * picks from this node's live load and the other nodes' latest reports, as the origin browsers reach its
 * listener sockets at; null means this node, which is all a single node (no reports) ever answers. A
 * report is up to a second old, so tickets this node already sent to an edge since its last report count
 * toward that edge's load: a join storm spreads instead of landing a whole second on one edge. It never
 * admits or refuses anyone (admission does) and never holds more than the counts of current reports.
 */
import type { RoomId } from '../domain/ids.ts';
import type { NodeReport, Presence } from '../bus/presence.ts';
import { chooseEdge, type EdgeLoad } from './edge-choice.ts';

export interface EdgeRouterDeps {
  readonly presence: Pick<Presence, 'others'>;
  /** this node's load now for a listener of `roomId` */
  readonly here: (roomId: RoomId) => EdgeLoad;
}

/** tickets sent to a node since its report: a new report replaces the object and so forgets them */
interface Sent {
  total: number;
  readonly rooms: Map<RoomId, number>;
}

export class EdgeRouter {
  readonly #d: EdgeRouterDeps;
  readonly #sent = new WeakMap<NodeReport, Sent>();

  constructor(deps: EdgeRouterDeps) {
    this.#d = deps;
  }

  /**
   * the listener origin of the edge the room's next listener should use, or null for this node. `avoid`:
   * the edge whose socket the listener just lost; it may still look alive here (its reports stay fresh
   * for 3 s after it died), so it is left out.
   */
  edgeFor(roomId: RoomId, avoid: string | null = null): string | null {
    const reports = this.#d.presence.others().filter((r) => r.listenOrigin !== avoid);
    if (reports.length === 0) return null;
    const byId = new Map(reports.map((r) => [r.nodeId, r]));
    const loads = reports.map((r): EdgeLoad => {
      const sent = this.#sent.get(r);
      return {
        nodeId: r.nodeId,
        role: r.role,
        capacity: r.capacity,
        draining: r.draining,
        audio: r.audio + (sent?.total ?? 0),
        roomAudio: (r.rooms.get(roomId)?.audio ?? 0) + (sent?.rooms.get(roomId) ?? 0),
      };
    });
    const chosen = chooseEdge(this.#d.here(roomId), loads);
    const report = chosen === null ? undefined : byId.get(chosen.nodeId);
    if (report === undefined) return null;
    const sent = this.#sent.get(report) ?? { total: 0, rooms: new Map<RoomId, number>() };
    sent.total++;
    sent.rooms.set(roomId, (sent.rooms.get(roomId) ?? 0) + 1);
    this.#sent.set(report, sent);
    return report.listenOrigin;
  }
}
