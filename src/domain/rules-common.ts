/**
 * @module rules-common — the few shapes every rule returns: accepted (new state, events, audit),
 * unchanged (same state object, so callers can skip the write) and refused (a coded rejection). Also the
 * one way to write an audit entry. Builds values only; never decides anything itself.
 */
import type { Decision } from './decision.ts';
import type { UserId } from './ids.ts';
import { reject } from './rejections.ts';
import type { RejectionCode } from './rejections.ts';
import type { AuditAction, AuditEntry, RoomEvent } from './room-events.ts';
import type { RoomState } from './room-state.ts';

export const refused = (code: RejectionCode, message: string): Decision => ({
  ok: false,
  rejection: reject(code, message),
});

/** Accepted with nothing to change: the very same state object comes back. */
export const unchanged = (state: RoomState, events: readonly RoomEvent[] = []): Decision => ({
  ok: true,
  state,
  events,
  audit: [],
});

export const accepted = (
  state: RoomState,
  events: readonly RoomEvent[],
  audit: readonly AuditEntry[] = [],
): Decision => ({ ok: true, state, events, audit });

/** One line of the permanent record. `actor` is null when the server acted (grace period, hostless end). */
export const audit = (
  actor: UserId | null,
  action: AuditAction,
  target: UserId | null,
  at: number,
  reason = '',
): AuditEntry => ({ actor, target, action, reason, at });
