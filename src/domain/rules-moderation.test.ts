/** @module rules-moderation.test — removal and what it clears, who may remove whom, reports, reactions and pinned links. For tests only. */
import { describe, expect, it } from 'vitest';
import { asUserId } from './ids.ts';
import { LIMITS } from './limits.ts';
import type { RoomAction } from './room-actions.ts';
import {
  BLOCKED,
  BYSTANDER,
  COHOST,
  HOST,
  INVITEE,
  LISTENER,
  PINNED_URL,
  REMOVED,
  REQUESTER,
  SPEAKER,
  T0,
  accepted,
  act,
  apply,
  onStage,
  outcome,
  standardRoom,
  user,
} from './room-fixtures.ts';
import { roleOf } from './room-queries.ts';

describe('removing people', () => {
  it('a removed speaker leaves the stage for good: removed event, audit entry with the reason', () => {
    const d = accepted(act(standardRoom('live'), COHOST, { type: 'remove', target: SPEAKER, reason: '  spam  ' }, T0 + 1));
    expect(roleOf(d.state, SPEAKER)).toBe('removed');
    expect(d.state.stage.some((m) => m.userId === SPEAKER)).toBe(false);
    expect(d.events).toEqual([{ type: 'removed', userId: SPEAKER }, { type: 'stageChanged' }]);
    expect(d.audit).toEqual([{ actor: COHOST, target: SPEAKER, action: 'removed', reason: 'spam', at: T0 + 1 }]);
  });

  it('a removed person can never rejoin, raise a hand or be invited back', () => {
    const s = accepted(act(standardRoom('live'), HOST, { type: 'remove', target: SPEAKER, reason: '' })).state;
    expect(outcome(act(s, SPEAKER, { type: 'join' }))).toBe('removed_from_room');
    expect(outcome(act(s, SPEAKER, { type: 'requestToSpeak' }))).toBe('removed_from_room');
    expect(outcome(act(s, HOST, { type: 'invite', target: SPEAKER }))).toBe('removed_from_room');
  });

  it('removing a listener with a raised hand lowers it; removing an invitee withdraws the invitation', () => {
    const s = standardRoom('live');
    const r = accepted(act(s, HOST, { type: 'remove', target: REQUESTER, reason: '' }));
    expect(r.events).toEqual([{ type: 'removed', userId: REQUESTER }, { type: 'handLowered', userId: REQUESTER }]);
    const i = accepted(act(s, HOST, { type: 'remove', target: INVITEE, reason: '' }));
    expect(i.state.invites).toEqual([]);
    expect(i.events).toEqual([{ type: 'removed', userId: INVITEE }, { type: 'invitesChanged' }]);
  });

  it('a listener who is not on stage can be removed too', () => {
    const d = accepted(act(standardRoom('live'), COHOST, { type: 'remove', target: LISTENER, reason: 'abuse' }));
    expect(d.state.removed).toContain(LISTENER);
    expect(d.events).toEqual([{ type: 'removed', userId: LISTENER }]);
  });

  it('the host can remove a co-host; a co-host cannot remove another co-host or the host', () => {
    const other = asUserId('cohost2');
    const s = apply(onStage(standardRoom('live'), other), [[user(HOST), { type: 'addCohost', target: other }]]);
    expect(outcome(act(s, COHOST, { type: 'remove', target: other, reason: '' }))).toBe('cannot_moderate_cohost');
    expect(outcome(act(s, COHOST, { type: 'remove', target: HOST, reason: '' }))).toBe('cannot_moderate_host');
    expect(outcome(act(s, HOST, { type: 'remove', target: other, reason: '' }))).toBe('ok');
  });

  it('nobody can remove themself', () => {
    expect(outcome(act(standardRoom('live'), HOST, { type: 'remove', target: HOST, reason: '' }))).toBe(
      'cannot_target_self',
    );
  });

  it('a reason of 500 characters is accepted and 501 is invalid_reason', () => {
    const s = standardRoom('live');
    const max = LIMITS.removeReasonMaxChars;
    expect(outcome(act(s, HOST, { type: 'remove', target: SPEAKER, reason: 'x'.repeat(max) }))).toBe('ok');
    expect(outcome(act(s, HOST, { type: 'remove', target: SPEAKER, reason: 'x'.repeat(max + 1) }))).toBe('invalid_reason');
  });

  it('removing someone already removed is accepted and changes nothing', () => {
    const s = standardRoom('live');
    const d = accepted(act(s, HOST, { type: 'remove', target: REMOVED, reason: 'again' }));
    expect(d.state).toBe(s);
    expect(d.audit).toEqual([]);
  });
});

describe('reports', () => {
  it('a report is checked, trimmed and emitted, and changes nothing in the room', () => {
    const s = standardRoom('live');
    const d = accepted(act(s, LISTENER, { type: 'report', target: BYSTANDER, reason: '  hate speech ' }));
    expect(d.state).toBe(s);
    expect(d.events).toEqual([{ type: 'reported', by: LISTENER, target: BYSTANDER, reason: 'hate speech' }]);
    expect(d.audit).toEqual([]);
  });

  it('a report about the room itself has a null target', () => {
    expect(outcome(act(standardRoom('live'), LISTENER, { type: 'report', target: null, reason: 'scam' }))).toBe('ok');
  });

  it('removed and blocked people may still report', () => {
    const s = standardRoom('live');
    expect(outcome(act(s, REMOVED, { type: 'report', target: HOST, reason: 'unfair' }))).toBe('ok');
    expect(outcome(act(s, BLOCKED, { type: 'report', target: HOST, reason: 'unfair' }))).toBe('ok');
  });

  it('a blank or over-long reason is invalid_reason; reporting yourself is cannot_target_self', () => {
    const s = standardRoom('live');
    expect(outcome(act(s, LISTENER, { type: 'report', target: null, reason: '   ' }))).toBe('invalid_reason');
    const long = 'x'.repeat(LIMITS.reportReasonMaxChars + 1);
    expect(outcome(act(s, LISTENER, { type: 'report', target: null, reason: long }))).toBe('invalid_reason');
    expect(outcome(act(s, LISTENER, { type: 'report', target: LISTENER, reason: 'me' }))).toBe('cannot_target_self');
  });
});

describe('reactions', () => {
  it('a reaction in a live room is emitted to be counted, without a state change or audit entry', () => {
    const s = standardRoom('live');
    const d = accepted(act(s, LISTENER, { type: 'react', reaction: '🔥' }));
    expect(d.state).toBe(s);
    expect(d.events).toEqual([{ type: 'reacted', reaction: '🔥' }]);
    expect(d.audit).toEqual([]);
  });

  it('reactions wait for the room to go live (not_live)', () => {
    expect(outcome(act(standardRoom('backstage'), HOST, { type: 'react', reaction: '🔥' }))).toBe('not_live');
  });

  it('a reaction outside the fixed set is invalid_reaction', () => {
    // The wire schema already refuses it; the rules check again because they trust no caller.
    const odd: RoomAction = JSON.parse('{"type":"react","reaction":"💩"}') as RoomAction;
    expect(outcome(act(standardRoom('live'), LISTENER, odd))).toBe('invalid_reaction');
  });
});

describe('pins', () => {
  it('a co-host pins a link, stored normalised, with pinsChanged and an audit entry naming it', () => {
    const d = accepted(act(standardRoom('live'), COHOST, { type: 'pin', url: ' HTTPS://Example.COM/b ' }, T0 + 3));
    expect(d.state.pins.at(-1)).toEqual({ url: 'https://example.com/b', pinnedBy: COHOST, at: T0 + 3 });
    expect(d.events).toEqual([{ type: 'pinsChanged' }]);
    expect(d.audit).toEqual([
      { actor: COHOST, target: null, action: 'pinned', reason: 'https://example.com/b', at: T0 + 3 },
    ]);
  });

  it('the same link twice is already_pinned, even written differently', () => {
    expect(outcome(act(standardRoom('live'), HOST, { type: 'pin', url: 'https://EXAMPLE.com/a' }))).toBe('already_pinned');
  });

  it('a fourth pin is pins_full', () => {
    const s = apply(standardRoom('live'), [
      [user(HOST), { type: 'pin', url: 'https://example.com/2' }],
      [user(HOST), { type: 'pin', url: 'https://example.com/3' }],
    ]);
    expect(s.pins).toHaveLength(LIMITS.pins);
    expect(outcome(act(s, HOST, { type: 'pin', url: 'https://example.com/4' }))).toBe('pins_full');
  });

  it.each([
    ['javascript:alert(1)'],
    ['ftp://example.com/file'],
    ['https:example.com'],
    ['https://exa mple.com'],
    ['https://user:pw@example.com'],
    ['https://'],
    ['example.com'],
    [''],
    [`https://example.com/${'a'.repeat(LIMITS.pinUrlMaxChars)}`],
  ])('pinning %j is invalid_url', (url) => {
    expect(outcome(act(standardRoom('live'), HOST, { type: 'pin', url }))).toBe('invalid_url');
  });

  it('a link of exactly 2048 characters can be pinned', () => {
    const base = 'https://example.com/';
    const url = base + 'a'.repeat(LIMITS.pinUrlMaxChars - base.length);
    expect(outcome(act(standardRoom('live'), HOST, { type: 'pin', url }))).toBe('ok');
  });

  it('unpin removes a pinned link; an unknown link is not_pinned', () => {
    const d = accepted(act(standardRoom('live'), HOST, { type: 'unpin', url: PINNED_URL }));
    expect(d.state.pins).toEqual([]);
    expect(d.audit).toEqual([{ actor: HOST, target: null, action: 'unpinned', reason: PINNED_URL, at: T0 }]);
    expect(outcome(act(d.state, HOST, { type: 'unpin', url: PINNED_URL }))).toBe('not_pinned');
    expect(outcome(act(d.state, HOST, { type: 'unpin', url: 'not a url' }))).toBe('not_pinned');
  });
});
