/**
 * @module decision — the result of asking the rules: either the new state with what happened, or a
 * rejection. A decision that changes nothing (e.g. `join`) returns the same state object, so callers
 * can skip the write with `result.state === before`.
 */
import type { Rejection } from './rejections.ts';
import type { AuditEntry, RoomEvent } from './room-events.ts';
import type { RoomState } from './room-state.ts';

export type Decision =
  | {
      readonly ok: true;
      readonly state: RoomState;
      readonly events: readonly RoomEvent[];
      readonly audit: readonly AuditEntry[];
    }
  | { readonly ok: false; readonly rejection: Rejection };
