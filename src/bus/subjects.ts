/**
 * @module subjects — the NATS subjects of a cluster, in one place: per room its events
 * (`amphi.room.<id>.events`), its program (`amphi.room.<id>.program`), its origin's media plane and its
 * stage members' messages; for the whole cluster its revocations (`amphi.revocations`) and their sync
 * (`amphi.revocations.sync`), the nodes' presence reports (`amphi.presence`) and the reactions they
 * counted (`amphi.reactions`); per person their live events (`amphi.user.<id>`). Room ids are UUIDs; anything else is hex-encoded so that no id can add
 * or widen a subject's tokens.
 */
const roomToken = (roomId: string): string => (/^[A-Za-z0-9_-]+$/.test(roomId) ? roomId : `x${Buffer.from(roomId, 'utf8').toString('hex')}`);

export const roomEventsSubject = (roomId: string): string => `amphi.room.${roomToken(roomId)}.events`;
export const programSubject = (roomId: string): string => `amphi.room.${roomToken(roomId)}.program`;
/** every room's events: what each node subscribes to */
export const ROOM_EVENTS_WILDCARD = 'amphi.room.*.events';
/** requests to the media plane of a room's origin (only the lease holder answers) */
export const mediaSubject = (roomId: string): string => `amphi.room.${roomToken(roomId)}.media`;
/** messages for a room's stage members, delivered by whichever node holds their socket */
export const memberSubject = (roomId: string): string => `amphi.room.${roomToken(roomId)}.member`;
export const MEMBER_WILDCARD = 'amphi.room.*.member';

/** removals and blocks, from every node to every node (not per room: a node must refuse a token for a room it does not serve yet) */
export const REVOCATIONS_SUBJECT = 'amphi.revocations';
/** a node that (re)connects asks here what the others hold, and tells them what it holds */
export const REVOCATIONS_SYNC_SUBJECT = 'amphi.revocations.sync';
/** what a room's origin hears of its stage: who is speaking, hot mics, echo, the floor (sent on a change) */
export const soundSubject = (roomId: string): string => `amphi.room.${roomToken(roomId)}.sound`;
export const SOUND_WILDCARD = 'amphi.room.*.sound';
/** every node's presence report, once per second each: one subject, every node subscribed */
export const PRESENCE_SUBJECT = 'amphi.presence';
/** the reactions each node counted, at most once per tick each, every room in one message */
export const REACTIONS_SUBJECT = 'amphi.reactions';
/** one person's live channel (notifications, a go-live fan-out's progress): only nodes holding a stream of theirs subscribe */
export const userSubject = (userId: string): string => `amphi.user.${roomToken(userId)}`;
