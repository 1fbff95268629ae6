/**
 * @module api-views — what the server sends back: the JSON shapes of users, rooms, the room WebSocket's
 * messages and errors. Shared with the web client so both sides agree at compile time. Types and zod
 * schemas only (the schemas feed the OpenAPI document); never imports I/O.
 */
import { z } from 'zod';
import { REACTIONS } from '../domain/limits.ts';
import { REJECTION_CODES } from '../domain/rejections.ts';
import { ECHO_ACTIONS, END_REASONS, ROOM_STATUSES, SPEAKER_POLICIES, STAGE_ROLES } from '../domain/room-state.ts';
import { RoomActionBody } from './api-schemas.ts';
import { NetworkReport, type IceServerView, type StageNetworkView } from './stage-network.ts';

export const UserView = z.object({ id: z.string(), handle: z.string(), displayName: z.string() });
export type UserView = z.infer<typeof UserView>;

export const ProfileView = z.object({
  user: UserView,
  followers: z.number(),
  following: z.number(),
  /** null when the viewer is signed out or is this person */
  followedByMe: z.boolean().nullable(),
  blockedByMe: z.boolean().nullable(),
});
export type ProfileView = z.infer<typeof ProfileView>;

export const StageMemberView = z.object({
  user: UserView,
  role: z.enum(STAGE_ROLES),
  muted: z.boolean(),
  mutedBy: z.enum(['self', 'moderator']),
  connected: z.boolean(),
});
export type StageMemberView = z.infer<typeof StageMemberView>;

export const PinView = z.object({ url: z.string(), pinnedBy: z.string(), at: z.number() });

/** what the server does about hot mics and echo in this room (hosts and co-hosts change it with PATCH) */
export const SoundGuardView = z.object({
  autoMuteNoisy: z.boolean().describe('mute a stage member whose mic has sent noise (not speech) for 10 s'),
  echo: z.enum(ECHO_ACTIONS).describe("'gate': keep only the echoed part out of the program; 'mute': mute the person"),
});
export type SoundGuardView = z.infer<typeof SoundGuardView>;

/**
 * What the room's origin hears of the stage, per tick (the same bytes for everyone, like `speaking`):
 * hot mics, echoes, and who holds the floor, so a moderator acts on facts.
 */
export const StageSoundView = z.object({
  /** unmuted stage members sending sound that is not speech (steady noise, music, a crowd, typing) */
  noisy: z.array(z.string()),
  /** unmuted stage members whose microphone returns what the stage sends them */
  echo: z.array(z.string()),
  /** who has been speaking the longest without a pause, since when (ms since the epoch) */
  floor: z.object({ userId: z.string(), since: z.number() }).nullable(),
  /** two or more people speaking at once, since when: the talk-over a moderator may settle */
  overlap: z.object({ userIds: z.array(z.string()), since: z.number() }).nullable(),
});
export type StageSoundView = z.infer<typeof StageSoundView>;

export const QUIET_STAGE: StageSoundView = { noisy: [], echo: [], floor: null, overlap: null };

/** The room as everyone in it sees it: the same bytes go to every listener. */
export const RoomView = z.object({
  id: z.string(),
  title: z.string(),
  topics: z.array(z.string()),
  description: z.string(),
  speakerPolicy: z.enum(SPEAKER_POLICIES),
  status: z.enum(ROOM_STATUSES),
  createdAt: z.number(),
  liveAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  endReason: z.enum(END_REASONS).nullable(),
  /** set when the room was scheduled ahead: clients show `startsAt` in the viewer's own time zone */
  schedule: z.object({ startsAt: z.number(), timeZone: z.string().describe("the host's IANA time zone") }).nullable(),
  host: UserView,
  stage: z.array(StageMemberView),
  pins: z.array(PinView),
  listenerCount: z.number(),
  soundGuard: SoundGuardView,
});
export type RoomView = z.infer<typeof RoomView>;

export const MY_ROLES = ['host', 'cohost', 'speaker', 'listener', 'removed'] as const;

/** What one person's own place in the room is: sent only to them. */
export const MyPlaceView = z.object({
  role: z.enum(MY_ROLES),
  signedIn: z.boolean(),
  handRaised: z.boolean(),
  invited: z.boolean(),
  muted: z.boolean().nullable(),
  mutedBy: z.enum(['self', 'moderator']).nullable(),
});
export type MyPlaceView = z.infer<typeof MyPlaceView>;

/** where a hand stands in the host's order: people the host follows, then people who spoke in the host's rooms before, then everyone else */
export const HAND_TIERS = ['followed', 'spokeBefore', 'other'] as const;
export const HandRaiseView = z.object({ user: UserView, at: z.number(), tier: z.enum(HAND_TIERS) });
export type HandRaiseView = z.infer<typeof HandRaiseView>;

/** a page of the hand-raise queue in the host's order (GET /api/rooms/{id}/hands) */
/** the most a moderator's `hands` message carries per tick, whatever the storm: bounded bytes per moderator */
export const HANDS_DELTA_MAX = { added: 25, removed: 200 } as const;

export const HandsPageView = z.object({
  hands: z.array(HandRaiseView),
  /** hands matching the search (all of them when there is none) */
  total: z.number(),
  /** hands up in the room */
  count: z.number(),
});
export type HandsPageView = z.infer<typeof HandsPageView>;

export const RoomWithMeView = z.object({
  room: RoomView,
  me: MyPlaceView,
  /** present for hosts and co-hosts only: how many hands are up (the queue itself is paged: GET .../hands) */
  hands: z.object({ count: z.number() }).optional(),
});
export type RoomWithMeView = z.infer<typeof RoomWithMeView>;

export const ErrorBody = z.object({
  error: z.object({
    code: z.string().describe('machine-readable, e.g. stage_full'),
    message: z.string().describe('a sentence a person understands'),
    field: z.string().optional().describe('the input field at fault, for validation errors'),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const ListenTicketView = z.discriminatedUnion('admission', [
  z.object({
    admission: z.literal('admitted'),
    status: z.enum(ROOM_STATUSES),
    token: z.string(),
    path: z.string().describe('listener WebSocket path with the token, e.g. /ws/listen?token=... (on the listener origin)'),
    url: z.string().describe('the full listener WebSocket URL with the token: the listener sockets may be on a port of their own, or (in a cluster) on the edge chosen for this listener'),
    ticketOrigin: z.string().optional().describe('signed out only: ask for the next ticket at this origin, same path (the listener port answers faster)'),
    expiresAt: z.number(),
  }),
  z.object({
    admission: z.literal('waiting'),
    status: z.enum(ROOM_STATUSES),
    ticket: z.string().describe('send it back as ?ticket= once the line reaches `number`'),
    number: z.number().describe('your number in line'),
    position: z.number().describe('people ahead of you, you included'),
    etaSeconds: z.number(),
    linePath: z.string().describe('a WebSocket that says "admitted up to K" whenever the line moves'),
    lineUrl: z.string().describe('the full URL of that WebSocket'),
    ticketOrigin: z.string().optional().describe('signed out only: where to ask again, same path'),
  }),
]);
export type ListenTicketView = z.infer<typeof ListenTicketView>;

export const DrainView = z.object({
  moved: z.number().describe('listeners that left for other nodes'),
  left: z.number().describe('listeners still here at the deadline'),
  ms: z.number().describe('how long the drain took'),
});
export type DrainView = z.infer<typeof DrainView>;

export const AuditView = z.object({
  seq: z.number(),
  actor: UserView.nullable(),
  target: UserView.nullable(),
  action: z.string(),
  reason: z.string(),
  at: z.number(),
});

// ---- the room WebSocket (GET /api/rooms/:id/ws) ----

const IceCandidate = z
  .object({
    candidate: z.string().max(2048),
    sdpMid: z.string().max(64).nullable().optional(),
    sdpMLineIndex: z.number().int().min(0).max(64).nullable().optional(),
  })
  .strict();
export type IceCandidate = z.infer<typeof IceCandidate>;

export const ClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('action'), ref: z.string().max(64).optional(), action: RoomActionBody }).strict(),
  z.object({ type: z.literal('ping'), ref: z.string().max(64).optional() }).strict(),
  /** a stage member publishes their microphone: one sendonly audio m-section plus up to 12 recvonly ones to hear the stage */
  z.object({ type: z.literal('rtcOffer'), ref: z.string().max(64).optional(), sdp: z.string().min(1).max(60_000) }).strict(),
  /** trickled ICE candidate for the member's peer; null = end of candidates */
  z.object({ type: z.literal('rtcCandidate'), ref: z.string().max(64).optional(), candidate: IceCandidate.nullable() }).strict(),
  /** stop publishing (the server also stops the moment the member leaves the stage) */
  z.object({ type: z.literal('rtcLeave'), ref: z.string().max(64).optional() }).strict(),
  /** a stage member asks for the stage's ICE servers (TURN with fresh credentials) before each offer */
  z.object({ type: z.literal('rtcConfig'), ref: z.string().max(64).optional() }).strict(),
  /** a stage member's browser reports its link to the stage every few seconds, for the hosts' indicators */
  z.object({ type: z.literal('rtcQuality'), ref: z.string().max(64).optional(), quality: NetworkReport }).strict(),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

/**
 * `autoMutedNoise` / `autoMutedEcho`: to the person the server muted (by: null); `memberAutoMuted`: to
 * hosts and co-hosts, `by` naming the person muted.
 */
export const NOTICES = ['invited', 'inviteCancelled', 'requestDeclined', 'mutedByModerator', 'removed', 'ended', 'hostChanged', 'autoMutedNoise', 'autoMutedEcho', 'memberAutoMuted'] as const;
export type Notice = (typeof NOTICES)[number];

export type ServerMessage =
  /** room-wide state: sent on connect and on each tick when it changed; identical bytes for everyone */
  | {
      readonly type: 'state';
      readonly room: RoomView;
      readonly reactions: Partial<Record<(typeof REACTIONS)[number], number>>;
      /** user ids of stage members whose voice was heard since the last tick (the speaking rings) */
      readonly speaking: readonly string[];
      readonly sound: StageSoundView;
    }
  /**
   * on a listening page's audio socket only (docs/protocol.md §2, type 3), between state messages: what
   * moves every tick, in a few dozen bytes; the room's view itself comes as a state message when it changes
   */
  | {
      readonly type: 'tick';
      readonly listeners: number;
      readonly reactions: Partial<Record<(typeof REACTIONS)[number], number>>;
      readonly speaking: readonly string[];
    }
  /** the server's answer to rtcOffer */
  | { readonly type: 'rtcAnswer'; readonly ref: string | null; readonly sdp: string }
  | { readonly type: 'rtcCandidate'; readonly candidate: IceCandidate | null }
  /** the receive m-section `mid` of your offer now carries `userId`'s voice (null: nobody) */
  | { readonly type: 'rtcSlot'; readonly mid: string; readonly userId: string | null }
  /** the room's stage moved to another server (its previous one failed): make a new peer and offer again */
  | { readonly type: 'rtcRestart' }
  /**
   * the answer to rtcConfig: the ICE servers for the next peer (TURN credentials valid until
   * `expiresAt`, ms since the epoch; empty when the server has no TURN)
   */
  | { readonly type: 'rtcConfig'; readonly ref: string | null; readonly iceServers: readonly IceServerView[]; readonly expiresAt: number | null }
  /**
   * every stage member's network, to hosts and co-hosts only, at most once a tick and only when it
   * changed; a member without an entry has not connected their microphone yet
   */
  | { readonly type: 'stageNetwork'; readonly members: readonly StageNetworkView[] }
  /**
   * the hand-raise queue's changes since the last tick, to hosts and co-hosts only: at most one a tick,
   * with at most HANDS_DELTA_MAX.added of the hands that went up (newest) and HANDS_DELTA_MAX.removed of
   * those that came down; `more` says some were left out (read the page again). On connecting, and on
   * becoming a moderator, one with `reset: true` and only the count: read the first page.
   */
  | {
      readonly type: 'hands';
      readonly count: number;
      readonly added: readonly HandRaiseView[];
      readonly removed: readonly string[];
      readonly more: boolean;
      readonly reset: boolean;
    }
  /** this person's own place */
  | { readonly type: 'me'; readonly me: MyPlaceView }
  | { readonly type: 'notice'; readonly notice: Notice; readonly by: UserView | null }
  | { readonly type: 'ack'; readonly ref: string | null }
  | { readonly type: 'pong'; readonly ref: string | null }
  | { readonly type: 'error'; readonly ref: string | null; readonly code: string; readonly message: string };

export const ERROR_CODES = [
  ...REJECTION_CODES,
  'bad_request',
  'invalid_json',
  'payload_too_large',
  'unsupported_media_type',
  'unauthorized',
  'bad_origin',
  'not_found',
  'room_not_found',
  'user_not_found',
  'handle_taken',
  'bad_credentials',
  'rate_limited',
  'internal',
  'unavailable',
  'single_node',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
