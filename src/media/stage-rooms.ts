/**
 * @module stage-rooms — the program producer run on the calling thread: per room one Stage (peers,
 * gates, SFU) and one Mixer on its own drift-free 20 ms clock. It applies each room's spec at once, so
 * the next packet meets the new gates (the hot-mic guard), runs a mixer only while it has work (live, or
 * someone publishing backstage for level meters), emits frames only while live, and reports levels
 * every `levelsEveryMs` and every dropped tick. `ThreadProducer` runs this same class in a worker; it
 * must never know roles, accounts, listeners or sockets.
 */
import { MediaError } from './errors.ts';
import { Mixer } from './mixer.ts';
import { FRAME_MS } from './opus-codec.ts';
import {
  DEFAULT_LEVELS_EVERY_MS,
  ProducerRejection,
  failureOf,
  type ProducerEvents,
  type ProducerOptions,
  type ProducerRoomSpec,
  type ProducerStats,
  type ProgramProducer,
} from './producer.ts';
import { Stage, type Gate } from './stage.ts';
import type { IceCandidateInit } from './stage-peer.ts';
import { DriftFreeTicker } from './ticker.ts';

interface StageRoom {
  readonly mixer: Mixer;
  readonly stage: Stage;
  spec: ProducerRoomSpec;
  /** per member, the number of their latest offer: an older offer that fails must not undo a newer one */
  readonly offers: Map<string, number>;
}

export class StageRooms implements ProgramProducer {
  readonly #o: ProducerOptions;
  readonly #on: ProducerEvents;
  readonly #rooms = new Map<string, StageRoom>();
  readonly #levelsTimer: ReturnType<typeof setInterval>;
  #framesEmitted = 0;
  #skipped = 0;
  #stopped = false;

  constructor(options: ProducerOptions, events: ProducerEvents) {
    this.#o = options;
    this.#on = events;
    this.#levelsTimer = setInterval(() => this.#reportLevels(), options.levelsEveryMs ?? DEFAULT_LEVELS_EVERY_MS);
    this.#levelsTimer.unref();
  }

  update(roomId: string, spec: ProducerRoomSpec): void {
    if (this.#stopped) return;
    const room = this.#rooms.get(roomId) ?? this.#open(roomId, spec);
    room.spec = spec;
    for (const id of room.stage.members()) {
      const gate = spec.gates[id];
      if (gate === undefined) room.stage.removeMember(id);
      else room.stage.setGate(id, gate);
    }
    this.#runMixerIfNeeded(room);
  }

  close(roomId: string): void {
    const room = this.#rooms.get(roomId);
    if (room === undefined) return;
    this.#rooms.delete(roomId);
    room.stage.close();
    room.mixer.stop();
  }

  async publish(roomId: string, memberId: string, sdp: string): Promise<string> {
    const room = this.#rooms.get(roomId);
    if (this.#stopped) throw new ProducerRejection('stopped', 'The media plane is shutting down.');
    if (room === undefined) throw new ProducerRejection('no-room', 'This room has no stage open.');
    const gate: Gate | undefined = room.spec.gates[memberId];
    if (gate === undefined) throw new ProducerRejection('not-on-stage', 'Only people on the stage can send audio.');
    // a reconnecting speaker offers again: their old peer goes, their gate stays (it lives in the spec)
    const generation = (room.offers.get(memberId) ?? 0) + 1;
    room.offers.set(memberId, generation);
    room.stage.removeMember(memberId);
    room.stage.addMember(memberId, gate);
    this.#runMixerIfNeeded(room);
    try {
      return await room.stage.acceptOffer(memberId, sdp, { waitForIceGathering: true });
    } catch (err) {
      if (room.offers.get(memberId) === generation && room.stage.has(memberId)) {
        room.stage.removeMember(memberId);
        this.#runMixerIfNeeded(room);
      }
      if (err instanceof MediaError && err.reason === 'no-port') throw new ProducerRejection('no-port', err.message);
      throw new ProducerRejection('bad-offer', err instanceof Error ? err.message : 'invalid SDP');
    }
  }

  async candidate(roomId: string, memberId: string, candidate: IceCandidateInit | null): Promise<void> {
    const room = this.#rooms.get(roomId);
    if (room === undefined || !room.stage.has(memberId)) throw new ProducerRejection('not-on-stage', 'Send an offer before ICE candidates.');
    await room.stage.addIceCandidate(memberId, candidate === null ? null : { ...candidate });
  }

  unpublish(roomId: string, memberId: string): void {
    const room = this.#rooms.get(roomId);
    if (room === undefined) return;
    room.stage.removeMember(memberId);
    this.#runMixerIfNeeded(room);
  }

  stats(): ProducerStats {
    return { rooms: this.#rooms.size, framesEmitted: this.#framesEmitted, skippedTicks: this.#skipped };
  }

  async shutdown(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#levelsTimer);
    for (const id of [...this.#rooms.keys()]) this.close(id);
  }

  #open(roomId: string, spec: ProducerRoomSpec): StageRoom {
    const onError = (err: unknown): void => this.#on.error(failureOf(err), roomId);
    const ticker = new DriftFreeTicker({
      periodMs: FRAME_MS,
      onSkip: (ticks) => {
        this.#skipped += ticks;
        this.#on.skipped(roomId, ticks);
      },
    });
    const mixer = new Mixer({ ticker, bitrate: this.#o.bitrate, onError, firstSeq: spec.firstSeq });
    const stage = new Stage({ mixer, peer: this.#o.peer, onError });
    const room: StageRoom = { mixer, stage, spec, offers: new Map() };
    mixer.onFrame((frame) => {
      if (!room.spec.live) return;
      this.#framesEmitted++;
      this.#on.frame({ roomId, seq: frame.seq, captureTs: frame.captureTs, opus: frame.opus });
    });
    stage.on('slotAssigned', (a) => this.#on.signal(roomId, a.receiver, { type: 'rtcSlot', mid: a.mid, userId: a.sender }));
    stage.on('slotReleased', (a) => this.#on.signal(roomId, a.receiver, { type: 'rtcSlot', mid: a.mid, userId: null }));
    stage.on('iceCandidate', (id, c) => this.#on.signal(roomId, id, { type: 'rtcCandidate', candidate: c === null ? null : { ...c } }));
    this.#rooms.set(roomId, room);
    return room;
  }

  /**
   * The mixer costs CPU every 20 ms, so it runs only when it has work: while live (listeners' clocks
   * need frames, even silent ones) or while someone on the stage publishes (backstage level meters).
   */
  #runMixerIfNeeded(room: StageRoom): void {
    if (room.spec.live || room.stage.members().length > 0) room.mixer.start();
    else room.mixer.stop();
  }

  #reportLevels(): void {
    for (const [roomId, room] of this.#rooms) {
      if (room.stage.members().length === 0) continue;
      const sounds = room.stage.sounds();
      const levels = [...room.stage.takeLevels()].map(([id, rms]) => {
        const s = sounds.get(id);
        return { id, rms, noisy: s?.noisy ?? false, echo: s?.echo ?? false };
      });
      this.#on.levels(roomId, levels);
    }
  }
}
