/**
 * @module media — the media plane's public surface for control/ and delivery/: the per-room Stage
 * (peers, gates, SFU forwarding), the Mixer and its ProgramFrame, the Ogg/Opus muxer for live.ogg, and
 * the peer configuration. It knows frames, packets and member ids; never rooms, accounts or the store.
 */
export { MediaError, type MediaErrorReason } from './errors.ts';
export { Stage, CLOSED_GATE, type Gate, type SlotAssignment, type StageEvents, type StageOptions, type StageStats } from './stage.ts';
export { StagePeer, type PeerState, type IceCandidateInit, type SlotInfo, type AcceptOfferOptions } from './stage-peer.ts';
export { LOOPBACK_PEER_CONFIG, peerConfigForAddress, type StagePeerConfig } from './peer-config.ts';
export { Mixer, type MixerOptions, type MixerStats } from './mixer.ts';
export type { ProgramFrame } from './program-frame.ts';
export { DriftFreeTicker, ManualTicker, type Ticker, type Clock } from './ticker.ts';
export { OggOpusMuxer, type OggOpusOptions } from './ogg-opus.ts';
export { OpusFrameDecoder, OpusFrameEncoder, FRAME_MS, FRAME_SAMPLES, SAMPLE_RATE } from './opus-codec.ts';
export { JitterBuffer, type JitterBufferOptions } from './jitter-buffer.ts';
