/**
 * @module room-session — one person's live link to one room, with one connection state, the room as
 * the server last described it (a store React views subscribe to), and room actions that resolve when
 * the server accepted them or reject with its error. The link is one of two: while the person only
 * listens, the room arrives on the program player's audio socket (`listen`, then `feed`: one socket per
 * listener, docs/protocol.md §2 type 3) and actions go over HTTP; on the stage (or where the page plays
 * audio without that socket) it is the room WebSocket (/api/rooms/:id/ws, `talk`), with reconnection by
 * a swappable ReconnectPolicy and actions sent with a ref, over HTTP while it is down so a tap is never
 * lost to a reconnect. Never decides a room rule: the server does.
 */
import type { RoomActionBody } from '../../../src/protocol/api-schemas.ts';
import { QUIET_STAGE, type MyPlaceView, type Notice, type RoomView, type ServerMessage, type StageSoundView, type UserView, type ClientMessage } from '../../../src/protocol/api-views.ts';
import type { Reaction } from '../../../src/protocol/room-vocabulary.ts';
import type { StageNetworkView } from '../../../src/protocol/stage-network.ts';
import { DefaultReconnectPolicy, type ReconnectPolicy } from '../../../src/protocol/listener-client/reconnect-policy.ts';
import { CLOSE_CODES } from '../../../src/protocol/close-codes.ts';
import { ApiError } from '../api/api-error.ts';
import { api } from '../api/endpoints.ts';
import { Store } from '../store.ts';
import { finalReason, type ClosedReason, type ConnectionState, type LastError } from './connection-state.ts';

export interface RoomSnapshot {
  readonly connection: ConnectionState;
  /** null until the first state message arrives */
  readonly room: RoomView | null;
  readonly me: MyPlaceView | null;
  /**
   * the hand-raise queue as the socket tells it (hosts and co-hosts only): how many hands are up, and a
   * number that rises with each change, so the queue's view reads its visible page again
   */
  readonly hands: { readonly count: number; readonly version: number };
  /** ids of stage members heard during the last tick (the speaking rings) */
  readonly speaking: ReadonlySet<string>;
  /** each stage member's network by user id, as the server last told (hosts and co-hosts only) */
  readonly network: ReadonlyMap<string, StageNetworkView>;
  /** hot mics, echoes and who holds the floor, as the room's server hears the stage */
  readonly sound: StageSoundView;
}

export type ReactionCounts = Partial<Record<Reaction, number>>;

export interface RoomSessionEvents {
  /** reactions the room sent during the last tick, summed per emoji */
  onReactions?: (counts: ReactionCounts) => void;
  /** a private notice: invited, muted by a moderator, request declined, host changed... */
  onNotice?: (notice: Notice, by: UserView | null) => void;
  /** every message as it arrives, before the session handles it (the audio engine takes its rtc* messages here) */
  onMessage?: (msg: ServerMessage) => void;
}

export interface RoomSessionOptions {
  readonly policy?: ReconnectPolicy;
  readonly now?: () => number;
  /** the socket URL; defaults to this page's origin */
  readonly url?: string;
  /** how long an action waits for its ack */
  readonly actionTimeoutMs?: number;
  /** start with the room coming from the audio socket ('feed'), as a page that can play it does */
  readonly mode?: LinkMode;
  /** whether this page is signed in: a signed-out listener's place is always the same and is not sent */
  readonly signedIn?: boolean;
}

interface Pending {
  readonly resolve: () => void;
  readonly reject: (e: ApiError) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

const NOBODY: ReadonlySet<string> = new Set();

/** where the room comes from: the room WebSocket, or the audio socket's room messages */
export type LinkMode = 'control' | 'feed';

/** a signed-out person's place in any room (docs/api.md: the same as the room socket says) */
const SIGNED_OUT_LISTENER: MyPlaceView = { role: 'listener', signedIn: false, handRaised: false, invited: false, muted: null, mutedBy: null };

/** what a listener socket's terminal close means for the room (the room socket's codes differ) */
function feedError(code: number, reason: string): LastError | null {
  if (code === CLOSE_CODES.streamNotFound) return { code: 'room_not_found', message: '' };
  if (code === CLOSE_CODES.forbidden) return { code: /^[a-z_]+$/.test(reason) ? reason : 'blocked_by_host', message: '' };
  return null;
}

/** a connection silent this long (no state, no pong) is treated as lost */
const SILENCE_MS = 45_000;
const PING_EVERY_MS = 20_000;

export class RoomSession {
  readonly roomId: string;
  readonly store: Store<RoomSnapshot>;
  events: RoomSessionEvents = {};

  readonly #policy: ReconnectPolicy;
  readonly #now: () => number;
  readonly #url: string;
  readonly #actionTimeoutMs: number;
  readonly #pending = new Map<string, Pending>();
  #ws: WebSocket | null = null;
  #lastError: LastError | null = null;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  #pingTimer: ReturnType<typeof setInterval> | null = null;
  #lastHeard = 0;
  #refs = 0;
  /** which link the room comes from now; the other is closed (or about to be) */
  #mode: LinkMode = 'control';
  /** connect() was called: the control link may open */
  #started = false;
  readonly #signedIn: boolean;
  #peeked = false;

  constructor(roomId: string, opts: RoomSessionOptions = {}) {
    this.roomId = roomId;
    this.#policy = opts.policy ?? new DefaultReconnectPolicy({ baseMs: 500, maxMs: 10_000 });
    this.#now = opts.now ?? Date.now;
    this.#url = opts.url ?? `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/rooms/${encodeURIComponent(roomId)}/ws`;
    this.#actionTimeoutMs = opts.actionTimeoutMs ?? 10_000;
    this.#mode = opts.mode ?? 'control';
    this.#signedIn = opts.signedIn ?? true;
    this.store = new Store<RoomSnapshot>({ connection: { kind: 'connecting' }, room: null, me: null, hands: { count: 0, version: 0 }, speaking: NOBODY, network: new Map(), sound: QUIET_STAGE });
  }

  get connection(): ConnectionState {
    return this.store.get().connection;
  }

  /** opens the room WebSocket; call once (`listen` instead: the room comes from the audio socket) */
  connect(): void {
    if (this.#started || this.connection.kind === 'closed') return;
    this.#started = true;
    window.addEventListener('online', this.#retryNow);
    if (this.#mode === 'control') this.#open();
  }

  /** the link in use: 'feed' while the room comes from the audio socket */
  get mode(): LinkMode {
    return this.#mode;
  }

  /**
   * from now on the room comes from the program player's audio socket (`feed`); the room WebSocket, if
   * open, stays until the first room message arrives there, so the page never goes blank in between
   */
  listen(): void {
    if (this.#mode === 'feed' || this.connection.kind === 'closed') return;
    this.#mode = 'feed';
    if (this.#ws === null) this.#cancelRetry();
  }

  /** from now on the room comes from the room WebSocket (the stage needs it): opened now if it is not */
  talk(): void {
    if (this.#mode === 'control' || this.connection.kind === 'closed') return;
    this.#mode = 'control';
    if (this.#started && this.#ws === null && this.#retryTimer === null) this.#open();
  }

  /** one room message from the audio socket (JSON); ignored while the room WebSocket is the link */
  feed(json: string): void {
    if (this.#mode !== 'feed' || this.connection.kind === 'closed') return;
    // the audio socket has taken over: the room WebSocket is no longer needed
    if (this.#ws !== null) this.#dropControl();
    this.#onMessage(json);
  }

  /** the audio socket was lost and is being opened again by its player */
  feedLost(): void {
    if (this.#mode !== 'feed') return;
    const c = this.connection;
    if (c.kind === 'open') this.#set({ connection: { kind: 'reconnecting', attempt: 0, lostAt: this.#now() } });
  }

  /**
   * while the audio socket waits in a full node's line no room message comes: the page shows the room as
   * the API has it now (once; the socket brings it live when the line lets it in)
   */
  peek(): void {
    if (this.#mode !== 'feed' || this.#peeked || this.store.get().room !== null) return;
    this.#peeked = true;
    api.getRoom(this.roomId).then(
      (v) => {
        const s = this.store.get();
        if (s.room === null && this.connection.kind !== 'closed') this.#set({ room: v.room, me: s.me ?? v.me });
      },
      (err: unknown) => {
        if (err instanceof ApiError && (err.code === 'room_not_found' || err.code === 'room_ended' || err.code === 'removed_from_room')) this.feedRefused(err.code, err.message);
        else console.warn('the room could not be read while waiting in line', err);
      },
    );
  }

  /** the API refused this page a ticket for good: the same ends as the room WebSocket's refusals */
  feedRefused(code: string, message: string): void {
    if (this.#mode !== 'feed' || this.connection.kind === 'closed') return;
    if (code === 'room_ended') this.#finish({ kind: 'ended' });
    else if (code === 'removed_from_room') this.#finish({ kind: 'removed' });
    else this.#finish({ kind: 'refused', code, message });
  }

  /** the audio socket closed for good: `code` the server's (a room that ended, a removal), or the player gave up */
  feedClosed(code: number, reason: string, byPolicy: boolean): void {
    if (this.#mode !== 'feed' || this.connection.kind === 'closed') return;
    const final = byPolicy ? { kind: 'gaveUp' as const } : finalReason(code, feedError(code, reason));
    if (final) this.#finish(final);
  }

  /** leaves the room: closes the socket for good and rejects what is still waiting */
  close(): void {
    this.#finish({ kind: 'left' });
  }

  /** sends one room action; resolves when the server accepted it, rejects with ApiError otherwise */
  act(action: RoomActionBody): Promise<void> {
    const c = this.connection;
    if (c.kind === 'closed') return Promise.reject(this.#closedError(c.reason));
    const ws = this.#ws;
    if (c.kind !== 'open' || this.#mode === 'feed' || ws === null || ws.readyState !== WebSocket.OPEN) {
      return api.roomAction(this.roomId, action).then(() => undefined);
    }
    const ref = `a${++this.#refs}`;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(ref);
        reject(ApiError.timeout());
      }, this.#actionTimeoutMs);
      this.#pending.set(ref, { resolve, reject, timer });
      this.#send({ type: 'action', ref, action });
    });
  }

  /** sends a message as it is (the audio engine's signalling); false when the socket is not open */
  send(msg: ClientMessage): boolean {
    if (this.connection.kind !== 'open' || this.#ws?.readyState !== WebSocket.OPEN) return false;
    this.#send(msg);
    return true;
  }

  #send(msg: ClientMessage): void {
    this.#ws?.send(JSON.stringify(msg));
  }

  #set(patch: Partial<RoomSnapshot>): void {
    this.store.update((s) => ({ ...s, ...patch }));
  }

  #open(): void {
    this.#lastError = null;
    const ws = new WebSocket(this.#url);
    this.#ws = ws;
    ws.onmessage = (ev) => {
      if (this.#ws === ws && typeof ev.data === 'string') this.#onMessage(ev.data);
    };
    ws.onclose = (ev) => {
      if (this.#ws === ws) this.#onClose(ev.code);
    };
    // the close event follows every error event; the decision is taken there
    ws.onerror = () => undefined;
  }

  /** closes the room WebSocket without ending the session (the audio socket carries the room now) */
  #dropControl(): void {
    const ws = this.#ws;
    this.#ws = null;
    this.#stopPinging();
    this.#rejectPending(ApiError.connectionLost());
    if (ws !== null && ws.readyState <= WebSocket.OPEN) ws.close(1000, 'listening');
  }

  #cancelRetry(): void {
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
  }

  #onMessage(text: string): void {
    let msg: ServerMessage;
    try {
      msg = JSON.parse(text) as ServerMessage;
    } catch (err) {
      console.error('room socket sent something that is not JSON', err);
      return;
    }
    this.#lastHeard = this.#now();
    try {
      this.events.onMessage?.(msg);
    } catch (err) {
      console.error('room message handler failed', err);
    }
    switch (msg.type) {
      case 'state': {
        const wasOpen = this.connection.kind === 'open';
        this.#set({ room: msg.room, speaking: this.#speaking(msg), sound: msg.sound ?? QUIET_STAGE, ...(wasOpen ? {} : { connection: { kind: 'open' } }) });
        if (!wasOpen && this.#mode === 'control') this.#startPinging();
        // the audio socket sends a place to signed-in listeners only: everyone signed out is a listener
        if (this.#mode === 'feed' && !this.#signedIn && this.store.get().me === null) this.#set({ me: SIGNED_OUT_LISTENER });
        if (Object.keys(msg.reactions).length > 0) this.events.onReactions?.(msg.reactions);
        return;
      }
      case 'tick': {
        const room = this.store.get().room;
        // a tick applies on top of a state; one before any state has nothing to apply to
        if (room === null) return;
        this.#set({ room: room.listenerCount === msg.listeners ? room : { ...room, listenerCount: msg.listeners }, speaking: this.#speaking(msg), ...(this.connection.kind === 'open' ? {} : { connection: { kind: 'open' } }) });
        if (Object.keys(msg.reactions).length > 0) this.events.onReactions?.(msg.reactions);
        return;
      }
      case 'me':
        this.#set({ me: msg.me });
        return;
      case 'hands':
        this.#set({ hands: { count: msg.count, version: this.store.get().hands.version + 1 } });
        return;
      case 'stageNetwork':
        this.#set({ network: new Map(msg.members.map((m) => [m.userId, m])) });
        return;
      case 'notice':
        this.events.onNotice?.(msg.notice, msg.by);
        return;
      case 'ack':
        this.#settle(msg.ref, null);
        return;
      case 'error':
        if (msg.ref === null) this.#lastError = { code: msg.code, message: msg.message };
        else this.#settle(msg.ref, new ApiError(msg.code, msg.message));
        return;
      case 'pong':
        return;
    }
  }

  /** the same set object while nobody changed, so the stage does not re-render for nothing */
  #speaking(msg: object): ReadonlySet<string> {
    const ids = 'speaking' in msg && Array.isArray(msg.speaking) ? msg.speaking.filter((x): x is string => typeof x === 'string') : [];
    const before = this.store.get().speaking;
    if (ids.length === before.size && ids.every((id) => before.has(id))) return before;
    return ids.length === 0 ? NOBODY : new Set(ids);
  }

  #settle(ref: string | null, err: ApiError | null): void {
    if (ref === null) return;
    const p = this.#pending.get(ref);
    if (!p) return;
    this.#pending.delete(ref);
    clearTimeout(p.timer);
    if (err) p.reject(err);
    else p.resolve();
  }

  #onClose(code: number): void {
    this.#ws = null;
    this.#stopPinging();
    this.#rejectPending(ApiError.connectionLost());
    const final = finalReason(code, this.#lastError);
    if (final) return this.#finish(final);
    // listening: the audio socket is the link now, and its player reconnects it
    if (this.#mode === 'feed') return;
    const c = this.connection;
    const lostAt = c.kind === 'reconnecting' ? c.lostAt : this.#now();
    const attempt = c.kind === 'reconnecting' ? c.attempt + 1 : 0;
    this.#scheduleRetry(attempt, lostAt);
  }

  #scheduleRetry(attempt: number, lostAt: number): void {
    let delay: number | null;
    try {
      delay = this.#policy.nextRetryDelayMs({ attempt, elapsedMs: this.#now() - lostAt });
    } catch (err) {
      console.error('reconnect policy failed; giving up', err);
      delay = null;
    }
    if (delay === null) return this.#finish({ kind: 'gaveUp' });
    this.#set({ connection: { kind: 'reconnecting', attempt, lostAt } });
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      this.#open();
    }, delay);
  }

  /** the browser says the network is back: skip the wait */
  readonly #retryNow = (): void => {
    if (this.#mode === 'feed' || this.connection.kind !== 'reconnecting' || this.#retryTimer === null) return;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    this.#open();
  };

  #startPinging(): void {
    this.#stopPinging();
    this.#pingTimer = setInterval(() => {
      if (this.#now() - this.#lastHeard > SILENCE_MS) {
        // a half-open socket never fires close by itself; closing it makes #onClose reconnect
        this.#ws?.close();
        return;
      }
      this.#send({ type: 'ping' });
    }, PING_EVERY_MS);
  }

  #stopPinging(): void {
    if (this.#pingTimer !== null) clearInterval(this.#pingTimer);
    this.#pingTimer = null;
  }

  #rejectPending(err: ApiError): void {
    for (const p of this.#pending.values()) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    this.#pending.clear();
  }

  #finish(reason: ClosedReason): void {
    if (this.connection.kind === 'closed') return;
    window.removeEventListener('online', this.#retryNow);
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    this.#stopPinging();
    const ws = this.#ws;
    this.#ws = null;
    if (ws !== null && ws.readyState <= WebSocket.OPEN) ws.close(1000, 'left');
    this.#rejectPending(this.#closedError(reason));
    this.#set({ connection: { kind: 'closed', reason } });
  }

  #closedError(reason: ClosedReason): ApiError {
    switch (reason.kind) {
      case 'ended':
        return new ApiError('room_ended', 'This room has ended.');
      case 'removed':
        return new ApiError('removed_from_room', 'You were removed from this room.');
      case 'refused':
        return new ApiError(reason.code, reason.message);
      case 'gaveUp':
      case 'left':
        return ApiError.connectionLost();
    }
  }
}
