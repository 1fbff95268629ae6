/** @module rules-lifecycle.test — joining, going live, ending (by the host, in any state but ended) and updating the details with the creation validators. For tests only. */
import { describe, expect, it } from 'vitest';
import {
  ANONYMOUS,
  COHOST,
  HOST,
  LISTENER,
  SPEAKER,
  SYSTEM,
  T0,
  accepted,
  act,
  ctxAt,
  newRoom,
  outcome,
  standardRoom,
} from './room-fixtures.ts';
import { decide } from './room-rules.ts';
import { ACTIONS, ROLES } from './room-rules.table.data.ts';

describe('joining', () => {
  it('a signed-out listener may join a live room, and the state object comes back untouched', () => {
    const s = standardRoom('live');
    const d = accepted(decide(s, ANONYMOUS, { type: 'join' }, ctxAt(T0)));
    expect(d.state).toBe(s);
    expect(d.events).toEqual([]);
    expect(d.audit).toEqual([]);
  });

  it('listeners may join a backstage room to wait for it to go live', () => {
    expect(outcome(act(standardRoom('backstage'), LISTENER, { type: 'join' }))).toBe('ok');
  });
});

describe('going live and ending', () => {
  it('a co-host can take the room live, which records when and who', () => {
    const d = accepted(act(standardRoom('backstage'), COHOST, { type: 'goLive' }, T0 + 5));
    expect(d.state.status).toBe('live');
    expect(d.state.liveAt).toBe(T0 + 5);
    expect(d.events).toEqual([{ type: 'statusChanged', status: 'live' }]);
    expect(d.audit).toEqual([{ actor: COHOST, target: null, action: 'went_live', reason: '', at: T0 + 5 }]);
  });

  it('going live twice is refused with already_live', () => {
    expect(outcome(act(standardRoom('live'), HOST, { type: 'goLive' }))).toBe('already_live');
  });

  it('the host ends a live room for good, with reason host_ended', () => {
    const d = accepted(act(standardRoom('live'), HOST, { type: 'end' }, T0 + 9));
    expect(d.state).toMatchObject({ status: 'ended', endedAt: T0 + 9, endReason: 'host_ended' });
    expect(d.events).toEqual([{ type: 'statusChanged', status: 'ended' }]);
    expect(d.audit).toEqual([{ actor: HOST, target: null, action: 'ended', reason: '', at: T0 + 9 }]);
  });

  it('the host may call off a room that never went live', () => {
    expect(accepted(act(newRoom(), HOST, { type: 'end' })).state.status).toBe('ended');
  });

  it('a co-host cannot end the room (host_only) and a speaker is not_a_host', () => {
    const s = standardRoom('live');
    expect(outcome(act(s, COHOST, { type: 'end' }))).toBe('host_only');
    expect(outcome(act(s, SPEAKER, { type: 'end' }))).toBe('not_a_host');
  });

  it('an ended room refuses every action by everyone, the system tick included, as room_ended', () => {
    const s = standardRoom('ended');
    const snapshot = structuredClone(s);
    for (const actor of Object.values(ROLES)) {
      for (const action of Object.values(ACTIONS)) {
        expect(outcome(decide(s, actor, action, ctxAt(T0 + 10 * 60_000)))).toBe('room_ended');
      }
    }
    expect(outcome(decide(s, SYSTEM, { type: 'tick' }, ctxAt(T0)))).toBe('room_ended');
    expect(s).toEqual(snapshot);
  });
});

describe('updating the details', () => {
  it('a host or co-host updates the details with the creation validators, trimmed and deduplicated', () => {
    const d = accepted(
      act(standardRoom('live'), COHOST, {
        type: 'updateDetails',
        title: '  New title  ',
        topics: ['Music', ' music ', 'Jazz'],
        description: ' about jazz ',
        speakerPolicy: 'followed',
      }),
    );
    expect(d.state).toMatchObject({
      title: 'New title',
      topics: ['Music', 'Jazz'],
      description: 'about jazz',
      speakerPolicy: 'followed',
    });
    expect(d.events).toEqual([{ type: 'detailsChanged' }]);
    expect(d.audit).toEqual([{ actor: COHOST, target: null, action: 'details_updated', reason: '', at: T0 }]);
  });

  it('fields left out keep their values', () => {
    const s = standardRoom('backstage');
    const d = accepted(act(s, HOST, { type: 'updateDetails', description: 'new' }));
    expect(d.state).toMatchObject({ title: s.title, topics: s.topics, speakerPolicy: s.speakerPolicy, description: 'new' });
  });

  it('an update that changes nothing is accepted without an event or an audit entry', () => {
    const s = standardRoom('live');
    const d = accepted(act(s, HOST, { type: 'updateDetails', title: ` ${s.title} `, topics: [...s.topics] }));
    expect(d.state).toBe(s);
    expect(d.events).toEqual([]);
    expect(d.audit).toEqual([]);
  });

  it('bad details are refused with the field-specific code and change nothing', () => {
    const s = standardRoom('live');
    expect(outcome(act(s, HOST, { type: 'updateDetails', title: '   ' }))).toBe('invalid_title');
    expect(outcome(act(s, HOST, { type: 'updateDetails', topics: ['a', 'b', 'c', 'd'] }))).toBe('invalid_topics');
    expect(outcome(act(s, HOST, { type: 'updateDetails', description: 'x'.repeat(281) }))).toBe('invalid_description');
  });
});
