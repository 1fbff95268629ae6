/**
 * @module bus/presence-local — presence on a single node: there is no other node to tell or to hear,
 * so a report goes nowhere and every count elsewhere is 0. A room's count is then this node's own, and
 * a listen ticket names this node, and its reactions are the room's, exactly as before there was a cluster. It must never keep a timer or
 * any state: the single-node default costs nothing for the seam.
 */
import type { RoomId } from '../domain/ids.ts';
import type { NodeReport, Presence, ReactionCounts } from './presence.ts';

const NOBODY: readonly NodeReport[] = Object.freeze([]);

export class LocalPresence implements Presence {
  publish(_report: NodeReport): void {
    // nobody else to tell
  }

  others(): readonly NodeReport[] {
    return NOBODY;
  }

  listenersElsewhere(_roomId: RoomId): number {
    return 0;
  }

  shareReactions(_counts: ReactionCounts): void {
    // nobody else to tell: this node's own people saw them
  }

  onReactions(_handler: (counts: ReactionCounts) => void): () => void {
    // nobody else counts any
    return () => undefined;
  }

  async close(): Promise<void> {
    // nothing held
  }
}
