/**
 * @module stage-network — the words of a stage member's network on the room socket: the report their
 * browser sends every few seconds (`rtcQuality`), the ICE servers it is handed for the stage
 * (`rtcConfig`), and the per-member view hosts and co-hosts get (`stageNetwork`). The verdict rule is
 * domain's, re-exported so the client judges with the server's own thresholds. Schemas and types only;
 * never measures and never decides.
 */
import { z } from 'zod';
import { AUDIO_PATHS, LINK_STATES } from '../domain/network-quality.ts';

export {
  assessNetwork,
  AUDIO_PATHS,
  LINK_STATES,
  NETWORK_LEVELS,
  NETWORK_LIMITS,
  type AudioPath,
  type LinkState,
  type NetworkLevel,
  type NetworkProblem,
  type NetworkSample,
  type NetworkVerdict,
} from '../domain/network-quality.ts';

export const RELAY_PROTOCOLS = ['udp', 'tcp', 'tls'] as const;

/** a figure a browser measured: finite, not negative, bounded so a bad client cannot send nonsense on */
const figure = (max: number) => z.number().finite().min(0).max(max).nullable();

/** what a stage member's browser measured over the last few seconds (rtcQuality) */
export const NetworkReport = z
  .object({
    link: z.enum(LINK_STATES),
    path: z.enum(AUDIO_PATHS).nullable(),
    /** how the browser reaches the relay, when relayed (tcp/tls: the network blocks UDP altogether) */
    relayProtocol: z.enum(RELAY_PROTOCOLS).nullable(),
    rttMs: figure(60_000),
    lossPct: figure(100),
    jitterMs: figure(60_000),
  })
  .strict();
export type NetworkReport = z.infer<typeof NetworkReport>;

/** one ICE server as RTCPeerConnection takes it */
export interface IceServerView {
  readonly urls: readonly string[];
  readonly username?: string;
  readonly credential?: string;
}

/** a stage member's network as hosts and co-hosts see it; level and problem are the server's verdict on the figures */
export interface StageNetworkView extends NetworkReport {
  readonly userId: string;
  readonly level: 'good' | 'fair' | 'poor' | null;
  readonly problem: 'loss' | 'delay' | 'jitter' | null;
}
