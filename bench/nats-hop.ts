/**
 * @module bench/nats-hop — what the NATS hop costs a frame: the bench subscribes to a room's program
 * subject on the cluster's nats-server as an edge does (one subscription, the same binary frames), and
 * records for each frame its arrival here minus the capture time the origin stamped on it (one
 * machine, one clock). That is origin capture → NATS server → an edge's NATS client, before any edge
 * batching or socket write. Read-only: it never publishes, and reconnects by itself as the nodes do.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { connectNats } from '../src/bus/nats-connection.ts';
import { decodeRelayFrame } from '../src/bus/relay-frame.ts';
import { programSubject } from '../src/bus/subjects.ts';
import { Histogram, type DelaySummary } from './histogram.ts';
import { wallNow } from './listener-pool.ts';

export interface HopWindow {
  /** capture → arrival at the subscriber, ms */
  readonly delay: DelaySummary;
  readonly frames: number;
  /** frames the subject skipped (seq gaps) */
  readonly lost: number;
}

export class NatsHopProbe {
  readonly #nc: NatsConnection;
  readonly #hist = new Histogram(0.1, 30_000);
  #frames = 0;
  #lost = 0;
  #lastSeq = -1;

  private constructor(nc: NatsConnection, roomId: string) {
    this.#nc = nc;
    nc.subscribe(programSubject(roomId), {
      callback: (err, m) => {
        if (err) return;
        const at = wallNow();
        const relayed = decodeRelayFrame(m.data);
        if (relayed === null) return;
        const { seq, captureTimeMs } = relayed.frame;
        this.#hist.record(at - captureTimeMs);
        this.#frames++;
        if (this.#lastSeq >= 0 && seq > this.#lastSeq + 1) this.#lost += seq - this.#lastSeq - 1;
        if (seq > this.#lastSeq) this.#lastSeq = seq;
      },
    });
  }

  static async open(natsUrl: string, roomId: string): Promise<NatsHopProbe> {
    const nc = await connectNats(natsUrl, 'amphi-bench-hop');
    const probe = new NatsHopProbe(nc, roomId);
    await nc.flush();
    return probe;
  }

  /** starts a window: what `window()` reports counts from here */
  reset(): void {
    this.#hist.reset();
    this.#frames = this.#lost = 0;
  }

  window(): HopWindow {
    return { delay: this.#hist.summary(), frames: this.#frames, lost: this.#lost };
  }

  async close(): Promise<void> {
    await this.#nc.close();
  }
}
