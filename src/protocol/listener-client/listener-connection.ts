/**
 * @module listener-connection — one listener's connection to a program stream: opens the socket,
 * decodes batches, keeps its place by seq, and after a drop reconnects per the ReconnectPolicy,
 * resuming from the last frame it played so nothing is missed or heard twice. One state union, no
 * scattered flags. Never reconnects after a terminal close code (room ended, removed, bad token).
 * Browser-compatible: the socket comes from an injected factory, timers and clock are injectable.
 */
import { CLOSE_CODES, isTerminalCloseCode } from '../close-codes.ts';
import { ListenerFrameError, decodeListenerMessage, type AudioFrame, type ListenerMessage, type StreamState } from '../listener-frame.ts';
import { parseLineText, placeInLine } from '../listener-line.ts';
import { buildListenerUrl } from '../listener-query.ts';
import { ListenerClientError } from './listener-client-error.ts';
import { DefaultReconnectPolicy, type ReconnectPolicy } from './reconnect-policy.ts';
import { SeqTracker, type SeqStats } from './seq-tracker.ts';
import type { ClientSocket, SocketFactory } from './socket-factory.ts';

export type ListenerConnectionState = 'connecting' | 'live' | 'reconnecting' | 'closed';

/** Why a connection reached 'closed'. */
export interface CloseCause {
  /** server: a terminal close code; policy: the reconnect policy gave up; user: close() was called */
  readonly by: 'server' | 'policy' | 'user';
  /** the last close code seen (1000 for close()) */
  readonly code: number;
  readonly reason: string;
}

export interface Timers {
  /** runs fn after ms; returns a function that cancels it */
  setTimeout(fn: () => void, ms: number): () => void;
}

/**
 * a join token and the listener endpoint it opens, or a direct join's URL (`…/ws/listen?room=ID`, signed
 * out: the server admits or queues during the upgrade, so there is no ticket to fetch)
 */
export type ListenerTicket = { readonly token: string; readonly endpoint: string } | { readonly direct: string };

/** what a ticket request should know: the listener origin whose socket was just lost (ask for another edge) */
export interface TicketHint {
  readonly avoid: string | null;
}

/** where a listener stands in the node's waiting line */
export interface LinePlace {
  /** people ahead, this listener included */
  readonly position: number;
  readonly etaSeconds: number;
}

export interface ListenerConnectionOptions {
  /** the listener endpoint, e.g. wss://amphi.example/ws/listen (a ticket may name another) */
  readonly endpoint: string;
  /**
   * the join token, or a function fetching a fresh ticket before each connect (tokens expire); a ticket
   * may carry the endpoint it is for, since the listener sockets can live on a port of their own
   */
  readonly token: string | ((hint: TicketHint) => Promise<string | ListenerTicket>);
  readonly createSocket: SocketFactory;
  readonly policy?: ReconnectPolicy;
  readonly timers?: Timers;
  readonly now?: () => number;
  /** resume from here on the first connect (e.g. after a page reload) */
  readonly resumeFromSeq?: number | null;
  /** frames to play, in seq order, never one already delivered */
  readonly onFrames?: (frames: readonly AudioFrame[]) => void;
  readonly onState?: (state: ListenerConnectionState, cause: CloseCause | null) => void;
  /** waiting: the room is backstage; live: audio flows */
  readonly onStreamState?: (state: StreamState) => void;
  /** a direct join waiting in the node's line: its place as the line moves; null once it is let in */
  readonly onLine?: (place: LinePlace | null) => void;
  /** a room message (JSON text: the room's state and ticks, and a signed-in listener's own place and notices) */
  readonly onRoom?: (json: string) => void;
  readonly onError?: (error: ListenerClientError) => void;
}

export interface ListenerConnectionStats extends SeqStats {
  readonly batches: number;
  /** reconnects tried (each one a new socket) */
  readonly reconnectAttempts: number;
  readonly malformed: number;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => {
    const handle = globalThis.setTimeout(fn, ms);
    return () => globalThis.clearTimeout(handle);
  },
};

export class ListenerConnection {
  private current: ListenerConnectionState | 'idle' = 'idle';
  private socket: ClientSocket | null = null;
  /** bumped per socket, so events of a socket we moved on from are ignored */
  private generation = 0;
  /** the listener origin of the socket lost last, until a new socket opens */
  private lostOrigin: string | null = null;
  private cancelRetry: (() => void) | null = null;
  private attempt = 0;
  private lostAt: number | null = null;
  private readonly seq: SeqTracker;
  private batches = 0;
  private reconnectAttempts = 0;
  private malformed = 0;
  /** this socket's number in the node's line, while a direct join waits */
  private lineNumber: number | null = null;
  private readonly policy: ReconnectPolicy;
  private readonly timers: Timers;
  private readonly now: () => number;

  constructor(private readonly options: ListenerConnectionOptions) {
    this.seq = new SeqTracker(options.resumeFromSeq ?? null);
    this.policy = options.policy ?? new DefaultReconnectPolicy();
    this.timers = options.timers ?? realTimers;
    this.now = options.now ?? Date.now;
  }

  get state(): ListenerConnectionState | 'idle' {
    return this.current;
  }

  get lastSeq(): number | null {
    return this.seq.lastSeq;
  }

  get stats(): ListenerConnectionStats {
    return { ...this.seq.stats, batches: this.batches, reconnectAttempts: this.reconnectAttempts, malformed: this.malformed };
  }

  /** Connects; call once. */
  start(): void {
    if (this.current !== 'idle') return;
    this.setState('connecting', null);
    void this.open();
  }

  /** Stops for good: closes the socket and cancels any pending reconnect. Idempotent. */
  close(): void {
    if (this.current === 'closed') return;
    this.finish({ by: 'user', code: 1000, reason: 'closed by the listener' });
  }

  private async open(): Promise<void> {
    const generation = ++this.generation;
    let token: string | null;
    let endpoint = this.options.endpoint;
    try {
      const t = typeof this.options.token === 'string' ? this.options.token : await this.options.token({ avoid: this.lostOrigin });
      if (typeof t === 'string') token = t;
      else if ('direct' in t) {
        endpoint = t.direct;
        token = null;
      } else ({ token, endpoint } = t);
    } catch (e) {
      this.report(new ListenerClientError('token_unavailable', 'could not get a join token', { cause: e }));
      if (generation === this.generation) this.lost(1006, 'no join token');
      return;
    }
    if (generation !== this.generation || this.current === 'closed') return;
    try {
      this.lineNumber = null;
      const url = buildListenerUrl(endpoint, { token, resumeFromSeq: this.seq.lastSeq });
      this.lostOrigin = null;
      this.socket = this.createSocket(url, generation, originOf(endpoint));
    } catch (e) {
      this.report(new ListenerClientError('socket_failed', `could not open ${endpoint}`, { cause: e }));
      this.lost(1006, 'socket could not be opened');
    }
  }

  private createSocket(url: string, generation: number, origin: string | null): ClientSocket {
    return this.options.createSocket(url, {
      // 'live' waits for the first message: a server that refuses (4029, 4004) accepts the socket
      // and closes it at once, and that must count as a failed attempt, not as a recovery.
      onOpen: () => undefined,
      onMessage: (data) => {
        if (generation === this.generation) this.receive(data);
      },
      onClose: (code, reason) => {
        if (generation !== this.generation) return;
        this.socket = null;
        // the next ticket should name another edge: this one failed or is leaving
        if (code !== 1000) this.lostOrigin = origin;
        // the place was this socket's: a new one starts over (a resume keeps the audio's place, not the line's)
        if (this.lineNumber !== null) {
          this.lineNumber = null;
          this.options.onLine?.(null);
        }
        this.lost(code, reason);
      },
    });
  }

  private receive(data: ArrayBuffer | Uint8Array | string): void {
    if (typeof data === 'string') {
      this.receiveText(data);
      return;
    }
    if (this.lineNumber !== null) {
      this.lineNumber = null;
      this.options.onLine?.(null);
    }
    let message: ListenerMessage;
    try {
      message = decodeListenerMessage(data);
    } catch (e) {
      if (!(e instanceof ListenerFrameError)) throw e;
      this.malformed++;
      this.report(new ListenerClientError('malformed_message', e.message, { cause: e }));
      return;
    }
    if (this.current !== 'live') {
      this.attempt = 0;
      this.lostAt = null;
      this.setState('live', null);
    }
    if (message.type === 'streamState') {
      this.options.onStreamState?.(message.state);
      return;
    }
    if (message.type === 'room') {
      this.options.onRoom?.(message.json);
      return;
    }
    this.batches++;
    const frames = this.seq.accept(message.frames);
    if (frames.length > 0) this.options.onFrames?.(frames);
  }

  /** a direct join's place in line: the server moves the socket into the stream by itself */
  private receiveText(text: string): void {
    const m = parseLineText(text);
    if (m === null) {
      this.malformed++;
      this.report(new ListenerClientError('malformed_message', 'the server sent text on the listener socket that is not a line message'));
      return;
    }
    // in line means the server is there: a drop later starts a fresh reconnect count
    this.attempt = 0;
    this.lostAt = null;
    if (m.type === 'waiting') {
      this.lineNumber = m.number;
      this.options.onLine?.({ position: m.position, etaSeconds: m.etaSeconds });
      return;
    }
    if (this.lineNumber === null) return;
    const place = placeInLine(this.lineNumber, m);
    if (place !== null) this.options.onLine?.(place);
  }

  private lost(code: number, reason: string): void {
    if (this.current === 'closed') return;
    if (isTerminalCloseCode(code)) {
      this.finish({ by: 'server', code, reason });
      return;
    }
    // Too slow: the frames after our place are stale by now; start again at live (the tracker
    // forgets its place, so the jump is not counted as a gap of this connection's making). A resume
    // the server could not read would be refused again: start at live too.
    if (code === CLOSE_CODES.tooSlow || code === CLOSE_CODES.badResume) this.seq.reset();
    const now = this.now();
    this.lostAt ??= now;
    let delay: number | null;
    try {
      delay = this.policy.nextRetryDelayMs({ attempt: this.attempt, elapsedMs: now - this.lostAt });
    } catch (e) {
      this.report(new ListenerClientError('policy_failed', 'the reconnect policy threw', { cause: e }));
      delay = null;
    }
    if (delay === null) {
      this.finish({ by: 'policy', code, reason });
      return;
    }
    this.setState('reconnecting', null);
    this.cancelRetry = this.timers.setTimeout(() => {
      this.cancelRetry = null;
      this.attempt++;
      this.reconnectAttempts++;
      void this.open();
    }, delay);
  }

  private finish(cause: CloseCause): void {
    this.generation++;
    this.cancelRetry?.();
    this.cancelRetry = null;
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000, 'listener left');
    this.setState('closed', cause);
  }

  private setState(state: ListenerConnectionState, cause: CloseCause | null): void {
    if (state === this.current) return;
    this.current = state;
    this.options.onState?.(state, cause);
  }

  private report(error: ListenerClientError): void {
    if (this.options.onError) this.options.onError(error);
    // Without a handler, an error would vanish; surfacing it on the console is the least we owe.
    else console.error(error);
  }
}

/** ws://host:port of an endpoint URL; null when it is not one (the server names valid ones) */
function originOf(endpoint: string): string | null {
  try {
    return new URL(endpoint).origin;
  } catch {
    return null;
  }
}
