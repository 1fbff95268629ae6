import { afterEach, describe, it, expect } from 'vitest';
import { createRequire } from 'node:module';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { peerConfigForAddress } from './peer-config.ts';
import { MediaError } from './errors.ts';
import { StagePeer, type IceCandidateInit, type InboundRtp, type PeerState } from './stage-peer.ts';
import { opusPacketSamples } from './opus-packet.ts';

type Wrtc = typeof import('@roamhq/wrtc');
const wrtc = createRequire(import.meta.url)('@roamhq/wrtc') as Wrtc;

const closers: (() => void)[] = [];
afterEach(() => {
  for (const c of closers.splice(0)) c();
});

/** A wrtc client sending a 10 ms-fed sine and offering `slots` receive-only m-sections. */
function client(slots: number) {
  const pc = new wrtc.RTCPeerConnection();
  const source = new wrtc.nonstandard.RTCAudioSource();
  const track = source.createTrack();
  pc.addTransceiver(track, { direction: 'sendonly' });
  for (let i = 0; i < slots; i++) pc.addTransceiver('audio', { direction: 'recvonly' });
  let n = 0;
  const timer = setInterval(() => {
    const samples = new Int16Array(480);
    for (let i = 0; i < 480; i++) samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * n++) / 48_000));
    source.onData({ samples, sampleRate: 48_000, bitsPerSample: 16, channelCount: 1, numberOfFrames: 480 });
  }, 10);
  timer.unref();
  closers.push(() => {
    clearInterval(timer);
    track.stop();
    pc.close();
  });
  return pc;
}

async function until(ok: () => boolean, timeoutMs = 8000): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!ok()) {
    if (performance.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** local addresses (hex as in /proc/net/udp) of the UDP sockets this process holds open, by inode */
function udpSockets(): Map<string, string> {
  const inodes = new Set<string>();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`));
      if (m?.[1]) inodes.add(m[1]);
    } catch {
      // the fd closed between listing and reading: not ours to count
    }
  }
  const out = new Map<string, string>();
  for (const line of readFileSync('/proc/net/udp', 'utf8').split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    const [local, inode] = [cols[1], cols[9]];
    if (local && inode && inodes.has(inode)) out.set(inode, local);
  }
  return out;
}

/** 127.0.0.1 as /proc/net/udp writes it (little-endian hex), with any port */
const LOOPBACK_HEX = /^0100007F:/;

function peer(onRtp: (p: InboundRtp) => void = () => undefined, extra: { onIceCandidate?: (c: IceCandidateInit | null) => void; states?: PeerState[] } = {}) {
  const p = new StagePeer({ onRtp, onState: (s) => extra.states?.push(s), ...(extra.onIceCandidate ? { onIceCandidate: extra.onIceCandidate } : {}) });
  closers.push(() => p.close());
  return p;
}

describe('StagePeer', () => {
  it('answers an offer, reports the receive-only m-sections as slots and receives the member’s Opus RTP', async () => {
    const packets: InboundRtp[] = [];
    const states: PeerState[] = [];
    const p = peer((pkt) => packets.push(pkt), { states });
    const pc = client(2);
    await pc.setLocalDescription(await pc.createOffer());
    await until(() => pc.iceGatheringState === 'complete');
    const answer = await p.acceptOffer(pc.localDescription!.sdp);
    expect(answer).toMatch(/a=candidate:.* 127\.0\.0\.1 /);
    expect(p.slots.map((s) => s.mid)).toEqual(pc.getTransceivers().filter((t) => t.direction === 'recvonly').map((t) => t.mid));
    await pc.setRemoteDescription({ type: 'answer', sdp: answer });
    await until(() => packets.length >= 10);
    expect(states).toContain('connected');
    expect(p.state).toBe('connected');
    expect(packets.every((x) => opusPacketSamples(x.payload) === 960)).toBe(true);
    const seqs = packets.slice(0, 10).map((x) => x.sequenceNumber);
    expect(new Set(seqs).size).toBe(10);
  });

  it('supports trickle ICE: answers at once and delivers candidates through the handler', async () => {
    const candidates: (IceCandidateInit | null)[] = [];
    const packets: InboundRtp[] = [];
    const p = peer((pkt) => packets.push(pkt), { onIceCandidate: (c) => candidates.push(c) });
    const pc = client(0);
    const fromClient: RTCIceCandidate[] = [];
    pc.onicecandidate = (e) => {
      if (e.candidate) fromClient.push(e.candidate);
    };
    await pc.setLocalDescription(await pc.createOffer());
    const answer = await p.acceptOffer(pc.localDescription!.sdp, { waitForIceGathering: false });
    await pc.setRemoteDescription({ type: 'answer', sdp: answer });
    await until(() => candidates.some((c) => c?.candidate.includes('127.0.0.1')) && pc.iceGatheringState === 'complete');
    for (const c of candidates) if (c && c.candidate) await pc.addIceCandidate({ candidate: c.candidate, sdpMid: c.sdpMid ?? null, sdpMLineIndex: c.sdpMLineIndex ?? null });
    for (const c of fromClient) await p.addIceCandidate({ candidate: c.candidate, sdpMid: c.sdpMid, sdpMLineIndex: c.sdpMLineIndex });
    await until(() => packets.length >= 5);
    expect(packets.length).toBeGreaterThanOrEqual(5);
  });

  it('keeps media on 127.0.0.1 by default: the answer advertises only it and the UDP sockets are bound to it', async () => {
    const pc = client(1);
    await pc.setLocalDescription(await pc.createOffer());
    await until(() => pc.iceGatheringState === 'complete');
    const before = udpSockets();
    const answer = await peer().acceptOffer(pc.localDescription!.sdp);
    const candidates = answer.split(/\r?\n/).filter((l) => l.startsWith('a=candidate:'));
    expect(candidates.length).toBeGreaterThan(0);
    for (const c of candidates) expect(c.split(' ')[4]).toBe('127.0.0.1');
    const opened = [...udpSockets()].filter(([inode]) => !before.has(inode)).map(([, local]) => local);
    expect(opened.length).toBeGreaterThan(0);
    for (const local of opened) expect(local).toMatch(LOOPBACK_HEX);
  });

  it('binds to AMPHI_RTC_IP when it is one of this machine’s addresses, and only advertises it behind NAT', () => {
    const mine = Object.values(networkInterfaces()).flatMap((l) => (l ?? []).map((a) => a.address));
    expect(peerConfigForAddress('192.0.2.2', ['127.0.0.1', '192.0.2.2'])).toMatchObject({ bindAddress: '192.0.2.2', additionalHostAddresses: ['192.0.2.2'], onlyAdditionalHostAddresses: true });
    const nat = peerConfigForAddress('203.0.113.7', mine.filter((a) => a !== '203.0.113.7'));
    expect(nat).toMatchObject({ additionalHostAddresses: ['203.0.113.7'], onlyAdditionalHostAddresses: true });
    expect(nat.bindAddress).toBeUndefined();
  });

  it('binds only ports of AMPHI_RTC_PORTS, gives peers offering at once distinct ports, and says so when the range is full', async () => {
    // a range nobody else on this machine uses, found free just now
    const lo = 47_000 + Math.floor(Math.random() * 2000);
    const range: [number, number] = [lo, lo + 1];
    const config = { ...peerConfigForAddress('127.0.0.1', [], range) };
    expect(config.icePortRange).toEqual(range);
    const offers = await Promise.all(
      [1, 2, 3].map(async () => {
        const pc = client(0);
        await pc.setLocalDescription(await pc.createOffer());
        await until(() => pc.iceGatheringState === 'complete');
        return pc.localDescription!.sdp;
      }),
    );
    const peers = offers.map(() => {
      const p = new StagePeer({ onRtp: () => undefined }, config);
      closers.push(() => p.close());
      return p;
    });
    const answers = await Promise.allSettled(peers.map((p, i) => p.acceptOffer(offers[i] ?? '')));
    const ports = answers.flatMap((a) => (a.status === 'fulfilled' ? [Number(/^a=candidate:\S+ \d+ udp \d+ \S+ (\d+)/m.exec(a.value)?.[1])] : []));
    expect(ports.sort()).toEqual([lo, lo + 1]);
    const refused = answers.find((a) => a.status === 'rejected');
    expect(refused?.status === 'rejected' && refused.reason).toMatchObject({ reason: 'no-port' });
  });

  it('rejects SDP it cannot parse and a second offer with bad-offer errors', async () => {
    const p = peer();
    await expect(p.acceptOffer('this is not sdp')).rejects.toMatchObject({ reason: 'bad-offer' });
    const q = peer();
    const pc = client(1);
    await pc.setLocalDescription(await pc.createOffer());
    await q.acceptOffer(pc.localDescription!.sdp, { waitForIceGathering: false });
    await expect(q.acceptOffer(pc.localDescription!.sdp)).rejects.toBeInstanceOf(MediaError);
  });

  it('closes idempotently, reports "closed" once and refuses offers afterwards', async () => {
    const states: PeerState[] = [];
    const p = peer(() => undefined, { states });
    p.close();
    p.close();
    expect(states).toEqual(['closed']);
    expect(p.closed).toBe(true);
    p.sendToSlot(0, { sequenceNumber: 1, timestamp: 1, marker: false, payload: new Uint8Array([0xf8]) }); // no-op, no throw
    await expect(p.acceptOffer('v=0')).rejects.toMatchObject({ reason: 'closed' });
  });
});
