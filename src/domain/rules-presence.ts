/**
 * @module rules-presence — stage members' connections and what time does to a room: a host whose
 * connection stays down for LIMITS.hostGraceMs is replaced by the longest-serving connected co-host; a
 * live room with no reachable host or co-host ends LIMITS.hostlessMs after the grace period. Time comes
 * in as `ctx.now` on the system's `tick`; nothing here reads a clock. A room never has to end to change
 * who runs it.
 */
import type { Decision } from './decision.ts';
import type { UserId } from './ids.ts';
import { LIMITS } from './limits.ts';
import type { RoomContext } from './room-actions.ts';
import { stageMember } from './room-queries.ts';
import type { RoomState } from './room-state.ts';
import { accepted, audit, unchanged } from './rules-common.ts';
import { patchMember, swapHost } from './stage-edit.ts';

/** Listeners' connections are the delivery layer's business: for them this is an accepted no-op. */
export function connect(state: RoomState, by: UserId): Decision {
  const me = stageMember(state, by);
  if (me === undefined || me.connected) return unchanged(state);
  return accepted({ ...state, stage: patchMember(state.stage, by, { connected: true, disconnectedAt: null }) }, [
    { type: 'stageChanged' },
  ]);
}

/** A second disconnect keeps the first time: the grace period runs from when the connection was lost. */
export function disconnect(state: RoomState, by: UserId, ctx: RoomContext): Decision {
  const me = stageMember(state, by);
  if (me === undefined || !me.connected) return unchanged(state);
  return accepted(
    { ...state, stage: patchMember(state.stage, by, { connected: false, disconnectedAt: ctx.now }) },
    [{ type: 'stageChanged' }],
  );
}

export function tick(state: RoomState, ctx: RoomContext): Decision {
  const host = stageMember(state, state.hostId);
  if (host === undefined || host.connected || host.disconnectedAt === null) return unchanged(state);
  const graceOver = host.disconnectedAt + LIMITS.hostGraceMs;
  if (ctx.now < graceOver) return unchanged(state);

  const heir = longestServingConnectedCohost(state);
  if (heir !== undefined) {
    return accepted(
      swapHost(state, heir, ctx.now),
      [{ type: 'hostChanged', from: state.hostId, to: heir }, { type: 'stageChanged' }],
      [audit(null, 'host_taken_over', heir, ctx.now, 'host disconnected')],
    );
  }
  // Backstage costs the audience nothing, so it waits for its host; only a live room times out.
  if (state.status === 'live' && ctx.now >= graceOver + LIMITS.hostlessMs) {
    return accepted(
      { ...state, status: 'ended', endedAt: ctx.now, endReason: 'host_absent' },
      [{ type: 'statusChanged', status: 'ended' }],
      [audit(null, 'ended', null, ctx.now, 'host absent')],
    );
  }
  return unchanged(state);
}

/** Smallest roleSince wins; on a tie, the one listed first on the stage (who became co-host first). */
function longestServingConnectedCohost(state: RoomState): UserId | undefined {
  let best: (typeof state.stage)[number] | undefined;
  for (const m of state.stage) {
    if (m.role !== 'cohost' || !m.connected) continue;
    if (best === undefined || m.roleSince < best.roleSince) best = m;
  }
  return best?.userId;
}
