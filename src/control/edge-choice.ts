/**
 * @module edge-choice — which node a room's next listener should connect to, as a pure function of the
 * nodes' loads: the least loaded edge already serving the room, else the least loaded edge. An edge is
 * a node of role `edge` or `all` (an origin takes no listeners); load is its audio listeners over its
 * capacity; a full edge, or one draining (sending its listeners elsewhere), is never chosen. Ties stay with the asking node (no hop for nothing), then go to
 * the smallest node id, so every node would choose alike. No I/O, no clock: callers bring the numbers.
 */
import type { PresenceRole } from '../bus/presence.ts';

export interface EdgeLoad {
  readonly nodeId: string;
  readonly role: PresenceRole;
  /** audio listeners the node takes before it is full */
  readonly capacity: number;
  /** leaving: it takes nobody new */
  readonly draining: boolean;
  /** audio listeners on the node, every room together */
  readonly audio: number;
  /** of which in the room the listener asks for: above 0, the node serves the room already */
  readonly roomAudio: number;
}

const takesListeners = (n: EdgeLoad): boolean => n.role !== 'origin' && !n.draining && n.audio < n.capacity;
const share = (n: EdgeLoad): number => n.audio / n.capacity;

/**
 * `self` is the asking node and wins every tie; null when no edge can take a listener (every one full
 * or draining, or only origins): then the asking node answers as a single node would, with its own line
 */
export function chooseEdge(self: EdgeLoad, others: readonly EdgeLoad[]): EdgeLoad | null {
  const open = [self, ...[...others].sort((a, b) => (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0))].filter(takesListeners);
  const serving = open.filter((n) => n.roomAudio > 0);
  let best: EdgeLoad | null = null;
  for (const n of serving.length > 0 ? serving : open) if (best === null || share(n) < share(best)) best = n;
  return best;
}
