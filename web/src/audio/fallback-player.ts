/**
 * @module fallback-player — plays a room where WebCodecs or AudioWorklet is missing: an <audio> element
 * on the server's Ogg/Opus stream (/rooms/:id/live.ogg). Same RoomPlayer interface; it cannot tell how
 * far behind live it is, so "Jump to live" reloads the stream. A dropped stream is reloaded with the
 * DefaultReconnectPolicy's backoff.
 */
import { DefaultReconnectPolicy } from '../../../src/protocol/listener-client/reconnect-policy.ts';
import { Store } from '../store.ts';
import type { PlayerState } from './player-state.ts';
import type { RoomPlayer } from './room-player.ts';

export class FallbackPlayer implements RoomPlayer {
  readonly path = 'fallback';
  readonly state = new Store<PlayerState>({ kind: 'idle' });
  readonly #el: HTMLAudioElement;
  readonly #src: string;
  readonly #policy = new DefaultReconnectPolicy({ baseMs: 500, maxMs: 10_000 });
  #attempt = 0;
  #lostAt: number | null = null;
  #retry: ReturnType<typeof setTimeout> | null = null;
  #closed = false;

  constructor(roomId: string) {
    this.#src = `/rooms/${encodeURIComponent(roomId)}/live.ogg`;
    const el = new Audio();
    el.preload = 'none';
    el.addEventListener('playing', () => {
      this.#attempt = 0;
      this.#lostAt = null;
      this.state.set({ kind: 'playing', behindMs: 0, bufferedMs: 0, underruns: 0 });
    });
    el.addEventListener('waiting', () => this.state.set({ kind: 'connecting' }));
    el.addEventListener('error', () => this.#lost());
    el.addEventListener('ended', () => this.#lost());
    this.#el = el;
  }

  async start(): Promise<void> {
    this.state.set({ kind: 'connecting' });
    await this.#load();
  }

  async play(): Promise<void> {
    await this.#load();
  }

  setVolume(v: number): void {
    this.#el.volume = Math.min(1, Math.max(0, v));
  }

  jumpToLive(): void {
    void this.#load();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#retry !== null) clearTimeout(this.#retry);
    this.#el.pause();
    this.#el.removeAttribute('src');
    this.#el.load();
    this.state.set({ kind: 'stopped' });
  }

  async #load(): Promise<void> {
    if (this.#closed) return;
    // a fresh request starts at live; the old one would carry on from where it stalled
    this.#el.src = `${this.#src}?t=${Date.now()}`;
    try {
      await this.#el.play();
    } catch (err) {
      if (err instanceof DOMException && err.name === 'NotAllowedError') this.state.set({ kind: 'blocked' });
      else console.warn('the room stream did not start', err);
    }
  }

  #lost(): void {
    if (this.#closed) return;
    this.#lostAt ??= Date.now();
    const delay = this.#policy.nextRetryDelayMs({ attempt: this.#attempt++, elapsedMs: Date.now() - this.#lostAt });
    if (delay === null) {
      this.state.set({ kind: 'stopped' });
      return;
    }
    this.state.set({ kind: 'reconnecting' });
    this.#retry = setTimeout(() => {
      this.#retry = null;
      void this.#load();
    }, delay);
  }
}
