/**
 * @module error-text — the one table from error codes to the sentences people read. Every error the
 * app shows goes through `errorText`, so a raw code never reaches the screen; a code missing here falls
 * back to the server's own sentence, then to a generic one.
 */
import { isApiError } from './api-error.ts';

const TEXT: Readonly<Record<string, string>> = {
  // signing in and accounts
  not_signed_in: 'Sign in to do that. Listening needs no account.',
  unauthorized: 'You are signed out. Sign in to do that.',
  bad_credentials: 'That handle and password do not match.',
  handle_taken: 'That handle is taken. Try another one.',
  user_not_found: 'There is nobody with that handle.',
  bad_origin: 'This request came from another site and was refused. Reload the page.',
  // rooms
  room_not_found: 'This room does not exist. The link may be wrong.',
  room_ended: 'This room has ended.',
  removed_from_room: 'You were removed from this room.',
  blocked_by_host: 'The host has blocked you, so you cannot join this room.',
  not_live: 'The room is not live yet.',
  already_live: 'The room is already live.',
  not_a_host: 'Only the host or a co-host can do that.',
  host_only: 'Only the host can do that.',
  not_in_room: 'You are not in this room.',
  not_on_stage: 'That person is not on the stage.',
  stage_full: 'The stage is full. Someone has to leave it first.',
  cohosts_full: 'A room can have at most 2 co-hosts.',
  already_on_stage: 'Already on the stage.',
  already_requested: 'Your hand is already raised.',
  no_request: 'That request is no longer there.',
  already_invited: 'That person is already invited.',
  no_invite: 'That invitation is no longer there.',
  policy_forbids_request: 'In this room, only people the host follows or invites can speak.',
  host_cannot_step_down: 'Hand the room over to a co-host before you leave the stage.',
  cannot_target_self: 'You cannot do that to yourself.',
  cannot_moderate_host: 'Nobody can do that to the host.',
  cannot_moderate_cohost: 'Only the host can do that to a co-host.',
  not_a_cohost: 'That person is not a co-host.',
  already_cohost: 'That person is already a co-host.',
  not_connected: 'That person is not connected right now.',
  // scheduled rooms
  not_started: 'This room is scheduled and has not started yet.',
  not_scheduled: 'Only a scheduled room that has not started can be changed or started.',
  schedule_missed: 'The start time passed more than an hour ago. Schedule the room again.',
  invalid_start_time: 'Pick a start time in the future.',
  invalid_time_zone: 'That time zone is not recognised.',
  // input
  invalid_title: 'The title needs 1 to 70 characters.',
  invalid_topics: 'Use up to 3 topics of at most 30 characters each.',
  invalid_description: 'The description can be at most 280 characters.',
  invalid_url: 'That does not look like a web link (it must start with https:// or http://).',
  invalid_reason: 'The reason is too long (at most 500 characters).',
  already_pinned: 'That link is already pinned.',
  pins_full: 'At most 3 links can be pinned. Unpin one first.',
  not_pinned: 'That link is not pinned any more.',
  invalid_reaction: 'That reaction is not available.',
  // transport
  bad_request: 'Some of that is not right. Check it and try again.',
  invalid_json: 'The app sent something the server could not read. Reload the page.',
  not_found: 'There is nothing at this address.',
  rate_limited: 'Too many tries. Wait a moment and try again.',
  payload_too_large: 'That is too long.',
  unsupported_media_type: 'The app sent something the server could not read. Reload the page.',
  internal: 'Something went wrong on our side. Try again.',
  unavailable: 'Amphi is busy right now. Try again in a moment.',
  single_node: 'This server is not part of a cluster, so there is nowhere to move its listeners. Stop it instead.',
  network: 'You seem to be offline. Check your connection and try again.',
  timeout: 'The server is slow to answer. Try again.',
  connection_lost: 'The connection dropped. Try again once it is back.',
  bad_response: 'The server sent an answer we did not understand. Reload the page.',
};

const GENERIC = 'Something went wrong. Try again.';

/** the sentence for a code; `serverMessage` is used only for codes this table does not know */
export function textForCode(code: string, serverMessage?: string): string {
  return TEXT[code] ?? (serverMessage !== undefined && serverMessage !== '' ? serverMessage : GENERIC);
}

/** the sentence for anything thrown by the api or a room action */
export function errorText(err: unknown): string {
  if (isApiError(err)) {
    // validation errors name the field; the server's sentence is more precise than a code here
    if (err.code === 'bad_request') return err.message || GENERIC;
    return textForCode(err.code, err.message);
  }
  return GENERIC;
}
