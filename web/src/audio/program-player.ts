/**
 * @module program-player — plays a room's program stream in the page: a ListenerConnection (fresh
 * ticket before each connect, resume from the last frame, DefaultReconnectPolicy) feeds WebCodecs'
 * Opus decoder, whose PCM goes to the playout AudioWorklet on the visit's one AudioContext; the room
 * messages the same socket carries go to the page's room session (RoomLink). Its state
 * (blocked, connecting, waiting, playing and how far behind live, reconnecting, stopped) is one store.
 * It never decides who may listen (the server does) and never makes its own AudioContext.
 */
import { DefaultReconnectPolicy } from '../../../src/protocol/listener-client/reconnect-policy.ts';
import { ListenerConnection, type ListenerConnectionState } from '../../../src/protocol/listener-client/listener-connection.ts';
import { browserSocketFactory } from '../../../src/protocol/listener-client/socket-factory.ts';
import { FRAME_DURATION_MS, type StreamState } from '../../../src/protocol/listener-frame.ts';
import { LISTENER_PATH } from '../../../src/protocol/listener-query.ts';
import { directListenUrl } from '../api/direct-listen.ts';
import { fetchListenAdmission, type TicketWait } from '../api/listen-ticket.ts';
import { ApiError } from '../api/api-error.ts';
import { session } from '../auth/session.ts';
import { Store } from '../store.ts';
import { audioUnlock, resumeAudio, sharedAudioContext } from './audio-context.ts';
import { OpusFrameDecoder } from './opus-frame-decoder.ts';
import { PLAYOUT_PROCESSOR, type FromPlayout, type PlayoutReport, type ToPlayout } from './playout-messages.ts';
import type { PlayerState } from './player-state.ts';
import type { RoomPlayer } from './room-player.ts';
import workletUrl from './playout-worklet.ts?worker&url';

const loaded = new WeakMap<BaseAudioContext, Promise<void>>();
function loadWorklet(ctx: BaseAudioContext): Promise<void> {
  let p = loaded.get(ctx);
  if (!p) {
    p = ctx.audioWorklet.addModule(workletUrl);
    loaded.set(ctx, p);
  }
  return p;
}

/** where the room messages the audio socket carries go (the room session), and what becomes of the socket */
export interface RoomLink {
  onRoom(json: string): void;
  /** lost, being opened again */
  onLost(): void;
  /** closed for good by the server (`code`) or because reconnecting gave up; not when the page closed it */
  onClosed(code: number, reason: string, byPolicy: boolean): void;
  /** the socket (or the ticket) waits in a full node's line: no room message comes until it is let in */
  onWaiting(): void;
  /** the API will not give this page a ticket, for good (the room ended, they were removed, the room does not exist) */
  onRefused(code: string, message: string): void;
}

/** ticket answers that no retry will change */
const FINAL_TICKET_STATUSES: ReadonlySet<number> = new Set([403, 404, 410]);

const wsOrigin = () => `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`;

export class ProgramPlayer implements RoomPlayer {
  readonly path = 'worklet';
  readonly state = new Store<PlayerState>({ kind: 'idle' });
  readonly roomId: string;
  /** the worklet's latest report, for tests and diagnostics */
  lastReport: PlayoutReport | null = null;

  #node: AudioWorkletNode | null = null;
  #decoder: OpusFrameDecoder | null = null;
  #conn: ListenerConnection | null = null;
  #connState: ListenerConnectionState | 'idle' = 'idle';
  #stream: StreamState | null = null;
  #wait: TicketWait | null = null;
  #volume = 1;
  #closed = false;
  #snapshots = new Map<number, (s: Float32Array) => void>();
  #nextSnapshot = 1;
  readonly #abort = { aborted: false };
  /** direct joins: tried, and whether one ever got an answer (a place in line or the stream) */
  #directTried = false;
  #directAnswered = false;
  #unsubscribe: (() => void) | null = null;

  readonly #onReport: ((r: PlayoutReport) => void) | undefined;
  readonly #link: RoomLink | null;

  constructor(roomId: string, onReport?: (r: PlayoutReport) => void, link: RoomLink | null = null) {
    this.roomId = roomId;
    this.#onReport = onReport;
    this.#link = link;
  }

  /** the playout worklet's node, once started */
  get outputNode(): AudioNode | null {
    return this.#node;
  }

  /** loads the worklet, connects, and tries to start sound (it stays 'blocked' until a tap if refused) */
  async start(): Promise<void> {
    const ctx = sharedAudioContext();
    this.#unsubscribe = audioUnlock.subscribe(() => this.#derive());
    this.#derive();
    await loadWorklet(ctx);
    if (this.#closed) return;
    const node = new AudioWorkletNode(ctx, PLAYOUT_PROCESSOR, { numberOfInputs: 0, numberOfOutputs: 1, outputChannelCount: [1] });
    node.port.onmessage = (e: MessageEvent<FromPlayout>) => this.#fromWorklet(e.data);
    node.connect(ctx.destination);
    this.#node = node;
    this.#post({ type: 'volume', value: this.#volume });
    this.#decoder = new OpusFrameDecoder((f) => this.#post({ type: 'frame', seq: f.seq, captureTimeMs: f.captureTimeMs, samples: f.samples }, [f.samples.buffer]));
    const conn = new ListenerConnection({
      endpoint: `${wsOrigin()}${LISTENER_PATH}`,
      token: async ({ avoid }) => {
        const direct = this.#directUrl();
        // a direct join names one node: once its socket is lost there, a ticket may name another edge
        if (direct !== null && (avoid === null || new URL(direct).origin !== avoid)) return { direct };
        try {
          const a = await fetchListenAdmission(
            this.roomId,
            avoid,
            (w) => {
              this.#wait = w;
              if (w !== null) this.#link?.onWaiting();
              this.#derive();
            },
            this.#abort,
          );
          return { token: a.token, endpoint: a.endpoint };
        } catch (err) {
          if (err instanceof ApiError && err.status !== null && FINAL_TICKET_STATUSES.has(err.status)) this.#link?.onRefused(err.code, err.message);
          throw err;
        }
      },
      createSocket: browserSocketFactory,
      policy: new DefaultReconnectPolicy({ baseMs: 250, maxMs: 5000 }),
      onFrames: (frames) => {
        this.#post({ type: 'batch', ms: frames.length * FRAME_DURATION_MS });
        this.#decoder?.decode(frames);
      },
      onState: (s, cause) => {
        this.#connState = s;
        if (s === 'reconnecting' || s === 'connecting') this.#stream = null;
        if (cause && cause.by !== 'user') console.warn(`room audio stopped (${cause.by}, code ${cause.code})`);
        if (s === 'reconnecting') this.#link?.onLost();
        if (s === 'closed' && cause && cause.by !== 'user') this.#link?.onClosed(cause.code, cause.reason, cause.by === 'policy');
        this.#derive();
      },
      onRoom: (json) => this.#link?.onRoom(json),
      onStreamState: (s) => {
        this.#directAnswered = true;
        this.#stream = s;
        this.#derive();
      },
      onLine: (place) => {
        this.#directAnswered = true;
        this.#wait = place;
        if (place !== null) this.#link?.onWaiting();
        this.#derive();
      },
      onError: (e) => console.warn('room audio:', e.code, e.message),
    });
    this.#conn = conn;
    conn.start();
    await resumeAudio();
  }

  /**
   * signed out, the listener port lets us in (or in line) in one round trip; if a direct join never got
   * an answer (a proxy that does not pass it, say), tickets from the API it is, for the rest of the visit
   */
  #directUrl(): string | null {
    if (session.get().status !== 'signedOut') return null;
    if (this.#directTried && !this.#directAnswered) return null;
    const url = directListenUrl(this.roomId);
    if (url !== null) this.#directTried = true;
    return url;
  }

  async play(): Promise<void> {
    await resumeAudio();
    this.#derive();
  }

  setVolume(v: number): void {
    this.#volume = v;
    this.#post({ type: 'volume', value: v });
  }

  jumpToLive(): void {
    this.#post({ type: 'jumpToLive' });
  }

  /** the last `ms` of what the worklet played (tests measure the page's actual output with it) */
  snapshot(ms: number): Promise<Float32Array> {
    const id = this.#nextSnapshot++;
    return new Promise((resolve) => {
      this.#snapshots.set(id, resolve);
      if (!this.#post({ type: 'snapshot', id, ms })) {
        this.#snapshots.delete(id);
        resolve(new Float32Array(0));
      }
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#abort.aborted = true;
    this.#unsubscribe?.();
    this.#conn?.close();
    this.#decoder?.close();
    const node = this.#node;
    this.#node = null;
    if (node) {
      node.port.onmessage = null;
      node.disconnect();
      node.port.close();
    }
    for (const resolve of this.#snapshots.values()) resolve(new Float32Array(0));
    this.#snapshots.clear();
    this.state.set({ kind: 'stopped' });
  }

  #post(m: ToPlayout, transfer: Transferable[] = []): boolean {
    if (!this.#node) return false;
    this.#node.port.postMessage(m, transfer);
    return true;
  }

  #fromWorklet(m: FromPlayout): void {
    if (m.type === 'snapshot') {
      this.#snapshots.get(m.id)?.(m.samples);
      this.#snapshots.delete(m.id);
      return;
    }
    this.lastReport = m.report;
    this.#onReport?.(m.report);
    this.#derive();
  }

  #derive(): void {
    if (this.#closed) return;
    this.state.set(this.#compute());
  }

  /** the same object while nothing visible changed, so the panel does not re-render ten times a second */
  #compute(): PlayerState {
    const prev = this.state.get();
    if (this.#connState === 'closed') return prev.kind === 'stopped' ? prev : { kind: 'stopped' };
    if (audioUnlock.get() === 'locked') return prev.kind === 'blocked' ? prev : { kind: 'blocked' };
    if (this.#wait) {
      const w = this.#wait;
      return prev.kind === 'queued' && prev.position === w.position && prev.etaSeconds === w.etaSeconds ? prev : { kind: 'queued', position: w.position, etaSeconds: w.etaSeconds };
    }
    if (this.#connState === 'reconnecting') return prev.kind === 'reconnecting' ? prev : { kind: 'reconnecting' };
    if (this.#connState !== 'live' || this.#stream === null) return prev.kind === 'connecting' ? prev : { kind: 'connecting' };
    if (this.#stream === 'waiting') return prev.kind === 'waiting' ? prev : { kind: 'waiting' };
    const r = this.lastReport;
    // behind live = what the player holds beyond the newest frame it got; the server's capture stamps
    // are not compared with this page's clock (the two may run apart, and a test server's clock is stepped)
    const behind = r?.bufferedMs ?? 0;
    const next = { kind: 'playing', behindMs: Math.round(behind / 100) * 100, bufferedMs: Math.round((r?.bufferedMs ?? 0) / 20) * 20, underruns: r?.underruns ?? 0 } as const;
    if (prev.kind === 'playing' && prev.behindMs === next.behindMs && prev.bufferedMs === next.bufferedMs && prev.underruns === next.underruns) return prev;
    return next;
  }
}
