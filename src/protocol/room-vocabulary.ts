/**
 * @module room-vocabulary — the words of a room that clients need (reactions, limits, speaker
 * policies, statuses, roles), re-exported from domain so the web client depends on protocol alone and
 * the server's rules stay the single source. Re-exports only; never adds a rule.
 */
export { LIMITS, REACTIONS, type Reaction } from '../domain/limits.ts';
export { ROOM_STATUSES, SPEAKER_POLICIES, STAGE_ROLES, type RoomStatus, type SpeakerPolicy, type StageRole } from '../domain/room-state.ts';
