/**
 * @module room-state — the shape of one room as the rules see it: lifecycle, details, the stage (host,
 * co-hosts, speakers with their mute state and presence), pending invitations, removals and pins.
 * Listeners are NOT here: an audience of any size is a count kept by the control layer; nor is the
 * hand-raise queue, which can hold the whole audience: its rows belong to the store, and the rules learn
 * the one fact they need (is this person's hand raised?) from the context. So no action's cost grows
 * with the audience. Plain JSON-serialisable data (arrays, not
 * Maps), so the store can persist it as it is. Never mutated: the rules return a new state.
 */
import type { RoomId, UserId } from './ids.ts';

/** scheduled → backstage → live → ended; a scheduled room may also end without starting (cancelled, missed). */
export const ROOM_STATUSES = ['scheduled', 'backstage', 'live', 'ended'] as const;
export type RoomStatus = (typeof ROOM_STATUSES)[number];

export const SPEAKER_POLICIES = ['everyone', 'followed', 'invited'] as const;
/** Who may ask to speak — every signed-in listener, only people the host follows, or nobody (invite only). */
export type SpeakerPolicy = (typeof SPEAKER_POLICIES)[number];

export const STAGE_ROLES = ['host', 'cohost', 'speaker'] as const;
export type StageRole = (typeof STAGE_ROLES)[number];

/** Who muted a member last: themself, or a host/co-host (the client shows "muted by the host"). */
export type MutedBy = 'self' | 'moderator';

export interface StageMember {
  readonly userId: UserId;
  readonly role: StageRole;
  readonly muted: boolean;
  readonly mutedBy: MutedBy;
  /** when this person came onto the stage */
  readonly onStageSince: number;
  /** when this person got their current role (the longest-serving co-host takes over a lost host) */
  readonly roleSince: number;
  /** whether their control connection is up; null disconnectedAt while connected */
  readonly connected: boolean;
  readonly disconnectedAt: number | null;
}

export interface Invitation {
  readonly userId: UserId;
  readonly invitedBy: UserId;
  readonly at: number;
}

export interface Pin {
  readonly url: string;
  readonly pinnedBy: UserId;
  readonly at: number;
}

export const END_REASONS = ['host_ended', 'host_absent', 'cancelled', 'missed'] as const;
export type EndReason = (typeof END_REASONS)[number];

/** When a scheduled room is meant to start. Kept after the start, as the record of what was announced. */
export interface RoomSchedule {
  /** ms since the epoch; each person's client shows it in their own time zone */
  readonly startsAt: number;
  /** the host's IANA time zone (e.g. Europe/Paris), in which the host picked the time */
  readonly timeZone: string;
  /** whether the host was nudged that the start time came (once per start time) */
  readonly nudged: boolean;
}

/**
 * What the server does about a stage member's microphone when its ear hears trouble (media/stage-ear):
 * a hot mic (sound that is not speech) is always shown to the hosts and the person; with
 * `autoMuteNoisy` it is also muted after NOISY_AUTO_MUTE_MS. An echo is always kept out of the program
 * ('gate': only the echoed part, the person's own voice still passes) or the person is muted ('mute').
 */
export interface SoundGuard {
  readonly autoMuteNoisy: boolean;
  readonly echo: 'gate' | 'mute';
}

export const ECHO_ACTIONS = ['gate', 'mute'] as const;
export const DEFAULT_SOUND_GUARD: SoundGuard = { autoMuteNoisy: false, echo: 'gate' };

/** why the server muted someone on its own */
export const AUTO_MUTE_CAUSES = ['noisyMic', 'echo'] as const;
export type AutoMuteCause = (typeof AUTO_MUTE_CAUSES)[number];

export interface RoomDetails {
  readonly title: string;
  readonly topics: readonly string[];
  readonly description: string;
  readonly speakerPolicy: SpeakerPolicy;
}

export interface RoomState extends RoomDetails {
  readonly id: RoomId;
  readonly status: RoomStatus;
  readonly createdAt: number;
  readonly liveAt: number | null;
  readonly endedAt: number | null;
  readonly endReason: EndReason | null;
  /** set when the room was scheduled ahead; null for a room opened at once */
  readonly schedule: RoomSchedule | null;
  /** the account that created the room (blocks and "followed" policy are judged against the current host) */
  readonly createdBy: UserId;
  /** the current host; always one stage member has role 'host' and this id */
  readonly hostId: UserId;
  /** host first, then co-hosts, then speakers, each in the order they arrived */
  readonly stage: readonly StageMember[];
  /** pending invitations to the stage */
  readonly invites: readonly Invitation[];
  /** people removed from this room; they can never rejoin it */
  readonly removed: readonly UserId[];
  readonly pins: readonly Pin[];
  /** absent in rooms stored before it existed: read it through `soundGuardOf` */
  readonly soundGuard?: SoundGuard;
}
