/**
 * @module error-status — the one table from error codes to HTTP statuses, and the JSON error body.
 * Every code the rules or the control layer can produce must appear here (the Record type makes a
 * missing one a compile error), so no refusal ever leaks out as a 500.
 */
import type { ErrorBody, ErrorCode } from '../protocol/api-views.ts';

export const STATUS_OF: Readonly<Record<ErrorCode, number>> = {
  bad_request: 400,
  invalid_json: 400,
  invalid_title: 400,
  invalid_topics: 400,
  invalid_description: 400,
  invalid_url: 400,
  invalid_reason: 400,
  invalid_reaction: 400,
  invalid_start_time: 400,
  invalid_time_zone: 400,
  cannot_target_self: 400,
  unauthorized: 401,
  not_signed_in: 401,
  bad_credentials: 401,
  not_a_host: 403,
  host_only: 403,
  removed_from_room: 403,
  blocked_by_host: 403,
  policy_forbids_request: 403,
  cannot_moderate_host: 403,
  cannot_moderate_cohost: 403,
  bad_origin: 403,
  not_found: 404,
  single_node: 409,
  room_not_found: 404,
  user_not_found: 404,
  no_request: 404,
  no_invite: 404,
  not_pinned: 404,
  handle_taken: 409,
  stage_full: 409,
  cohosts_full: 409,
  already_live: 409,
  already_on_stage: 409,
  already_requested: 409,
  already_invited: 409,
  already_cohost: 409,
  already_pinned: 409,
  pins_full: 409,
  not_live: 409,
  not_started: 409,
  not_scheduled: 409,
  schedule_missed: 409,
  not_on_stage: 409,
  not_in_room: 409,
  not_a_cohost: 409,
  host_cannot_step_down: 409,
  not_connected: 409,
  room_ended: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
};

export function errorBody(code: ErrorCode, message: string, field?: string): ErrorBody {
  return { error: field === undefined ? { code, message } : { code, message, field } };
}
