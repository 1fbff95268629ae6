/**
 * @module listener-endpoint — the listeners' audio WebSocket (GET /ws/listen?token=…&resume=…) on
 * `ws`: verifies the signed join token (no database, so every node can admit anyone the room service
 * admitted) and refuses one issued before its holder was removed or blocked, then hands the socket to
 * the stream hub, which writes the shared batches. A bad token or query gets close code 4001.
 * Remembers which signed-in person holds which socket so a removal or a block closes their audio too.
 * Thin: the hot path is the hub's.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Logger } from 'pino';
import { CLOSE_CODES, closeReason } from '../protocol/close-codes.ts';
import { LISTENER_PATH, QUERY_CLOSE_CODES, parseListenerQuery } from '../protocol/listener-query.ts';
import { verifyJoinToken } from '../delivery/join-token.ts';
import { WsListenerSocket } from '../delivery/socket-ws.ts';
import type { StreamHub } from '../delivery/stream-hub.ts';
import type { BusMessage } from '../bus/types.ts';
import type { Revocations } from '../bus/revocations.ts';
import { ListenerOwners } from './listener-owners.ts';
import type { RoomFeed } from './room-feed.ts';

export interface ListenerEndpointDeps {
  readonly streams: StreamHub;
  readonly secret: string;
  readonly now: () => number;
  readonly log: Logger;
  readonly revocations: Revocations;
  /** carries the room on each audio socket */
  readonly feed?: RoomFeed;
}

export class ListenerEndpoint {
  readonly #d: ListenerEndpointDeps;
  /** listeners never send; anything bigger than a close frame is abuse */
  readonly #wss = new WebSocketServer({ noServer: true, maxPayload: 1024, perMessageDeflate: false });
  readonly #owners: ListenerOwners;

  constructor(deps: ListenerEndpointDeps) {
    this.#d = deps;
    this.#owners = new ListenerOwners(deps.revocations);
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== LISTENER_PATH) return false;
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      const sock = new WsListenerSocket(ws);
      ws.on('error', (err) => this.#d.log.debug({ err }, 'listener socket error'));
      const query = parseListenerQuery(url.searchParams);
      // a direct join (?room=) is served by the uWebSockets.js listener port only: here it has no token
      const verdict = query.ok && query.query.kind === 'token' ? verifyJoinToken(this.#d.secret, query.query.token, this.#d.now()) : null;
      if (!query.ok || verdict === null || !verdict.ok) {
        const code = query.ok ? CLOSE_CODES.badToken : QUERY_CLOSE_CODES[query.code];
        sock.close(code, closeReason(code));
        return;
      }
      const revoked = this.#owners.refusal(verdict.claims.streamId, verdict.claims.userId, verdict.claims.issuedAt);
      if (revoked !== null) {
        sock.close(revoked.code, revoked.reason);
        return;
      }
      const { streamId, userId } = verdict.claims;
      const added = this.#d.streams.addListener(streamId, sock, { resumeFromSeq: query.query.resumeFromSeq });
      if (!added.ok) return;
      const leaveFeed = this.#d.feed?.join(streamId, userId, sock) ?? null;
      const forget = userId === null ? null : this.#owners.add(streamId, userId, sock);
      ws.on('close', () => {
        this.#d.streams.removeListener(added.handle);
        leaveFeed?.();
        forget?.();
      });
    });
    return true;
  }

  onBus(msg: BusMessage): void {
    this.#owners.onBus(msg);
  }

  close(): void {
    this.#owners.close();
    this.#d.streams.closeAll(CLOSE_CODES.goingAway);
    for (const ws of this.#wss.clients) ws.terminate();
    this.#wss.close();
  }
}
