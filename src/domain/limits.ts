/**
 * @module limits — every number that shapes a room, in one place a newcomer can read. Durations are
 * milliseconds; the rules receive `now` and never read a clock.
 */
export const LIMITS = {
  /** co-hosts beside the one host */
  cohosts: 2,
  /** speakers beside host and co-hosts: the stage holds at most 1 + 2 + 10 = 13 */
  speakers: 10,
  titleMaxChars: 70,
  descriptionMaxChars: 280,
  topics: 3,
  topicMaxChars: 30,
  pins: 3,
  pinUrlMaxChars: 2048,
  reportReasonMaxChars: 500,
  removeReasonMaxChars: 500,
  /** how long a disconnected host keeps the role before the longest-serving connected co-host takes it */
  hostGraceMs: 60_000,
  /** how long a live room runs with no host (after the grace period) before it ends */
  hostlessMs: 5 * 60_000,
  /** reactions per person per second; more are dropped, never queued */
  reactionsPerSecond: 5,
  /** hand raises and lowers per person per room in `handChangeWindowMs`; more are refused (toggling spam) */
  handChanges: 6,
  handChangeWindowMs: 30_000,
  /** how far ahead a room may be scheduled */
  scheduleAheadMs: 30 * 24 * 3600_000,
  /** a scheduled room not started this long after its start time is marked missed */
  missedAfterMs: 3600_000,
} as const;

/** The fixed set of reactions (as on X/Twitter Spaces). */
export const REACTIONS = ['💯', '😂', '👏', '❤️', '🔥', '👋', '✊', '🤔'] as const;
export type Reaction = (typeof REACTIONS)[number];
