/** @module rules-presence.test — stage presence, the host grace period and take-over by the longest-serving connected co-host, and the hostless end of a live room; time comes in as `now`, nothing sleeps. For tests only. */
import { describe, expect, it } from 'vitest';
import { asUserId } from './ids.ts';
import { LIMITS } from './limits.ts';
import {
  COHOST,
  HOST,
  LISTENER,
  SPEAKER,
  SYSTEM,
  T0,
  accepted,
  act,
  apply,
  ctxAt,
  onStage,
  outcome,
  standardRoom,
  user,
} from './room-fixtures.ts';
import { decide } from './room-rules.ts';
import { roleOf, stageMember } from './room-queries.ts';
import type { RoomState } from './room-state.ts';

const GRACE = LIMITS.hostGraceMs;
const HOSTLESS = LIMITS.hostlessMs;
const tick = (s: RoomState, now: number) => accepted(decide(s, SYSTEM, { type: 'tick' }, ctxAt(now)));
const disconnect = (s: RoomState, who = HOST, at = T0): RoomState =>
  apply(s, [[user(who), { type: 'disconnect' }]], ctxAt(at));

/** The standard room plus a second co-host promoted later, so the two co-hosts differ in service time. */
const LATER_COHOST = asUserId('cohost2');
function withTwoCohosts(status: 'backstage' | 'live'): RoomState {
  const s = onStage(standardRoom(status), LATER_COHOST, ctxAt(T0 + 100));
  return apply(s, [[user(HOST), { type: 'addCohost', target: LATER_COHOST }]], ctxAt(T0 + 100));
}

describe('connections', () => {
  it('a stage member disconnecting and reconnecting updates presence with stageChanged and no audit', () => {
    const off = accepted(act(standardRoom('live'), SPEAKER, { type: 'disconnect' }, T0 + 5));
    expect(stageMember(off.state, SPEAKER)).toMatchObject({ connected: false, disconnectedAt: T0 + 5 });
    expect(off.events).toEqual([{ type: 'stageChanged' }]);
    expect(off.audit).toEqual([]);
    const on = accepted(act(off.state, SPEAKER, { type: 'connect' }, T0 + 9));
    expect(stageMember(on.state, SPEAKER)).toMatchObject({ connected: true, disconnectedAt: null });
  });

  it('a second disconnect keeps the time of the first', () => {
    const s = disconnect(standardRoom('live'), SPEAKER, T0 + 5);
    expect(accepted(act(s, SPEAKER, { type: 'disconnect' }, T0 + 50)).state).toBe(s);
  });

  it("a listener's connect and disconnect are accepted and change nothing", () => {
    const s = standardRoom('live');
    expect(accepted(act(s, LISTENER, { type: 'connect' })).state).toBe(s);
    expect(accepted(act(s, LISTENER, { type: 'disconnect' })).state).toBe(s);
  });
});

describe('the host grace period', () => {
  it('a tick before the grace period is over changes nothing', () => {
    const s = disconnect(standardRoom('live'));
    expect(tick(s, T0 + GRACE - 1).state).toBe(s);
  });

  it('after the grace period the connected co-host takes over and the old host becomes a co-host', () => {
    const s = disconnect(standardRoom('live'));
    const d = tick(s, T0 + GRACE);
    expect(d.state.hostId).toBe(COHOST);
    expect(d.state.stage.map((m) => `${m.role}:${m.userId}`)).toEqual(['host:cohost', 'cohost:host', 'speaker:speaker']);
    expect(d.events).toEqual([{ type: 'hostChanged', from: HOST, to: COHOST }, { type: 'stageChanged' }]);
    expect(d.audit).toEqual([
      { actor: null, target: COHOST, action: 'host_taken_over', reason: 'host disconnected', at: T0 + GRACE },
    ]);
  });

  it('grace-period take-over picks the longest-serving connected co-host', () => {
    const s = disconnect(withTwoCohosts('live'));
    expect(tick(s, T0 + GRACE).state.hostId).toBe(COHOST);
  });

  it('a disconnected co-host is passed over for a connected one, however long it served', () => {
    const s = disconnect(disconnect(withTwoCohosts('live')), COHOST);
    expect(tick(s, T0 + GRACE).state.hostId).toBe(LATER_COHOST);
  });

  it('a host that reconnects within the grace period keeps the role', () => {
    const s = apply(disconnect(standardRoom('live')), [[user(HOST), { type: 'connect' }]], ctxAt(T0 + GRACE - 1));
    const later = tick(s, T0 + GRACE + HOSTLESS + 1);
    expect(later.state).toBe(s);
    expect(s.hostId).toBe(HOST);
  });

  it('the old host reconnecting after a take-over stays a co-host', () => {
    const taken = tick(disconnect(standardRoom('live')), T0 + GRACE).state;
    const back = accepted(act(taken, HOST, { type: 'connect' }, T0 + GRACE + 1)).state;
    expect(roleOf(back, HOST)).toBe('cohost');
    expect(back.hostId).toBe(COHOST);
  });

  it('take-over happens backstage too', () => {
    expect(tick(disconnect(standardRoom('backstage')), T0 + GRACE).state.hostId).toBe(COHOST);
  });
});

describe('a room without a host', () => {
  /** a live room whose only co-host left, then whose host disconnected */
  const hostless = (status: 'backstage' | 'live'): RoomState =>
    disconnect(apply(standardRoom(status), [[user(COHOST), { type: 'stepDown' }]]));

  it('a hostless live room ends 5 minutes after the grace period, as host_absent by nobody', () => {
    const s = hostless('live');
    expect(tick(s, T0 + GRACE + HOSTLESS - 1).state).toBe(s);
    const d = tick(s, T0 + GRACE + HOSTLESS);
    expect(d.state).toMatchObject({ status: 'ended', endReason: 'host_absent', endedAt: T0 + GRACE + HOSTLESS });
    expect(d.events).toEqual([{ type: 'statusChanged', status: 'ended' }]);
    expect(d.audit).toEqual([
      { actor: null, target: null, action: 'ended', reason: 'host absent', at: T0 + GRACE + HOSTLESS },
    ]);
  });

  it('a backstage room is not ended by time', () => {
    const s = hostless('backstage');
    expect(tick(s, T0 + 7 * 24 * 3_600_000).state).toBe(s);
  });

  it('when all co-hosts are disconnected the live room waits, then ends', () => {
    const s = disconnect(disconnect(standardRoom('live')), COHOST);
    expect(tick(s, T0 + GRACE).state).toBe(s);
    expect(tick(s, T0 + GRACE + HOSTLESS).state.status).toBe('ended');
  });

  it('a co-host who reconnects after the grace period takes over instead of the room ending', () => {
    const s = apply(disconnect(disconnect(standardRoom('live')), COHOST), [[user(COHOST), { type: 'connect' }]], ctxAt(T0 + GRACE + 10));
    const d = tick(s, T0 + GRACE + HOSTLESS + 10);
    expect(d.state.status).toBe('live');
    expect(d.state.hostId).toBe(COHOST);
  });

  it('a host that reconnects before the hostless timeout keeps the room and the role', () => {
    const s = apply(hostless('live'), [[user(HOST), { type: 'connect' }]], ctxAt(T0 + GRACE + HOSTLESS - 1));
    expect(tick(s, T0 + GRACE + HOSTLESS).state).toBe(s);
  });

  it('only the server ticks: a host asking is not_a_host', () => {
    expect(outcome(act(standardRoom('live'), HOST, { type: 'tick' }))).toBe('not_a_host');
  });
});
