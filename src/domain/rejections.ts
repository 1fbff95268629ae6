/**
 * @module rejections — why the rules said no. Every refusal is a value with a stable machine-readable
 * code and a sentence a person understands; transport/ maps codes to HTTP statuses and WS error frames
 * in one table. Nothing here throws.
 */
export const REJECTION_CODES = [
  // who you are
  'not_signed_in',
  'not_a_host',
  'host_only',
  'not_in_room',
  'not_on_stage',
  'removed_from_room',
  'blocked_by_host',
  // lifecycle
  'room_ended',
  'not_live',
  'already_live',
  'not_started',
  'not_scheduled',
  'schedule_missed',
  // stage
  'stage_full',
  'cohosts_full',
  'already_on_stage',
  'already_requested',
  'no_request',
  'already_invited',
  'no_invite',
  'policy_forbids_request',
  'host_cannot_step_down',
  'cannot_target_self',
  'cannot_moderate_host',
  'cannot_moderate_cohost',
  'not_a_cohost',
  'already_cohost',
  'not_connected',
  // input
  'invalid_title',
  'invalid_topics',
  'invalid_description',
  'invalid_url',
  'invalid_reason',
  'already_pinned',
  'pins_full',
  'not_pinned',
  'invalid_reaction',
  'invalid_start_time',
  'invalid_time_zone',
] as const;

export type RejectionCode = (typeof REJECTION_CODES)[number];

export interface Rejection {
  readonly code: RejectionCode;
  readonly message: string;
}

export const reject = (code: RejectionCode, message: string): Rejection => ({ code, message });
