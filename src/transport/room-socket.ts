/**
 * @module room-socket — the room's control WebSocket (GET /api/rooms/:id/ws) on the `ws` library:
 * checks Origin and the session cookie at upgrade, asks the room service whether this person may
 * enter, then hands the connection to the hub and turns each incoming message into a room action or
 * a step of WebRTC signaling for a stage member's microphone.
 * A malformed message gets an error frame and the socket stays up; a client that keeps sending bad or
 * too many messages is closed with 4400/4429. Thin: no rule lives here.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from 'pino';
import { asRoomId, type RoomId } from '../domain/ids.ts';
import type { AccountService } from '../control/account-service.ts';
import { AmphiError, publicError } from '../control/errors.ts';
import type { Metrics } from '../control/metrics.ts';
import type { RoomHub, RoomConnection } from '../control/room-hub.ts';
import type { RoomService } from '../control/room-service.ts';
import type { RoomMedia } from '../control/room-media.ts';
import type { StageIce } from '../control/stage-ice.ts';
import { ClientMessage, type ServerMessage } from '../protocol/api-views.ts';
import { CLOSE_CODES } from '../protocol/close-codes.ts';
import type { User } from '../store/types.ts';
import type { Revocations } from '../bus/revocations.ts';
import { STATUS_OF } from './error-status.ts';
import { MAX_BODY_BYTES } from './http-app.ts';
import { sameOriginCheck, type OriginCheck } from './same-origin.ts';
import { SESSION_COOKIE } from './routes-accounts.ts';
import { decodeUtf8, parseJson, validate } from './request-input.ts';
import { actionFromWire } from './wire-to-action.ts';

const PATH = /^\/api\/rooms\/([A-Za-z0-9-]{1,64})\/ws$/;
/** bad messages tolerated per connection before it is closed */
const MAX_BAD_MESSAGES = 10;
/** bytes waiting to be sent to one room socket before it is closed as too slow */
const MAX_BUFFERED_BYTES = 1024 * 1024;
/** messages per second a person may send before the connection is closed */
const MAX_MESSAGES_PER_SECOND = 30;


export interface RoomSocketDeps {
  readonly accounts: AccountService;
  readonly rooms: RoomService;
  readonly hub: RoomHub;
  readonly media: RoomMedia;
  /** the ICE servers (TURN credentials) handed to stage members */
  readonly stageIce: StageIce;
  readonly metrics: Metrics;
  readonly log: Logger;
  readonly publicUrl: string;
  /** whether AMPHI_PUBLIC_URL was given (same-origin.ts) */
  readonly publicUrlSet: boolean;
  readonly now: () => number;
  /** a person removed or blocked while their socket was being let in is closed once attached */
  readonly revocations: Revocations;
}

const send = (ws: WebSocket, msg: ServerMessage) => ws.send(JSON.stringify(msg));

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      // a malformed escape is no session, not an exception: this runs in the upgrade handler, outside any catch
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** closes a refused socket with a code from the close-code table, derived from the HTTP status */
function refuse(ws: WebSocket, err: AmphiError): void {
  send(ws, { type: 'error', ref: null, code: err.code, message: err.message });
  const status = STATUS_OF[err.code];
  const code =
    status === 404 ? CLOSE_CODES.roomNotFound : status === 410 ? CLOSE_CODES.roomGone : status >= 500 ? CLOSE_CODES.serverError : CLOSE_CODES.forbidden;
  ws.close(code, err.code);
}

export class RoomSocketServer {
  readonly #d: RoomSocketDeps;
  readonly #originAllowed: OriginCheck;
  readonly #wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY_BYTES });
  readonly #alive = new WeakSet<WebSocket>();
  readonly #pinger: NodeJS.Timeout;

  constructor(deps: RoomSocketDeps) {
    this.#d = deps;
    this.#originAllowed = sameOriginCheck(deps);
    this.#pinger = setInterval(() => this.#sweep(), 30_000);
    this.#pinger.unref();
  }

  /** returns false when the upgrade is not for a room socket (the caller then refuses it) */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const match = PATH.exec((req.url ?? '').split('?')[0] ?? '');
    if (!match || !match[1]) return false;
    if (!this.#originAllowed(req.headers.origin, req.headers.host)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{"error":{"code":"bad_origin","message":"This connection came from another site and was refused."}}');
      return true;
    }
    const roomId = asRoomId(match[1]);
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      // an oversized or non-UTF-8 frame is a socket error: ws closes it (1009/1007); it must never reach the process
      ws.on('error', (err) => this.#d.log.debug({ err, roomId }, 'room socket error'));
      this.#open(ws, roomId, cookieValue(req.headers.cookie, SESSION_COOKIE)).catch((err: unknown) => {
        const known = publicError(err);
        if (known !== null) return refuse(ws, known);
        this.#d.log.error({ err, roomId }, 'room socket failed to open');
        refuse(ws, new AmphiError('internal', 'Something went wrong on our side. Try again.'));
      });
    });
    return true;
  }

  close(): void {
    clearInterval(this.#pinger);
    for (const ws of this.#wss.clients) ws.terminate();
    this.#wss.close();
  }

  async #open(ws: WebSocket, roomId: RoomId, token: string | undefined): Promise<void> {
    // buffer what arrives while we authenticate, so nothing a fast client sends is lost
    const early: Buffer[] = [];
    const hold = (data: Buffer) => {
      if (early.length < MAX_MESSAGES_PER_SECOND) early.push(data);
      else ws.close(CLOSE_CODES.flood, 'too many messages');
    };
    ws.on('message', hold);
    let user: User | null;
    let handUp = false;
    const since = this.#d.now();
    try {
      user = await this.#d.accounts.authenticate(token);
      const state = await this.#d.rooms.admit(roomId, user);
      // the queue is rows: the hub learns this person's hand from their row, once, as they arrive
      if (user !== null && state.status === 'live') handUp = await this.#d.rooms.handRaised(roomId, user.id);
    } catch (err) {
      const known = publicError(err);
      if (known !== null) return refuse(ws, known);
      throw err;
    }
    if (ws.readyState !== ws.OPEN) return;
    ws.off('message', hold);
    const conn: RoomConnection = {
      userId: user?.id ?? null,
      send: (data) => {
        if (ws.readyState !== ws.OPEN) return;
        // a client that stopped reading must not make the server hold its backlog
        if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
          ws.close(CLOSE_CODES.tooSlow, 'too slow: your connection could not keep up');
          return;
        }
        ws.send(data, { binary: false });
      },
      close: (code, reason) => ws.close(code, reason),
    };
    const first = this.#d.hub.attach(roomId, conn, handUp);
    // removed or blocked between the rules' answer and the attach: the hub's close came too early for it
    const revoked = user === null ? null : this.#d.revocations.refusing(roomId, user.id, since);
    if (revoked !== null) this.#d.hub.revoke(revoked);
    this.#alive.add(ws);
    ws.on('pong', () => this.#alive.add(ws));
    if (user && first) void this.#presence(roomId, user, 'connect');
    let bad = 0;
    let windowStart = this.#d.now();
    let inWindow = 0;
    const onMessage = (data: Buffer) => {
      this.#d.metrics.wsMessages.inc({ direction: 'in' });
      const now = this.#d.now();
      if (now - windowStart >= 1000) {
        windowStart = now;
        inWindow = 0;
      }
      if (++inWindow > MAX_MESSAGES_PER_SECOND) {
        send(ws, { type: 'error', ref: null, code: 'rate_limited', message: 'Too many messages; this connection is closed.' });
        ws.close(CLOSE_CODES.flood, 'too many messages');
        return;
      }
      void this.#message(ws, roomId, user, data).then((ok) => {
        if (!ok && ++bad >= MAX_BAD_MESSAGES) ws.close(CLOSE_CODES.abuse, 'too many invalid messages');
      });
    };
    ws.on('message', onMessage);
    ws.on('close', () => {
      if (this.#d.hub.detach(roomId, conn) && user) void this.#presence(roomId, user, 'disconnect');
    });
    for (const data of early) onMessage(data);
  }

  /** handles one message; resolves false when it was malformed */
  async #message(ws: WebSocket, roomId: RoomId, user: User | null, data: Buffer): Promise<boolean> {
    let ref: string | null = null;
    try {
      const msg = validate(ClientMessage, parseJson(decodeUtf8(data, 'message')));
      ref = msg.ref ?? null;
      if (msg.type === 'ping') {
        send(ws, { type: 'pong', ref });
        return true;
      }
      if (!user) throw new AmphiError('not_signed_in', 'Sign in to take part; listening needs no account.');
      switch (msg.type) {
        case 'action':
          await this.#d.rooms.act(roomId, { kind: 'user', userId: user.id }, actionFromWire(msg.action));
          send(ws, { type: 'ack', ref });
          return true;
        case 'rtcOffer':
          send(ws, { type: 'rtcAnswer', ref, sdp: await this.#d.media.publish(roomId, user.id, msg.sdp) });
          return true;
        case 'rtcCandidate':
          await this.#d.media.candidate(roomId, user.id, msg.candidate);
          send(ws, { type: 'ack', ref });
          return true;
        case 'rtcLeave':
          this.#d.media.unpublish(roomId, user.id);
          send(ws, { type: 'ack', ref });
          return true;
        case 'rtcConfig': {
          const cfg = this.#d.stageIce.forMember(this.#d.hub.state(roomId), user.id);
          send(ws, { type: 'rtcConfig', ref, iceServers: cfg.iceServers, expiresAt: cfg.expiresAt });
          return true;
        }
        case 'rtcQuality':
          // every message gets its answer (the clients' and the fuzzer's rule); the hosts hear of it on the next tick
          this.#d.hub.reportNetwork(roomId, user.id, msg.quality);
          send(ws, { type: 'ack', ref });
          return true;
      }
    } catch (err) {
      // a database outage answers `unavailable` like HTTP's 503; the store logs it once
      const known = publicError(err);
      if (known === null) {
        this.#d.log.error({ err, roomId }, 'room socket message failed');
        send(ws, { type: 'error', ref, code: 'internal', message: 'Something went wrong on our side. Try again.' });
        return true;
      }
      this.#d.metrics.errors.inc({ code: known.code });
      send(ws, { type: 'error', ref, code: known.code, message: known.message });
      return known.code !== 'bad_request' && known.code !== 'invalid_json';
    }
  }

  async #presence(roomId: RoomId, user: User, type: 'connect' | 'disconnect'): Promise<void> {
    const state = this.#d.hub.state(roomId);
    if (!state || state.status === 'ended' || !state.stage.some((m) => m.userId === user.id)) return;
    try {
      await this.#d.rooms.act(roomId, { kind: 'user', userId: user.id }, { type });
    } catch (err) {
      const known = publicError(err);
      if (known !== null) this.#d.log.debug({ roomId, code: known.code, type }, 'presence change refused');
      else this.#d.log.error({ err, roomId, type }, 'presence change failed');
    }
  }

  #sweep(): void {
    for (const ws of this.#wss.clients) {
      if (!this.#alive.has(ws)) {
        ws.terminate();
        continue;
      }
      this.#alive.delete(ws);
      ws.ping();
    }
  }
}
