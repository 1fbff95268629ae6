/**
 * @module room-fixtures — builders for tests of the rules: a cast of named people and a standard room
 * (host, co-host, speaker, a listener with a raised hand, an invitee, a removed person, a pinned link)
 * reached through `decide` itself, so every fixture is a state the rules can really produce. For tests
 * only; production code must never import it.
 */
import type { Decision } from './decision.ts';
import { asRoomId, asUserId } from './ids.ts';
import type { UserId } from './ids.ts';
import type { Actor, RoomAction, RoomContext } from './room-actions.ts';
import { createRoomState, createScheduledRoomState } from './room-create.ts';
import { decide } from './room-rules.ts';
import type { RoomState, RoomStatus, SpeakerPolicy } from './room-state.ts';

export const HOST = asUserId('host');
export const COHOST = asUserId('cohost');
export const SPEAKER = asUserId('speaker');
/** signed in, not on stage, nothing pending */
export const LISTENER = asUserId('listener');
/** a listener whose hand is raised (only possible once live) */
export const REQUESTER = asUserId('requester');
/** a listener with a pending invitation to the stage */
export const INVITEE = asUserId('invitee');
export const REMOVED = asUserId('removed');
/** blocked by the host (see `ctxAt`) */
export const BLOCKED = asUserId('blocked');
/** someone in the audience who is only ever a target */
export const BYSTANDER = asUserId('bystander');

export const T0 = 1_000_000;
export const PINNED_URL = 'https://example.com/a';

export const user = (userId: UserId): Actor => ({ kind: 'user', userId });
export const ANONYMOUS: Actor = { kind: 'anonymous' };
export const SYSTEM: Actor = { kind: 'system' };

export function ctxAt(
  now: number,
  opts: { blocked?: readonly UserId[]; followed?: readonly UserId[]; withoutConnection?: readonly UserId[]; raised?: readonly UserId[] } = {},
): RoomContext {
  const blocked = opts.blocked ?? [BLOCKED];
  const followed = opts.followed ?? [];
  const absent = opts.withoutConnection ?? [];
  const raised = opts.raised ?? [];
  return {
    now,
    blockedByHost: (id) => blocked.includes(id),
    followedByHost: (id) => followed.includes(id),
    hasConnection: (id) => !absent.includes(id),
    handRaised: (id) => raised.includes(id),
  };
}

export class FixtureError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/** The accepted state, or a failure that names the step: a fixture that cannot be built is a broken test. */
export function must(decision: Decision, what = 'step'): RoomState {
  if (!decision.ok) throw new FixtureError(decision.rejection.code, `${what} was refused: ${decision.rejection.code}`);
  return decision.state;
}

export type Step = readonly [Actor, RoomAction];

/** Applies the steps in order at `ctx.now`, failing loudly on the first refusal. */
export function apply(state: RoomState, steps: readonly Step[], ctx: RoomContext = ctxAt(T0)): RoomState {
  let s = state;
  for (const [actor, action] of steps) s = must(decide(s, actor, action, ctx), `${action.type}`);
  return s;
}

export function newRoom(opts: { host?: UserId; speakerPolicy?: SpeakerPolicy; now?: number } = {}): RoomState {
  const host = opts.host ?? HOST;
  const now = opts.now ?? T0;
  const created = createRoomState(
    {
      id: asRoomId('room-1'),
      hostId: host,
      title: 'Launch night',
      topics: ['Tech'],
      description: '',
      speakerPolicy: opts.speakerPolicy ?? 'everyone',
    },
    now,
  );
  if (!created.ok) throw new FixtureError(created.rejection.code, 'fixture room could not be created');
  return apply(created.state, [[user(host), { type: 'connect' }]], ctxAt(now));
}

/** Brings `who` onto the stage as a speaker through an invitation by the host. */
export const onStage = (state: RoomState, who: UserId, ctx: RoomContext = ctxAt(T0)): RoomState =>
  apply(
    state,
    [
      [user(state.hostId), { type: 'invite', target: who }],
      [user(who), { type: 'acceptInvite' }],
    ],
    ctx,
  );

/** when the standard scheduled room is meant to start: a day after T0 */
export const STARTS_AT = T0 + 86_400_000;

/** A room HOST scheduled at T0 for STARTS_AT (Europe/Paris); the host is not connected, as after scheduling. */
export function scheduledRoom(opts: { startsAt?: number; now?: number; host?: UserId } = {}): RoomState {
  const created = createScheduledRoomState(
    {
      id: asRoomId('room-1'),
      hostId: opts.host ?? HOST,
      title: 'Launch night',
      topics: ['Tech'],
      description: '',
      speakerPolicy: 'everyone',
      startsAt: opts.startsAt ?? STARTS_AT,
      timeZone: 'Europe/Paris',
    },
    opts.now ?? T0,
  );
  if (!created.ok) throw new FixtureError(created.rejection.code, 'fixture scheduled room could not be created');
  return created.state;
}

/**
 * The standard room of the table test (a scheduled room is `scheduledRoom()`, nobody but the host in it): HOST hosting, COHOST co-hosting, SPEAKER speaking (all muted, as
 * they arrived), INVITEE invited, REMOVED removed, one pinned link. REQUESTER's hand is raised once live: hands are
 * rows outside the state, so that is `standardCtx` (the context to decide in this room with).
 */
export function standardRoom(status: RoomStatus): RoomState {
  if (status === 'scheduled') return scheduledRoom();
  const ctx = ctxAt(T0);
  let s = newRoom();
  s = onStage(s, SPEAKER, ctx);
  s = onStage(s, COHOST, ctx);
  s = apply(
    s,
    [
      [user(HOST), { type: 'addCohost', target: COHOST }],
      [user(HOST), { type: 'invite', target: INVITEE }],
      [user(HOST), { type: 'pin', url: PINNED_URL }],
      [user(HOST), { type: 'remove', target: REMOVED, reason: 'spam' }],
    ],
    ctx,
  );
  if (status === 'backstage') return s;
  s = apply(
    s,
    [
      [user(HOST), { type: 'goLive' }],
    ],
    ctx,
  );
  if (status === 'live') return s;
  return apply(s, [[user(HOST), { type: 'end' }]], ctx);
}

/** the context of the standard room at `now`: BLOCKED blocked by the host, and once live REQUESTER's hand up */
export const standardCtx = (status: RoomStatus, now: number): RoomContext =>
  ctxAt(now, { raised: status === 'live' ? [REQUESTER] : [] });

/** `n` numbered people: u1, u2, ... */
export const people = (n: number, prefix = 'u'): UserId[] =>
  Array.from({ length: n }, (_, i) => asUserId(`${prefix}${i + 1}`));

export type Accepted = Extract<Decision, { ok: true }>;

/** The accepted decision (to inspect its events and audit), or a failure naming the refusal. */
export function accepted(decision: Decision): Accepted {
  if (!decision.ok) throw new FixtureError(decision.rejection.code, `refused: ${decision.rejection.code}`);
  return decision;
}

/** 'ok' or the rejection code: the shape the tests compare. */
export const outcome = (decision: Decision): string => (decision.ok ? 'ok' : decision.rejection.code);

/**
 * Shorthand: `act(state, who, action, now)` decides as a signed-in person at `now` (default T0), by
 * default in the standard room's context (REQUESTER's hand is up once the room is live).
 */
export const act = (
  state: RoomState,
  who: UserId,
  action: RoomAction,
  now = T0,
  ctx: Omit<RoomContext, 'now'> = standardCtx(state.status, T0),
): Decision => decide(state, user(who), action, { ...ctx, now });

/** A live room whose stage holds the host and `speakers` speakers (u1..un), no co-hosts. */
export function roomWithSpeakers(speakers: number, status: RoomStatus = 'live'): RoomState {
  let s = newRoom();
  for (const p of people(speakers)) s = onStage(s, p);
  return status === 'live' ? apply(s, [[user(HOST), { type: 'goLive' }]]) : s;
}
