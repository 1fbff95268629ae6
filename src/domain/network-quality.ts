/**
 * @module network-quality — what a stage member's audio path is worth, from the numbers their browser
 * measures (round-trip time, loss, jitter): good, fair or poor, and which of the three is at fault, so
 * the member's backstage check and the hosts' indicators say the same thing from one rule. Pure: the
 * numbers come in, a verdict goes out; it never measures, never reads a clock and never words the
 * advice (the client says it in plain language).
 */

/** how a member's WebRTC link to the stage stands, as their browser sees it (and the server, once their socket drops) */
export const LINK_STATES = ['connecting', 'connected', 'reconnecting', 'unreachable'] as const;
export type LinkState = (typeof LINK_STATES)[number];

/** direct: UDP straight to the server; relayed: through a TURN server (a network that blocks UDP) */
export const AUDIO_PATHS = ['direct', 'relayed'] as const;
export type AudioPath = (typeof AUDIO_PATHS)[number];

export const NETWORK_LEVELS = ['good', 'fair', 'poor'] as const;
export type NetworkLevel = (typeof NETWORK_LEVELS)[number];

export type NetworkProblem = 'loss' | 'delay' | 'jitter';

/** the last few seconds of a link, as measured; null where the browser has no figure yet */
export interface NetworkSample {
  readonly rttMs: number | null;
  readonly lossPct: number | null;
  readonly jitterMs: number | null;
}

export interface NetworkVerdict {
  readonly level: NetworkLevel;
  /** the worst of the three, the one the advice is about; null when all are good */
  readonly problem: NetworkProblem | null;
}

/**
 * Where good ends and poor begins. Delay: the stage promises < 300 ms between speakers, and a voice
 * crosses two links (speaker → server → speaker), so 200 ms of round trip on one link is already half
 * of it. Loss: Opus hides a percent or two; from 5% words go missing. Jitter: the receiver's buffer
 * grows to cover it, adding its size to the delay.
 */
export const NETWORK_LIMITS = {
  fair: { rttMs: 200, lossPct: 2, jitterMs: 30 },
  poor: { rttMs: 400, lossPct: 5, jitterMs: 60 },
} as const;

const ORDER: readonly NetworkProblem[] = ['loss', 'delay', 'jitter'];

function levelOf(value: number | null, fair: number, poor: number): NetworkLevel {
  if (value === null || !Number.isFinite(value) || value < fair) return 'good';
  return value < poor ? 'fair' : 'poor';
}

const RANK: Record<NetworkLevel, number> = { good: 0, fair: 1, poor: 2 };

/** the verdict on one sample: the worst of its three figures; on a tie, loss before delay before jitter (what a listener notices first) */
export function assessNetwork(s: NetworkSample): NetworkVerdict {
  const { fair, poor } = NETWORK_LIMITS;
  const levels: Record<NetworkProblem, NetworkLevel> = {
    loss: levelOf(s.lossPct, fair.lossPct, poor.lossPct),
    delay: levelOf(s.rttMs, fair.rttMs, poor.rttMs),
    jitter: levelOf(s.jitterMs, fair.jitterMs, poor.jitterMs),
  };
  let worst: NetworkProblem | null = null;
  for (const p of ORDER) if (levels[p] !== 'good' && (worst === null || RANK[levels[p]] > RANK[levels[worst]])) worst = p;
  return { level: worst === null ? 'good' : levels[worst], problem: worst };
}
