/**
 * @module room-media — the media plane of each open room on this node: one Mixer and one Stage per
 * room (created when the room opens, closed when it ends), and the room's program stream in the
 * listener hub and the Ogg broadcast. After every change of a room's state it re-applies the domain's
 * verdict to each stage member (`isAudible`: the server-enforced mute) and drops members who left the
 * stage, synchronously, so the very next packet meets the new rule. Program frames reach listeners only
 * while the room is live; backstage the mixer runs only while someone publishes (level meters), so an
 * idle room costs no CPU. Seqs count 20 ms frames since the room was created, so they keep rising
 * across a server restart and a listener's resume still works. Signaling
 * (offer/answer, ICE, which receive slot carries whom) goes to the member through `sendTo`.
 */
import type { RoomId, UserId } from '../domain/ids.ts';
import { isAudible, stageMember } from '../domain/room-queries.ts';
import type { RoomState } from '../domain/room-state.ts';
import { CLOSE_CODES } from '../protocol/close-codes.ts';
import type { ServerMessage } from '../protocol/api-views.ts';
import type { BusMessage } from '../bus/types.ts';
import { Mixer, Stage, type IceCandidateInit, type StagePeerConfig } from '../media/index.ts';
import type { StreamHub } from '../delivery/stream-hub.ts';
import { asStreamId, type StreamId } from '../delivery/stream-id.ts';
import type { OggBroadcast } from '../delivery/ogg-broadcast.ts';
import { AmphiError } from './errors.ts';

/** RMS above which a member counts as speaking for the "who is speaking" rings (about -36 dBFS) */
const SPEAKING_RMS = 0.016;

export interface RoomMediaDeps {
  readonly streams: StreamHub;
  readonly ogg: OggBroadcast;
  readonly peer: StagePeerConfig;
  readonly bitrate: number;
  readonly sendTo: (roomId: RoomId, userId: UserId, msg: ServerMessage) => void;
  readonly onError: (err: unknown, roomId: RoomId) => void;
}

interface MediaRoom {
  readonly mixer: Mixer<UserId>;
  readonly stage: Stage<UserId>;
  readonly stream: StreamId;
  state: RoomState;
  speaking: readonly UserId[];
  /** per member, the number of their latest offer: an older offer that fails must not undo a newer one */
  readonly offers: Map<UserId, number>;
}

/** 20 ms frames since the room was created: seqs stay above anything listeners heard before a restart */
const seqAt = (now: number, createdAt: number): number => Math.max(0, Math.floor((now - createdAt) / 20)) >>> 0;

export class RoomMedia {
  readonly #d: RoomMediaDeps;
  readonly #rooms = new Map<RoomId, MediaRoom>();

  constructor(deps: RoomMediaDeps) {
    this.#d = deps;
  }

  onBus(msg: BusMessage): void {
    const room = this.#rooms.get(msg.roomId);
    // a scheduled room has no stage yet: its mixer starts when the host starts it
    if (msg.state.status === 'scheduled') return;
    if (msg.state.status === 'ended') {
      if (room) this.#close(msg.roomId, room);
      return;
    }
    const r = room ?? this.#open(msg.state);
    r.state = msg.state;
    this.#applyState(r);
  }

  /** a stage member publishes their microphone: answers their offer */
  async publish(roomId: RoomId, userId: UserId, sdp: string): Promise<string> {
    const room = this.#rooms.get(roomId);
    if (!room || !stageMember(room.state, userId)) {
      throw new AmphiError('not_on_stage', 'Only people on the stage can send audio. Ask to speak first.');
    }
    // a reconnecting speaker offers again: their old peer goes, role and mute state stay (they live in the room)
    const generation = (room.offers.get(userId) ?? 0) + 1;
    room.offers.set(userId, generation);
    room.stage.removeMember(userId);
    room.stage.addMember(userId, isAudible(room.state, userId));
    this.#runMixerIfNeeded(room);
    try {
      return await room.stage.acceptOffer(userId, sdp, { waitForIceGathering: true });
    } catch (err) {
      if (room.offers.get(userId) === generation) {
        room.stage.removeMember(userId);
        this.#runMixerIfNeeded(room);
      }
      throw new AmphiError('bad_request', `Could not use this offer: ${err instanceof Error ? err.message : 'invalid SDP'}`);
    }
  }

  async candidate(roomId: RoomId, userId: UserId, candidate: IceCandidateInit | null): Promise<void> {
    const room = this.#rooms.get(roomId);
    if (!room || !room.stage.has(userId)) throw new AmphiError('not_on_stage', 'Send an offer before ICE candidates.');
    await room.stage.addIceCandidate(userId, candidate);
  }

  unpublish(roomId: RoomId, userId: UserId): void {
    const room = this.#rooms.get(roomId);
    if (!room) return;
    room.stage.removeMember(userId);
    this.#runMixerIfNeeded(room);
  }

  /**
   * who is speaking now, from the decoded audio since the last call; read once per tick per room.
   * Returns the same array object when nothing changed so the caller can compare by reference.
   */
  takeSpeaking(roomId: RoomId): readonly UserId[] {
    const room = this.#rooms.get(roomId);
    if (!room) return [];
    const now: UserId[] = [];
    for (const [id, level] of room.stage.takeLevels()) if (level >= SPEAKING_RMS) now.push(id);
    if (now.length !== room.speaking.length || now.some((id, i) => room.speaking[i] !== id)) room.speaking = now;
    return room.speaking;
  }

  has(roomId: RoomId): boolean {
    return this.#rooms.has(roomId);
  }

  close(): void {
    for (const [id, room] of this.#rooms) this.#close(id, room);
  }

  #open(state: RoomState): MediaRoom {
    const roomId = state.id;
    const stream = asStreamId(roomId);
    const onError = (err: unknown) => this.#d.onError(err, roomId);
    const mixer = new Mixer<UserId>({ bitrate: this.#d.bitrate, onError, firstSeq: seqAt(Date.now(), state.createdAt) });
    const stage = new Stage<UserId>({ mixer, peer: this.#d.peer, onError });
    const room: MediaRoom = { mixer, stage, stream, state, speaking: [], offers: new Map() };
    if (!this.#d.streams.hasStream(stream)) this.#d.streams.openStream(stream);
    this.#d.ogg.open(roomId);
    mixer.onFrame((frame) => {
      if (room.state.status !== 'live') return;
      this.#d.streams.publishFrame(stream, { seq: frame.seq, captureTimeMs: frame.captureTs, opus: frame.opus });
      this.#d.ogg.push(roomId, frame.opus);
    });
    stage.on('slotAssigned', (a) => this.#d.sendTo(roomId, a.receiver, { type: 'rtcSlot', mid: a.mid, userId: a.sender }));
    stage.on('slotReleased', (a) => this.#d.sendTo(roomId, a.receiver, { type: 'rtcSlot', mid: a.mid, userId: null }));
    stage.on('iceCandidate', (id, c) => this.#d.sendTo(roomId, id, { type: 'rtcCandidate', candidate: c }));
    this.#rooms.set(roomId, room);
    return room;
  }

  /**
   * The mixer costs CPU every 20 ms, so it runs only when it has work: while live (listeners' clocks
   * need frames, even silent ones) or while someone on the stage publishes (backstage level meters).
   */
  #runMixerIfNeeded(room: MediaRoom): void {
    const needed = room.state.status === 'live' || room.stage.members().length > 0;
    if (needed) room.mixer.start();
    else room.mixer.stop();
  }

  /** the hot-mic guard: gates follow the rules from the next packet; people off the stage lose their peer */
  #applyState(room: MediaRoom): void {
    for (const id of room.stage.members()) {
      if (stageMember(room.state, id)) room.stage.setGate(id, isAudible(room.state, id));
      else room.stage.removeMember(id);
    }
    this.#runMixerIfNeeded(room);
  }

  #close(roomId: RoomId, room: MediaRoom): void {
    this.#rooms.delete(roomId);
    room.stage.close();
    room.mixer.stop();
    this.#d.streams.closeStream(room.stream, CLOSE_CODES.roomEnded);
    this.#d.ogg.close(roomId);
  }
}
