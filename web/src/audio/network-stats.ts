/**
 * @module network-stats — what a stage member's browser can tell about its link to the stage, read
 * from one `getStats()` report: direct or relayed (the selected candidate pair's local candidate; a
 * relay's protocol says whether even UDP to the relay was blocked), round-trip time (the pair's STUN
 * consent checks, else the server's receiver reports), loss and jitter of the microphone's audio as
 * the server received it (its RTCP receiver reports: what the audience would hear). Loss is counted
 * over the window since the previous reading. Reads numbers; never judges them (domain's assessNetwork
 * does) and never touches the connection.
 */
import type { AudioPath, NetworkSample } from '../../../src/protocol/stage-network.ts';

export type RelayProtocol = 'udp' | 'tcp' | 'tls';

export interface NetworkReading extends NetworkSample {
  /** null until a candidate pair is selected */
  readonly path: AudioPath | null;
  readonly relayProtocol: RelayProtocol | null;
}

/** cumulative counters kept between readings, to count loss over the window rather than since the start */
export interface LossCounters {
  readonly packetsSent: number;
  readonly packetsLost: number;
}

type Stat = Record<string, unknown> & { readonly type: string; readonly id: string };

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const ms = (seconds: number | null): number | null => (seconds === null ? null : Math.round(seconds * 1000));

/** reads one report; `prev` is what the last reading returned as `counters` */
export function readNetwork(stats: Iterable<Stat>, prev: LossCounters | null): { reading: NetworkReading; counters: LossCounters | null } {
  const byId = new Map<string, Stat>();
  for (const s of stats) byId.set(s.id, s);
  const all = [...byId.values()];
  const transport = all.find((s) => s.type === 'transport');
  const pairId = str(transport?.['selectedCandidatePairId']);
  // Chromium names the selected pair on the transport; others mark it nominated and succeeded
  const pair = (pairId !== null ? byId.get(pairId) : undefined) ?? all.find((s) => s.type === 'candidate-pair' && s['nominated'] === true && s['state'] === 'succeeded');
  const local = pair ? byId.get(str(pair['localCandidateId']) ?? '') : undefined;
  const relayed = local !== undefined && local['candidateType'] === 'relay';
  const relayProtocolRaw = relayed ? str(local['relayProtocol']) : null;
  const relayProtocol = relayProtocolRaw === 'udp' || relayProtocolRaw === 'tcp' || relayProtocolRaw === 'tls' ? relayProtocolRaw : null;

  const remoteIn = all.find((s) => s.type === 'remote-inbound-rtp' && s['kind'] === 'audio');
  const outbound = all.find((s) => s.type === 'outbound-rtp' && s['kind'] === 'audio');
  const rttMs = ms(num(pair?.['currentRoundTripTime']) ?? num(remoteIn?.['roundTripTime']));
  const jitterMs = ms(num(remoteIn?.['jitter']));
  const sent = num(outbound?.['packetsSent']);
  const lost = num(remoteIn?.['packetsLost']);
  const counters = sent !== null && lost !== null ? { packetsSent: sent, packetsLost: lost } : null;
  let lossPct: number | null = null;
  if (counters !== null && prev !== null && counters.packetsSent > prev.packetsSent) {
    const dLost = Math.max(0, counters.packetsLost - prev.packetsLost);
    lossPct = Math.min(100, (100 * dLost) / (counters.packetsSent - prev.packetsSent));
  } else {
    const fraction = num(remoteIn?.['fractionLost']);
    lossPct = fraction === null ? null : Math.min(100, fraction * 100);
  }
  return {
    reading: { path: local === undefined ? null : relayed ? 'relayed' : 'direct', relayProtocol, rttMs, lossPct: lossPct === null ? null : Math.round(lossPct * 10) / 10, jitterMs },
    counters,
  };
}
