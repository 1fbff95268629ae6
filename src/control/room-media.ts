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
 * the router. What the origin's ear hears of the stage (who is speaking, hot mics, echo, who holds the
 * floor) it turns once per tick into the room's `RoomSound`, announced to the other nodes through the
 * router, and, as the room's sound guard asks, into the server's own mutes (`dueAutoMutes`). It must
 * never do media work itself.
 */
import type { RoomId, UserId } from '../domain/ids.ts';
import { asUserId } from '../domain/ids.ts';
import { isAudible, soundGuardOf, stageMember } from '../domain/room-queries.ts';
import type { AutoMuteCause, RoomState } from '../domain/room-state.ts';
import { QUIET_STAGE, type StageSoundView } from '../protocol/api-views.ts';
import type { ServerMessage } from '../protocol/api-views.ts';
import type { BusMessage } from '../bus/types.ts';
import type { Gate, IceCandidateInit } from '../media/index.ts';
import { ProducerRejection, type MemberLevel, type ProducerEvents, type ProducerFrame, type ProducerRoomSpec, type ProgramProducer } from '../media/producer.ts';
import type { ProgramRelay } from '../bus/program-relay.ts';
import { MediaRouteError, type MediaAnswer, type MediaRequest, type MediaRouter, type RoomSound } from '../bus/media-router.ts';
import { AmphiError } from './errors.ts';
import { FloorTracker } from './floor-tracker.ts';

/** RMS above which a member counts as speaking for the "who is speaking" rings (about -36 dBFS) */
const SPEAKING_RMS = 0.016;
/** a hot mic is muted after this long, when the room's sound guard says so (issue 20: 10 s) */
export const NOISY_AUTO_MUTE_MS = 10_000;

export const SILENT_ROOM: RoomSound = { speaking: [], sound: QUIET_STAGE };

/** a mute the room's sound guard asks the server for now */
export interface AutoMute {
  readonly userId: UserId;
  readonly cause: AutoMuteCause;
}

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
  /** what the room's stage sounds like, as last announced (the same object while nothing changed) */
  sound: RoomSound;
  /** the loudest level each member reached since the last takeSound */
  readonly loudest: Map<UserId, number>;
  /** the ear's latest flags per member */
  readonly flags: Map<UserId, { noisy: boolean; echo: boolean }>;
  /** since when each member has been flagged noisy (while unmuted), for the auto-mute */
  readonly noisySince: Map<UserId, number>;
  readonly floor: FloorTracker;
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
   * what the stage sounds like now (who is speaking, hot mics, echo, the floor), from what the producer
   * reported since the last call; read once per tick per room at `now`. Returns the same object when
   * nothing changed so the caller can compare by reference.
   */
  takeSound(roomId: RoomId, now: number = Date.now()): RoomSound {
    const room = this.#rooms.get(roomId);
    if (!room) return SILENT_ROOM;
    // only the origin hears the stage; other nodes show what it last announced
    if (room.epoch === null) return room.sound;
    const speaking: UserId[] = [];
    const noisy: UserId[] = [];
    const echo: UserId[] = [];
    for (const m of room.state.stage) {
      if ((room.loudest.get(m.userId) ?? 0) >= SPEAKING_RMS) speaking.push(m.userId);
      const f = room.flags.get(m.userId);
      // a muted member sends nothing: a flag from before the mute is history, not a hot mic
      if (f === undefined || m.muted) {
        room.noisySince.delete(m.userId);
        continue;
      }
      if (f.noisy) {
        noisy.push(m.userId);
        if (!room.noisySince.has(m.userId)) room.noisySince.set(m.userId, now);
      } else room.noisySince.delete(m.userId);
      if (f.echo) echo.push(m.userId);
    }
    room.loudest.clear();
    // a hot mic's noise is not someone holding the floor
    const facts = room.floor.update(speaking.filter((id) => !noisy.includes(id)), now);
    const before = room.sound;
    const view: StageSoundView = {
      noisy,
      echo,
      floor: facts.floor === null ? null : { userId: facts.floor.userId, since: facts.floor.since },
      overlap: facts.overlap === null ? null : { userIds: [...facts.overlap.userIds], since: facts.overlap.since },
    };
    if (sameIds(speaking, before.speaking) && sameSound(view, before.sound)) return before;
    room.sound = { speaking, sound: view };
    this.#d.router.stageSound(roomId, room.sound);
    return room.sound;
  }

  /** what the room's origin (another node) announced of its stage */
  heardSound(roomId: RoomId, sound: RoomSound): void {
    const room = this.#rooms.get(roomId);
    if (room !== undefined && room.epoch === null) room.sound = sound;
  }

  /**
   * the mutes the room's sound guard asks for now, on the origin only: a hot mic flagged for
   * NOISY_AUTO_MUTE_MS with `autoMuteNoisy`, an echo with `echo: 'mute'`. Read after takeSound; each
   * is asked for once (the mute itself ends the flag).
   */
  dueAutoMutes(roomId: RoomId, now: number = Date.now()): AutoMute[] {
    const room = this.#rooms.get(roomId);
    if (room === undefined || room.epoch === null) return [];
    const guard = soundGuardOf(room.state);
    const due: AutoMute[] = [];
    if (guard.autoMuteNoisy) {
      for (const [userId, since] of room.noisySince) {
        if (now - since < NOISY_AUTO_MUTE_MS) continue;
        due.push({ userId, cause: 'noisyMic' });
        room.noisySince.delete(userId);
      }
    }
    if (guard.echo === 'mute') {
      for (const userId of room.sound.sound.echo) if (!due.some((d) => d.userId === userId)) due.push({ userId: asUserId(userId), cause: 'echo' });
    }
    return due;
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
    const room: MediaRoom = { state, epoch: null, stopServing: null, sound: SILENT_ROOM, loudest: new Map(), flags: new Map(), noisySince: new Map(), floor: new FloorTracker() };
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

  #onLevels(roomId: RoomId, levels: readonly MemberLevel[]): void {
    const room = this.#rooms.get(roomId);
    if (room === undefined) return;
    for (const { id, rms, noisy, echo } of levels) {
      const uid = asUserId(id);
      if (rms > (room.loudest.get(uid) ?? 0)) room.loudest.set(uid, rms);
      room.flags.set(uid, { noisy, echo });
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

const sameIds = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((id, i) => b[i] === id);

function sameSound(a: StageSoundView, b: StageSoundView): boolean {
  return (
    sameIds(a.noisy, b.noisy) &&
    sameIds(a.echo, b.echo) &&
    a.floor?.userId === b.floor?.userId &&
    a.floor?.since === b.floor?.since &&
    a.overlap?.since === b.overlap?.since &&
    sameIds(a.overlap?.userIds ?? [], b.overlap?.userIds ?? [])
  );
}

function toAmphiError(err: unknown): AmphiError {
  if (err instanceof AmphiError) return err;
  if (err instanceof ProducerRejection) {
    if (err.reason === 'not-on-stage' || err.reason === 'no-room') return new AmphiError('not_on_stage', 'Only people on the stage can send audio. Ask to speak first.');
    if (err.reason === 'stopped') return new AmphiError('unavailable', `${err.message}`);
    // every port of AMPHI_RTC_PORTS holds a peer: the operator's range is too small, nothing the member can fix
    if (err.reason === 'no-port') return new AmphiError('unavailable', "The stage's server has no free audio port right now. Your browser will try again in a moment.");
    return new AmphiError('bad_request', `Could not use this offer: ${err.message}`);
  }
  return new AmphiError('bad_request', `Could not use this offer: ${err instanceof Error ? err.message : 'invalid SDP'}`);
}
