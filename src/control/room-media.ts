/**
 * @module room-media — the media plane of each open room on this node, as control sees it: it turns
 * every change of a room's state into the producer's spec (who is on the stage and what each may be
 * heard by: the domain's `isAudible`, the server-enforced mute; members who left the stage lose their
 * peer), sends it at once so the next packet the producer takes meets the new rule, and publishes the
 * producer's frames once on the program relay while the room is live (edges, this node's own
 * ProgramDelivery among them, take them to listeners). It tracks every open room's state but runs the
 * stage and the program only of the rooms this node leads (holds the placement lease of: `lead` /
 * `yield`, from RoomPlacement), publishing under the lease's epoch; a member's offer, ICE and leaving
 * reach the leading node through the MediaRouter, from whichever node holds their socket, and its
 * signals go back the same way. The producer itself (stage peers, mixer, the 20 ms clock) runs in a thread of its own
 * (`ThreadProducer`) so delivery can be late but never cost the room program time. Seqs count 20 ms
 * frames since the room was created, so they keep rising across a server restart or a change of
 * origin and a listener's resume still works. Signaling (which receive slot carries whom, ICE) goes to the member through
 * the router. It must never do media work itself.
 */
import type { RoomId, UserId } from '../domain/ids.ts';
import { asUserId } from '../domain/ids.ts';
import { isAudible, stageMember } from '../domain/room-queries.ts';
import type { RoomState } from '../domain/room-state.ts';
import type { ServerMessage } from '../protocol/api-views.ts';
import type { BusMessage } from '../bus/types.ts';
import type { Gate, IceCandidateInit } from '../media/index.ts';
import { ProducerRejection, type ProducerEvents, type ProducerFrame, type ProducerRoomSpec, type ProgramProducer } from '../media/producer.ts';
import type { ProgramRelay } from '../bus/program-relay.ts';
import { MediaRouteError, type MediaAnswer, type MediaRequest, type MediaRouter } from '../bus/media-router.ts';
import { AmphiError } from './errors.ts';

/** RMS above which a member counts as speaking for the "who is speaking" rings (about -36 dBFS) */
const SPEAKING_RMS = 0.016;

export interface RoomMediaDeps {
  readonly relay: ProgramRelay;
  readonly router: MediaRouter;
  /** settles this node's claim on the room before a request is routed (it may be the origin to be) */
  readonly claim: (roomId: RoomId) => Promise<boolean>;
  readonly onError: (err: unknown, roomId: RoomId | null) => void;
  /** a room's clock dropped `ticks` frames of program time: counted and logged by the caller */
  readonly onSkipped: (roomId: RoomId, ticks: number) => void;
}

interface MediaRoom {
  state: RoomState;
  /** the lease epoch while this node leads the room (runs its stage and program), else null */
  epoch: number | null;
  stopServing: (() => void) | null;
  speaking: readonly UserId[];
  /** the loudest level each member reached since the last takeSpeaking */
  readonly loudest: Map<UserId, number>;
}

/** 20 ms frames since the room was created: seqs stay above anything listeners heard before a restart */
const seqAt = (now: number, createdAt: number): number => Math.max(0, Math.floor((now - createdAt) / 20)) >>> 0;

export class RoomMedia {
  readonly #d: RoomMediaDeps;
  readonly #rooms = new Map<RoomId, MediaRoom>();
  #producer: ProgramProducer | null = null;

  constructor(deps: RoomMediaDeps) {
    this.#d = deps;
  }

  /** what the producer tells control; hand it to the producer's constructor, then `attach` the producer */
  events(): ProducerEvents {
    return {
      frame: (f) => this.#onFrame(f),
      signal: (roomId, memberId, signal) => this.#d.router.toMember(roomId, asUserId(memberId), signal),
      levels: (roomId, levels) => this.#onLevels(roomId as RoomId, levels),
      skipped: (roomId, ticks) => this.#d.onSkipped(roomId as RoomId, ticks),
      error: (failure, roomId) => this.#d.onError(Object.assign(new Error(failure.message), { name: failure.name }), roomId as RoomId | null),
    };
  }

  attach(producer: ProgramProducer): void {
    this.#producer = producer;
  }

  onBus(msg: BusMessage): void {
    // the hand queue is no business of the stage's
    if (msg.type === 'handsChanged') return;
    const room = this.#rooms.get(msg.roomId);
    // a scheduled room has no stage yet: its mixer starts when the host starts it
    if (msg.state.status === 'scheduled') return;
    if (msg.state.status === 'ended') {
      if (room) this.#close(msg.roomId);
      return;
    }
    const r = room ?? this.#open(msg.state);
    r.state = msg.state;
    if (r.epoch !== null) this.#producerOrThrow().update(msg.roomId, specOf(msg.state));
  }

  /**
   * this node is the room's origin now, at `epoch`: its stage and program start here (a take-over's
   * members are told to offer again: their peers were on the node that died)
   */
  lead(roomId: RoomId, epoch: number, takeover: boolean): void {
    const room = this.#rooms.get(roomId);
    if (room === undefined) return;
    const first = room.epoch === null;
    room.epoch = epoch;
    if (!first) return;
    this.#producerOrThrow().update(roomId, specOf(room.state));
    room.stopServing = this.#d.router.serve(roomId, (req) => this.#serve(roomId, req));
    if (takeover) for (const m of room.state.stage) this.#d.router.toMember(roomId, m.userId, { type: 'rtcRestart' });
  }

  /** another node leads the room now: nothing of it is produced or published here any more */
  yield(roomId: RoomId): void {
    const room = this.#rooms.get(roomId);
    if (room === undefined || room.epoch === null) return;
    room.epoch = null;
    room.stopServing?.();
    room.stopServing = null;
    this.#producer?.close(roomId);
  }

  /** whether this node leads the room (the room clock applies time only there) */
  leads(roomId: RoomId): boolean {
    return (this.#rooms.get(roomId)?.epoch ?? null) !== null;
  }

  /** a stage member publishes their microphone: answers their offer, from the room's origin */
  async publish(roomId: RoomId, userId: UserId, sdp: string): Promise<string> {
    const answer = await this.#route(roomId, { kind: 'publish', userId, sdp });
    if (answer.sdp === null) throw new AmphiError('internal', "The stage's server answered the offer without an answer.");
    return answer.sdp;
  }

  async candidate(roomId: RoomId, userId: UserId, candidate: IceCandidateInit | null): Promise<void> {
    await this.#route(roomId, { kind: 'candidate', userId, candidate });
  }

  unpublish(roomId: RoomId, userId: UserId): void {
    // only the origin has a peer to drop; elsewhere there is nothing to do
    if (this.leads(roomId)) this.#producerOrThrow().unpublish(roomId, userId);
    else if (this.#rooms.has(roomId)) this.#route(roomId, { kind: 'unpublish', userId }).catch((err: unknown) => this.#d.onError(err, roomId));
  }

  async #route(roomId: RoomId, req: MediaRequest): Promise<MediaAnswer> {
    if (!this.#rooms.has(roomId)) throw new AmphiError('not_on_stage', 'Only people on the stage can send audio. Ask to speak first.');
    await this.#d.claim(roomId);
    try {
      return await this.#d.router.request(roomId, req);
    } catch (err) {
      throw err instanceof MediaRouteError ? new AmphiError(err.code, err.message) : err;
    }
  }

  /** the origin's side of a routed request; refusals go back as MediaRouteErrors with their code */
  async #serve(roomId: RoomId, req: MediaRequest): Promise<MediaAnswer> {
    try {
      const room = this.#rooms.get(roomId);
      if (room === undefined || room.epoch === null) throw new AmphiError('unavailable', "The room's stage is moving to another server. Your browser will connect again in a moment.");
      if (req.kind === 'unpublish') {
        this.#producerOrThrow().unpublish(roomId, req.userId);
        return { sdp: null };
      }
      if (!stageMember(room.state, req.userId)) {
        throw new AmphiError('not_on_stage', req.kind === 'publish' ? 'Only people on the stage can send audio. Ask to speak first.' : 'Send an offer before ICE candidates.');
      }
      if (req.kind === 'publish') return { sdp: await this.#producerOrThrow().publish(roomId, req.userId, req.sdp) };
      await this.#producerOrThrow().candidate(roomId, req.userId, req.candidate);
      return { sdp: null };
    } catch (err) {
      const e = toAmphiError(err);
      throw new MediaRouteError(e.code, e.message);
    }
  }

  /**
   * who is speaking now, from the levels the producer reported since the last call; read once per tick
   * per room. Returns the same array object when nothing changed so the caller can compare by reference.
   */
  takeSpeaking(roomId: RoomId): readonly UserId[] {
    const room = this.#rooms.get(roomId);
    if (!room) return [];
    // only the origin hears the stage; other nodes show what it last announced
    if (room.epoch === null) return room.speaking;
    const now: UserId[] = [];
    for (const m of room.state.stage) if ((room.loudest.get(m.userId) ?? 0) >= SPEAKING_RMS) now.push(m.userId);
    room.loudest.clear();
    if (now.length !== room.speaking.length || now.some((id, i) => room.speaking[i] !== id)) {
      room.speaking = now;
      this.#d.router.speaking(roomId, now);
    }
    return room.speaking;
  }

  /** who is speaking, as the room's origin (another node) announced it */
  heardSpeaking(roomId: RoomId, speaking: readonly UserId[]): void {
    const room = this.#rooms.get(roomId);
    if (room !== undefined && room.epoch === null) room.speaking = speaking;
  }

  has(roomId: RoomId): boolean {
    return this.#rooms.has(roomId);
  }

  close(): void {
    for (const id of [...this.#rooms.keys()]) this.#close(id);
  }

  #producerOrThrow(): ProgramProducer {
    if (this.#producer === null) throw new AmphiError('unavailable', 'The media plane is not running.');
    return this.#producer;
  }

  #open(state: RoomState): MediaRoom {
    const room: MediaRoom = { state, epoch: null, stopServing: null, speaking: [], loudest: new Map() };
    this.#rooms.set(state.id, room);
    return room;
  }

  #onFrame(f: ProducerFrame): void {
    const roomId = f.roomId as RoomId;
    const room = this.#rooms.get(roomId);
    // a frame mixed just before the room left live (or ended), or after the lease passed on, is not the audience's
    if (room === undefined || room.state.status !== 'live' || room.epoch === null) return;
    this.#d.relay.publish(roomId, { seq: f.seq, captureTimeMs: f.captureTs, opus: f.opus }, room.epoch);
  }

  #onLevels(roomId: RoomId, levels: ReadonlyArray<readonly [string, number]>): void {
    const room = this.#rooms.get(roomId);
    if (room === undefined) return;
    for (const [id, level] of levels) {
      const uid = asUserId(id);
      if (level > (room.loudest.get(uid) ?? 0)) room.loudest.set(uid, level);
    }
  }

  #close(roomId: RoomId): void {
    this.yield(roomId);
    this.#rooms.delete(roomId);
  }
}

/** the producer's view of a room: live or not, and each stage member's gate from the rules */
function specOf(state: RoomState): ProducerRoomSpec {
  const gates: Record<string, Gate> = {};
  for (const m of state.stage) gates[m.userId] = isAudible(state, m.userId);
  return { live: state.status === 'live', firstSeq: seqAt(Date.now(), state.createdAt), gates };
}

function toAmphiError(err: unknown): AmphiError {
  if (err instanceof AmphiError) return err;
  if (err instanceof ProducerRejection) {
    if (err.reason === 'not-on-stage' || err.reason === 'no-room') return new AmphiError('not_on_stage', 'Only people on the stage can send audio. Ask to speak first.');
    if (err.reason === 'stopped') return new AmphiError('unavailable', `${err.message}`);
    return new AmphiError('bad_request', `Could not use this offer: ${err.message}`);
  }
  return new AmphiError('bad_request', `Could not use this offer: ${err instanceof Error ? err.message : 'invalid SDP'}`);
}
