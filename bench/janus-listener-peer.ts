/**
 * @module bench/janus-listener-peer — what the `janus` generator asks of one listener, whichever kind it
 * is: `wrtc` (bench/janus-peer.ts, a full WebRTC stack that decrypts and decodes nothing it is not asked
 * to but still runs its native threads per peer) or `light` (bench/janus-light-peer.ts, ICE and DTLS
 * done for real, then packets counted from their clear RTP headers). Types only, no behaviour, so the
 * rules (bench/janus-steps.ts) and the protocol read the same samples from either.
 */
import type { JanusApi } from './janus-api.ts';

export const JANUS_PEER_KINDS = ['light', 'wrtc'] as const;
export type JanusPeerKind = (typeof JANUS_PEER_KINDS)[number];
/** light: a wrtc generator filled its core (100-200 peers on two cores) before Janus filled its own */
export const DEFAULT_JANUS_PEER: JanusPeerKind = 'light';

/** Janus drops a session after 60 s without a request; keep well inside that */
const KEEPALIVE_MS = 25_000;

/** what one peer's receiver has counted since it connected (cumulative, as getStats gives them) */
export interface PeerSample {
  /**
   * When the receiver took the counters, ms (epoch based; wrtc's stats' own timestamp): with hundreds
   * of getStats calls in flight, the promise may settle well after that, and expected packets must use
   * this instant.
   */
  readonly at: number;
  readonly packetsReceived: number;
  readonly packetsLost: number;
  /** seconds, RFC 3550 interarrival jitter as the receiver estimates it */
  readonly jitter: number;
  readonly connected: boolean;
}

export interface ListenerPeer {
  readonly session: number;
  readonly connected: boolean;
  /** sends a keepalive when one is due; resolves false if Janus refused it (the session is gone) */
  keepaliveIfDue(now: number): Promise<boolean>;
  sample(): Promise<PeerSample>;
  /** hangs up: closes the media side and destroys the Janus session (best effort) */
  close(): Promise<void>;
}

/** opens one listener of a kind: signalling through `api`, connected (or thrown) by `timeoutMs` */
export type OpenPeer = (api: JanusApi, mountpointId: number, timeoutMs: number) => Promise<ListenerPeer>;

/** a Janus session kept alive for a peer: Janus drops a session after 60 s without a request */
export class SessionKeepalive {
  #last = performance.now();

  constructor(
    private readonly api: { keepalive(session: number): Promise<void> },
    private readonly session: number,
  ) {}

  /** sends a keepalive when one is due; resolves false if Janus refused it (the session is gone) */
  async ifDue(now: number): Promise<boolean> {
    if (now - this.#last < KEEPALIVE_MS) return true;
    this.#last = now;
    try {
      await this.api.keepalive(this.session);
      return true;
    } catch {
      // Counted by the caller: a refused keepalive means Janus dropped this listener.
      return false;
    }
  }
}

