/**
 * @module bench/rejoiner — what a listener's client does when its edge dies, for the load generator:
 * each listener lost from the dead edge's port waits as the web client's reconnect policy says (full
 * jitter, src/protocol/listener-client/reconnect-policy.ts), connects to the surviving edge resuming
 * from its last seq, and tries again on failure until it gives up. It records when each is back (its
 * first frame there, from the kill) and how its numbering went on (gap or repeat at the resume); the
 * pool's own counters see every frame before and after, as one listener. It never touches listeners of
 * other edges and stops for good when disarmed.
 */
import { DefaultReconnectPolicy } from '../src/protocol/listener-client/reconnect-policy.ts';
import { Histogram } from './histogram.ts';
import type { RejoinReport, RejoinSpec } from './loadgen-protocol.ts';
import { PoolListener, wallNow, type ListenerPool } from './listener-pool.ts';

/** an attempt whose socket opened but brought no frame in this long is given up and retried */
const ATTEMPT_TIMEOUT_MS = 10_000;

interface Lost {
  readonly lastSeq: number;
  readonly lastFrameAt: number;
  readonly lostAt: number;
  attempt: number;
}

/** the time by which `share` of `of` were back, from sorted back times; null if fewer came back */
export function timeToShare(sortedMs: readonly number[], of: number, share: number): number | null {
  if (of === 0) return 0;
  const need = Math.ceil(of * share);
  return sortedMs.length >= need ? (sortedMs[need - 1] ?? null) : null;
}

export class Rejoiner {
  readonly #pool: ListenerPool;
  #spec: RejoinSpec | null = null;
  readonly #policy = new DefaultReconnectPolicy();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #backMs: number[] = [];
  readonly #backHist = new Histogram(5, 120_000);
  #onPortAtArm = 0;
  #lost = 0;
  #gaveUp = 0;
  #attempts = 0;
  #failedAttempts = 0;
  #failures: Record<string, number> = {};
  #resumeGapFrames = 0;
  #resumeRepeats = 0;

  constructor(pool: ListenerPool) {
    this.#pool = pool;
  }

  /** from now on, listeners lost from `spec.fromPort` come back on `spec.fallback` */
  arm(spec: RejoinSpec): void {
    this.disarm();
    this.#spec = spec;
    this.#backMs.length = 0;
    this.#backHist.reset();
    this.#lost = this.#gaveUp = this.#attempts = this.#failedAttempts = this.#resumeGapFrames = this.#resumeRepeats = 0;
    this.#failures = {};
    this.#onPortAtArm = 0;
    for (const l of this.#pool.live) if (l.port === spec.fromPort) this.#onPortAtArm++;
    this.#pool.onLost = (l) => {
      if (l.port !== spec.fromPort || this.#spec !== spec) return;
      this.#lost++;
      this.#retry({ lastSeq: l.lastSeq, lastFrameAt: l.lastFrameAt, lostAt: wallNow(), attempt: 0 });
    };
  }

  /** stops: no further attempt starts; listeners already back stay */
  disarm(): void {
    this.#spec = null;
    this.#pool.onLost = null;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }

  report(): RejoinReport {
    const sorted = [...this.#backMs].sort((a, b) => a - b);
    return {
      onPortAtArm: this.#onPortAtArm,
      lost: this.#lost,
      back: sorted.length,
      pending: this.#lost - sorted.length - this.#gaveUp,
      gaveUp: this.#gaveUp,
      attempts: this.#attempts,
      failedAttempts: this.#failedAttempts,
      failures: { ...this.#failures },
      backMs: this.#backHist.summary(),
      back99Ms: timeToShare(sorted, this.#lost, 0.99),
      backAllMs: timeToShare(sorted, this.#lost, 1),
      resumeGapFrames: this.#resumeGapFrames,
      resumeRepeats: this.#resumeRepeats,
    };
  }

  #retry(lost: Lost): void {
    const spec = this.#spec;
    if (spec === null) return;
    const delay = this.#policy.nextRetryDelayMs({ attempt: lost.attempt, elapsedMs: wallNow() - lost.lostAt });
    if (delay === null || wallNow() - lost.lostAt > spec.giveUpMs) {
      this.#gaveUp++;
      return;
    }
    const t = setTimeout(() => {
      this.#timers.delete(t);
      this.#try(lost);
    }, delay);
    this.#timers.add(t);
  }

  #try(lost: Lost): void {
    const spec = this.#spec;
    if (spec === null) return;
    this.#attempts++;
    let back = false;
    const fail = (why: string): void => {
      if (back) return;
      this.#failedAttempts++;
      this.#failures[why] = (this.#failures[why] ?? 0) + 1;
      lost.attempt++;
      this.#retry(lost);
    };
    const resume = lost.lastSeq >= 0 ? `&resume=${lost.lastSeq}` : '';
    const l = new PoolListener(this.#pool, 'base', { ...spec.fallback, path: spec.fallback.path + resume }, {
      firstAudio: (joined) => {
        back = true;
        clearTimeout(timer);
        const ms = joined.firstAudioAt - spec.killedAtWallMs;
        this.#backMs.push(ms);
        this.#backHist.record(Math.max(0, ms));
        // firstAudio runs after the first frame moved lastSeq: a repeat leaves it where it was
        if (joined.lastSeq === lost.lastSeq) this.#resumeRepeats++;
        else if (lost.lastSeq >= 0) this.#resumeGapFrames += joined.lastSeq - lost.lastSeq - 1;
      },
      closed: (_l, code, detail) => {
        clearTimeout(timer);
        fail(code === 0 ? detail : `closed ${code}`);
      },
    });
    // one listener across both sockets: its seq and arrival accounting carry on where the dead one stopped
    l.lastSeq = lost.lastSeq;
    l.lastFrameAt = lost.lastFrameAt;
    const timer = setTimeout(() => {
      if (!back) l.client.destroy();
    }, ATTEMPT_TIMEOUT_MS);
  }
}
