/** @module rules-mute.test — everyone arrives muted; self mute and unmute; moderators mute others but never the host and never unmute anyone; muteAll spares the host and the actor. For tests only. */
import { describe, expect, it } from 'vitest';
import { asUserId } from './ids.ts';
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
  onStage,
  outcome,
  standardCtx,
  standardRoom,
  user,
} from './room-fixtures.ts';
import { soundGuardOf, stageMember } from './room-queries.ts';
import { decide } from './room-rules.ts';
import type { RoomState } from './room-state.ts';

const everyoneUnmuted = (s: RoomState): RoomState =>
  apply(
    s,
    s.stage.map((m) => [user(m.userId), { type: 'unmute' }] as const),
  );

describe('mute', () => {
  it('everyone arrives on the stage muted by themself', () => {
    const s = standardRoom('live');
    expect(s.stage.every((m) => m.muted && m.mutedBy === 'self')).toBe(true);
  });

  it('a stage member unmutes and mutes themself with stageChanged and no audit entry', () => {
    const on = accepted(act(standardRoom('backstage'), SPEAKER, { type: 'unmute' }));
    expect(stageMember(on.state, SPEAKER)?.muted).toBe(false);
    expect(on.events).toEqual([{ type: 'stageChanged' }]);
    expect(on.audit).toEqual([]);
    const off = accepted(act(on.state, SPEAKER, { type: 'mute' }));
    expect(stageMember(off.state, SPEAKER)).toMatchObject({ muted: true, mutedBy: 'self' });
    expect(off.audit).toEqual([]);
  });

  it('someone off the stage has no microphone (not_on_stage)', () => {
    expect(outcome(act(standardRoom('live'), LISTENER, { type: 'unmute' }))).toBe('not_on_stage');
  });

  it('muting yourself when already muted is accepted and changes nothing', () => {
    const s = standardRoom('live');
    const d = accepted(act(s, SPEAKER, { type: 'mute' }));
    expect(d.state).toBe(s);
    expect(d.events).toEqual([]);
  });
});

describe('muting others', () => {
  it('a co-host mutes a speaker: mutedBy moderator, a private notice and an audit entry', () => {
    const s = everyoneUnmuted(standardRoom('live'));
    const d = accepted(act(s, COHOST, { type: 'muteMember', target: SPEAKER }, T0 + 6));
    expect(stageMember(d.state, SPEAKER)).toMatchObject({ muted: true, mutedBy: 'moderator' });
    expect(d.events).toEqual([{ type: 'stageChanged' }, { type: 'mutedByModerator', userId: SPEAKER, by: COHOST }]);
    expect(d.audit).toEqual([{ actor: COHOST, target: SPEAKER, action: 'muted_member', reason: '', at: T0 + 6 }]);
  });

  it('a co-host may mute another co-host, but nobody may mute the host', () => {
    const other = asUserId('cohost2');
    const s = everyoneUnmuted(
      apply(onStage(standardRoom('live'), other), [[user(HOST), { type: 'addCohost', target: other }]]),
    );
    expect(outcome(act(s, COHOST, { type: 'muteMember', target: other }))).toBe('ok');
    expect(outcome(act(s, COHOST, { type: 'muteMember', target: HOST }))).toBe('cannot_moderate_host');
  });

  it('muting someone already muted is accepted without an event or audit entry', () => {
    const s = standardRoom('live');
    const d = accepted(act(s, HOST, { type: 'muteMember', target: SPEAKER }));
    expect(d.state).toBe(s);
    expect(d.events).toEqual([]);
    expect(d.audit).toEqual([]);
  });

  it('muteMember needs a target on the stage other than the actor', () => {
    const s = standardRoom('live');
    expect(outcome(act(s, HOST, { type: 'muteMember', target: LISTENER }))).toBe('not_on_stage');
    expect(outcome(act(s, COHOST, { type: 'muteMember', target: COHOST }))).toBe('cannot_target_self');
  });

  it('a member muted by a moderator can unmute themself: nobody else can unmute them', () => {
    const s = apply(everyoneUnmuted(standardRoom('live')), [[user(HOST), { type: 'muteMember', target: SPEAKER }]]);
    expect(stageMember(accepted(act(s, SPEAKER, { type: 'unmute' })).state, SPEAKER)?.muted).toBe(false);
  });

  it('muteAll spares the host and the actor and writes one muted_all entry', () => {
    const extra = asUserId('extra');
    const s = everyoneUnmuted(onStage(standardRoom('live'), extra));
    const d = accepted(act(s, COHOST, { type: 'muteAll' }, T0 + 2));
    const muted = Object.fromEntries(d.state.stage.map((m) => [m.userId, m.muted]));
    expect(muted).toEqual({ [HOST]: false, [COHOST]: false, [SPEAKER]: true, [extra]: true });
    expect(d.events).toEqual([
      { type: 'stageChanged' },
      { type: 'mutedByModerator', userId: SPEAKER, by: COHOST },
      { type: 'mutedByModerator', userId: extra, by: COHOST },
    ]);
    expect(d.audit).toEqual([{ actor: COHOST, target: null, action: 'muted_all', reason: '', at: T0 + 2 }]);
  });

  it('muteAll by the host mutes the co-hosts too', () => {
    const d = accepted(act(everyoneUnmuted(standardRoom('live')), HOST, { type: 'muteAll' }));
    expect(d.state.stage.map((m) => m.muted)).toEqual([false, true, true]);
  });

  it('muteAll when everyone else is already muted changes nothing', () => {
    const s = standardRoom('live');
    expect(accepted(act(s, HOST, { type: 'muteAll' })).state).toBe(s);
  });
});

describe('autoMute (the server ear)', () => {
  const system = (s: RoomState, target: typeof HOST, cause: 'noisyMic' | 'echo' = 'noisyMic') =>
    decide(s, SYSTEM, { type: 'autoMute', target, cause }, standardCtx(s.status, T0 + 1));

  it('mutes an unmuted member, tells them why, and writes an audit entry with no actor and the cause', () => {
    const s = everyoneUnmuted(standardRoom('live'));
    const d = accepted(system(s, SPEAKER, 'echo'));
    expect(stageMember(d.state, SPEAKER)).toMatchObject({ muted: true, mutedBy: 'moderator' });
    expect(d.events).toContainEqual({ type: 'autoMuted', userId: SPEAKER, cause: 'echo' });
    expect(d.audit).toEqual([{ actor: null, target: SPEAKER, action: 'auto_muted', reason: 'echo', at: T0 + 1 }]);
  });

  it('may mute the host: a host\'s hot mic reaches the audience like anyone\'s', () => {
    const d = accepted(system(everyoneUnmuted(standardRoom('live')), HOST));
    expect(stageMember(d.state, HOST)?.muted).toBe(true);
  });

  it('changes nothing for someone already muted, and refuses someone off the stage', () => {
    const s = standardRoom('live');
    expect(accepted(system(s, SPEAKER)).state).toBe(s);
    expect(outcome(system(s, LISTENER))).toBe('not_on_stage');
  });

  it('is the server\'s alone: a host asking for it is refused', () => {
    expect(outcome(act(everyoneUnmuted(standardRoom('live')), HOST, { type: 'autoMute', target: SPEAKER, cause: 'noisyMic' }))).toBe('not_a_host');
  });

  it('the room\'s sound guard is off by default and a moderator changes it with updateDetails', () => {
    const s = standardRoom('live');
    expect(soundGuardOf(s)).toEqual({ autoMuteNoisy: false, echo: 'gate' });
    const d = accepted(act(s, COHOST, { type: 'updateDetails', soundGuard: { autoMuteNoisy: true } }));
    expect(soundGuardOf(d.state)).toEqual({ autoMuteNoisy: true, echo: 'gate' });
    expect(d.events).toEqual([{ type: 'detailsChanged' }]);
    expect(accepted(act(d.state, HOST, { type: 'updateDetails', soundGuard: { autoMuteNoisy: true } })).state).toBe(d.state);
    expect(outcome(act(s, SPEAKER, { type: 'updateDetails', soundGuard: { echo: 'mute' } }))).toBe('not_a_host');
  });
});
