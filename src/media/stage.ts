/**
 * @module stage — one per room: the stage members' peers, the server-enforced gates, SFU forwarding
 * between members and the feed into the room's mixer. Every packet is checked against its sender's
 * gate synchronously, before anything else: both gates closed = dropped before forwarding and before
 * the mixer; `toStage` decides forwarding to the other members (never back to the sender);
 * `toProgram` decides the mix. A gate change applies from the next packet. Everyone joins with both
 * gates closed. It knows member ids, frames and packets, never rooms, roles or the store.
 */
import { EventEmitter } from 'node:events';
import { MediaError } from './errors.ts';
import type { Mixer } from './mixer.ts';
import type { SpeakerSound } from './stage-ear.ts';
import type { StagePeerConfig } from './peer-config.ts';
import { RtpRewriter } from './rtp-rewriter.ts';
import { StagePeer, type AcceptOfferOptions, type IceCandidateInit, type InboundRtp, type PeerState } from './stage-peer.ts';

export interface Gate {
  /** Other stage members hear this member (SFU forwarding). */
  readonly toStage: boolean;
  /** The audience hears this member (the mix). */
  readonly toProgram: boolean;
}

export const CLOSED_GATE: Gate = Object.freeze({ toStage: false, toProgram: false });

export interface SlotAssignment<Id extends string> {
  /** Who hears... */
  readonly receiver: Id;
  /** ...whom, */
  readonly sender: Id;
  /** ...on which of the receiver's offered receive m-sections. */
  readonly slot: number;
  readonly mid: string;
}

export type StageEvents<Id extends string> = {
  closed: [];
  memberJoined: [Id];
  memberLeft: [Id];
  memberState: [Id, PeerState];
  /** Tell `receiver`'s client that `mid` now carries `sender`. */
  slotAssigned: [SlotAssignment<Id>];
  slotReleased: [SlotAssignment<Id>];
  /** Trickle ICE towards a member's client; `null` = end of candidates. */
  iceCandidate: [Id, IceCandidateInit | null];
};

export interface StageOptions<Id extends string> {
  /** The room's mixer; the stage feeds it and stops it on close. */
  readonly mixer: Mixer<Id>;
  readonly peer?: StagePeerConfig;
  /** Monotonic ms, for RTP timestamp continuity at slot handovers. */
  readonly now?: () => number;
  readonly onError?: (err: unknown) => void;
}

export interface StageStats {
  /** Packets dropped because both gates were closed. */
  readonly gatedPackets: number;
  readonly forwardedPackets: number;
}

interface Member<Id extends string> {
  readonly id: Id;
  readonly peer: StagePeer;
  gate: Gate;
  /** A gate dropped packets since the last forwarded one: receivers should see a discontinuity. */
  gapPending: boolean;
  /** sender id -> slot index on this member's peer. */
  readonly heard: Map<Id, number>;
  readonly rewriters: RtpRewriter[];
}

export class Stage<Id extends string = string> extends EventEmitter<StageEvents<Id>> {
  readonly #mixer: Mixer<Id>;
  readonly #peerConfig: StagePeerConfig | undefined;
  readonly #now: () => number;
  readonly #onError: (err: unknown) => void;
  readonly #members = new Map<Id, Member<Id>>();
  #closed = false;
  #gated = 0;
  #forwarded = 0;

  constructor(options: StageOptions<Id>) {
    super();
    this.#mixer = options.mixer;
    this.#peerConfig = options.peer;
    this.#now = options.now ?? (() => performance.now());
    this.#onError = options.onError ?? ((err) => process.emitWarning(err instanceof Error ? err : new Error(String(err)), 'AmphiStageWarning'));
  }

  get closed(): boolean {
    return this.#closed;
  }

  get stats(): StageStats {
    return { gatedPackets: this.#gated, forwardedPackets: this.#forwarded };
  }

  members(): Id[] {
    return [...this.#members.keys()];
  }

  has(id: Id): boolean {
    return this.#members.has(id);
  }

  /** Adds a member with both gates closed (everyone joins muted) unless a gate is given. */
  addMember(id: Id, gate: Gate = CLOSED_GATE): void {
    if (this.#closed) throw MediaError.closed('stage');
    if (this.#members.has(id)) throw MediaError.memberExists(id);
    const member: Member<Id> = {
      id,
      gate: { ...gate },
      gapPending: false,
      heard: new Map(),
      rewriters: [],
      peer: new StagePeer(
        {
          onRtp: (p) => this.#onRtp(member, p),
          onState: (s) => this.emit('memberState', id, s),
          onIceCandidate: (c) => this.emit('iceCandidate', id, c),
          onError: (e) => this.#onError(e),
        },
        this.#peerConfig,
      ),
    };
    this.#members.set(id, member);
    this.#mixer.setProgram(id, member.gate.toProgram);
    for (const other of this.#members.values()) if (other !== member) this.#assign(other, id);
    this.emit('memberJoined', id);
  }

  /** Answers the member's offer and gives each other member one of its receive slots. */
  async acceptOffer(id: Id, sdp: string, options?: AcceptOfferOptions): Promise<string> {
    const member = this.#get(id);
    const answer = await member.peer.acceptOffer(sdp, options);
    if (this.#members.get(id) !== member) throw MediaError.unknownMember(id); // left while answering
    member.rewriters.length = 0;
    for (let i = 0; i < member.peer.slots.length; i++) member.rewriters.push(new RtpRewriter(randomU16(), randomU32()));
    for (const other of this.#members.values()) if (other !== member) this.#assign(member, other.id);
    return answer;
  }

  async addIceCandidate(id: Id, candidate: IceCandidateInit | null): Promise<void> {
    return this.#get(id).peer.addIceCandidate(candidate);
  }

  /** Closes the member's peer at once: from this call on none of their audio is taken. */
  removeMember(id: Id): boolean {
    const member = this.#members.get(id);
    if (!member) return false;
    this.#members.delete(id);
    member.peer.close();
    this.#mixer.removeSpeaker(id);
    for (const [sender, slot] of member.heard) this.emit('slotReleased', this.#assignment(member, sender, slot));
    member.heard.clear();
    for (const other of this.#members.values()) {
      const slot = other.heard.get(id);
      if (slot === undefined) continue;
      other.heard.delete(id);
      this.emit('slotReleased', this.#assignment(other, id, slot));
      // A member who had no free slot may now take this one.
      for (const candidate of this.#members.keys()) if (candidate !== other.id && !other.heard.has(candidate)) this.#assign(other, candidate);
    }
    this.emit('memberLeft', id);
    return true;
  }

  /** The server-enforced mute. Synchronous: the next packet from this member meets the new gate. */
  setGate(id: Id, gate: Gate): void {
    const member = this.#get(id);
    member.gate = { toStage: gate.toStage, toProgram: gate.toProgram };
    this.#mixer.setProgram(id, gate.toProgram);
  }

  gateOf(id: Id): Gate {
    return this.#get(id).gate;
  }

  /** Who `receiver` hears on which slot. */
  slotsOf(receiver: Id): SlotAssignment<Id>[] {
    const member = this.#get(receiver);
    return [...member.heard].map(([sender, slot]) => this.#assignment(member, sender, slot));
  }

  /** what the mixer's ear concludes of each member now (noisy mic, echo, leveling gain) */
  sounds(): Map<Id, SpeakerSound> {
    return this.#mixer.sounds();
  }

  /** RMS level (0..1) per member since the last call, from decoded audio; 0 for silent members. */
  takeLevels(): Map<Id, number> {
    const levels = this.#mixer.takeLevels();
    const out = new Map<Id, number>();
    for (const id of this.#members.keys()) out.set(id, levels.get(id) ?? 0);
    return out;
  }

  /** Idempotent; closes every peer and stops the mixer. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const m of this.#members.values()) {
      m.peer.close();
      this.#mixer.removeSpeaker(m.id);
    }
    this.#members.clear();
    this.#mixer.stop();
    this.emit('closed');
  }

  #get(id: Id): Member<Id> {
    if (this.#closed) throw MediaError.closed('stage');
    const m = this.#members.get(id);
    if (!m) throw MediaError.unknownMember(id);
    return m;
  }

  #assign(receiver: Member<Id>, sender: Id): void {
    if (receiver.heard.has(sender)) return;
    const used = new Set(receiver.heard.values());
    const free = receiver.peer.slots.findIndex((s) => !used.has(s.index));
    if (free < 0) return;
    receiver.heard.set(sender, free);
    this.emit('slotAssigned', this.#assignment(receiver, sender, free));
  }

  #assignment(receiver: Member<Id>, sender: Id, slot: number): SlotAssignment<Id> {
    return { receiver: receiver.id, sender, slot, mid: receiver.peer.slots[slot]?.mid ?? '' };
  }

  /** Hot path: one call per packet per member. */
  #onRtp(sender: Member<Id>, p: InboundRtp): void {
    const gate = sender.gate;
    if (!gate.toStage && !gate.toProgram) {
      this.#gated++;
      sender.gapPending = true;
      return;
    }
    if (gate.toStage) {
      const now = this.#now();
      const discontinuity = sender.gapPending;
      sender.gapPending = false;
      for (const receiver of this.#members.values()) {
        if (receiver === sender) continue; // never back to the sender
        const slot = receiver.heard.get(sender.id);
        if (slot === undefined) continue;
        const rw = receiver.rewriters[slot];
        if (!rw) continue;
        const out = rw.rewrite({ sourceKey: sender.id, ssrc: p.ssrc, sequenceNumber: p.sequenceNumber, timestamp: p.timestamp, marker: p.marker }, now, discontinuity);
        receiver.peer.sendToSlot(slot, { ...out, payload: p.payload });
        this.#forwarded++;
      }
    } else {
      sender.gapPending = true;
    }
    this.#mixer.push(sender.id, p.sequenceNumber, p.payload, gate.toProgram);
  }
}

function randomU16(): number {
  return Math.floor(Math.random() * 0x1_0000);
}

function randomU32(): number {
  return Math.floor(Math.random() * 0x1_0000_0000) >>> 0;
}
