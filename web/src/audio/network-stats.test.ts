import { describe, expect, it } from 'vitest';
import { readNetwork } from './network-stats.ts';

/** the shape of a Chromium getStats() report for a stage link, trimmed to what is read */
function report(o: { type: 'relay' | 'host' | 'srflx'; relayProtocol?: string; rtt?: number; sent: number; lost: number; jitter: number; fraction?: number }) {
  return [
    { id: 'T1', type: 'transport', selectedCandidatePairId: 'CP1' },
    { id: 'CP1', type: 'candidate-pair', localCandidateId: 'L1', remoteCandidateId: 'R1', state: 'succeeded', nominated: true, ...(o.rtt !== undefined && { currentRoundTripTime: o.rtt }) },
    { id: 'CP2', type: 'candidate-pair', localCandidateId: 'L2', state: 'failed', nominated: false },
    { id: 'L1', type: 'local-candidate', candidateType: o.type, ...(o.relayProtocol && { relayProtocol: o.relayProtocol }) },
    { id: 'L2', type: 'local-candidate', candidateType: 'host' },
    { id: 'OA', type: 'outbound-rtp', kind: 'audio', packetsSent: o.sent },
    { id: 'RIA', type: 'remote-inbound-rtp', kind: 'audio', packetsLost: o.lost, jitter: o.jitter, roundTripTime: 0.3, fractionLost: o.fraction ?? 0 },
  ];
}

describe('readNetwork', () => {
  it('reads a relayed path over TCP with the pair’s round trip and the server’s jitter', () => {
    const { reading } = readNetwork(report({ type: 'relay', relayProtocol: 'tcp', rtt: 0.084, sent: 500, lost: 0, jitter: 0.012 }), null);
    expect(reading).toEqual({ path: 'relayed', relayProtocol: 'tcp', rttMs: 84, lossPct: 0, jitterMs: 12 });
  });

  it('counts loss over the window since the previous reading, not since the call began', () => {
    const first = readNetwork(report({ type: 'host', rtt: 0.02, sent: 1000, lost: 100, jitter: 0.002 }), null);
    const second = readNetwork(report({ type: 'host', rtt: 0.02, sent: 1100, lost: 108, jitter: 0.002 }), first.counters);
    expect(second.reading).toMatchObject({ path: 'direct', relayProtocol: null, lossPct: 8 });
  });

  it('falls back to the receiver report’s round trip, and says nothing of the path before a pair is chosen', () => {
    const stats = report({ type: 'host', sent: 10, lost: 0, jitter: 0.001, fraction: 0.25 }).filter((s) => s.type !== 'transport' && s.id !== 'CP1');
    expect(readNetwork(stats, null).reading).toEqual({ path: null, relayProtocol: null, rttMs: 300, lossPct: 25, jitterMs: 1 });
  });
});
