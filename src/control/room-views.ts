/**
 * @module room-views — turns a room's domain state into what people see: the room view everyone
 * shares, one person's own place, and hand-raise rows as hosts and co-hosts see them. Pure functions of
 * state, rows, a name lookup and a listener count; never decides a rule.
 */
import type { UserId } from '../domain/ids.ts';
import { inviteOf, roleOf, soundGuardOf, stageMember } from '../domain/room-queries.ts';
import type { RoomState } from '../domain/room-state.ts';
import type { HandRaiseView, MyPlaceView, RoomView, UserView } from '../protocol/api-views.ts';
import type { HandRow } from '../store/hand-types.ts';

export type NameLookup = (id: UserId) => UserView;

export function roomView(state: RoomState, names: NameLookup, listenerCount: number): RoomView {
  return {
    id: state.id,
    title: state.title,
    topics: [...state.topics],
    description: state.description,
    speakerPolicy: state.speakerPolicy,
    status: state.status,
    createdAt: state.createdAt,
    liveAt: state.liveAt,
    endedAt: state.endedAt,
    endReason: state.endReason,
    schedule: state.schedule ? { startsAt: state.schedule.startsAt, timeZone: state.schedule.timeZone } : null,
    host: names(state.hostId),
    stage: state.stage.map((m) => ({
      user: names(m.userId),
      role: m.role,
      muted: m.muted,
      mutedBy: m.mutedBy,
      connected: m.connected,
    })),
    pins: state.pins.map((p) => ({ url: p.url, pinnedBy: p.pinnedBy, at: p.at })),
    listenerCount,
    soundGuard: { ...soundGuardOf(state) },
  };
}

/** `handRaised`: whether their row is in the queue (the queue is not in the state) */
export function myPlace(state: RoomState, userId: UserId | null, handRaised: boolean): MyPlaceView {
  if (userId === null) {
    return { role: 'listener', signedIn: false, handRaised: false, invited: false, muted: null, mutedBy: null };
  }
  const member = stageMember(state, userId);
  return {
    role: roleOf(state, userId),
    signedIn: true,
    handRaised: handRaised && stageMember(state, userId) === undefined,
    invited: inviteOf(state, userId) !== undefined,
    muted: member ? member.muted : null,
    mutedBy: member ? member.mutedBy : null,
  };
}

export const samePlace = (a: MyPlaceView, b: MyPlaceView): boolean =>
  a.role === b.role && a.handRaised === b.handRaised && a.invited === b.invited && a.muted === b.muted && a.mutedBy === b.mutedBy;

const TIER_NAMES = ['followed', 'spokeBefore', 'other'] as const;

export const handView = (row: HandRow, names: NameLookup): HandRaiseView => ({ user: names(row.userId), at: row.at, tier: TIER_NAMES[row.tier] });

/** everyone a room view may name (hand raisers are named per page: handView) */
export function namedIn(state: RoomState): UserId[] {
  return [state.hostId, ...state.stage.map((m) => m.userId), ...state.invites.map((i) => i.userId)];
}
