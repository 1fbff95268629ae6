/** @module rules-roles.test — stepping down, moving people to the audience, adding and removing co-hosts, and the host handover swap. For tests only. */
import { describe, expect, it } from 'vitest';
import { asUserId } from './ids.ts';
import { LIMITS } from './limits.ts';
import {
  COHOST,
  HOST,
  LISTENER,
  SPEAKER,
  T0,
  accepted,
  act,
  apply,
  outcome,
  onStage,
  roomWithSpeakers,
  standardRoom,
  user,
} from './room-fixtures.ts';
import { roleOf, speakerCount, stageMember } from './room-queries.ts';
import type { RoomState } from './room-state.ts';

const SECOND_COHOST = asUserId('cohost2');
/** The standard live room with a second co-host, so co-host-on-co-host rules can be tried. */
const twoCohosts = (): RoomState =>
  apply(onStage(standardRoom('live'), SECOND_COHOST), [[user(HOST), { type: 'addCohost', target: SECOND_COHOST }]]);
const order = (s: RoomState): string[] => s.stage.map((m) => `${m.role}:${m.userId}`);

describe('leaving the stage', () => {
  it('a speaker steps down back to the audience, audited as their own act', () => {
    const d = accepted(act(standardRoom('live'), SPEAKER, { type: 'stepDown' }));
    expect(roleOf(d.state, SPEAKER)).toBe('listener');
    expect(d.events).toEqual([{ type: 'stageChanged' }]);
    expect(d.audit).toEqual([{ actor: SPEAKER, target: SPEAKER, action: 'stepped_down', reason: '', at: T0 }]);
  });

  it('a co-host may step down; the host may not (host_cannot_step_down) and must hand over first', () => {
    const s = standardRoom('live');
    expect(roleOf(accepted(act(s, COHOST, { type: 'stepDown' })).state, COHOST)).toBe('listener');
    expect(outcome(act(s, HOST, { type: 'stepDown' }))).toBe('host_cannot_step_down');
  });
});

describe('moving people to the audience', () => {
  it('the host moves a co-host to the audience', () => {
    const d = accepted(act(standardRoom('live'), HOST, { type: 'moveToAudience', target: COHOST }));
    expect(roleOf(d.state, COHOST)).toBe('listener');
    expect(d.audit).toEqual([{ actor: HOST, target: COHOST, action: 'moved_to_audience', reason: '', at: T0 }]);
  });

  it('a co-host moves a speaker but not another co-host (cannot_moderate_cohost)', () => {
    const s = twoCohosts();
    expect(outcome(act(s, COHOST, { type: 'moveToAudience', target: SPEAKER }))).toBe('ok');
    expect(outcome(act(s, COHOST, { type: 'moveToAudience', target: SECOND_COHOST }))).toBe('cannot_moderate_cohost');
  });

  it('nobody can move the host (cannot_moderate_host)', () => {
    expect(outcome(act(standardRoom('live'), COHOST, { type: 'moveToAudience', target: HOST }))).toBe(
      'cannot_moderate_host',
    );
  });

  it('the target must be on the stage, and not the actor', () => {
    const s = standardRoom('live');
    expect(outcome(act(s, HOST, { type: 'moveToAudience', target: LISTENER }))).toBe('not_on_stage');
    expect(outcome(act(s, COHOST, { type: 'moveToAudience', target: COHOST }))).toBe('cannot_target_self');
  });
});

describe('co-hosts', () => {
  it('the host promotes a speaker, who moves behind the existing co-hosts and ahead of the speakers', () => {
    const s = onStage(standardRoom('live'), LISTENER);
    const d = accepted(act(s, HOST, { type: 'addCohost', target: LISTENER }, T0 + 4));
    expect(order(d.state)).toEqual(['host:host', 'cohost:cohost', `cohost:${LISTENER}`, 'speaker:speaker']);
    expect(stageMember(d.state, LISTENER)?.roleSince).toBe(T0 + 4);
    expect(d.audit).toEqual([{ actor: HOST, target: LISTENER, action: 'cohost_added', reason: '', at: T0 + 4 }]);
  });

  it('a third co-host is cohosts_full', () => {
    expect(outcome(act(twoCohosts(), HOST, { type: 'addCohost', target: SPEAKER }))).toBe('cohosts_full');
  });

  it('only a speaker on the stage can become a co-host, and only once', () => {
    const s = standardRoom('live');
    expect(outcome(act(s, HOST, { type: 'addCohost', target: LISTENER }))).toBe('not_on_stage');
    expect(outcome(act(s, HOST, { type: 'addCohost', target: COHOST }))).toBe('already_cohost');
    expect(outcome(act(s, HOST, { type: 'addCohost', target: HOST }))).toBe('cannot_target_self');
  });

  it('a removed co-host becomes the last speaker', () => {
    const d = accepted(act(standardRoom('live'), HOST, { type: 'removeCohost', target: COHOST }));
    expect(order(d.state)).toEqual(['host:host', 'speaker:speaker', 'speaker:cohost']);
    expect(d.audit).toEqual([{ actor: HOST, target: COHOST, action: 'cohost_removed', reason: '', at: T0 }]);
  });

  it('removeCohost with all speaker seats full sends the co-host to the audience', () => {
    let s = roomWithSpeakers(LIMITS.speakers);
    const extra = asUserId('extra');
    s = apply(s, [
      [user(HOST), { type: 'addCohost', target: asUserId('u1') }],
      [user(HOST), { type: 'invite', target: extra }],
      [user(extra), { type: 'acceptInvite' }],
    ]);
    expect(speakerCount(s)).toBe(LIMITS.speakers);
    const d = accepted(act(s, HOST, { type: 'removeCohost', target: asUserId('u1') }));
    expect(roleOf(d.state, asUserId('u1'))).toBe('listener');
    expect(speakerCount(d.state)).toBe(LIMITS.speakers);
  });

  it('removeCohost on anyone but a co-host is not_a_cohost', () => {
    expect(outcome(act(standardRoom('live'), HOST, { type: 'removeCohost', target: SPEAKER }))).toBe('not_a_cohost');
  });
});

describe('handing the room over', () => {
  it('handover swaps host and co-host: the co-host hosts, the old host co-hosts, nobody leaves the stage', () => {
    const s = twoCohosts();
    const d = accepted(act(s, HOST, { type: 'handOver', target: COHOST }, T0 + 8));
    expect(d.state.hostId).toBe(COHOST);
    expect(order(d.state)).toEqual([
      'host:cohost',
      `cohost:${SECOND_COHOST}`,
      'cohost:host',
      'speaker:speaker',
    ]);
    expect(stageMember(d.state, HOST)?.roleSince).toBe(T0 + 8);
    expect(d.events).toEqual([{ type: 'hostChanged', from: HOST, to: COHOST }, { type: 'stageChanged' }]);
    expect(d.audit).toEqual([{ actor: HOST, target: COHOST, action: 'host_handed_over', reason: '', at: T0 + 8 }]);
  });

  it('after a handover the new host holds the host-only powers and the old host does not', () => {
    const s = accepted(act(standardRoom('live'), HOST, { type: 'handOver', target: COHOST })).state;
    expect(outcome(act(s, HOST, { type: 'end' }))).toBe('host_only');
    expect(outcome(act(s, HOST, { type: 'stepDown' }))).toBe('ok');
    expect(outcome(act(s, COHOST, { type: 'end' }))).toBe('ok');
  });

  it('the room can be handed over backstage too, keeping each member muted as they were', () => {
    const s = apply(standardRoom('backstage'), [[user(HOST), { type: 'unmute' }]]);
    const d = accepted(act(s, HOST, { type: 'handOver', target: COHOST }));
    expect(stageMember(d.state, HOST)?.muted).toBe(false);
    expect(stageMember(d.state, COHOST)?.muted).toBe(true);
  });

  it('the room can be handed only to a co-host', () => {
    const s = standardRoom('live');
    expect(outcome(act(s, HOST, { type: 'handOver', target: SPEAKER }))).toBe('not_a_cohost');
    expect(outcome(act(s, HOST, { type: 'handOver', target: LISTENER }))).toBe('not_a_cohost');
    expect(outcome(act(s, HOST, { type: 'handOver', target: HOST }))).toBe('not_a_cohost');
  });
});
