/**
 * @module room-views — turns a room's domain state into what people see: the room view everyone
 * shares, one person's own place, and the hand-raise queue for hosts and co-hosts. Pure functions of
 * state, a name lookup and a listener count; never decides a rule.
 */
import type { UserId } from '../domain/ids.ts';
import { inviteOf, requestOf, roleOf, stageMember } from '../domain/room-queries.ts';
import type { RoomState } from '../domain/room-state.ts';
import type { HandRaiseView, MyPlaceView, RoomView, UserView } from '../protocol/api-views.ts';

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
  };
}

export function myPlace(state: RoomState, userId: UserId | null): MyPlaceView {
  if (userId === null) {
    return { role: 'listener', signedIn: false, handRaised: false, invited: false, muted: null, mutedBy: null };
  }
  const member = stageMember(state, userId);
  return {
    role: roleOf(state, userId),
    signedIn: true,
    handRaised: requestOf(state, userId) !== undefined,
    invited: inviteOf(state, userId) !== undefined,
    muted: member ? member.muted : null,
    mutedBy: member ? member.mutedBy : null,
  };
}

export const samePlace = (a: MyPlaceView, b: MyPlaceView): boolean =>
  a.role === b.role && a.handRaised === b.handRaised && a.invited === b.invited && a.muted === b.muted && a.mutedBy === b.mutedBy;

export function requestsView(state: RoomState, names: NameLookup): HandRaiseView[] {
  return state.requests.map((r) => ({ user: names(r.userId), at: r.at }));
}

/** everyone a room view or a moderator's queue may name */
export function namedIn(state: RoomState): UserId[] {
  return [state.hostId, ...state.stage.map((m) => m.userId), ...state.requests.map((r) => r.userId), ...state.invites.map((i) => i.userId)];
}
