/** @module rules-stage.test — hand raises under each speaker policy (the hands are rows outside the state: `raised` in the context says whose is up), approving and declining them, invitations and their refusals, and the stage limits (10 speakers, 13 in all). For tests only. */
import { describe, expect, it } from 'vitest';
import { asUserId } from './ids.ts';
import { LIMITS } from './limits.ts';
import {
  BLOCKED,
  COHOST,
  HOST,
  INVITEE,
  LISTENER,
  REMOVED,
  REQUESTER,
  SPEAKER,
  T0,
  accepted,
  act,
  apply,
  ctxAt,
  newRoom,
  outcome,
  roomWithSpeakers,
  standardRoom,
  user,
} from './room-fixtures.ts';
import { speakerCount, stageMember } from './room-queries.ts';

describe('raising a hand', () => {
  it('a listener raises a hand in a live room: the state is untouched, handRaised says who and when, with no audit entry', () => {
    const s = standardRoom('live');
    const d = accepted(act(s, LISTENER, { type: 'requestToSpeak' }, T0 + 3));
    expect(d.state).toBe(s);
    expect(d.events).toEqual([{ type: 'handRaised', userId: LISTENER, at: T0 + 3 }]);
    expect(d.audit).toEqual([]);
  });

  it('hands cannot be raised backstage (not_live)', () => {
    expect(outcome(act(standardRoom('backstage'), LISTENER, { type: 'requestToSpeak' }))).toBe('not_live');
  });

  it('under the followed policy only people the host follows may ask', () => {
    const s = apply(standardRoom('live'), [[user(HOST), { type: 'updateDetails', speakerPolicy: 'followed' }]]);
    const ctx = ctxAt(T0, { followed: [LISTENER] });
    expect(outcome(act(s, LISTENER, { type: 'requestToSpeak' }, T0, ctx))).toBe('ok');
    expect(outcome(act(s, INVITEE, { type: 'requestToSpeak' }, T0, ctx))).toBe('policy_forbids_request');
  });

  it('under the invited policy nobody may ask, not even someone the host follows', () => {
    const s = apply(standardRoom('live'), [[user(HOST), { type: 'updateDetails', speakerPolicy: 'invited' }]]);
    const ctx = ctxAt(T0, { followed: [LISTENER] });
    expect(outcome(act(s, LISTENER, { type: 'requestToSpeak' }, T0, ctx))).toBe('policy_forbids_request');
  });

  it('raising a hand already up is accepted and changes nothing (idempotent: its place in line is kept); a stage member is already_on_stage', () => {
    const s = standardRoom('live');
    const d = accepted(act(s, REQUESTER, { type: 'requestToSpeak' }, T0 + 9));
    expect(d.state).toBe(s);
    expect(d.events).toEqual([]);
    expect(outcome(act(s, SPEAKER, { type: 'requestToSpeak' }))).toBe('already_on_stage');
  });

  it('a blocked person cannot raise a hand', () => {
    expect(outcome(act(standardRoom('live'), BLOCKED, { type: 'requestToSpeak' }))).toBe('blocked_by_host');
  });

  it('the requester lowers their hand (handLowered); lowering a hand that is not up is accepted and changes nothing', () => {
    const s = standardRoom('live');
    const d = accepted(act(s, REQUESTER, { type: 'cancelRequest' }));
    expect(d.state).toBe(s);
    expect(d.events).toEqual([{ type: 'handLowered', userId: REQUESTER }]);
    const again = accepted(act(s, REQUESTER, { type: 'cancelRequest' }, T0, ctxAt(T0)));
    expect(again.state).toBe(s);
    expect(again.events).toEqual([]);
  });
});

describe('approving and declining hand raises', () => {
  it('an approved requester becomes the last speaker, muted by self and connected, and the hand is lowered', () => {
    const d = accepted(act(standardRoom('live'), COHOST, { type: 'approveRequest', target: REQUESTER }, T0 + 7));
    expect(d.state.stage.at(-1)).toEqual({
      userId: REQUESTER,
      role: 'speaker',
      muted: true,
      mutedBy: 'self',
      onStageSince: T0 + 7,
      roleSince: T0 + 7,
      connected: true,
      disconnectedAt: null,
    });
    expect(d.events).toEqual([{ type: 'stageChanged' }, { type: 'handLowered', userId: REQUESTER }]);
    expect(d.audit).toEqual([{ actor: COHOST, target: REQUESTER, action: 'request_approved', reason: '', at: T0 + 7 }]);
  });

  it('approving someone who also had an invitation uses the invitation up', () => {
    const s = standardRoom('live');
    const d = accepted(act(s, HOST, { type: 'approveRequest', target: INVITEE }, T0, ctxAt(T0, { raised: [INVITEE] })));
    expect(d.state.invites).toEqual([]);
    expect(d.events).toContainEqual({ type: 'invitesChanged' });
  });

  it('approving at 10 speakers is stage_full and changes nothing', () => {
    const s = roomWithSpeakers(LIMITS.speakers);
    expect(speakerCount(s)).toBe(10);
    expect(outcome(act(s, HOST, { type: 'approveRequest', target: LISTENER }, T0, ctxAt(T0, { raised: [LISTENER] })))).toBe('stage_full');
  });

  it('approving at 9 speakers fills the tenth seat', () => {
    const s = roomWithSpeakers(9);
    expect(speakerCount(accepted(act(s, HOST, { type: 'approveRequest', target: LISTENER }, T0, ctxAt(T0, { raised: [LISTENER] }))).state)).toBe(10);
  });

  it('approving or declining someone without a raised hand is no_request', () => {
    const s = standardRoom('live');
    expect(outcome(act(s, HOST, { type: 'approveRequest', target: LISTENER }))).toBe('no_request');
    expect(outcome(act(s, HOST, { type: 'declineRequest', target: LISTENER }))).toBe('no_request');
  });

  it('declining lowers the hand, tells the requester privately and is audited (the state itself is untouched)', () => {
    const s = standardRoom('live');
    const d = accepted(act(s, HOST, { type: 'declineRequest', target: REQUESTER }));
    expect(d.state).toBe(s);
    expect(stageMember(d.state, REQUESTER)).toBeUndefined();
    expect(d.events).toEqual([{ type: 'handLowered', userId: REQUESTER }, { type: 'requestDeclined', userId: REQUESTER }]);
    expect(d.audit).toEqual([{ actor: HOST, target: REQUESTER, action: 'request_declined', reason: '', at: T0 }]);
  });
});

describe('invitations', () => {
  it('a co-host invites a listener: the invitee is told privately and the invitation is audited', () => {
    const d = accepted(act(standardRoom('backstage'), COHOST, { type: 'invite', target: LISTENER }, T0 + 1));
    expect(d.state.invites.at(-1)).toEqual({ userId: LISTENER, invitedBy: COHOST, at: T0 + 1 });
    expect(d.events).toEqual([{ type: 'invited', userId: LISTENER, by: COHOST }, { type: 'invitesChanged' }]);
    expect(d.audit).toEqual([{ actor: COHOST, target: LISTENER, action: 'invited', reason: '', at: T0 + 1 }]);
  });

  it('invitations refuse self, removed people, stage members, blocked people and duplicates, in that order', () => {
    const s = standardRoom('live');
    expect(outcome(act(s, HOST, { type: 'invite', target: HOST }))).toBe('cannot_target_self');
    expect(outcome(act(s, HOST, { type: 'invite', target: REMOVED }))).toBe('removed_from_room');
    expect(outcome(act(s, HOST, { type: 'invite', target: SPEAKER }))).toBe('already_on_stage');
    expect(outcome(act(s, HOST, { type: 'invite', target: BLOCKED }))).toBe('blocked_by_host');
    expect(outcome(act(s, HOST, { type: 'invite', target: INVITEE }))).toBe('already_invited');
  });

  it('an invitation can be sent while the stage is full, but accepting it then is stage_full', () => {
    const s = apply(roomWithSpeakers(LIMITS.speakers), [[user(HOST), { type: 'invite', target: LISTENER }]]);
    expect(outcome(act(s, LISTENER, { type: 'acceptInvite' }))).toBe('stage_full');
  });

  it('the invitee accepts: they become a muted speaker, and a hand they had raised is lowered', () => {
    const s = standardRoom('live');
    const d = accepted(act(s, INVITEE, { type: 'acceptInvite' }, T0 + 2, ctxAt(T0, { raised: [INVITEE] })));
    expect(stageMember(d.state, INVITEE)).toMatchObject({ role: 'speaker', muted: true, mutedBy: 'self' });
    expect(d.state.invites).toEqual([]);
    expect(d.events).toEqual([{ type: 'stageChanged' }, { type: 'invitesChanged' }, { type: 'handLowered', userId: INVITEE }]);
    expect(d.audit).toEqual([{ actor: INVITEE, target: INVITEE, action: 'invite_accepted', reason: '', at: T0 + 2 }]);
  });

  it('an invitee or approved requester with no room connection open arrives disconnected since now, so the answer never shows them present', () => {
    const absent = ctxAt(T0 + 2, { withoutConnection: [INVITEE, REQUESTER], raised: [REQUESTER] });
    const invited = accepted(act(standardRoom('live'), INVITEE, { type: 'acceptInvite' }, T0 + 2, absent));
    expect(stageMember(invited.state, INVITEE)).toMatchObject({ connected: false, disconnectedAt: T0 + 2 });
    const approved = accepted(act(standardRoom('live'), HOST, { type: 'approveRequest', target: REQUESTER }, T0 + 2, absent));
    expect(stageMember(approved.state, REQUESTER)).toMatchObject({ connected: false, disconnectedAt: T0 + 2 });
  });

  it('an invitee whose room connection is open arrives connected', () => {
    const d = accepted(act(standardRoom('live'), INVITEE, { type: 'acceptInvite' }, T0 + 2));
    expect(stageMember(d.state, INVITEE)).toMatchObject({ connected: true, disconnectedAt: null });
  });

  it('accepting without an invitation is no_invite', () => {
    expect(outcome(act(standardRoom('live'), LISTENER, { type: 'acceptInvite' }))).toBe('no_invite');
  });

  it('the invitee declines: the invitation goes, with no audit entry', () => {
    const d = accepted(act(standardRoom('live'), INVITEE, { type: 'declineInvite' }));
    expect(d.state.invites).toEqual([]);
    expect(d.events).toEqual([{ type: 'invitesChanged' }]);
    expect(d.audit).toEqual([]);
  });

  it('a host or co-host withdraws an invitation and the invitee is told privately', () => {
    const d = accepted(act(standardRoom('live'), COHOST, { type: 'cancelInvite', target: INVITEE }));
    expect(d.state.invites).toEqual([]);
    expect(d.events).toEqual([{ type: 'inviteCancelled', userId: INVITEE }, { type: 'invitesChanged' }]);
    expect(d.audit).toEqual([{ actor: COHOST, target: INVITEE, action: 'invite_cancelled', reason: '', at: T0 }]);
    expect(outcome(act(d.state, COHOST, { type: 'cancelInvite', target: INVITEE }))).toBe('no_invite');
  });

  it('a blocked invitee cannot accept', () => {
    const s = apply(newRoom(), [[user(HOST), { type: 'invite', target: LISTENER }]]);
    expect(outcome(act(s, LISTENER, { type: 'acceptInvite' }, T0, ctxAt(T0, { blocked: [LISTENER] })))).toBe(
      'blocked_by_host',
    );
  });

  it('a full stage holds 13 people: the host, 2 co-hosts and 10 speakers; a 14th is stage_full', () => {
    const [c1, c2, c3] = [asUserId('c1'), asUserId('c2'), asUserId('c3')];
    const s = apply(roomWithSpeakers(LIMITS.speakers), [
      [user(HOST), { type: 'addCohost', target: asUserId('u1') }],
      [user(HOST), { type: 'invite', target: c1 }],
      [user(c1), { type: 'acceptInvite' }],
      [user(HOST), { type: 'addCohost', target: asUserId('u2') }],
      [user(HOST), { type: 'invite', target: c2 }],
      [user(c2), { type: 'acceptInvite' }],
      [user(HOST), { type: 'invite', target: c3 }],
    ]);
    expect(s.stage.map((m) => m.role)).toEqual(['host', 'cohost', 'cohost', ...Array<string>(10).fill('speaker')]);
    expect(outcome(act(s, c3, { type: 'acceptInvite' }))).toBe('stage_full');
  });
});
