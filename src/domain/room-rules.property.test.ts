/**
 * @module room-rules.property.test — random sequences of random actions by random people (and system
 * ticks as time jumps forward), checking the room's invariants after every single step. Actors and
 * targets are drawn partly from the current stage, hand raises and invitations, so most steps reach the
 * rules' interesting branches instead of bouncing off the authority check. The raised hands are rows
 * outside the state, as in the store: the test keeps them as a set, applies each decision's handRaised
 * and handLowered events to it, and hands it to the rules as `ctx.handRaised`. For tests only.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Decision } from './decision.ts';
import { asUserId } from './ids.ts';
import type { UserId } from './ids.ts';
import { LIMITS, REACTIONS } from './limits.ts';
import type { Actor, RoomAction, RoomActionType, RoomContext } from './room-actions.ts';
import { ANONYMOUS, SYSTEM, T0, apply, ctxAt, newRoom, onStage, scheduledRoom, user } from './room-fixtures.ts';
import { isAudible } from './room-queries.ts';
import { decide } from './room-rules.ts';
import { SPEAKER_POLICIES } from './room-state.ts';
import type { RoomState, StageRole } from './room-state.ts';

const POOL: readonly UserId[] = Array.from({ length: 16 }, (_, i) => asUserId(`p${i}`));
const FIRST_HOST = asUserId('p0');
const BLOCKED = [asUserId('p15')];
const FOLLOWED = [asUserId('p1'), asUserId('p2'), asUserId('p3'), asUserId('p4')];
const ctx = (now: number, hands: ReadonlySet<UserId>): RoomContext => ({
  ...ctxAt(now, { blocked: BLOCKED, followed: FOLLOWED }),
  handRaised: (id) => hands.has(id),
});

/** Actions whose every accepted change must leave an audit entry ... */
const AUDITED: ReadonlySet<RoomActionType> = new Set<RoomActionType>([
  'updateDetails', 'reschedule', 'cancel', 'start', 'goLive', 'end', 'approveRequest', 'declineRequest', 'invite', 'cancelInvite',
  'acceptInvite', 'stepDown', 'moveToAudience', 'muteMember', 'muteAll', 'addCohost', 'removeCohost',
  'handOver', 'remove', 'pin', 'unpin', 'tick', 'autoMute',
]);
/** ... and those that never leave one (a person's own microphone, hand, presence, reactions, reports). */
const NEVER_AUDITED: ReadonlySet<RoomActionType> = new Set<RoomActionType>([
  'join', 'requestToSpeak', 'cancelRequest', 'declineInvite', 'mute', 'unmute', 'react', 'report',
  'connect', 'disconnect',
]);

// ---- generation: references resolved against the state at the time of the step --------------------

type Source = 'host' | 'moderators' | 'cohosts' | 'stage' | 'unmuted' | 'requests' | 'invites' | 'removed' | 'pool';
/** 'fitting' picks from where a plausible actor or target of that action is, so fewer steps bounce off. */
interface Ref {
  readonly from: Source | 'fitting';
  readonly i: number;
}
const refArb: fc.Arbitrary<Ref> = fc.record({
  from: fc.oneof(
    { weight: 3, arbitrary: fc.constant('fitting' as const) },
    {
      weight: 2,
      arbitrary: fc.constantFrom<Source>('host', 'moderators', 'cohosts', 'stage', 'unmuted', 'requests', 'invites', 'removed', 'pool'),
    },
  ),
  i: fc.nat({ max: 15 }),
});

const FITTING_ACTOR: Record<RoomActionType, Source> = {
  join: 'pool', updateDetails: 'moderators', reschedule: 'host', cancel: 'host', start: 'host', goLive: 'moderators', end: 'host', requestToSpeak: 'pool',
  cancelRequest: 'requests', approveRequest: 'moderators', declineRequest: 'moderators', invite: 'moderators',
  cancelInvite: 'moderators', acceptInvite: 'invites', declineInvite: 'invites', stepDown: 'stage',
  moveToAudience: 'moderators', mute: 'stage', unmute: 'stage', muteMember: 'moderators', muteAll: 'moderators',
  addCohost: 'host', removeCohost: 'host', handOver: 'host', remove: 'moderators', pin: 'moderators',
  unpin: 'moderators', react: 'pool', report: 'pool', connect: 'stage', disconnect: 'stage', tick: 'pool', autoMute: 'pool',
};
const FITTING_TARGET: Record<RoomActionType, Source> = {
  ...FITTING_ACTOR,
  approveRequest: 'requests', declineRequest: 'requests', invite: 'pool', cancelInvite: 'invites',
  moveToAudience: 'stage', muteMember: 'unmuted', addCohost: 'stage', removeCohost: 'cohosts', handOver: 'cohosts',
  remove: 'pool', report: 'stage', autoMute: 'unmuted',
};

function resolve(state: RoomState, hands: ReadonlySet<UserId>, ref: Ref, fitting: Source): UserId {
  const cohosts = state.stage.filter((m) => m.role === 'cohost').map((m) => m.userId);
  const lists: Record<Source, readonly UserId[]> = {
    host: [state.hostId],
    moderators: [state.hostId, ...cohosts],
    cohosts,
    stage: state.stage.map((m) => m.userId),
    unmuted: state.stage.filter((m) => !m.muted && m.role !== 'host').map((m) => m.userId),
    requests: [...hands],
    invites: state.invites.map((v) => v.userId),
    removed: state.removed,
    pool: POOL,
  };
  const from = ref.from === 'fitting' ? fitting : ref.from;
  const list = lists[from].length > 0 ? lists[from] : POOL;
  return list[ref.i % list.length] ?? FIRST_HOST;
}

type Plan =
  | { readonly who: 'system' | 'anonymous'; readonly action: ActionPlan }
  | { readonly who: 'user'; readonly actor: Ref; readonly action: ActionPlan };
type ActionPlan = { readonly type: RoomActionType; readonly target: Ref; readonly text: string; readonly pick: number };

const TEXTS = ['', 'spam', '  New title  ', 'x'.repeat(71), 'x'.repeat(501), 'https://example.com/a',
  'https://example.com/b', 'HTTPS://EXAMPLE.com/a', 'https://example.com/c', 'https://example.com/d',
  'javascript:alert(1)'] as const;
/**
 * Every type equally often, except `end` and `remove`: a room that ends early makes the rest of its
 * sequence moot, and each removal shrinks the cast for good.
 */
const ACTION_TYPES: readonly RoomActionType[] = [...AUDITED, ...NEVER_AUDITED].flatMap((t) =>
  Array<RoomActionType>(t === 'end' || t === 'cancel' ? 1 : t === 'remove' || t === 'start' ? 2 : 4).fill(t),
);

const actionPlanArb: fc.Arbitrary<ActionPlan> = fc.record({
  type: fc.constantFrom(...ACTION_TYPES),
  target: refArb,
  text: fc.constantFrom(...TEXTS),
  pick: fc.nat({ max: 99 }),
});

const planArb: fc.Arbitrary<Plan> = fc.oneof(
  { weight: 12, arbitrary: fc.record({ who: fc.constant('user' as const), actor: refArb, action: actionPlanArb }) },
  { weight: 3, arbitrary: fc.record({ who: fc.constant('system' as const), action: actionPlanArb.map((a) => ({ ...a, type: 'tick' as const })) }) },
  // the server's ear muting someone: system-only, so the plans by people above never reach it
  { weight: 1, arbitrary: fc.record({ who: fc.constant('system' as const), action: actionPlanArb.map((a) => ({ ...a, type: 'autoMute' as const })) }) },
  { weight: 1, arbitrary: fc.record({ who: fc.constantFrom('system' as const, 'anonymous' as const), action: actionPlanArb }) },
);

/** Mostly small steps of time, sometimes jumps past the grace period or the hostless timeout. */
const dtArb = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 5_000 }) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: LIMITS.hostGraceMs + 1_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: LIMITS.hostGraceMs + LIMITS.hostlessMs + 1_000 }) },
  // scheduled rooms start 10 minutes after T0: these jumps reach the nudge and, now and then, missed
  { weight: 1, arbitrary: fc.integer({ min: 0, max: LIMITS.missedAfterMs / 2 }) },
);

const stepArb = fc.record({ plan: planArb, dt: dtArb });

function build(state: RoomState, hands: ReadonlySet<UserId>, plan: ActionPlan): RoomAction {
  const target = resolve(state, hands, plan.target, FITTING_TARGET[plan.type]);
  const { text, pick } = plan;
  switch (plan.type) {
    case 'join': case 'goLive': case 'end': case 'cancel': case 'start': case 'requestToSpeak': case 'cancelRequest': case 'acceptInvite':
    case 'declineInvite': case 'stepDown': case 'mute': case 'unmute': case 'muteAll': case 'connect':
    case 'disconnect': case 'tick':
      return { type: plan.type };
    case 'approveRequest': case 'declineRequest': case 'invite': case 'cancelInvite': case 'moveToAudience':
    case 'muteMember': case 'addCohost': case 'removeCohost': case 'handOver':
      return { type: plan.type, target };
    case 'reschedule':
      // around the current start time, some of it in the past (refused), rarely in another zone
      return { type: 'reschedule', startsAt: (state.schedule?.startsAt ?? T0) + (pick - 30) * 60_000, ...(pick % 10 === 0 && { timeZone: pick % 20 === 0 ? 'Asia/Tokyo' : 'Mars/Olympus' }) };
    case 'updateDetails':
      return pick % 2 === 0
        ? { type: 'updateDetails', speakerPolicy: SPEAKER_POLICIES[pick % 3] ?? 'everyone' }
        : { type: 'updateDetails', title: text };
    case 'remove':
      return { type: 'remove', target, reason: text };
    case 'autoMute':
      return { type: 'autoMute', target, cause: pick % 2 === 0 ? 'noisyMic' : 'echo' };
    case 'report':
      return { type: 'report', target: pick % 4 === 0 ? null : target, reason: text };
    case 'pin':
      return { type: 'pin', url: text };
    case 'unpin':
      return { type: 'unpin', url: pick % 2 === 0 ? (state.pins[pick % 3]?.url ?? text) : text };
    case 'react':
      return { type: 'react', reaction: REACTIONS[pick % REACTIONS.length] ?? '👏' };
  }
}

function actorOf(state: RoomState, hands: ReadonlySet<UserId>, plan: Plan): Actor {
  if (plan.who !== 'user') return plan.who === 'system' ? SYSTEM : ANONYMOUS;
  return user(resolve(state, hands, plan.actor, FITTING_ACTOR[plan.action.type]));
}

// ---- the invariants -------------------------------------------------------------------------------

const RANK: Record<StageRole, number> = { host: 0, cohost: 1, speaker: 2 };
const unique = (xs: readonly string[]): boolean => new Set(xs).size === xs.length;

class InvariantBroken extends Error {
  readonly code = 'invariant_broken';
}
/** Plain checks rather than `expect` in the hot loop: 30,000 steps must stay well under a few seconds. */
function invariant(holds: boolean, what: string): void {
  if (!holds) throw new InvariantBroken(what);
}

function checkState(s: RoomState, hands: ReadonlySet<UserId>): void {
  const hosts = s.stage.filter((m) => m.role === 'host');
  invariant(hosts.length === 1 && hosts[0]?.userId === s.hostId, 'exactly one host, on stage, matching hostId');
  invariant(s.stage[0]?.role === 'host', 'the host is listed first');
  invariant(s.stage.filter((m) => m.role === 'cohost').length <= LIMITS.cohosts, 'at most 2 co-hosts');
  invariant(s.stage.filter((m) => m.role === 'speaker').length <= LIMITS.speakers, 'at most 10 speakers');
  const onStage = s.stage.map((m) => m.userId);
  invariant(unique(onStage), 'nobody twice on stage');
  invariant(unique(s.invites.map((v) => v.userId)), 'one invitation per person');
  invariant(unique(s.removed), 'removed listed once');
  for (const r of s.removed) {
    invariant(!onStage.includes(r), 'a removed person is never on stage');
    invariant(!hands.has(r), 'a removed person has no hand raised');
    invariant(!s.invites.some((v) => v.userId === r), 'a removed person has no invitation');
  }
  for (const m of s.stage) {
    invariant(!hands.has(m.userId), 'a stage member has no hand raised');
    invariant(!s.invites.some((v) => v.userId === m.userId), 'a stage member has no invitation');
    invariant(m.connected === (m.disconnectedAt === null), 'disconnectedAt is set exactly while disconnected');
    const heard = isAudible(s, m.userId);
    const open = s.status === 'backstage' || s.status === 'live';
    invariant(heard.toStage === (!m.muted && open), 'heard by the stage iff unmuted and the room is open');
    invariant(heard.toProgram === (!m.muted && s.status === 'live'), 'heard in the program iff unmuted and live');
  }
  const ranks = s.stage.map((m) => RANK[m.role]);
  invariant(ranks.every((r, i) => i === 0 || (ranks[i - 1] ?? 0) <= r), 'host, then co-hosts, then speakers');
  invariant(s.pins.length <= LIMITS.pins && unique(s.pins.map((p) => p.url)), 'at most 3 distinct pins');
  invariant((s.status === 'ended') === (s.endedAt !== null), 'endedAt is set exactly when ended');
  if (s.status === 'scheduled') {
    invariant(s.schedule !== null, 'a scheduled room has its start time');
    invariant(s.stage.length === 1 && hands.size === 0 && s.invites.length === 0, 'nobody but the host before the start');
    invariant(s.liveAt === null, 'a scheduled room was never live');
  }
  if (s.endReason === 'cancelled' || s.endReason === 'missed') invariant(s.liveAt === null, 'only a room that never went live is cancelled or missed');
}

function checkStep(before: RoomState, snapshot: string, d: Decision, action: RoomAction, actor: Actor, now: number): void {
  invariant(JSON.stringify(before) === snapshot, 'deciding never mutates the state it was given');
  if (before.status === 'ended') {
    invariant(!d.ok && d.rejection.code === 'room_ended', 'an ended room refuses everything with room_ended');
    return;
  }
  if (!d.ok) return;
  if (d.state === before && d.events.length === 0) {
    invariant(d.audit.length === 0, 'an accepted no-op writes no audit entry');
    return;
  }
  if (AUDITED.has(action.type)) {
    invariant(d.audit.length >= 1, `an accepted ${action.type} writes an audit entry`);
    const who = actor.kind === 'user' ? actor.userId : null;
    for (const a of d.audit) invariant(a.actor === who && a.at === now, 'audit entries name the actor and now');
  }
  if (NEVER_AUDITED.has(action.type)) invariant(d.audit.length === 0, `${action.type} writes no audit entry`);
}

// ---- the properties -------------------------------------------------------------------------------

/** A live room already near capacity: the host, 2 co-hosts and 9 speakers, so full-stage rules get hit. */
function crowdedRoom(): RoomState {
  let s = newRoom({ host: FIRST_HOST });
  for (const p of POOL.slice(1, 11)) s = onStage(s, p);
  s = apply(s, [
    [user(FIRST_HOST), { type: 'addCohost', target: asUserId('p1') }],
    [user(FIRST_HOST), { type: 'addCohost', target: asUserId('p2') }],
  ]);
  return apply(onStage(s, asUserId('p11')), [[user(FIRST_HOST), { type: 'goLive' }]]);
}

const startArb = fc.record({
  // scheduled rooms allow few actions, so they get a smaller share: the other rules still need reaching
  kind: fc.oneof(
    { weight: 1, arbitrary: fc.constant('scheduled' as const) },
    { weight: 3, arbitrary: fc.constantFrom('backstage' as const, 'live' as const, 'crowded' as const) },
  ),
  policy: fc.constantFrom(...SPEAKER_POLICIES),
});

describe('room rules under random sequences of actions', () => {
  it('keep every invariant after every step of 500 random sequences of up to 60 actions, reaching every rule', () => {
    const changed = new Map<RoomActionType, number>();
    fc.assert(
      fc.property(startArb, fc.array(stepArb, { maxLength: 60, size: 'max' }), (start, steps) => {
        let state =
          start.kind === 'crowded' ? crowdedRoom()
          : start.kind === 'scheduled' ? scheduledRoom({ host: FIRST_HOST, startsAt: T0 + 10 * 60_000 })
          : newRoom({ host: FIRST_HOST, speakerPolicy: start.policy });
        if (start.kind === 'live') state = apply(state, [[user(FIRST_HOST), { type: 'goLive' }]]);
        let now = T0;
        const hands = new Set<UserId>();
        checkState(state, hands);
        for (const { plan, dt } of steps) {
          now += dt;
          const actor = actorOf(state, hands, plan);
          const action = build(state, hands, plan.action);
          const snapshot = JSON.stringify(state);
          const d = decide(state, actor, action, ctx(now, hands));
          checkStep(state, snapshot, d, action, actor, now);
          if (d.ok) {
            const handsBefore = hands.size;
            for (const ev of d.events) {
              if (ev.type === 'handRaised') {
                invariant(!hands.has(ev.userId), 'a hand goes up only when it was down');
                hands.add(ev.userId);
              }
              if (ev.type === 'handLowered') invariant(hands.delete(ev.userId), 'a hand comes down only when it was up');
            }
            if (d.state !== state || hands.size !== handsBefore || d.audit.length > 0) changed.set(action.type, (changed.get(action.type) ?? 0) + 1);
            state = d.state;
          }
          checkState(state, hands);
        }
      }),
      { numRuns: 500 },
    );
    // Guards the generator: a property that never reaches a rule proves nothing about it.
    const changing: RoomActionType[] = [...AUDITED, 'requestToSpeak', 'cancelRequest', 'declineInvite', 'mute', 'unmute', 'connect', 'disconnect'];
    expect(changing.filter((t) => (changed.get(t) ?? 0) === 0)).toEqual([]);
  });
});
