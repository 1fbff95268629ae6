/**
 * @module listener-server-uws — the listeners' sockets on uWebSockets.js, on a port of their own
 * (AMPHI_LISTEN_PORT): the audio socket GET /ws/listen?token=…&resume=… (or ?room=… for a signed-out
 * listener joining directly, admitted or put in line during the upgrade) and the waiting line's
 * GET /ws/line. uWS does the fan-out's writes in native code (topic publish) at a fraction of `ws`'s
 * CPU and memory per listener (docs/benchmarks.md), which is why listeners get their own server: uWS
 * cannot share Node's HTTP server, and the rest of the API stays on it. Token checks happen in the
 * upgrade, synchronously, with no database (a token issued before its holder was removed or blocked is
 * refused: bus/revocations.ts); a refused join still gets a WebSocket and a close code
 * (4001, 4004, 4029…) so browsers can tell it from a network failure. A direct join that must wait keeps
 * its socket: it hears the line's shared messages and is moved into the stream when its number comes
 * up, with no second request. It must never touch a uWS socket after its close event.
 */
import uWS from '@trufflesuite/uws-js-unofficial';
import type { HttpRequest, HttpResponse, TemplatedApp, WebSocket, us_listen_socket, us_socket_context_t } from '@trufflesuite/uws-js-unofficial';
import type { Logger } from 'pino';
import { CLOSE_CODES, closeReason } from '../protocol/close-codes.ts';
import { LISTENER_PATH, QUERY_CLOSE_CODES, parseListenerQuery } from '../protocol/listener-query.ts';
import { DEFAULT_BACKPRESSURE_LIMITS } from '../delivery/backpressure.ts';
import { verifyJoinToken, type JoinClaims } from '../delivery/join-token.ts';
import type { CloseCode } from '../protocol/close-codes.ts';
import type { ListenerHandle } from '../delivery/listener-entry.ts';
import { UwsListenerSocket } from '../delivery/socket-uws.ts';
import type { StreamHub } from '../delivery/stream-hub.ts';
import { topicFanout } from '../delivery/fanout-topic.ts';
import type { FanoutFactory } from '../delivery/fanout.ts';
import type { BusMessage } from '../bus/types.ts';
import type { Revocations } from '../bus/revocations.ts';
import { ListenerOwners } from './listener-owners.ts';
import { LINE_PATH } from './line-endpoint.ts';
import type { AnonymousTickets, TicketAnswer } from './anonymous-ticket.ts';
import type { DirectJoin, DirectVerdict } from './direct-join.ts';
import { LineWaiters, type LineWaiter } from './line-waiters.ts';
import { errorBody } from './error-status.ts';
import { AmphiError } from '../control/errors.ts';
import type { RoomFeed } from './room-feed.ts';

/** uWS wants the whole status line */
const STATUS_LINES: Readonly<Record<number, string>> = {
  200: '200 OK',
  400: '400 Bad Request',
  403: '403 Forbidden',
  404: '404 Not Found',
  409: '409 Conflict',
  410: '410 Gone',
  429: '429 Too Many Requests',
  500: '500 Internal Server Error',
  503: '503 Service Unavailable',
};

const LINE_TOPIC = 'line';

/** what the upgrade decided, carried to open */
interface ListenData {
  /** whom the socket may hear: a verified token's claims, or a direct join's stream; null: refused */
  readonly claims: Pick<JoinClaims, 'streamId' | 'userId'> | null;
  readonly resumeFromSeq: number | null;
  /** why it is refused (the default: a bad token) */
  readonly refusal: { readonly code: CloseCode; readonly reason: string } | null;
  /** a direct join waiting in line: its number and its first message */
  readonly wait: { readonly number: number; readonly text: string } | null;
  /** its place among the waiting sockets while it waits */
  waiter: LineWaiter<WebSocket<ListenData>> | null;
  sock: UwsListenerSocket | null;
  handle: ListenerHandle | null;
  forget: (() => void) | null;
}

/** what the direct joins need of the line, besides the decision itself */
export interface DirectLine {
  readonly join: DirectJoin;
  /** whether the line has already reached `number` (it may move between decision and open) */
  readonly reached: (number: number) => boolean;
  /** counts a socket let in from the line */
  readonly letIn: () => void;
}
/** a line socket carries nothing of its own: everyone waiting gets the same messages */
type LineData = Record<string, never>;

export interface UwsListenerServerDeps {
  readonly secret: string;
  readonly now: () => number;
  readonly log: Logger;
  readonly revocations: Revocations;
  /** the waiting line's current message, sent to each waiting client on connect */
  readonly lineText: () => string;
  readonly maxLineSockets: number;
  /** where these sockets are reached, from the Host a request came to (AMPHI_LISTEN_URL wins) */
  readonly origin: (requestHost: string | undefined) => string;
  /** counts a ticket answered here, by HTTP status, with the API's requests */
  readonly countTicket: (status: number) => void;
  /** whether a page at `origin` (asking this port, reached as `requestHost`) is one of Amphi's own */
  readonly pageAllowed: (origin: string, requestHost: string | undefined) => boolean;
}

export class UwsListenerServer {
  readonly #d: UwsListenerServerDeps;
  readonly #app: TemplatedApp = uWS.App();
  readonly #owners: ListenerOwners;
  /** every open socket, to close them all on shutdown (this uWS has no app.close) */
  readonly #open = new Set<WebSocket<unknown>>();
  #streams: StreamHub | null = null;
  #tickets: AnonymousTickets | null = null;
  #direct: DirectLine | null = null;
  #feed: RoomFeed | null = null;
  readonly #waiters = new LineWaiters<WebSocket<ListenData>>();
  #listenSocket: us_listen_socket | null = null;
  #lineSockets = 0;

  constructor(deps: UwsListenerServerDeps) {
    this.#d = deps;
    this.#owners = new ListenerOwners(deps.revocations);
    const behaviour = {
      // listeners send nothing but control frames
      maxPayloadLength: 1024,
      // uWS skips a subscriber above this instead of buffering more: the policy's limit, in native code
      maxBackpressure: DEFAULT_BACKPRESSURE_LIMITS.maxBufferedBytes,
      closeOnBackpressureLimit: 0,
      idleTimeout: 120,
      sendPingsAutomatically: true,
      compression: uWS.DISABLED,
      // Clients send nothing here (docs/protocol.md), so any message is closed as abuse. This is also the
      // only guard against unmasked frames: uWS never checks a client frame's MASK bit (RFC 6455 §5.1
      // says the server must close); it takes 4 bytes of such a frame as the key and hands on garbage.
      message: (ws: WebSocket<unknown>) => ws.end(CLOSE_CODES.abuse, closeReason(CLOSE_CODES.abuse)),
    };
    this.#app
      .ws<ListenData>(LISTENER_PATH, {
        ...behaviour,
        upgrade: (res, req, ctx) => this.#upgradeListen(res, req, ctx),
        open: (ws) => this.#openListen(ws),
        close: (ws) => this.#closeListen(ws),
      })
      .ws<LineData>(LINE_PATH, {
        ...behaviour,
        upgrade: (res, req, ctx) => this.#upgradeLine(res, req, ctx),
        open: (ws) => {
          this.#open.add(ws);
          this.#lineSockets++;
          ws.subscribe(LINE_TOPIC);
          ws.send(this.#d.lineText(), false, false);
        },
        close: (ws) => {
          this.#open.delete(ws);
          this.#lineSockets--;
        },
      })
      .get('/api/rooms/:roomId/listen', (res, req) => this.#ticket(res, req))
      .any('/*', (res) => {
        res.writeStatus('404 Not Found').writeHeader('content-type', 'application/json').end('{"error":{"code":"not_found","message":"Only the listener sockets live on this port."}}');
      });
  }

  /** answers signed-out listeners' tickets here (anonymous-ticket.ts); set once, before listen */
  serveTickets(tickets: AnonymousTickets): void {
    this.#tickets = tickets;
  }

  /** admits signed-out listeners who open /ws/listen?room= directly; set once, before listen */
  serveDirect(direct: DirectLine): void {
    this.#direct = direct;
  }

  /** carries the room (state, ticks, a signed-in listener's own messages) on each audio socket; set once, before listen */
  serveFeed(feed: RoomFeed): void {
    this.#feed = feed;
  }

  /** direct joins holding a number in line now */
  get waitingSockets(): number {
    return this.#waiters.size;
  }

  /** the fan-out factory for the stream hub: one topic per stream, published by this app */
  fanoutFactory(): FanoutFactory {
    return topicFanout((topic, message) => {
      this.#app.publish(topic, message, true, false);
    });
  }

  /** the hub whose streams listeners join; set once, before listen */
  attach(streams: StreamHub): void {
    this.#streams = streams;
  }

  /**
   * the same bytes to every waiting client, in one native publish; then the direct joins whose number
   * the line reached go into their streams (they had that message first, so they know why)
   */
  broadcastLine(text: string, admittedUpTo: number): void {
    this.#app.publish(LINE_TOPIC, text, false, false);
    for (const ws of this.#waiters.takeUpTo(admittedUpTo)) {
      const data = ws.getUserData();
      data.waiter = null;
      ws.unsubscribe(LINE_TOPIC);
      this.#direct?.letIn();
      this.#attach(data);
    }
  }

  onBus(msg: BusMessage): void {
    this.#owners.onBus(msg);
  }

  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#app.listen(host, port, (s) => {
        if (s === false) return reject(new AmphiError('unavailable', `Could not listen on ${host}:${port} for the listener sockets: is the port taken? Set AMPHI_LISTEN_PORT.`));
        this.#listenSocket = s;
        resolve(uWS.us_socket_local_port(s));
      });
    });
  }

  close(): void {
    this.#owners.close();
    this.#streams?.closeAll(CLOSE_CODES.goingAway);
    if (this.#listenSocket !== null) uWS.us_listen_socket_close(this.#listenSocket);
    this.#listenSocket = null;
    for (const ws of [...this.#open]) ws.end(CLOSE_CODES.goingAway, closeReason(CLOSE_CODES.goingAway));
  }

  #upgradeListen(res: HttpResponse, req: HttpRequest, ctx: us_socket_context_t): void {
    const parsed = parseListenerQuery(new URLSearchParams(req.getQuery() ?? ''));
    const query = parsed.ok ? parsed.query : null;
    const resumeFromSeq = query?.resumeFromSeq ?? null;
    if (query?.kind === 'room' && this.#direct !== null) {
      this.#upgradeDirect(res, req, ctx, query.roomId, resumeFromSeq, this.#direct.join);
      return;
    }
    const verdict = query?.kind === 'token' ? verifyJoinToken(this.#d.secret, query.token, this.#d.now()) : null;
    // a query that cannot be read closes with its own code (a bad resume is not a bad token); null: 4001
    const refusal = parsed.ok ? null : { code: QUERY_CLOSE_CODES[parsed.code], reason: closeReason(QUERY_CLOSE_CODES[parsed.code]) };
    const revoked = verdict !== null && verdict.ok ? this.#owners.refusal(verdict.claims.streamId, verdict.claims.userId, verdict.claims.issuedAt) : null;
    if (revoked !== null) {
      upgrade(res, req, ctx, listenData(null, resumeFromSeq, revoked, null));
      return;
    }
    upgrade(res, req, ctx, listenData(verdict !== null && verdict.ok ? verdict.claims : null, resumeFromSeq, refusal, null));
  }

  /**
   * the room's rules and the line decide: at once when this node tracks the room (the storm's case:
   * no promise, no closure), else after a database read, with the upgrade waiting for it
   */
  #upgradeDirect(res: HttpResponse, req: HttpRequest, ctx: us_socket_context_t, roomId: string, resumeFromSeq: number | null, join: DirectJoin): void {
    const verdict = join(roomId);
    if (!(verdict instanceof Promise)) {
      upgrade(res, req, ctx, directData(verdict, resumeFromSeq));
      return;
    }
    // uWS's request object dies with this call: read the handshake before the first await
    const key = req.getHeader('sec-websocket-key');
    const protocol = req.getHeader('sec-websocket-protocol');
    const extensions = req.getHeader('sec-websocket-extensions');
    let aborted = false;
    res.onAborted(() => {
      aborted = true;
    });
    const finish = (v: DirectVerdict): void => {
      if (aborted) return;
      res.cork(() => res.upgrade(directData(v, resumeFromSeq), key, protocol, extensions, ctx));
    };
    verdict.then(finish, (err: unknown) => {
      this.#d.log.error({ err }, 'direct listener join failed');
      finish({ kind: 'refuse', code: CLOSE_CODES.serverError, reason: closeReason(CLOSE_CODES.serverError) });
    });
  }

  #openListen(ws: WebSocket<ListenData>): void {
    this.#open.add(ws);
    const data = ws.getUserData();
    data.sock = new UwsListenerSocket(ws);
    if (data.claims === null || this.#streams === null) {
      const refusal = data.refusal ?? { code: CLOSE_CODES.badToken, reason: closeReason(CLOSE_CODES.badToken) };
      data.sock.close(refusal.code, refusal.reason);
      return;
    }
    const wait = data.wait;
    if (wait !== null && !this.#direct?.reached(wait.number)) {
      // in line: its own place first, then the shared line messages until its number comes up
      ws.send(wait.text, false, false);
      ws.send(this.#d.lineText(), false, false);
      ws.subscribe(LINE_TOPIC);
      data.waiter = this.#waiters.add(wait.number, ws);
      return;
    }
    if (wait !== null) this.#direct?.letIn();
    this.#attach(data);
  }

  /** into the stream: the hub sends the stream state and, on resume, what was missed */
  #attach(data: ListenData): void {
    const streams = this.#streams;
    const sock = data.sock;
    if (data.claims === null || streams === null || sock === null || sock.closed) return;
    const { streamId, userId } = data.claims;
    const added = streams.addListener(streamId, sock, { resumeFromSeq: data.resumeFromSeq });
    if (!added.ok) return;
    data.handle = added.handle;
    const leaveFeed = this.#feed?.join(streamId, userId, sock) ?? null;
    const forgetOwner = userId === null ? null : this.#owners.add(streamId, userId, sock);
    if (leaveFeed !== null || forgetOwner !== null) {
      data.forget = () => {
        leaveFeed?.();
        forgetOwner?.();
      };
    }
  }

  #closeListen(ws: WebSocket<ListenData>): void {
    this.#open.delete(ws);
    const data = ws.getUserData();
    data.sock?.markClosed();
    if (data.waiter !== null) this.#waiters.remove(data.waiter);
    if (data.handle !== null) this.#streams?.removeListener(data.handle);
    data.forget?.();
  }

  #ticket(res: HttpResponse, req: HttpRequest): void {
    // uWS's request object dies with this call: read everything before the first await
    const roomId = req.getParameter(0) ?? '';
    const query = new URLSearchParams(req.getQuery() ?? '');
    const host = req.getHeader('host') || undefined;
    const origin = this.#d.origin(host);
    const pageOrigin = req.getHeader('origin');
    const allowOrigin = pageOrigin !== '' && this.#d.pageAllowed(pageOrigin, host) ? pageOrigin : null;
    let aborted = false;
    res.onAborted(() => {
      aborted = true;
    });
    const tickets = this.#tickets;
    if (tickets === null) {
      res.writeStatus('503 Service Unavailable').writeHeader('content-type', 'application/json').end(JSON.stringify(errorBody('unavailable', 'Starting up. Try again in a moment.')));
      return;
    }
    const answer = (a: TicketAnswer): void => {
      this.#d.countTicket(a.status);
      if (aborted) return;
      res.cork(() => {
        res.writeStatus(STATUS_LINES[a.status] ?? String(a.status));
        if (a.retryAfterSeconds !== undefined) res.writeHeader('retry-after', String(a.retryAfterSeconds));
        // only Amphi's own pages may read a ticket from another port: other sites must not embed rooms through visitors
        if (allowOrigin !== null) res.writeHeader('access-control-allow-origin', allowOrigin);
        res.writeHeader('vary', 'Origin').writeHeader('cache-control', 'no-store').writeHeader('content-type', 'application/json').end(a.body);
      });
    };
    tickets(roomId, query, origin).then(answer, (err: unknown) => {
      this.#d.log.error({ err }, 'listen ticket failed on the listener port');
      if (!aborted) answer({ status: 500, body: JSON.stringify(errorBody('internal', 'Something went wrong on our side. Try again.')) });
    });
  }

  #upgradeLine(res: HttpResponse, req: HttpRequest, ctx: us_socket_context_t): void {
    if (this.#lineSockets >= this.#d.maxLineSockets) {
      res.writeStatus('503 Service Unavailable').writeHeader('Retry-After', '5').end();
      return;
    }
    upgrade<LineData>(res, req, ctx, {});
  }
}

function listenData(claims: ListenData['claims'], resumeFromSeq: number | null, refusal: ListenData['refusal'], wait: ListenData['wait']): ListenData {
  return { claims, resumeFromSeq, refusal, wait, waiter: null, sock: null, handle: null, forget: null };
}

function directData(v: DirectVerdict, resumeFromSeq: number | null): ListenData {
  if (v.kind === 'refuse') return listenData(null, resumeFromSeq, { code: v.code, reason: v.reason }, null);
  return listenData({ streamId: v.streamId, userId: null }, resumeFromSeq, null, v.kind === 'wait' ? { number: v.number, text: v.text } : null);
}

function upgrade<T>(res: HttpResponse, req: HttpRequest, ctx: us_socket_context_t, data: T): void {
  res.upgrade(data, req.getHeader('sec-websocket-key'), req.getHeader('sec-websocket-protocol'), req.getHeader('sec-websocket-extensions'), ctx);
}
